import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { CONFIG, type Config } from '../config.js';
import { CLOCK, shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import { DomainError, forbid } from '../event-sourcing/domain-error.js';
import type { Page } from '../event-sourcing/projection/paging.js';
import { CurrentActor } from '../http/auth/auth.decorators.js';
import { ReadYourWrites } from '../http/read-guards.js';
import type { Actor } from '../organizations/domain/organization.types.js';
import {
  isWorklist,
  scopeOf,
  WORKLISTS,
  type Scope,
  type WorklistName,
  type WorklistRules,
} from './worklist-definitions.js';
import { WorklistQueryDto, WorklistSummaryDto } from './worklist-query.dto.js';
import { WORKLISTS_MODEL, WorklistQueries } from './worklist.queries.js';

/**
 * The officials' to-do lists (issue #19), each scoped to the caller's place. Items name the
 * organization (its id is the link to GET /organizations/{id}) and the list's own facts, never a
 * contact or a founder.
 */
@Controller('worklists')
export class WorklistsController {
  constructor(
    @Inject(WorklistQueries) private readonly worklists: WorklistQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOkResponse({
    description:
      '`{ on, scope: { level, code }, counts }`: how many items each list holds for the caller ' +
      `(${WORKLISTS.join(', ')}), as GET /worklists/{name} would total them.`,
    schema: { type: 'object' },
  })
  async summary(
    @Query() q: WorklistSummaryDto,
    @CurrentActor() actor: Actor,
  ): Promise<{
    on: string;
    scope: Pick<Scope, 'level' | 'code'>;
    counts: Record<WorklistName, number>;
  }> {
    const scope = requireScope(actor);
    await this.freshness.wait(WORKLISTS_MODEL, q.minPosition);
    const rules = this.rules(q.on);
    const counts = await this.worklists.counts(scope, rules);
    return { on: rules.on, scope: { level: scope.level, code: scope.code }, counts };
  }

  @Get(':name')
  @ApiParam({ name: 'name', type: 'string', enum: [...WORKLISTS] })
  @ApiOkResponse({
    description:
      '`{ items, total, page, pageSize, on }`, the oldest or most urgent first. Every item has ' +
      'organizationId, name, tier, districtCode, streetCode, communityCode, and: open-notices ' +
      '`openSince, daysOpen, notices[{ noticeId, reason, issuedOn, daysOpen }]`; ' +
      'unacknowledged-reports (places where the activity took place) `reportId, title, level, ' +
      'startsOn, endsOn, participants, reportedOn, waitingDays`; inactive-teams ' +
      '`lastReportedOn, quietSince, daysQuiet`; missing-annual-reports `year, ' +
      'lastAnnualReportYear, registeredOn, dueOn, overdue`; expiring-grades `grade, validUntil, ' +
      'daysLeft`; abnormal `listedOn, reason, daysListed`.',
    schema: { type: 'object' },
  })
  async list(
    @Param('name') name: string,
    @Query() q: WorklistQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<Page<Record<string, unknown>> & { on: string }> {
    const scope = requireScope(actor);
    if (!isWorklist(name)) {
      throw new DomainError(
        'not-found',
        'worklist-unknown',
        `No worklist ${name}: the lists are ${WORKLISTS.join(', ')}`,
      );
    }
    await this.freshness.wait(WORKLISTS_MODEL, q.minPosition);
    const rules = this.rules(q.on);
    const page = await this.worklists.page(name, scope, rules, {
      page: q.page,
      pageSize: q.pageSize,
    });
    return { ...page, on: rules.on };
  }

  private rules(on: string | undefined): WorklistRules {
    return {
      on: on ?? shanghaiDate(this.clock.now()),
      inactiveMonths: this.config.INACTIVE_MONTHS,
      annualReportDue: this.config.ANNUAL_REPORT_DUE,
    };
  }
}

function requireScope(actor: Actor): Scope {
  const scope = scopeOf(actor);
  if (scope === null)
    throw forbid('worklist-role', 'Worklists are for the city, district, street and committee');
  return scope;
}
