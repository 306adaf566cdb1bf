import { ReadConcern, type WriteConcernSettings } from 'mongodb';

/**
 * Where this application reads, whatever MONGODB_URL says: the primary. A secondary lags. The
 * projection runner, folding events into documents read there, would write a stale result whose
 * newer `_position` lets it overwrite newer data for good; a page read after a write
 * (read-your-writes) would miss it; a vault key erased on another replica could still be read.
 */
export const PINNED_READ_PREFERENCE = 'primary';

/**
 * What the read store's reads see, whatever MONGODB_URL says: what a majority acknowledged. With
 * the default (`local`) the primary answers writes a failover may still roll back; the runner
 * would fold on top of such a document and then keep its result (newer `_position`) after the
 * rollback. Every write here waits for a majority anyway, so this hides no write of our own.
 */
export const PINNED_READ_CONCERN = new ReadConcern('majority');

/**
 * How the read store's writes are acknowledged, whatever MONGODB_URL says: by a majority. A write
 * only the primary holds is rolled back by a failover after the runner has moved on. Bounded by
 * `timeoutMs` (wtimeout) so that a lost majority fails the write instead of hanging it; the
 * runner then retries, and its writes are idempotent.
 */
export function pinnedWriteConcern(timeoutMs?: number): WriteConcernSettings {
  return { w: 'majority', ...(timeoutMs === undefined ? {} : { wtimeoutMS: timeoutMs }) };
}
