import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '../event-sourcing/ports/event-store.port.js';
import { AuditService } from './audit.service.js';
import { AuditController } from './http/audit.controller.js';
import { HistoryController } from './http/history.controller.js';
import { PersonalDataAccessController } from './http/personal-data-access.controller.js';

@Module({
  controllers: [AuditController, HistoryController, PersonalDataAccessController],
  providers: [
    {
      provide: AuditService,
      inject: [EVENT_STORE],
      useFactory: (store: EventStore) => new AuditService(store),
    },
  ],
})
export class AuditModule {}
