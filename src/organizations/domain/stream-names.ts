/**
 * The prefixes of every stream this application writes. An event store shared with other
 * applications (EventStoreDB) reads $all filtered on these, so nothing else reaches the
 * projections; a new kind of stream must add its prefix here.
 */
export const ORGANIZATION_STREAM_PREFIX = 'organization-';
export const CLAIM_STREAM_PREFIX = 'unique-';

export const APPLICATION_STREAM_PREFIXES: readonly string[] = [
  ORGANIZATION_STREAM_PREFIX,
  CLAIM_STREAM_PREFIX,
];
