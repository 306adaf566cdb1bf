import type { DomainEvent } from '../event-sourcing/event-envelope.js';
import { positionToJson, type Position } from '../event-sourcing/ports/event-store.port.js';
import type { OrganizationEvent, OrganizationEventType } from './domain/organization.events.js';
import { ACTIVITY_LEVELS } from './domain/organization.types.js';

type DataOf<T extends OrganizationEventType> = Extract<OrganizationEvent, { type: T }>['data'];

/** A field an event adds to the answer of the command that wrote it, and its OpenAPI schema. */
interface AnswerField<T extends OrganizationEventType, V> {
  readonly event: T;
  readonly read: (data: DataOf<T>) => V;
  readonly schema: { readonly [keyword: string]: unknown };
}

const field = <T extends OrganizationEventType, V>(
  event: T,
  read: (data: DataOf<T>) => V,
  schema: AnswerField<T, V>['schema'],
): AnswerField<T, V> => ({ event, read, schema });

/**
 * The answer's fields beyond id, revision and position. They are read from the written events,
 * so a retry with the same Idempotency-Key reads them back from the stream (the stream cache).
 */
export const ANSWER_FIELDS = {
  reportId: field('ActivityReported', (d) => d.reportId, {
    type: 'string',
    format: 'uuid',
    description: 'On activity reports.',
  }),
  level: field('ActivityReported', (d) => d.level, {
    type: 'string',
    enum: [...ACTIVITY_LEVELS],
    description: 'On activity reports: the derived activity level.',
  }),
  grantId: field('FundingGranted', (d) => d.grantId, {
    type: 'string',
    format: 'uuid',
    description: 'On fundings.',
  }),
  noticeId: field('CorrectionNoticeIssued', (d) => d.noticeId, {
    type: 'string',
    format: 'uuid',
    description: 'On correction notices, and on a spot check whose result is `rectify`.',
  }),
  checkId: field('SpotCheckRecorded', (d) => d.checkId, {
    type: 'string',
    format: 'uuid',
    description: 'On spot checks.',
  }),
  incubationId: field('IncubationEntered', (d) => d.incubationId, {
    type: 'string',
    format: 'uuid',
    description: 'On incubations: the id that ends it.',
  }),
};

type AnswerFields = {
  readonly [K in keyof typeof ANSWER_FIELDS]?: ReturnType<(typeof ANSWER_FIELDS)[K]['read']>;
};

/** What a write answers (API.md "Writes"), the same on a first try and on an idempotent retry. */
export interface CommandAnswer extends AnswerFields {
  readonly id: string;
  readonly revision: number;
  readonly position: number;
  /** False when the command changed nothing because it was already so. */
  readonly written: boolean;
  /** True when an earlier try with the same Idempotency-Key already wrote it. */
  readonly replayed: boolean;
}

const FIELDS = Object.entries(ANSWER_FIELDS) as [
  string,
  AnswerField<OrganizationEventType, unknown>,
][];

/** The answer for the events one command wrote (or none, when it changed nothing). */
export function answer(
  id: string,
  revision: number,
  position: Position,
  events: readonly DomainEvent[],
  written: boolean,
): CommandAnswer {
  const extras: Record<string, unknown> = {};
  for (const event of events as readonly OrganizationEvent[])
    for (const [name, { event: type, read }] of FIELDS)
      if (event.type === type) extras[name] = read(event.data);
  return {
    id,
    revision,
    position: positionToJson(position),
    written,
    replayed: false,
    ...extras,
  };
}
