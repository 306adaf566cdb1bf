import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Public } from '../http/auth/auth.decorators.js';
import { Divisions } from '../divisions/divisions.js';
import { checkRange, ReadYourWrites, resolvePlace } from '../http/read-guards.js';
import {
  IncubationQueryDto,
  OverviewQueryDto,
  PlatformsQueryDto,
  TargetsQueryDto,
  TimelineQueryDto,
} from './statistics-query.dto.js';
import { StatisticsAsOf } from './statistics-as-of.js';
import { PlatformQueries } from './platform-coverage.queries.js';
import { STATISTICS, StatisticsQueries } from './statistics.queries.js';
import { OVERVIEW_ANSWER, TARGETS_ANSWER } from './statistics-answers.openapi.js';
import { INCUBATION_ANSWER, PLATFORMS_ANSWER } from './platform-answers.openapi.js';

/**
 * Public statistics (分类统计): the overview, the 12 / 7 targets, the monthly timeline,
 * support-platform coverage and incubation. Overview, targets and platform coverage answer as of a
 * past month-end with `asOf=YYYY-MM`.
 */
@Controller('statistics')
@Public()
export class StatisticsController {
  constructor(
    @Inject(StatisticsQueries) private readonly statistics: StatisticsQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
    @Inject(Divisions) private readonly divisions: Divisions,
    @Inject(PlatformQueries) private readonly platforms: PlatformQueries,
    @Inject(StatisticsAsOf) private readonly asOf: StatisticsAsOf,
  ) {}

  @Get('overview')
  @ApiOkResponse({ description: 'OK', schema: OVERVIEW_ANSWER })
  async overview(@Query() q: OverviewQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(STATISTICS, q.minPosition);
    this.asOf.check(q.asOf);
    return this.statistics.overview(place, q.asOf);
  }

  @Get('targets')
  @ApiOkResponse({ description: 'OK', schema: TARGETS_ANSWER })
  async targets(@Query() q: TargetsQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(STATISTICS, q.minPosition);
    this.asOf.check(q.asOf);
    return this.statistics.targetsFor(place, { page: q.page, pageSize: q.pageSize }, q.asOf);
  }

  @Get('timeline')
  async timeline(@Query() q: TimelineQueryDto) {
    const place = resolvePlace(this.divisions, q);
    checkRange(q.from, q.to);
    await this.freshness.wait(STATISTICS, q.minPosition);
    const months = await this.statistics.timeline(place.code, q.from, q.to);
    return { district: q.district ?? null, months };
  }

  @Get('platforms')
  @ApiOkResponse({ description: 'OK', schema: PLATFORMS_ANSWER })
  async platformCoverage(@Query() q: PlatformsQueryDto) {
    const place = resolvePlace(this.divisions, q);
    await this.freshness.wait(STATISTICS, q.minPosition);
    this.asOf.check(q.asOf);
    return this.platforms.coverage(place, q.asOf);
  }

  @Get('incubation')
  @ApiOkResponse({ description: 'OK', schema: INCUBATION_ANSWER })
  async incubation(@Query() q: IncubationQueryDto) {
    resolvePlace(this.divisions, q);
    await this.freshness.wait(STATISTICS, q.minPosition);
    return this.platforms.incubation(q.district, q.year);
  }
}
