import type { CommandAnswer } from '../command-answer.js';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { ETAG_HEADER } from '../../http/openapi/openapi-components.js';
import { DomainError } from '../../event-sourcing/domain-error.js';
import { Divisions } from '../../divisions/divisions.js';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from '../../event-sourcing/ports/personal-data-vault.port.js';
import {
  ChangeOrganizationCommand,
  RegisterOrganizationCommand,
} from '../commands/organization.commands.handlers.js';
import { ActivityReportDto } from '../dto/activity-report.dto.js';
import { ContactDto } from '../dto/contact.dto.js';
import { CancelFilingDto, FileTeamDto } from '../dto/filing.dto.js';
import { FundingDto } from '../dto/funding.dto.js';
import { RegisterOrganizationDto } from '../dto/register-organization.dto.js';
import {
  CorrectionNoticeDto,
  CorrectionResolutionDto,
  DissolutionDto,
  EvaluationDto,
  PartyOrganizationDto,
  ReclassifyDto,
} from '../dto/supervision.dto.js';
import { DemoteDto, PromoteDto } from '../dto/tier.dto.js';
import { OrganizationWriter, type ChangePayload } from '../organization-writer.js';
import type { Actor } from '../domain/organization.types.js';
import { mayRead, withinJurisdiction } from '../domain/rules/authority.js';
import { commandContext, etag, expectedRevision } from './command-request.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import { organizationView } from './organization.view.js';

const orgId = new UuidParamPipe('id');

/** The write routes of API.md ("Writes") and the current state of one organization. */
@Controller('organizations')
export class OrganizationsController {
  constructor(
    @Inject(CommandBus) private readonly commandBus: CommandBus,
    @Inject(OrganizationWriter) private readonly writer: OrganizationWriter,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(Divisions) private readonly divisions: Divisions,
  ) {}

  @Post()
  async register(
    @Body() dto: RegisterOrganizationDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WriteAnswer> {
    const { contact, ...rest } = dto;
    const payload = {
      ...rest,
      ...(contact && { contact: { name: contact.name, phone: contact.phone } }),
    };
    const answer = await this.commandBus.execute(
      new RegisterOrganizationCommand(payload, commandContext(request, actor, dto)),
    );
    void reply.header('location', `/organizations/${answer.id}`);
    return respond(reply, answer, 201);
  }

  @Get(':id')
  @ApiOkResponse({
    description: 'The current state, with the contact where the caller may see it.',
    headers: { ETag: ETAG_HEADER },
    schema: { type: 'object' },
  })
  async get(
    @Param('id', orgId) id: string,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const { state, tip } = await this.writer.load(id);
    if (state === null)
      throw new DomainError('not-found', 'organization-unknown', `No organization ${id}`);
    if (!mayRead(actor, state)) {
      throw new DomainError(
        'forbidden',
        'read-authority',
        'Only the auditor and the levels this organization is in may read it',
      );
    }
    // Personal data is shown to the levels the organization belongs to, never to auditors.
    const seesContact = withinJurisdiction(actor, state);
    const contact = !seesContact
      ? undefined
      : state.contact
        ? await this.vault.decrypt(id, state.contact)
        : undefined;
    void reply.header('etag', etag(tip.revision));
    return organizationView(state, this.divisions, tip.revision, contact);
  }

  @Post(':id/filings')
  file(
    @Param('id', orgId) id: string,
    @Body() dto: FileTeamDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'FileTeam', ...dto }, a, q, r, dto);
  }

  @Post(':id/filing-cancellation')
  cancelFiling(
    @Param('id', orgId) id: string,
    @Body() dto: CancelFilingDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'CancelFiling', ...dto }, a, q, r, dto);
  }

  @Post(':id/promotions')
  promote(
    @Param('id', orgId) id: string,
    @Body() dto: PromoteDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'PromoteTier', ...dto }, a, q, r, dto);
  }

  @Post(':id/demotions')
  demote(
    @Param('id', orgId) id: string,
    @Body() dto: DemoteDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'DemoteTier', ...dto }, a, q, r, dto);
  }

  @Post(':id/activity-reports')
  reportActivity(
    @Param('id', orgId) id: string,
    @Body() dto: ActivityReportDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(
      id,
      { type: 'ReportActivity', reportId: randomUUID(), ...dto },
      a,
      q,
      r,
      dto,
    );
  }

  @Post(':id/fundings')
  grantFunding(
    @Param('id', orgId) id: string,
    @Body() dto: FundingDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    const funder = { name: dto.funder.name, level: dto.funder.level, code: dto.funder.code };
    return this.change(
      id,
      { type: 'GrantFunding', grantId: randomUUID(), ...dto, funder },
      a,
      q,
      r,
      dto,
    );
  }

  @Post(':id/reclassifications')
  reclassify(
    @Param('id', orgId) id: string,
    @Body() dto: ReclassifyDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'Reclassify', ...dto }, a, q, r, dto);
  }

  @Post(':id/evaluations')
  evaluate(
    @Param('id', orgId) id: string,
    @Body() dto: EvaluationDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'RecordEvaluation', ...dto }, a, q, r, dto);
  }

  @Post(':id/correction-notices')
  issueNotice(
    @Param('id', orgId) id: string,
    @Body() dto: CorrectionNoticeDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(
      id,
      { type: 'IssueCorrectionNotice', noticeId: randomUUID(), ...dto },
      a,
      q,
      r,
      dto,
    );
  }

  @Post(':id/correction-notices/:noticeId/resolution')
  resolveNotice(
    @Param('id', orgId) id: string,
    @Param('noticeId', new UuidParamPipe('noticeId')) noticeId: string,
    @Body() dto: CorrectionResolutionDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'ResolveCorrectionNotice', noticeId, ...dto }, a, q, r, dto);
  }

  @Put(':id/party-organization')
  @HttpCode(200)
  changeParty(
    @Param('id', orgId) id: string,
    @Body() dto: PartyOrganizationDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'ChangePartyOrganization', ...dto }, a, q, r, dto, 200);
  }

  @Put(':id/contact')
  @HttpCode(200)
  updateContact(
    @Param('id', orgId) id: string,
    @Body() dto: ContactDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    const contact = { name: dto.name, phone: dto.phone };
    return this.change(id, { type: 'UpdateContact', contact }, a, q, r, dto, 200);
  }

  @Delete(':id/personal-data')
  @HttpCode(200)
  erase(
    @Param('id', orgId) id: string,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'ErasePersonalData' }, a, q, r, {}, 200);
  }

  @Post(':id/dissolution')
  dissolve(
    @Param('id', orgId) id: string,
    @Body() dto: DissolutionDto,
    @CurrentActor() a: Actor,
    @Req() q: FastifyRequest,
    @Res({ passthrough: true }) r: FastifyReply,
  ) {
    return this.change(id, { type: 'Dissolve', ...dto }, a, q, r, dto);
  }

  private async change(
    id: string,
    payload: ChangePayload,
    actor: Actor,
    request: FastifyRequest,
    reply: FastifyReply,
    body: object,
    status = 201,
  ): Promise<WriteAnswer> {
    const command = new ChangeOrganizationCommand(
      id,
      payload,
      commandContext(request, actor, body),
      expectedRevision(request),
    );
    return respond(reply, await this.commandBus.execute(command), status);
  }
}

export type WriteAnswer = Omit<CommandAnswer, 'written' | 'replayed'>;

/** A retry with the same Idempotency-Key gets the first answer again, flagged in a header. */
function respond(reply: FastifyReply, answer: CommandAnswer, status: number): WriteAnswer {
  const { written, replayed, ...body } = answer;
  // A command that changed nothing (already so) answers 200 with the current revision.
  void reply.status(written ? status : 200).header('etag', etag(answer.revision));
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return body;
}
