import { upcaster, type UpcastStep } from '../../event-sourcing/upcasting.js';
import { EVENT_SCHEMA_VERSIONS, type OrganizationEventType } from './organization.events.js';

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
