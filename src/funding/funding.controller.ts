import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Public } from '../http/auth/auth.decorators.js';
import { Divisions } from '../divisions/divisions.js';
import { checkRange, ReadYourWrites, resolvePlace } from '../http/read-guards.js';
import { FundingTotalsQueryDto, GrantsQueryDto } from './funding-query.dto.js';
import { FUNDING, FundingQueries } from './funding.queries.js';

/** Funding disclosure: totals by channel and year, and the grants themselves. */
@Controller()
@Public()
export class FundingController {
  constructor(
    @Inject(FundingQueries) private readonly funding: FundingQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
    @Inject(Divisions) private readonly divisions: Divisions,
  ) {}

  @Get('statistics/funding')
  async totals(@Query() q: FundingTotalsQueryDto) {
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
}
