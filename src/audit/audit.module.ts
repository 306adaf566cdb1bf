import { Module } from '@nestjs/common';
import { openLogTree } from '../adapters/stores.js';
import { resolveLogSigner } from '../adapters/log-signing-key.js';
import { CONFIG, type Config } from '../config.js';
import { CLOCK, type Clock } from '../event-sourcing/clock.js';
import { EVENT_STORE, type EventStore } from '../event-sourcing/ports/event-store.port.js';
import { AuditService } from './audit.service.js';
import { AuditController } from './http/audit.controller.js';
import { CheckpointController } from './http/checkpoint.controller.js';
import { HistoryController } from './http/history.controller.js';
import { ProofController } from './http/proof.controller.js';
import { PersonalDataAccessController } from './http/personal-data-access.controller.js';
import { LogCheckpoints } from './log-checkpoints.service.js';

@Module({
  controllers: [
    AuditController,
    CheckpointController,
    HistoryController,
    PersonalDataAccessController,
    ProofController,
  ],
  providers: [
    {
      provide: AuditService,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new AuditService(store),
    },
    {
      provide: LogCheckpoints,
      inject: [CONFIG, EVENT_STORE, CLOCK],
      // After the event store: on SQLite the tree's tables are created when it opens the file.
      useFactory: (config: Config, store: EventStore, clock: Clock) =>
        new LogCheckpoints(openLogTree(config), store, resolveLogSigner(config), clock, {
          everyEvents: config.CHECKPOINT_EVERY_EVENTS,
          everySeconds: config.CHECKPOINT_EVERY_SECONDS,
        }),
    },
  ],
})
export class AuditModule {}
