import { Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Divisions } from '../divisions/divisions.js';
import { placeOf, type Place } from '../divisions/places.js';
import { forbid } from '../event-sourcing/domain-error.js';
import { CurrentActor } from '../http/auth/auth.decorators.js';
import { ValidationProblem } from '../http/problem.js';
import type { Actor } from '../organizations/domain/organization.types.js';
import { YearEndReturns } from './year-end-figures.js';
import { yearEndWorkbook } from './year-end-workbook.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const YEAR = /^[0-9]{4}$/;

/** Statistical returns filed by the city and the districts (issue #19). */
@Controller('returns')
export class ReturnsController {
  constructor(
    @Inject(YearEndReturns) private readonly returns: YearEndReturns,
    @Inject(Divisions) private readonly divisions: Divisions,
  ) {}

  @Get(':year.xlsx')
  @ApiParam({
    name: 'year',
    type: 'string',
    schema: { type: 'string', pattern: YEAR.source },
    description: 'A year up to the current one (the current one: its figures so far).',
  })
  @ApiOkResponse({
    description:
      "The year-end return (年末分类统计) of the caller's place (a district, or the city) and of " +
      'each place one level down, as of 31 December of the year: one sheet per section ' +
      '(organizations by category × tier, registrations, promotions and dissolutions during the ' +
      'year, the 12 / 7 targets, party coverage, funding by channel, communities below target). ' +
      'Layout: docs/read-models.md.',
    content: { [XLSX]: { schema: { type: 'string', format: 'binary' } } },
  })
  async yearEnd(
    @Param('year') year: string,
    @CurrentActor() actor: Actor,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const place = this.placeOf(actor);
    if (!YEAR.test(year))
      throw new ValidationProblem([{ field: 'path:year', message: 'year must be YYYY' }]);
    this.returns.check(year);
    const file = await yearEndWorkbook(await this.returns.figures(place, year));
    await reply
      .header('content-type', XLSX)
      .header('content-disposition', `attachment; filename="return-${place.code}-${year}.xlsx"`)
      .send(file);
  }

  /** The place a return is filed for: the caller's district, or the city. */
  private placeOf(actor: Actor): Place {
    if (actor.role === 'city') return placeOf(this.divisions, {});
    if (actor.role === 'district') return placeOf(this.divisions, { district: actor.jurisdiction });
    throw forbid('return-role', 'Year-end returns are filed by the city and the districts');
  }
}
