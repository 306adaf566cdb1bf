import type { BenchDataset } from '../dataset.js';
import type { Figure } from '../figure.js';

const GOAL_SECONDS = 15;

/**
 * The rebuild of every read model as a duration (issue 7: the city rebuilt in under 15 s),
 * derived from the rebuild-throughput figure of the same run: the dataset's events over its
 * rate, beside the raw read + JSON.parse of the same log over its rate. The goal is for the whole
 * city; run.ts adds this figure at city scale only.
 */
export function rebuildTime(rebuild: Figure, data: BenchDataset): Figure {
  const value = data.events / rebuild.value;
  const baselineValue = data.events / rebuild.baselineValue;
  return {
    name: `${data.scale} rebuilt, all read models (${data.events.toLocaleString('en')} events)`,
    value,
    unit: 's',
    baseline: 'raw better-sqlite3 read + JSON.parse of the same log',
    baselineValue,
    ratio: value / baselineValue,
    goal: `< ${String(GOAL_SECONDS)} s`,
    met: value < GOAL_SECONDS,
  };
}
