/**
 * Fencing tokens for leases. A lease in the read store carries a generation that only grows:
 * taking it from another holder (expired, or released) increments it, a renewal by its holder
 * keeps it. A leased worker stamps its writes with the generation it holds; the store refuses
 * them once another replica took the lease over, so a replica that was paused past its lease
 * (a GC pause, SIGSTOP, a slow network) cannot write over the work of the one that replaced it.
 */

/** The lease generation a write is conditional on. */
export interface LeaseFence {
  readonly lease: string;
  readonly holder: string;
  readonly generation: number;
}

/**
 * A fenced write was refused: `fence.holder` no longer holds `fence.lease` under
 * `fence.generation` (another replica took it over, or it was released). Nothing of the unit
 * was applied (on MongoDB: see the adapter for what a write racing the takeover may still do).
 * A leased worker answers it by stepping down, not as a failure.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(readonly fence: LeaseFence) {
    super(
      `Lease ${fence.lease} is no longer held by ${fence.holder} under generation ` +
        `${String(fence.generation)}: another replica took it over`,
    );
  }
}

/** A lease holder's name: never empty (adapters mark a released lease by the absence of one). */
export function checkHolder(holder: string): string {
  if (typeof holder !== 'string' || holder.length === 0) {
    throw new TypeError('A lease holder must be a non-empty string');
  }
  return holder;
}
