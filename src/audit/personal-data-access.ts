import {
  MAX_ACCESS_PAGE,
  type AccessPage,
  type AccessQuery,
  type PersonalDataAccessLog,
  type RecordedAccess,
} from '../event-sourcing/ports/personal-data-access-log.port.js';

/** Which records to read: an organization, and Shanghai days `YYYY-MM-DD` (both included). */
export interface AccessFilter {
  readonly organization?: string;
  readonly from?: string;
  readonly to?: string;
  readonly after?: string;
}

/** The filter as the log's query: `from` at 00:00 and `to` at 23:59:59.999 in Shanghai (UTC+8). */
export function accessQuery(filter: AccessFilter): Omit<AccessQuery, 'limit'> {
  const instant = (date: string, time: string): string =>
    new Date(Date.parse(`${date}T${time}+08:00`)).toISOString();
  return {
    ...(filter.organization !== undefined && {
      organizationId: filter.organization.toLowerCase(),
    }),
    ...(filter.from !== undefined && { from: instant(filter.from, '00:00:00.000') }),
    ...(filter.to !== undefined && { to: instant(filter.to, '23:59:59.999') }),
    ...(filter.after !== undefined && { after: filter.after }),
  };
}

/**
 * Every record the query matches, one page in memory at a time; `first` is its first page when
 * the caller already read it (to answer a refusal before streaming).
 */
export async function* allAccesses(
  log: PersonalDataAccessLog,
  query: Omit<AccessQuery, 'limit'>,
  first?: AccessPage,
): AsyncGenerator<RecordedAccess> {
  let page = first ?? (await log.query({ ...query, limit: MAX_ACCESS_PAGE }));
  for (;;) {
    yield* page.items;
    if (page.next === null) return;
    page = await log.query({ ...query, after: page.next, limit: MAX_ACCESS_PAGE });
  }
}
