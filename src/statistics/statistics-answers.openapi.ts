import type { SchemaObject } from '@nestjs/swagger';
import {
  CATEGORIES,
  PARTY_ORGANIZATION_STATUSES,
  TIERS,
} from '../organizations/domain/organization.types.js';

/** The answers of GET /statistics/overview and /statistics/targets, for the OpenAPI document. */

export const integer = (description?: string): SchemaObject => ({
  type: 'integer',
  minimum: 0,
  ...(description !== undefined && { description }),
});
export const object = (
  properties: Record<string, SchemaObject>,
  description?: string,
): SchemaObject => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
  ...(description !== undefined && { description }),
});
export const counts = (keys: readonly string[], description?: string): SchemaObject =>
  object(Object.fromEntries(keys.map((k) => [k, integer()])), description);

export const PLACE = object({
  code: { type: 'string' },
  name: { type: 'string' },
  level: { type: 'string', enum: ['city', 'district', 'street', 'community'] },
});

const SHARE = (description: string): SchemaObject =>
  object(
    {
      count: integer(),
      share: {
        type: 'number',
        minimum: 0,
        maximum: 1,
        description: 'count ÷ total, rounded to three decimals; 0 when there are none.',
      },
    },
    description,
  );

export const OVERVIEW_ANSWER: SchemaObject = object(
  {
    place: PLACE,
    total: integer('Active organizations of the place.'),
    byCategoryAndTier: object(
      Object.fromEntries(CATEGORIES.map((c) => [c, counts(TIERS)])),
      'Active organizations by category × tier.',
    ),
    byCategory: counts(CATEGORIES),
    byTier: counts(TIERS),
    partyOrganization: counts(
      PARTY_ORGANIZATION_STATUSES,
      'Active organizations by party organization status.',
    ),
    partyCoverage: object(
      {
        organizational: SHARE('组织覆盖: an own or a joint branch.'),
        work: SHARE(
          '工作覆盖: an own or a joint branch, a liaison or an instructor (includes the organizational).',
        ),
      },
      'Party coverage over the active organizations of the place.',
    ),
    inSpecialUnits: integer('Of the total, those in development zones, farms and parks.'),
  },
  'Active organizations of the city or of one district, street or community.',
);

const FIGURES = object(
  {
    communities: integer('Real communities of the kind (placeholders never count).'),
    organizations: integer('Active organizations based in those communities (every tier).'),
    average: {
      type: 'number',
      minimum: 0,
      description:
        'organizations ÷ communities, rounded to three decimals; 0 when the place has no real community of the kind (no target average).',
    },
    target: integer('12 per urban, 7 per rural community (configurable).'),
    met: { type: 'boolean' },
    belowTarget: integer('Communities of the kind below the target.'),
  },
  'The 12 / 7 target for one kind of community.',
);

const BELOW = object({
  code: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string', enum: ['urban', 'rural'] },
  streetCode: { type: 'string' },
  streetName: { type: 'string' },
  districtCode: { type: 'string' },
  districtName: { type: 'string' },
  organizations: integer(),
  target: integer(),
  shortfall: integer(),
});

export const TARGETS_ANSWER: SchemaObject = object(
  {
    place: PLACE,
    urban: FIGURES,
    rural: FIGURES,
    notAttributed: integer(
      'Active organizations of the place based in no community (registered before the base community was recorded): in the place totals, in no average.',
    ),
    unitsWithoutCommunities: {
      type: 'array',
      description:
        'Special units (zones, farms, parks) of the place whose only community is a placeholder: no target average; their organizations are based at the unit itself.',
      items: object({
        code: { type: 'string' },
        name: { type: 'string' },
        districtCode: { type: 'string' },
        districtName: { type: 'string' },
        organizations: integer('Active organizations based at the unit.'),
      }),
    },
    children: {
      type: 'array',
      description: 'The same figures for each place one level down that has real communities.',
      items: object({
        code: { type: 'string' },
        name: { type: 'string' },
        urban: FIGURES,
        rural: FIGURES,
      }),
    },
    belowTarget: object(
      {
        items: { type: 'array', items: BELOW },
        total: integer(),
        page: integer(),
        pageSize: integer(),
      },
      'Real communities below their target, furthest first, then by code; never a placeholder.',
    ),
  },
  'The 12 / 7 targets (DOMAIN §2): a place’s average is the active organizations based in its real communities divided by their number; the 13 placeholder communities (虚拟社区, 虚拟生活区) count in no denominator and no list.',
);
