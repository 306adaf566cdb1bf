import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createProjections } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import { rebuildAll } from '../../src/event-sourcing/projection/rebuild.js';
import { LOG_START } from '../../src/event-sourcing/ports/event-store.port.js';
import type { BenchOptions, Figure } from '../figure.js';

/**
 * Rebuilding every read model from position 0 (events per second through all projections),
 * beside the raw rate of reading and JSON-parsing the same log with better-sqlite3.
 */
export async function rebuildThroughput({ workDir, dataset }: BenchOptions): Promise<Figure> {
  const baselineValue = rawReadAndParse(join(dataset, 'events.sqlite'));
  const events = SqliteEventStore.open(join(dataset, 'events.sqlite'));
  const store = SqliteReadStore.open(join(workDir, 'read-models.sqlite'));
  const projections = createProjections(loadDivisions());
  const count = (await events.countBetween(LOG_START, await events.headPosition())) ?? 0;
  const start = process.hrtime.bigint();
  // What `npm run projections -- rebuild` runs: every read model in one pass, indexed, swapped in.
  await rebuildAll(events, store, projections, () => new Date());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await store.close();
  await events.close();
  const value = count / seconds;
  const ratio = value / baselineValue;
  return {
    name: `projection rebuild, all 4 read models (${count.toLocaleString('en')} events)`,
    value,
    unit: 'events/s',
    baseline: 'raw better-sqlite3 read + JSON.parse of the same log',
    baselineValue,
    ratio,
    goal: 'ratio >= 0.5',
    met: ratio >= 0.5,
  };
}

function rawReadAndParse(file: string): number {
  const db = new Database(file, { readonly: true });
  const rows = db.prepare<[], { data: string; metadata: string }>(
    'SELECT data, metadata FROM events ORDER BY position',
  );
  let count = 0;
  let bytes = 0;
  const start = process.hrtime.bigint();
  for (const row of rows.iterate()) {
    const data = JSON.parse(row.data) as unknown;
    const metadata = JSON.parse(row.metadata) as unknown;
    if (data !== null && metadata !== null) bytes += row.data.length;
    count++;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  db.close();
  return bytes >= 0 ? count / seconds : 0;
}
