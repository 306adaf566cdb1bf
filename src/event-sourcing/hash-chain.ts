import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The hash every stream's first event chains to. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEventInput {
  readonly type: string;
  readonly data: unknown;
  /** Metadata without `hash` (it includes `prevHash`). */
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly revision: number;
}

/**
 * sha256(prevHash ‖ canonical JSON of type, data, metadata and revision): altering, removing or
 * reordering any event of a stream changes every later hash.
 */
export function eventHash(prevHash: string, event: ChainedEventInput): string {
  const { hash: _ignored, ...metadata } = event.metadata;
  const body = canonicalJson({
    type: event.type,
    data: event.data,
    metadata,
    revision: event.revision,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}
