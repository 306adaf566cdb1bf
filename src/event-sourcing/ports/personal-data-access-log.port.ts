/** The personal data a read showed (DOMAIN §7): the contact, resident founders' names. */
export const PERSONAL_DATA_FIELDS = ['contact', 'founders'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

/** One read of personal data: who, when, which organization, by which route, what was shown. */
export interface PersonalDataAccess {
  /** The recorded instant, ISO 8601 in UTC (`toISOString()`), from the injected clock. */
  readonly at: string;
  /** The token's subject. */
  readonly actorId: string;
  readonly role: string;
  readonly jurisdiction: string;
  readonly organizationId: string;
  /** Method and route pattern, e.g. `GET /organizations/:id`. */
  readonly route: string;
  /** What was shown, never empty. */
  readonly fields: readonly PersonalDataField[];
  /** The request's `X-Correlation-Id`, when it sent a well-formed one. */
  readonly correlationId?: string;
}

/** A recorded access, with the id the log gave it. */
export interface RecordedAccess extends PersonalDataAccess {
  /** 24 lowercase hex digits, increasing in the order records were appended (per replica). */
  readonly id: string;
}

export interface AccessQuery {
  readonly organizationId?: string;
  /** Accesses at or after this instant (ISO 8601 UTC). */
  readonly from?: string;
  /** Accesses at or before this instant (ISO 8601 UTC). */
  readonly to?: string;
  /** The `next` cursor of the page before. */
  readonly after?: string;
  /** At most this many (the adapter caps it). */
  readonly limit: number;
}

export interface AccessPage {
  /** In the order (at, id). */
  readonly items: readonly RecordedAccess[];
  /** Where the next page starts, or null when this one was the last. */
  readonly next: string | null;
}

/** The most one page of the log holds, whatever is asked. */
export const MAX_ACCESS_PAGE = 1000;

/**
 * The append-only record of every read of personal data (DOMAIN §7, issue #16 item 6), kept
 * beside the personal-data vault. There is deliberately no way to change or remove a record.
 */
export interface PersonalDataAccessLog {
  /** Resolves once the record is durable: only then may the data be shown. */
  append(access: PersonalDataAccess): Promise<RecordedAccess>;
  /** One page in the order (at, id); pass `next` back as `after` for the following page. */
  query(query: AccessQuery): Promise<AccessPage>;
  /**
   * A cheap round trip to where the data lives (the server, or the file), for /health: resolves
   * once it answered, rejects as the other operations do.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const PERSONAL_DATA_ACCESS_LOG = Symbol('PersonalDataAccessLog');

/** A cursor the log did not hand out. */
export class AccessCursorError extends Error {
  constructor() {
    super('after is not a cursor this log handed out');
    this.name = 'AccessCursorError';
  }
}

/**
 * A cursor: the record's time in epoch milliseconds and its id (24 hex digits, in every
 * adapter), e.g. `1768442400000.0000000000000000000000a3`. Every string of this shape is a
 * cursor (the records after that point), so a schema can state exactly what is accepted.
 */
export const ACCESS_CURSOR = /^[0-9]{1,13}\.[0-9a-f]{24}$/;

/** The cursor after a record, the same for every adapter. */
export function accessCursor(record: Pick<RecordedAccess, 'at' | 'id'>): string {
  return `${String(Date.parse(record.at))}.${record.id}`;
}

export function parseAccessCursor(cursor: string): { at: string; id: string } {
  if (!ACCESS_CURSOR.test(cursor)) throw new AccessCursorError();
  const [ms = '', id = ''] = cursor.split('.');
  return { at: new Date(Number(ms)).toISOString(), id };
}

/** The page size an adapter uses for a requested limit. */
export const pageSize = (limit: number): number =>
  Math.max(1, Math.min(MAX_ACCESS_PAGE, Math.floor(limit)));
