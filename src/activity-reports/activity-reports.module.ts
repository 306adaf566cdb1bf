import { Module } from '@nestjs/common';
import { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { READ_STORE, type ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { AcknowledgementController } from './acknowledgement.controller.js';
import { ActivityReportsController } from './activity-reports.controller.js';
import { ActivityQueries } from './activity-reports.queries.js';

/** Activity reports by place, month and level, and their receipt by the level routed to. */
@Module({
  controllers: [ActivityReportsController, AcknowledgementController],
  providers: [
    {
      provide: ActivityQueries,
      inject: [READ_STORE, ReadModelCollections],
      useFactory: (store: ReadStore, c: ReadModelCollections) => new ActivityQueries(store, c),
    },
  ],
})
export class ActivityReportsModule {}
