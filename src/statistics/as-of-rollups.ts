import {
  asOfCommunitiesMonthsRollup,
  asOfCommunitiesRollup,
  asOfPlaceRollup,
  asOfPlatformsRollup,
} from '../../projections/statistics-history.js';
import type { Counts } from './statistics.queries.js';

/** Reads one rollup document's counters by id. */
export type RollupReader = (id: string) => Promise<Counts>;

/**
 * The counters a rollup (`place:`, `communities:` or `platforms:`) held at the end of `month`,
 * summed from the dated deltas of the `asof-*` rollups up to that month: the same keys, so the
 * queries answer as of a month exactly as they answer today.
 */
export function asOfReader(read: RollupReader, month: string): RollupReader {
  return async (id) => {
    const [kind, code = ''] = id.split(':');
    switch (kind) {
      case 'place':
        return upTo(await read(asOfPlaceRollup(code)), month);
      case 'platforms':
        return upTo(await read(asOfPlatformsRollup(code)), month);
      case 'communities': {
        // The years before, by year; then the months of the year itself.
        const year = month.slice(0, 4);
        const byYear = upTo(await read(asOfCommunitiesRollup(code)), year, (y) => y < year);
        const months = upTo(await read(asOfCommunitiesMonthsRollup(code, year)), month);
        return add(byYear, months);
      }
      default:
        throw new Error(`No statistics as of a month for rollup ${id}`);
    }
  };
}

/** The sum of `period|key` deltas per key, over the periods at or before `last` (or `keep`). */
function upTo(
  deltas: Counts,
  last: string,
  keep: (period: string) => boolean = (period) => period <= last,
): Counts {
  const sums: Record<string, number> = {};
  for (const [dated, amount] of Object.entries(deltas)) {
    const bar = dated.indexOf('|');
    if (!keep(dated.slice(0, bar))) continue;
    const key = dated.slice(bar + 1);
    sums[key] = (sums[key] ?? 0) + amount;
  }
  return withoutZeros(sums);
}

function add(a: Counts, b: Counts): Counts {
  const sums: Record<string, number> = { ...a };
  for (const [key, amount] of Object.entries(b)) sums[key] = (sums[key] ?? 0) + amount;
  return withoutZeros(sums);
}

/** As a rollup keeps its counters: a counter back at zero is no counter. */
function withoutZeros(sums: Record<string, number>): Counts {
  return Object.fromEntries(Object.entries(sums).filter(([, amount]) => amount !== 0));
}
