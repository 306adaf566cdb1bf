import { Module } from '@nestjs/common';
import { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { READ_STORE, type ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { RegistryController } from './registry.controller.js';
import { RegistryQueries } from './registry.queries.js';

/** The public disclosure registry (信息公开): list, one entry, CSV export. */
@Module({
  controllers: [RegistryController],
  providers: [
    {
      provide: RegistryQueries,
      inject: [READ_STORE, ReadModelCollections],
      useFactory: (store: ReadStore, c: ReadModelCollections) => new RegistryQueries(store, c),
    },
  ],
})
export class RegistryModule {}
