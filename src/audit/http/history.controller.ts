import { csvExport } from '../../http/csv-export.js';
import { mapAsync } from '../../http/map-async.js';
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { fold } from '../../event-sourcing/decider.js';
import { DomainError } from '../../event-sourcing/domain-error.js';
import { Divisions } from '../../divisions/divisions.js';
import { organizationView } from '../../organizations/http/organization.view.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import { evolveOrganization } from '../../organizations/domain/organization.evolve.js';
import type { OrganizationEvent } from '../../organizations/domain/organization.events.js';
import { organizationStream, OrganizationWriter } from '../../organizations/organization-writer.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import { mayRead, withinJurisdiction } from '../../organizations/domain/rules/authority.js';
import type { Organization } from '../../organizations/domain/organization.state.js';
import { openPersonalData, shownFields } from '../../organizations/organization-reader.js';
import { accessRoute, PersonalDataAccessRecorder } from '../../personal-data/access-recorder.js';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from '../../event-sourcing/ports/personal-data-vault.port.js';
import {
  EVENT_STORE,
  positionToJson,
  type EventStore,
  type RecordedEvent,
} from '../../event-sourcing/ports/event-store.port.js';
import { ValidationProblem } from '../../http/problem.js';
import { AuditService, type HistoryEntry } from '../audit.service.js';
import { eventsUntil, type PointInTime } from '../time-travel.js';
import { HistoryQueryDto, StateQueryDto } from './audit-query.dto.js';
import { HISTORY_CSV_COLUMNS, historyCsvRow } from './history-csv.js';

/** An organization's full history and its state at a point in time, for auditors and its managing levels. */
@Controller('organizations')
export class HistoryController {
  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(OrganizationWriter) private readonly writer: OrganizationWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(Divisions) private readonly divisions: Divisions,
    @Inject(PERSONAL_DATA_VAULT) private readonly vault: PersonalDataVault,
    @Inject(PersonalDataAccessRecorder) private readonly accesses: PersonalDataAccessRecorder,
  ) {}

  /** Streamed in every format, so a long history is never held in memory. */
  @Get(':id/history')
  @ApiOkResponse({
    description:
      "Every event in order (revision, position, type, data, metadata, hash, prevHash): a JSON array, or with `format=jsonl` / `format=csv` an export file. The data is as stored: the contact and resident founders' names sealed (`contact`, `founders[].sealedName`: key version and ciphertext), unreadable once erased.",
    content: {
      'application/json': { schema: { type: 'array', items: { type: 'object' } } },
      'application/x-ndjson': { schema: { type: 'string' } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async history(
    @Param('id', new UuidParamPipe('id')) id: string,
    @Query() q: HistoryQueryDto,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.authorize(id, actor);
    const entries = this.audit.history(organizationStream(id));
    if (q.format === 'csv') {
      const csv = csvExport(HISTORY_CSV_COLUMNS);
      Readable.from(mapAsync(entries, historyCsvRow)).pipe(csv);
      await reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="organization-${id}-history.csv"`)
        .send(csv);
      return;
    }
    if (q.format === 'jsonl') {
      await reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="organization-${id}-history.jsonl"`)
        .send(Readable.from(mapAsync(entries, (e) => `${JSON.stringify(e)}\n`)));
      return;
    }
    await reply
      .header('content-type', 'application/json; charset=utf-8')
      .send(Readable.from(jsonArray(entries)));
  }

  /** The state as it was: folded up to a revision, or up to the end of a day by recorded time. */
  @Get(':id/state')
  @ApiOkResponse({
    description:
      'The state as it was (asOf: recorded by the end of that Shanghai day; or at a revision), ' +
      "shaped as GET /organizations/{id} without the contact: resident founders' names to the " +
      'levels the organization belongs to now (each such read recorded in the personal-data ' +
      'access log first; if it cannot be, 507/503 and nothing is shown), `nameErased: true` ' +
      'once erased since.',
    schema: { type: 'object' },
  })
  async state(
    @Param('id', new UuidParamPipe('id')) id: string,
    @Query() q: StateQueryDto,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    if ((q.asOf === undefined) === (q.revision === undefined)) {
      throw new ValidationProblem([
        { field: 'query:asOf', message: 'give exactly one of asOf=YYYY-MM-DD or revision=N' },
      ]);
    }
    const current = await this.authorize(id, actor);
    const events: RecordedEvent[] = [];
    for await (const event of this.store.readStream(organizationStream(id))) events.push(event);
    const point: PointInTime =
      q.asOf !== undefined ? { asOf: q.asOf } : { revision: q.revision ?? 0 };
    const upTo = eventsUntil(events, point);
    const state = fold(evolveOrganization, null, upTo as unknown as OrganizationEvent[]);
    const last = upTo.at(-1);
    if (state === null || !last) {
      throw new DomainError(
        'not-found',
        'organization-not-yet',
        'The organization did not exist at that point',
      );
    }
    if ('revision' in point && point.revision > last.revision) {
      throw new DomainError(
        'not-found',
        'revision-unknown',
        `The organization has no revision ${point.revision}`,
      );
    }
    // Resident founders' names as they were, to the levels the organization belongs to now (never
    // auditors), erased if its personal data has been erased since; the contact is not shown.
    const personal = withinJurisdiction(actor, current)
      ? await openPersonalData(this.vault, state, {
          contact: false,
          erasedSince: events.some((e) => e.type === 'PersonalDataErased'),
        })
      : {};
    // Recorded (durably) before a name is shown; if it cannot be, the read fails (507/503).
    await this.accesses.record({
      actor,
      organizationId: id,
      fields: shownFields(personal),
      ...accessRoute(request),
    });
    return {
      ...organizationView(state, this.divisions, last.revision, personal),
      asOf: {
        ...point,
        position: positionToJson(last.position),
        recordedAt: last.metadata['recordedAt'],
      },
    };
  }

  /** The organization's current state, once the actor may read it. */
  private async authorize(id: string, actor: Actor): Promise<Organization> {
    const { state } = await this.writer.load(id);
    if (state === null)
      throw new DomainError('not-found', 'organization-unknown', `No organization ${id}`);
    if (!mayRead(actor, state)) {
      throw new DomainError(
        'forbidden',
        'history-authority',
        "Only the city's auditors, its district's auditors and the levels this organization is in may read its history",
      );
    }
    return state;
  }
}

async function* jsonArray(entries: AsyncIterable<HistoryEntry>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const entry of entries) {
    yield (first ? '' : ',') + JSON.stringify(entry);
    first = false;
  }
  yield ']';
}
