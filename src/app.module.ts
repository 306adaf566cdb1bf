import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  Inject,
} from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from './adapters/sqlite/sqlite-event-store.js';
import { SqlitePersonalDataVault } from './adapters/sqlite/sqlite-personal-data-vault.js';
import { AuthGuard, JWT_SECRET } from './auth/auth.guard.js';
import { resolveJwtSecret } from './auth/jwt-secret.js';
import type { Config } from './config.js';
import { Divisions } from './divisions/divisions.js';
import { loadDivisions } from './divisions/load-divisions.js';
import { HealthController } from './health/health.controller.js';
import { organizationDecider } from './organizations/organization.decider.js';
import { OrganizationWriter } from './organizations/organization-writer.js';
import { OrganizationsModule } from './organizations/organizations.module.js';
import { CLOCK, systemClock, type Clock } from './platform/clock.js';
import { ProblemDetailsFilter } from './platform/problem-details.filter.js';
import { EVENT_STORE, type EventStore } from './ports/event-store.port.js';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from './personal-data/personal-data-vault.port.js';

export const CONFIG = Symbol('Config');

/** Closes the stores when the application stops, so SQLite checkpoints its WAL cleanly. */
class StoreCloser implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
    await this.vault.close();
  }
}

export interface AppOptions {
  readonly config: Config;
  readonly clock?: Clock;
}

/** The composition root: every adapter is chosen here from the validated configuration. */
@Global()
@Module({})
export class AppModule {
  static forRoot({ config, clock = systemClock }: AppOptions): DynamicModule {
    mkdirSync(config.DATA_DIR, { recursive: true });
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), OrganizationsModule],
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: Divisions, useFactory: () => loadDivisions() },
        {
          provide: JWT_SECRET,
          useFactory: () => resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR),
        },
        {
          provide: EVENT_STORE,
          useFactory: () =>
            SqliteEventStore.open(join(config.DATA_DIR, 'events.sqlite'), {
              synchronous: config.SQLITE_SYNCHRONOUS,
            }),
        },
        {
          provide: PERSONAL_DATA_VAULT,
          useFactory: () =>
            SqlitePersonalDataVault.open(join(config.DATA_DIR, 'personal-data-keys.sqlite')),
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
              organizationDecider({
                divisions,
                activityLevels: {
                  street: config.ACTIVITY_STREET_THRESHOLD,
                  district: config.ACTIVITY_DISTRICT_THRESHOLD,
                },
                teamsInSpecialUnits: config.TEAMS_IN_SPECIAL_UNITS,
                governmentPurchaseRequiresRegistered:
                  config.GOVERNMENT_PURCHASE_REQUIRES_REGISTERED,
                maxGrantFen: config.MAX_GRANT_FEN,
              }),
              clk,
              vault,
            ),
        },
        StoreCloser,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
      exports: [EVENT_STORE, PERSONAL_DATA_VAULT, Divisions, OrganizationWriter, CLOCK, CONFIG],
    };
  }
}
