import { Module } from '@nestjs/common';
import { CONFIG } from '../config.js';
import type { Config } from '../config.js';
import { Divisions } from '../divisions/divisions.js';
import { READ_STORE, type ReadStore } from '../ports/read-store.port.js';
import { ActivityQueries } from './activity.queries.js';
import { FundingQueries } from './funding.queries.js';
import { ReadYourWrites } from './http/read-guards.js';
import { RegistryController } from './http/registry.controller.js';
import { ProjectionRunner } from '../projection/projection-runner.js';
import { StatisticsController } from './http/statistics.controller.js';
import { ReadModelCollections } from './read-model-collections.js';
import { RegistryQueries } from './registry.queries.js';
import { StatisticsQueries } from './statistics.queries.js';

/** The public read routes of API.md ("Reads") over the projections' read models. */
@Module({
  controllers: [RegistryController, StatisticsController],
  providers: [
    {
      provide: ReadYourWrites,
      inject: [ProjectionRunner, ReadModelCollections, READ_STORE],
      useFactory: (runner: ProjectionRunner, c: ReadModelCollections, store: ReadStore) =>
        new ReadYourWrites(runner, c, store),
    },
    {
      provide: ReadModelCollections,
      inject: [READ_STORE],
      useFactory: (store: ReadStore) => new ReadModelCollections(store),
    },
    {
      provide: RegistryQueries,
      inject: [READ_STORE, ReadModelCollections],
      useFactory: (store: ReadStore, c: ReadModelCollections) => new RegistryQueries(store, c),
    },
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
      provide: FundingQueries,
      inject: [READ_STORE, ReadModelCollections, Divisions],
      useFactory: (store: ReadStore, c: ReadModelCollections, d: Divisions) =>
        new FundingQueries(store, c, d),
    },
    {
      provide: ActivityQueries,
      inject: [READ_STORE, ReadModelCollections],
      useFactory: (store: ReadStore, c: ReadModelCollections) => new ActivityQueries(store, c),
    },
  ],
})
export class ReadModelsModule {}
