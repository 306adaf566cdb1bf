import { Module } from '@nestjs/common';
import { Divisions } from '../divisions/divisions.js';
import { CLOCK, type Clock } from '../event-sourcing/clock.js';
import { FundingModule } from '../funding/funding.module.js';
import { FundingQueries } from '../funding/funding.queries.js';
import { StatisticsModule } from '../statistics/statistics.module.js';
import { StatisticsAsOf } from '../statistics/statistics-as-of.js';
import { StatisticsQueries } from '../statistics/statistics.queries.js';
import { ReturnsController } from './returns.controller.js';
import { YearEndReturns } from './year-end-figures.js';

/** The statistical returns (年末分类统计), built from the statistics and funding read models. */
@Module({
  imports: [StatisticsModule, FundingModule],
  controllers: [ReturnsController],
  providers: [
    {
      provide: YearEndReturns,
      inject: [StatisticsAsOf, StatisticsQueries, FundingQueries, Divisions, CLOCK],
      useFactory: (
        asOf: StatisticsAsOf,
        statistics: StatisticsQueries,
        funding: FundingQueries,
        d: Divisions,
        clock: Clock,
      ) => new YearEndReturns(asOf, statistics, funding, d, clock),
    },
  ],
})
export class ReturnsModule {}
