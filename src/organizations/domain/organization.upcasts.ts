import { upcaster, type UpcastStep } from '../../event-sourcing/upcasting.js';
import { EVENT_SCHEMA_VERSIONS, type OrganizationEventType } from './organization.events.js';
import { DEFAULT_ACTIVITY_SCOPE, TIERS, type Tier } from './organization.types.js';

/**
 * OrganizationRegistered v1 → v2. v1's `registeredOn` was the Shanghai date the record was
 * entered, for every tier: a registered organization keeps it as its registration date (the
 * recorded date is the fallback for a missing registration date), a group's becomes its
 * `recordedOn`, a team's is dropped (its date is its OrganizationFiled's `filedOn`). The activity
 * scope, new in v2, is the tier's default.
 */
const registeredV1ToV2: UpcastStep = (data) => {
  const { registeredOn, ...rest } = data;
  const tier = (TIERS as readonly unknown[]).includes(rest['tier'])
    ? (rest['tier'] as Tier)
    : undefined;
  return {
    ...rest,
    ...(tier === 'registered' && registeredOn !== undefined && { registeredOn }),
    ...(tier === 'group' && registeredOn !== undefined && { recordedOn: registeredOn }),
    activityScope: rest['activityScope'] ?? (tier ? DEFAULT_ACTIVITY_SCOPE[tier] : 'community'),
  };
};

/**
 * OrganizationRegistered v2 → v3. v3 seals a resident founder's name with the organization's key
 * (`sealedName`); v1 and v2 stored it in plaintext, and stored events are never rewritten, so a
 * lifted resident keeps it as `plaintextName`: marked as a name the log holds in plaintext, which
 * an erasure hides from every read but cannot remove from the log. A unit's name stays `name`.
 */
const registeredV2ToV3: UpcastStep = (data) => {
  const founders = data['founders'];
  if (!Array.isArray(founders)) return { ...data };
  return {
    ...data,
    founders: founders.map((founder: unknown) => {
      const f = founder as { readonly kind?: unknown; readonly name?: unknown };
      if (f.kind !== 'resident' || typeof f.name !== 'string') return founder;
      return { kind: 'resident', plaintextName: f.name };
    }),
  };
};

const V1_GRADES: Readonly<Record<string, string>> = {
  A: 'excellent',
  B: 'good',
  C: 'pass',
  D: 'fail',
};

/**
 * `UPCASTS[type][n]` lifts the data of version n of an event type to version n + 1 (DOMAIN §4:
 * events are never rewritten). Every version below EVENT_SCHEMA_VERSIONS needs its step; the
 * upcaster refuses to start otherwise.
 */
const UPCASTS: Partial<Record<OrganizationEventType, Readonly<Record<number, UpcastStep>>>> = {
  OrganizationRegistered: { 1: registeredV1ToV2, 2: registeredV2ToV3 },
  // v1 graded A–D; the community appraisal grades 优秀 / 良好 / 合格 / 不合格.
  EvaluationRecorded: {
    1: (data) => ({ ...data, grade: V1_GRADES[String(data['grade'])] ?? data['grade'] }),
  },
  // v1 told no kind apart: every dissolution was a voluntary deregistration (注销).
  OrganizationDissolved: {
    1: (data) => ({ ...data, kind: data['kind'] ?? 'deregistered' }),
  },
};

/** Lifts stored organization events of any version to the shapes of organization.events.ts. */
export const ORGANIZATION_UPCASTER = upcaster(EVENT_SCHEMA_VERSIONS, UPCASTS);
