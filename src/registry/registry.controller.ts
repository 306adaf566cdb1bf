import { csvExport } from '../http/csv-export.js';
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Public } from '../http/auth/auth.decorators.js';
import { ConcurrencyLimit } from '../http/concurrency-limit.js';
import { DomainError } from '../event-sourcing/domain-error.js';
import { Divisions } from '../divisions/divisions.js';
import { UuidParamPipe } from '../http/uuid-param.pipe.js';
import { ReadYourWritesDto } from '../http/read-query.dto.js';
import { RegistryExportDto, RegistryQueryDto } from './registry-query.dto.js';
import type { Page } from '../event-sourcing/projection/paging.js';
import { REGISTRY, RegistryQueries } from './registry.queries.js';
import { csvRecord, registryCsvColumns } from './registry-csv.js';
import { ReadYourWrites, resolvePlace } from '../http/read-guards.js';
import { CLOCK, shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import { disclosedOn } from './disclosed-entry.js';

/** The public disclosure registry (信息公开). */
@Controller()
@Public()
export class RegistryController {
  /** A city-wide export reads every entry; a few streams at once keep the replica responsive. */
  private readonly exports = new ConcurrencyLimit('registry exports', 4, 5);

  constructor(
    @Inject(RegistryQueries) private readonly registry: RegistryQueries,
    @Inject(ReadYourWrites) private readonly freshness: ReadYourWrites,
    @Inject(Divisions) private readonly divisions: Divisions,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The query's date: a formal grade is shown while valid on it (Shanghai's calendar). */
  private today(): string {
    return shanghaiDate(this.clock.now());
  }

  @Get('registry')
  @ApiOkResponse({
    description:
      'Public entries in name order. Business dates: foundedOn (成立日期); registeredOn ' +
      '(登记日期, while registered: the registration date, or the promotion date); filedOn ' +
      "(备案日期, a team's filing in force); recordedOn (记录日期, a group); tierSince " +
      '(现层级起始日期, the date the current tier began); null where one does not apply. ' +
      'activityScope (活动范围): community, street or district. Oversight: annualReport ' +
      '`{ year, onTime }` (the latest year reported) or null; grade `{ grade, validUntil }` ' +
      '(等级评估 1A–5A) while valid on the day of the query, else null; abnormal ' +
      '`{ listedOn, reason }` while on the abnormal-activity list (活动异常名录), else null.',
    schema: { type: 'object' },
  })
  async list(@Query() q: RegistryQueryDto): Promise<Page<Record<string, unknown>>> {
    resolvePlace(this.divisions, q);
    await this.freshness.wait(REGISTRY, q.minPosition);
    const page = await this.registry.list(q, { page: q.page, pageSize: q.pageSize });
    const today = this.today();
    return { ...page, items: page.items.map((entry) => disclosedOn(entry, today)) };
  }

  /** UTF-8 with a byte-order mark and CRLF line ends, so Excel opens the Chinese text correctly. */
  @Get('registry.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'Every matching entry, one CSV row each, Chinese headers; the date columns 成立日期, ' +
      '登记日期, 备案日期, 记录日期, 现层级起始日期 are empty where they do not apply; 活动范围; ' +
      'the latest annual report (年报年度, 年报是否按时), the formal grade while valid on the day ' +
      'of the export (评估等级, 等级有效期至) and the abnormal-activity listing (列入异常名录日期, ' +
      '列入异常名录原因).',
    schema: { type: 'string' },
  })
  async csv(@Query() q: RegistryExportDto, @Res() reply: FastifyReply): Promise<void> {
    resolvePlace(this.divisions, q);
    await this.freshness.wait(REGISTRY, q.minPosition);
    const release = this.exports.acquire();
    // Held until the last byte is sent or the client goes away.
    reply.raw.once('close', release);
    const csv = csvExport(registryCsvColumns);
    Readable.from(csvRecords(this.registry.each(q), this.today())).pipe(csv);
    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="registry.csv"')
      .send(csv);
  }

  @Get('registry/:id')
  async one(
    @Param('id', new UuidParamPipe('id')) id: string,
    @Query() q: ReadYourWritesDto,
  ): Promise<Record<string, unknown>> {
    await this.freshness.wait(REGISTRY, q.minPosition);
    const entry = await this.registry.one(id);
    if (!entry)
      throw new DomainError(
        'not-found',
        'organization-unknown',
        `No organization ${id} in the registry`,
      );
    return disclosedOn(entry, this.today());
  }
}

async function* csvRecords(
  entries: AsyncIterable<Record<string, unknown>>,
  today: string,
): AsyncGenerator<Record<string, unknown>> {
  for await (const entry of entries) yield csvRecord(entry, today);
}
