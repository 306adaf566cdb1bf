import type { WriteConcernSettings } from 'mongodb';

/**
 * Where this application reads, whatever MONGODB_URL says: the primary. A secondary lags. The
 * projection runner, folding events into documents read there, would write a stale result whose
 * newer `_position` lets it overwrite newer data for good; a page read after a write
 * (read-your-writes) would miss it; a vault key erased on another replica could still be read.
 */
export const PINNED_READ_PREFERENCE = 'primary';

/**
 * How the read store's writes are acknowledged, whatever MONGODB_URL says: by a majority. A write
 * only the primary holds is rolled back by a failover after the runner has moved on. Bounded by
 * `timeoutMs` (wtimeout) so that a lost majority fails the write instead of hanging it; the
 * runner then retries, and its writes are idempotent.
 */
export function pinnedWriteConcern(timeoutMs?: number): WriteConcernSettings {
  return { w: 'majority', ...(timeoutMs === undefined ? {} : { wtimeoutMS: timeoutMs }) };
}
