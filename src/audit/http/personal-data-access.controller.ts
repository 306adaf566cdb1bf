import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { mapAsync } from '../../http/map-async.js';
import { ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { CITY_CODE } from '../../divisions/divisions.js';
import { DomainError } from '../../event-sourcing/domain-error.js';
import {
  AccessCursorError,
  MAX_ACCESS_PAGE,
  PERSONAL_DATA_ACCESS_LOG,
  type AccessPage,
  type AccessQuery,
  type PersonalDataAccessLog,
} from '../../event-sourcing/ports/personal-data-access-log.port.js';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { csvExport } from '../../http/csv-export.js';
import { ValidationProblem } from '../../http/problem.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import { accessQuery, allAccesses } from '../personal-data-access.js';
import { PersonalDataAccessQueryDto } from './audit-query.dto.js';
import { ACCESS_CSV_COLUMNS, accessCsvRow } from './personal-data-access-csv.js';

const ACCESS_ITEM = {
  type: 'object',
  required: ['id', 'at', 'actorId', 'role', 'jurisdiction', 'organizationId', 'route', 'fields'],
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    actorId: { type: 'string', description: "the token's subject" },
    role: { type: 'string' },
    jurisdiction: { type: 'string' },
    organizationId: { type: 'string', format: 'uuid' },
    route: { type: 'string', example: 'GET /organizations/:id' },
    fields: { type: 'array', items: { type: 'string', enum: ['contact', 'founders'] } },
    correlationId: { type: 'string' },
  },
};

/** The record of reads of personal data (DOMAIN §7), for the city's auditors only. */
@Controller('audit')
export class PersonalDataAccessController {
  constructor(@Inject(PERSONAL_DATA_ACCESS_LOG) private readonly log: PersonalDataAccessLog) {}

  @Get('personal-data-access')
  @ApiOkResponse({
    description:
      'Every read that showed personal data: who (actorId, role, jurisdiction), when (at), which ' +
      'organization, by which route, what was shown. `from`/`to` are Shanghai days, both ' +
      'included. JSON: one page `{ items, next }` (pass `next` as `after`); with ' +
      '`format=jsonl` / `format=csv` every matching record from `after` on, streamed. City ' +
      'auditors (role auditor, jurisdiction 310000) only.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['items', 'next'],
          properties: {
            items: { type: 'array', items: ACCESS_ITEM },
            next: { type: 'string', nullable: true },
          },
        },
      },
      'application/x-ndjson': { schema: { type: 'string' } },
      'text/csv': { schema: { type: 'string' } },
    },
  })
  async list(
    @Query() q: PersonalDataAccessQueryDto,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (actor.role !== 'auditor' || actor.jurisdiction !== CITY_CODE)
      throw new DomainError(
        'forbidden',
        'city-auditor-only',
        'Only the city auditors read the personal-data access log',
      );
    if (q.from !== undefined && q.to !== undefined && q.from > q.to)
      throw new ValidationProblem([{ field: 'query:to', message: 'to must not be before from' }]);
    const query = accessQuery(q);
    if (q.format === 'json') {
      const page = await this.page({ ...query, limit: q.limit });
      await reply.header('content-type', 'application/json; charset=utf-8').send(page);
      return;
    }
    // The first page is read before answering, so a bad cursor or a store failure is a
    // problem answer rather than a cut-off file.
    const first = await this.page({ ...query, limit: MAX_ACCESS_PAGE });
    const records = allAccesses(this.log, query, first);
    const name = `personal-data-access.${q.format}`;
    if (q.format === 'csv') {
      const csv = csvExport(ACCESS_CSV_COLUMNS);
      Readable.from(mapAsync(records, accessCsvRow)).pipe(csv);
      await reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(csv);
      return;
    }
    await reply
      .header('content-type', 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(mapAsync(records, (r) => `${JSON.stringify(r)}\n`)));
  }

  private async page(query: AccessQuery): Promise<AccessPage> {
    try {
      return await this.log.query(query);
    } catch (error) {
      if (error instanceof AccessCursorError)
        throw new ValidationProblem([{ field: 'query:after', message: error.message }]);
      throw error;
    }
  }
}
