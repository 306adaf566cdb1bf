import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createProjections } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import { rebuildAll } from '../../src/event-sourcing/projection/rebuild.js';
import { LOG_START, type EventStore } from '../../src/event-sourcing/ports/event-store.port.js';
import type { ReadStore } from '../../src/event-sourcing/ports/read-store.port.js';
import type { BenchOptions, Figure } from '../figure.js';

/**
 * Rebuilding every read model from position 0 (events per second through all projections),
 * beside the raw rate of reading and JSON-parsing the same log with better-sqlite3.
 */
export async function rebuildThroughput({ workDir, dataset }: BenchOptions): Promise<Figure> {
  const baselineValue = rawReadAndParse(join(dataset, 'events.sqlite'));
  const events = SqliteEventStore.open(join(dataset, 'events.sqlite'));
  // As the server and the CLI open it (src/adapters/stores.ts): a rebuild's units are replayed
  // from their checkpoint after a power loss, so they need no flush each.
  const store = SqliteReadStore.open(join(workDir, 'read-models.sqlite'), {
    synchronous: 'NORMAL',
  });
  const projections = createProjections(loadDivisions());
  const count = (await events.countBetween(LOG_START, await events.headPosition())) ?? 0;
  const phases = new PhaseTimes();
  const start = process.hrtime.bigint();
  // What `npm run projections -- rebuild` runs: every read model in one pass, indexed, swapped in.
  await rebuildAll(phases.events(events), phases.store(store), projections, () => new Date());
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(phases.describe(seconds));
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

/**
 * Where a rebuild's time goes, for the performance page: reading the log, writing the loaded
 * documents (commits), creating tables and indexes (ensureCollection: the index build after the
 * load), looking documents up; folding is what remains.
 */
class PhaseTimes {
  private readonly spent = new Map<string, number>();

  events(store: EventStore): EventStore {
    return this.timed(store, { readAll: 'read the log' });
  }

  store(store: ReadStore): ReadStore {
    return this.timed(store, {
      commit: 'load (commits)',
      ensureCollection: 'tables and index build',
      getMany: 'lookups',
    });
  }

  describe(seconds: number): string {
    const known = [...this.spent.values()].reduce((a, b) => a + b, 0);
    const parts = [...this.spent, ['fold (the rest)', seconds - known] as const].map(
      ([phase, spent]) => `${phase} ${spent.toFixed(2)} s`,
    );
    return `rebuild phases (${seconds.toFixed(2)} s): ${parts.join(', ')}`;
  }

  private timed<T extends object>(target: T, phases: Readonly<Record<string, string>>): T {
    return new Proxy(target, {
      get: (object, key, receiver) => {
        const value: unknown = Reflect.get(object, key, receiver);
        const phase = typeof key === 'string' ? phases[key] : undefined;
        if (phase === undefined || typeof value !== 'function') {
          return typeof value === 'function' ? (value.bind(object) as unknown) : value;
        }
        return async (...args: unknown[]) => {
          const began = process.hrtime.bigint();
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
          } finally {
            const spent = Number(process.hrtime.bigint() - began) / 1e9;
            this.spent.set(phase, (this.spent.get(phase) ?? 0) + spent);
          }
        };
      },
    });
  }
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
