import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { createProjections } from '../projections/index.js';
import { KafkaPublisher } from './adapters/kafka/kafka-publisher.js';
import { AuditModule } from './audit/audit.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { GATEWAY_CHECKED, KafkaGateway } from './gateway/kafka-gateway.js';
import { checkCheckpoints } from './event-sourcing/positions/checkpoint-check.js';
import { ensurePrivateDir } from './adapters/private-files.js';
import {
  openEventStore,
  openPersonalDataAccessLog,
  openPersonalDataVault,
  openReadStore,
} from './adapters/stores.js';
import { guardStorage } from './adapters/storage-guard.js';
import { StorageHealth } from './event-sourcing/storage/storage-health.js';
import { StorageUnavailable } from './event-sourcing/storage/storage-unavailable.js';
import { AuthGuard } from './http/auth/auth.guard.js';
import { createTokenVerifier } from './http/auth/create-token-verifier.js';
import { TOKEN_VERIFIER } from './http/auth/token-verifier.js';
import { CONFIG, type Config } from './config.js';
import { Divisions } from './divisions/divisions.js';
import { loadDivisions } from './divisions/load-divisions.js';
import { HEALTH_PROBES, HealthController, METRICS } from './health/health.controller.js';
import { HEALTH_PROBE_OPTIONS, HealthProbes } from './health/health-probes.js';
import { StoreMetrics } from './health/store-metrics.js';
import { LeaseMetrics } from './health/lease-metrics.js';
import { createMetrics, PROMETHEUS_REGISTRY } from './health/metrics.js';
import { Registry } from 'prom-client';
import { organizationDecider } from './organizations/domain/organization.decider.js';
import { OrganizationWriter } from './organizations/organization-writer.js';
import { policyFromConfig } from './organizations/policy-from-config.js';
import { NEW_ID } from './organizations/commands/write-command.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { CLOCK, type Clock } from './event-sourcing/clock.js';
import { newId, replicaName, systemClock } from './system.js';
import { ProblemDetailsFilter } from './http/problem-details.filter.js';
import { EVENT_STORE, type EventStore } from './event-sourcing/ports/event-store.port.js';
import { READ_STORE, type ReadStore } from './event-sourcing/ports/read-store.port.js';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from './event-sourcing/ports/personal-data-vault.port.js';
import {
  PERSONAL_DATA_ACCESS_LOG,
  type PersonalDataAccessLog,
} from './event-sourcing/ports/personal-data-access-log.port.js';
import { PersonalDataAccessRecorder } from './personal-data/access-recorder.js';
import { ProjectionRunner } from './event-sourcing/projection/projection-runner.js';
import { ActivityReportsModule } from './activity-reports/activity-reports.module.js';
import { ReadModelCollections } from './event-sourcing/projection/read-model-collections.js';
import { FundingModule } from './funding/funding.module.js';
import { ReadYourWrites } from './http/read-guards.js';
import { RegistryModule } from './registry/registry.module.js';
import { ReturnsModule } from './returns/returns.module.js';
import { StatisticsModule } from './statistics/statistics.module.js';
import { WorkbenchModule } from './workbench/workbench.module.js';
import { WorklistsModule } from './worklists/worklists.module.js';

export { CONFIG };

/** Starts the projection runner with the server; on shutdown stops it before closing the stores. */
class Lifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly reads: ReadStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(PERSONAL_DATA_ACCESS_LOG) private readonly accessLog: PersonalDataAccessLog,
    @Inject(KafkaGateway) private readonly gateway: KafkaGateway | null,
  ) {}

  /**
   * Checkpoints that are no positions of this event store (a read store carried over from
   * another store or a newer backup) stop the start with one line and the way out.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await checkCheckpoints(this.events, this.reads, [
        ...(await this.runner.servingCheckpoints()),
        ...(this.gateway ? [GATEWAY_CHECKED] : []),
      ]);
    } catch (error) {
      // A store failing at start (a full disk, a server away) is reported on /health and
      // retried by the runner, as it would be a minute later: the server starts all the same.
      if (!(error instanceof StorageUnavailable)) throw error;
      console.error(`checkpoints not checked at start: storage ${error.problem}: ${error.reason}`);
    }
    this.runner.start();
    this.gateway?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.gateway?.stop();
    await this.runner.stop();
    await this.events.close();
    await this.reads.close();
    await this.vault.close();
    await this.accessLog.close();
  }
}

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
  /** The clock tokens' exp, nbf and iat are checked against (default: the machine's). */
  readonly tokenClock?: Clock;
}

/** The composition root: every adapter is chosen here from the validated configuration. */
@Global()
@Module({})
export class AppModule {
  static forRoot({
    config,
    clock = systemClock,
    tokenClock = systemClock,
  }: AppOptions): DynamicModule {
    ensurePrivateDir(config.DATA_DIR);
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        OrganizationsModule,
        RegistryModule,
        StatisticsModule,
        FundingModule,
        ActivityReportsModule,
        WorklistsModule,
        ReturnsModule,
        AuditModule,
        DashboardModule,
        WorkbenchModule.forRoot(config),
      ],
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: NEW_ID, useValue: newId },
        { provide: Divisions, useFactory: () => loadDivisions() },
        {
          provide: TOKEN_VERIFIER,
          inject: [Divisions],
          useFactory: (divisions: Divisions) => createTokenVerifier(config, divisions, tokenClock),
        },
        { provide: StorageHealth, useValue: new StorageHealth(clock) },
        { provide: PROMETHEUS_REGISTRY, useValue: new Registry() },
        {
          provide: StoreMetrics,
          inject: [PROMETHEUS_REGISTRY],
          useFactory: (registry: Registry) => new StoreMetrics(registry),
        },
        {
          provide: LeaseMetrics,
          inject: [PROMETHEUS_REGISTRY],
          useFactory: (registry: Registry) => new LeaseMetrics(registry),
        },
        // Every store behind its port answers storage failures as StorageUnavailable (507/503)
        // and reports them to /health.
        {
          provide: EVENT_STORE,
          inject: [StorageHealth, StoreMetrics],
          useFactory: async (health: StorageHealth, calls: StoreMetrics) =>
            guardStorage(await openEventStore(config), 'event store', health, calls),
        },
        {
          provide: READ_STORE,
          inject: [StorageHealth, StoreMetrics],
          useFactory: async (health: StorageHealth, calls: StoreMetrics) =>
            guardStorage(await openReadStore(config), 'read store', health, calls),
        },
        {
          provide: PERSONAL_DATA_VAULT,
          inject: [StorageHealth, StoreMetrics],
          useFactory: async (health: StorageHealth, calls: StoreMetrics) =>
            guardStorage(await openPersonalDataVault(config), 'personal-data vault', health, calls),
        },
        {
          provide: PERSONAL_DATA_ACCESS_LOG,
          inject: [StorageHealth, StoreMetrics],
          useFactory: async (health: StorageHealth, calls: StoreMetrics) =>
            guardStorage(
              await openPersonalDataAccessLog(config),
              'personal-data access log',
              health,
              calls,
            ),
        },
        {
          provide: PersonalDataAccessRecorder,
          inject: [PERSONAL_DATA_ACCESS_LOG, CLOCK],
          useFactory: (log: PersonalDataAccessLog, clk: Clock) =>
            new PersonalDataAccessRecorder(log, clk),
        },
        {
          provide: OrganizationWriter,
          inject: [EVENT_STORE, Divisions, CLOCK, PERSONAL_DATA_VAULT],
          useFactory: (
            store: EventStore,
            divisions: Divisions,
            clk: Clock,
            vault: PersonalDataVault,
          ) =>
            new OrganizationWriter(
              store,
              organizationDecider(policyFromConfig(config, divisions)),
              clk,
              vault,
              newId,
              { streamCacheBytes: config.STREAM_CACHE_MB * 1024 * 1024 },
            ),
        },
        {
          provide: ProjectionRunner,
          inject: [EVENT_STORE, READ_STORE, Divisions, CLOCK, LeaseMetrics],
          useFactory: (
            events: EventStore,
            reads: ReadStore,
            divisions: Divisions,
            clk: Clock,
            leases: LeaseMetrics,
          ) =>
            new ProjectionRunner(events, reads, createProjections(divisions), clk, {
              replica: replicaName(),
              onLeaseChange: leases.observe,
              leaseMs: config.LEASE_SECONDS * 1000,
              paceMs: config.PROJECTION_PACE_MS,
              onError: (error) => {
                // A full disk is retried every second: one line each time, not a stack.
                if (error instanceof StorageUnavailable)
                  console.error(
                    `projection runner (will retry): storage ${error.problem}: ${error.reason}`,
                  );
                else console.error('projection runner:', error);
              },
            }),
        },
        {
          provide: KafkaGateway,
          inject: [EVENT_STORE, READ_STORE, LeaseMetrics],
          useFactory: (events: EventStore, reads: ReadStore, leases: LeaseMetrics) =>
            config.PUBLISHER !== 'kafka'
              ? null
              : new KafkaGateway(
                  events,
                  reads,
                  KafkaPublisher.create({
                    brokers: (config.KAFKA_BROKERS ?? '').split(','),
                    topic: config.KAFKA_TOPIC,
                  }),
                  {
                    leaseMs: config.LEASE_SECONDS * 1000,
                    onLeaseChange: leases.observe,
                    onError: (error) => {
                      console.error(
                        'kafka gateway (will retry):',
                        error instanceof Error ? error.message : error,
                      );
                    },
                  },
                ),
        },
        {
          provide: ReadModelCollections,
          inject: [READ_STORE],
          useFactory: (store: ReadStore) => new ReadModelCollections(store),
        },
        {
          provide: ReadYourWrites,
          inject: [ProjectionRunner, ReadModelCollections, READ_STORE, EVENT_STORE],
          useFactory: (
            runner: ProjectionRunner,
            c: ReadModelCollections,
            store: ReadStore,
            events: EventStore,
          ) => new ReadYourWrites(runner, c, store, events),
        },
        {
          provide: METRICS,
          inject: [
            PROMETHEUS_REGISTRY,
            EVENT_STORE,
            ProjectionRunner,
            KafkaGateway,
            OrganizationWriter,
          ],
          useFactory: (
            registry: Registry,
            events: EventStore,
            runner: ProjectionRunner,
            gateway: KafkaGateway | null,
            writer: OrganizationWriter,
          ) => createMetrics(registry, events, runner, gateway, () => writer.streamCacheStats()),
        },
        {
          provide: HEALTH_PROBES,
          inject: [EVENT_STORE, READ_STORE, PERSONAL_DATA_VAULT, PERSONAL_DATA_ACCESS_LOG],
          useFactory: (
            events: EventStore,
            reads: ReadStore,
            vault: PersonalDataVault,
            accesses: PersonalDataAccessLog,
          ) =>
            new HealthProbes(
              [
                { name: 'event store', ping: () => events.ping() },
                { name: 'read store', ping: () => reads.ping() },
                { name: 'personal-data vault', ping: () => vault.ping() },
                { name: 'personal-data access log', ping: () => accesses.ping() },
              ],
              HEALTH_PROBE_OPTIONS,
            ),
        },
        Lifecycle,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [
        KafkaGateway,
        StorageHealth,
        EVENT_STORE,
        READ_STORE,
        PERSONAL_DATA_VAULT,
        PERSONAL_DATA_ACCESS_LOG,
        PersonalDataAccessRecorder,
        Divisions,
        OrganizationWriter,
        ProjectionRunner,
        ReadModelCollections,
        ReadYourWrites,
        CLOCK,
        NEW_ID,
        CONFIG,
      ],
    };
  }
}
