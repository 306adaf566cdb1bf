import { Module } from '@nestjs/common';
import { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { READ_STORE, type ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { WorklistQueries } from './worklist.queries.js';
import { WorklistsController } from './worklists.controller.js';

/** The officials' worklists: what waits for the caller's level and place. */
@Module({
  controllers: [WorklistsController],
  providers: [
    {
      provide: WorklistQueries,
      inject: [READ_STORE, ReadModelCollections],
      useFactory: (store: ReadStore, c: ReadModelCollections) => new WorklistQueries(store, c),
    },
  ],
})
export class WorklistsModule {}
