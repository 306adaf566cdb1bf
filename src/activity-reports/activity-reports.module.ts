import { Module } from '@nestjs/common';
import { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { READ_STORE, type ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { ActivityReportsController } from './activity-reports.controller.js';
import { ActivityQueries } from './activity-reports.queries.js';

/** Activity reports by place, month and level. */
@Module({
  controllers: [ActivityReportsController],
  providers: [
    {
      provide: ActivityQueries,
      inject: [READ_STORE, ReadModelCollections],
      useFactory: (store: ReadStore, c: ReadModelCollections) => new ActivityQueries(store, c),
    },
  ],
})
export class ActivityReportsModule {}
