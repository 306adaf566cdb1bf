import { Body, Controller, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../event-sourcing/domain-error.js';
import { CurrentActor } from '../http/auth/auth.decorators.js';
import { ReadYourWrites } from '../http/read-guards.js';
import { UuidParamPipe } from '../http/uuid-param.pipe.js';
import { AcknowledgementDto } from '../organizations/dto/changes.dto.js';
import type { Actor } from '../organizations/domain/organization.types.js';
import { commandContext, expectedRevision } from '../organizations/http/command-request.js';
import { respond, type WriteAnswer } from '../organizations/http/command-routes.js';
import { OrganizationWriter } from '../organizations/organization-writer.js';
import { ACTIVITY_REPORTS, ActivityQueries } from './activity-reports.queries.js';

/**
 * 分级报告 received: the level a major-activity report was routed to acknowledges it. The route
 * names the report only; the activity-reports read model says whose it is (a report never
 * changes organization), and the organization's stream decides — its optimistic concurrency
 * makes "once per report" hold between racing acknowledgements.
 */
@Controller('activity-reports')
export class AcknowledgementController {
  constructor(
    @Inject(OrganizationWriter) private readonly writer: OrganizationWriter,
    @Inject(ActivityQueries) private readonly activity: ActivityQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
  ) {}

  @Post(':reportId/acknowledgement')
  @HttpCode(201)
  async acknowledge(
    @Param('reportId', new UuidParamPipe('reportId')) reportId: string,
    @Body() dto: AcknowledgementDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteAnswer> {
    const organizationId = await this.organizationOf(reportId);
    const answer = await this.writer.change(
      organizationId,
      { type: 'AcknowledgeActivityReport', reportId, acknowledgedOn: dto.acknowledgedOn },
      commandContext(request, actor, dto),
      expectedRevision(request),
    );
    return respond(reply, answer, 201);
  }

  /**
   * The report's organization. A miss may be a report written a moment ago that the read model
   * has not applied yet: wait until it has applied the log's head, then it is a real 404.
   */
  private async organizationOf(reportId: string): Promise<string> {
    const known = await this.activity.organizationOf(reportId);
    if (known !== undefined) return known;
    await this.freshness.caughtUp(ACTIVITY_REPORTS);
    const found = await this.activity.organizationOf(reportId);
    if (found !== undefined) return found;
    throw new DomainError('not-found', 'activity-report-unknown', `No activity report ${reportId}`);
  }
}
