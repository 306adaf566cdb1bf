import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Public } from '../../auth/auth.decorators.js';
import { Divisions } from '../../divisions/divisions.js';
import {
  ActivityQueryDto,
  FundingTotalsQueryDto,
  GrantsQueryDto,
  PlaceQueryDto,
  TargetsQueryDto,
  TimelineQueryDto,
} from '../dto/read-query.dto.js';
import { ACTIVITY_REPORTS, ActivityQueries } from '../activity.queries.js';
import { FUNDING, FundingQueries } from '../funding.queries.js';
import { STATISTICS, StatisticsQueries } from '../statistics.queries.js';
import { ReadYourWrites, resolvePlace } from './read-guards.js';
import { ValidationProblem } from '../../platform/problem.js';

/** Public statistics (分类统计), funding disclosure and activity reports. */
@Controller()
@Public()
export class StatisticsController {
  constructor(
    @Inject(StatisticsQueries) private readonly statistics: StatisticsQueries,
    @Inject(FundingQueries) private readonly funding: FundingQueries,
    @Inject(ActivityQueries) private readonly activity: ActivityQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
    @Inject(Divisions) private readonly divisions: Divisions,
  ) {}

  @Get('statistics/overview')
  async overview(@Query() q: PlaceQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(STATISTICS, q.minPosition);
    return this.statistics.overview(place);
  }

  @Get('statistics/targets')
  async targets(@Query() q: TargetsQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(STATISTICS, q.minPosition);
    return this.statistics.targetsFor(place, { page: q.page, pageSize: q.pageSize });
  }

  @Get('statistics/timeline')
  async timeline(@Query() q: TimelineQueryDto) {
    const place = resolvePlace(this.divisions, q);
    checkRange(q.from, q.to);
    await this.freshness.wait(STATISTICS, q.minPosition);
    const months = await this.statistics.timeline(place.code, q.from, q.to);
    return { district: q.district ?? null, months };
  }

  @Get('statistics/funding')
  async fundingTotals(@Query() q: FundingTotalsQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(FUNDING, q.minPosition);
    return this.funding.totals(place, q.year);
  }

  @Get('fundings')
  async grants(@Query() q: GrantsQueryDto) {
    checkRange(q.from, q.to);
    resolvePlace(this.divisions, q);
    await this.freshness.wait(FUNDING, q.minPosition);
    return this.funding.grants(q, { page: q.page, pageSize: q.pageSize });
  }

  @Get('activity-reports')
  async activityReports(@Query() q: ActivityQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(ACTIVITY_REPORTS, q.minPosition);
    const { series, reports } = await this.activity.byPlace(place, q.month, q.level, {
      page: q.page,
      pageSize: q.pageSize,
    });
    return { place, series, ...reports };
  }
}

function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationProblem([{ field: 'query:to', message: 'to must not be before from' }]);
  }
}
