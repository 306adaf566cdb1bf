import { Controller, Get, Inject, Query } from '@nestjs/common';
import { IsOptional, Matches } from 'class-validator';
import { Public } from '../../http/auth/auth.decorators.js';
import { ValidationProblem } from '../../http/problem.js';
import { CITY_CODE, Divisions } from '../divisions.js';

export class DivisionsQueryDto {
  @IsOptional()
  @Matches(/^(\d{6}|\d{9})$/, { message: 'parent must be a district (6) or street (9) code' })
  parent?: string;
}

export interface DivisionChild {
  readonly code: string;
  readonly name: string;
  /** street | town | township | special for streets, urban | rural for communities. */
  readonly kind?: string;
}

/**
 * Shanghai's divisions one level at a time: the districts of the city, the streets of a district,
 * the communities of a street. Public reference data, for place pickers such as the dashboard's.
 */
@Controller()
@Public()
export class DivisionsController {
  constructor(@Inject(Divisions) private readonly divisions: Divisions) {}

  @Get('divisions')
  children(@Query() q: DivisionsQueryDto): {
    parent: { code: string; name: string; level: 'city' | 'district' | 'street' };
    children: DivisionChild[];
  } {
    const { data } = this.divisions;
    if (q.parent === undefined) {
      return {
        parent: { code: CITY_CODE, name: '上海市', level: 'city' },
        children: data.districts.map(({ code, name }) => ({ code, name })),
      };
    }
    const district = this.divisions.district(q.parent);
    if (district) {
      return {
        parent: { code: district.code, name: district.name, level: 'district' },
        children: data.streets
          .filter((s) => s.district === district.code)
          .map(({ code, name, kind }) => ({ code, name, kind })),
      };
    }
    const street = this.divisions.street(q.parent);
    if (street) {
      return {
        parent: { code: street.code, name: street.name, level: 'street' },
        children: data.communities
          .filter((c) => c.street === street.code)
          .map(({ code, name, kind }) => ({ code, name, kind })),
      };
    }
    throw new ValidationProblem([
      { field: 'query:parent', message: `unknown division ${q.parent}` },
    ]);
  }
}
