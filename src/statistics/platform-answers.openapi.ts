import type { SchemaObject } from '@nestjs/swagger';
import { SUPPORT_ROLES } from '../organizations/domain/organization.types.js';
import { PLACE, counts, integer, object } from './statistics-answers.openapi.js';

/** The answers of GET /statistics/platforms and /statistics/incubation, for the OpenAPI document. */

const ROLES: SchemaObject = { type: 'string', enum: [...SUPPORT_ROLES] };

const FIGURES = {
  streets: integer('Streets and towns (街镇) of the place; special units are left out.'),
  covered: counts(SUPPORT_ROLES, 'Of them, how many have at least one platform of each kind.'),
  complete: integer('Of them, how many have all four kinds.'),
};

export const PLATFORMS_ANSWER: SchemaObject = object(
  {
    place: PLACE,
    roles: { type: 'array', items: ROLES },
    summary: object(FIGURES),
    districts: {
      type: 'array',
      items: object({ code: { type: 'string' }, name: { type: 'string' }, ...FIGURES }),
    },
    streets: {
      type: 'array',
      items: object({
        code: { type: 'string' },
        name: { type: 'string' },
        districtCode: { type: 'string' },
        districtName: { type: 'string' },
        platforms: counts(
          SUPPORT_ROLES,
          'Active organizations serving the street in each role (联合会, 服务中心, 孵化基地, 社工站).',
        ),
        missing: {
          type: 'array',
          items: ROLES,
          description: 'The kinds the street has no platform of.',
        },
      }),
    },
  },
  'Support-platform coverage (联合支持平台) of every street and town of the city or of one district.',
);

const YEAR_FIGURES = {
  incubated: integer('Organizations that entered the base (by the year entered).'),
  graduated: integer('Organizations that graduated from it (by the year graduated).'),
};

export const INCUBATION_ANSWER: SchemaObject = object(
  {
    district: { type: 'string', nullable: true },
    year: { type: 'string', nullable: true },
    bases: {
      type: 'array',
      items: object({
        baseId: { type: 'string', format: 'uuid', description: 'The base: GET /registry/{id}.' },
        ...YEAR_FIGURES,
        years: { type: 'array', items: object({ year: { type: 'string' }, ...YEAR_FIGURES }) },
      }),
    },
  },
  'Incubation (孵化) per base of the city or of one district, and per year.',
);
