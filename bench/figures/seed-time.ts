import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { BenchOptions, Figure } from '../figure.js';

const GOAL_SECONDS = 5 * 60;

/**
 * The time the whole dataset took to seed through the real command path, as recorded when the
 * cached dataset was created (seeding again each run would take minutes), beside the time raw
 * better-sqlite3 needs to insert the same number of the same rows one transaction each with the
 * seed's durability (WAL, synchronous=NORMAL): measured now on a sample of the log, extrapolated.
 * The goal (issue 7) is for the whole city; run.ts adds this figure at city scale only.
 */
export function seedTime({ quick, workDir, data }: BenchOptions): Promise<Figure[]> {
  const timing = data.seedTiming;
  if (timing === undefined) {
    process.stderr.write(
      `seed time: no uninterrupted seed of the ${data.scale} dataset was recorded, figure left out ` +
        `(remove ${data.dir} and run \`npm run bench -- --prepare --scale ${data.scale}\` to time one)\n`,
    );
    return Promise.resolve([]);
  }
  const sample = quick ? 20_000 : 100_000;
  const rawSeconds =
    timing.events / rawInsertRate(join(data.dir, 'events.sqlite'), workDir, sample);
  const load = `load ${timing.machine.loadAtStart.toFixed(1)}→${timing.machine.loadAtEnd.toFixed(1)}`;
  return Promise.resolve([
    {
      name: `${data.scale} seeded through the command path (${timing.organizations.toLocaleString('en')} organizations, ${timing.events.toLocaleString('en')} events; measured ${timing.measuredAt.slice(0, 16)} when cached, ${load})`,
      value: timing.seconds,
      unit: 's',
      baseline: `raw single-row inserts of as many event rows (WAL, synchronous=NORMAL), ${sample.toLocaleString('en')} timed now and extrapolated`,
      baselineValue: rawSeconds,
      ratio: timing.seconds / rawSeconds,
      goal: `< ${String(GOAL_SECONDS)} s`,
      met: timing.seconds < GOAL_SECONDS,
    },
  ]);
}

/** Rows per second inserting copies of the log's first rows into a scratch file, one per commit. */
function rawInsertRate(events: string, workDir: string, count: number): number {
  const source = new Database(events, { readonly: true });
  const rows = source
    .prepare<[], { stream_id: string; type: string; data: string; metadata: string }>(
      'SELECT stream_id, type, data, metadata FROM events ORDER BY position LIMIT 2000',
    )
    .all();
  source.close();
  const db = new Database(join(workDir, 'raw-seed.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(
    'CREATE TABLE t (position INTEGER PRIMARY KEY AUTOINCREMENT, stream_id TEXT, revision INTEGER, type TEXT, data TEXT, metadata TEXT)',
  );
  const insert = db.prepare(
    'INSERT INTO t (stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?)',
  );
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) {
    const row = rows[i % rows.length];
    if (row) insert.run(row.stream_id, i, row.type, row.data, row.metadata);
  }
  const rate = count / (Number(process.hrtime.bigint() - start) / 1e9);
  db.close();
  return rate;
}
