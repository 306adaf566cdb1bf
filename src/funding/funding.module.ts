import { Module } from '@nestjs/common';
import { Divisions } from '../divisions/divisions.js';
import { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { READ_STORE, type ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { FundingController } from './funding.controller.js';
import { FundingQueries } from './funding.queries.js';

/** Funding disclosure: grants and their totals. */
@Module({
  controllers: [FundingController],
  providers: [
    {
      provide: FundingQueries,
      inject: [READ_STORE, ReadModelCollections, Divisions],
      useFactory: (store: ReadStore, c: ReadModelCollections, d: Divisions) =>
        new FundingQueries(store, c, d),
    },
  ],
  // The totals by channel and year, for the returns built on them.
  exports: [FundingQueries],
})
export class FundingModule {}
