import { Module } from '@nestjs/common';
import { CONFIG, type Config } from '../config.js';
import { Divisions } from '../divisions/divisions.js';
import { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { READ_STORE, type ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { StatisticsController } from './statistics.controller.js';
import { StatisticsQueries } from './statistics.queries.js';
import { PlatformQueries } from './platform-coverage.queries.js';
import { StatisticsAsOf } from './statistics-as-of.js';
import { CLOCK, type Clock } from '../event-sourcing/clock.js';

/** Public statistics: overview, 12 / 7 targets, timeline, platform coverage, incubation. */
@Module({
  controllers: [StatisticsController],
  providers: [
    {
      provide: StatisticsQueries,
      inject: [READ_STORE, ReadModelCollections, Divisions, CONFIG],
      useFactory: (store: ReadStore, c: ReadModelCollections, d: Divisions, config: Config) =>
        new StatisticsQueries(store, c, d, {
          urban: config.URBAN_TARGET,
          rural: config.RURAL_TARGET,
        }),
    },
    {
      provide: PlatformQueries,
      inject: [StatisticsQueries, Divisions],
      useFactory: (statistics: StatisticsQueries, d: Divisions) =>
        new PlatformQueries((id) => statistics.rollup(id), d),
    },
    {
      provide: StatisticsAsOf,
      inject: [StatisticsQueries, PlatformQueries, Divisions, CLOCK],
      useFactory: (s: StatisticsQueries, p: PlatformQueries, d: Divisions, clock: Clock) =>
        new StatisticsAsOf(s, p, d, clock),
    },
  ],
  // The figures as of a month-end and the timeline, for the returns built on them.
  exports: [StatisticsAsOf, StatisticsQueries],
})
export class StatisticsModule {}
