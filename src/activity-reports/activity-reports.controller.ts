import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Public } from '../http/auth/auth.decorators.js';
import { CLOCK, shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import { Divisions } from '../divisions/divisions.js';
import { ReadYourWrites, resolvePlace } from '../http/read-guards.js';
import { ActivityQueryDto } from './activity-query.dto.js';
import { ACTIVITY_REPORTS, ActivityQueries } from './activity-reports.queries.js';

/** Activity reports by place and month, with the month's series by level. */
@Controller('activity-reports')
@Public()
export class ActivityReportsController {
  constructor(
    @Inject(ActivityQueries) private readonly activity: ActivityQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
    @Inject(Divisions) private readonly divisions: Divisions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  async list(@Query() q: ActivityQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(ACTIVITY_REPORTS, q.minPosition);
    const on = q.on ?? shanghaiDate(this.clock.now());
    const { series, reports } = await this.activity.byPlace(
      place,
      { month: q.month, level: q.level, receipt: q.receipt, on },
      { page: q.page, pageSize: q.pageSize },
    );
    return { place, series, ...reports };
  }
}
