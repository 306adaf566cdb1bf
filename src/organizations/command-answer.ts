import type { DomainEvent } from '../event-sourcing/event-envelope.js';
import type { OrganizationEvent } from './domain/organization.events.js';
import type { ActivityLevel } from './domain/organization.types.js';

/** What a write answers (API.md "Writes"), the same on a first try and on an idempotent retry. */
export interface CommandAnswer {
  readonly id: string;
  readonly revision: number;
  readonly position: number;
  /** False when the command changed nothing because it was already so. */
  readonly written: boolean;
  /** True when an earlier try with the same Idempotency-Key already wrote it. */
  readonly replayed: boolean;
  readonly reportId?: string;
  readonly level?: ActivityLevel;
  readonly grantId?: string;
  readonly noticeId?: string;
}

/** The answer for the events one command wrote (or none, when it changed nothing). */
export function answer(
  id: string,
  revision: number,
  position: number,
  events: readonly DomainEvent[],
  written: boolean,
): CommandAnswer {
  const extras: { reportId?: string; level?: ActivityLevel; grantId?: string; noticeId?: string } =
    {};
  for (const event of events as readonly OrganizationEvent[]) {
    if (event.type === 'ActivityReported')
      Object.assign(extras, { reportId: event.data.reportId, level: event.data.level });
    if (event.type === 'FundingGranted') extras.grantId = event.data.grantId;
    if (event.type === 'CorrectionNoticeIssued') extras.noticeId = event.data.noticeId;
  }
  return { id, revision, position, written, replayed: false, ...extras };
}
