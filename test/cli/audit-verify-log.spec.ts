/**
 * `npm run audit -- verify-log` rebuilds the Merkle tree from the events and compares every
 * stored hash: ok on an honest log; exit 1 when a stored tree hash was changed, and when an
 * event's chain hash was rewritten after the tree took it in (in a stride of 256 leaves whose
 * subtree hash is stored: leaves are not stored, they are their events' hashes).
 */
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { runNode } from '../support/run-process.js';
import { ROOT } from '../support/spawned-server.js';

const CLI = join(ROOT, 'dist', 'src', 'cli', 'audit.js');

/** Two strides of 256 leaves and a partial one. */
const EVENTS = 600;

let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'verify-log-'));
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  store.beginBatch();
  for (let i = 0; i < EVENTS; i += 1) {
    const hash = createHash('sha256').update(String(i)).digest('hex');
    await store.appendToStream(
      `organization-${String(i % 5)}`,
      [{ id: randomUUID(), type: 'Happened', data: { i }, metadata: { hash } }],
      'any',
    );
  }
  store.commitBatch();
  await store.close();
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

function tamper(sql: string): void {
  const db = new Database(join(dataDir, 'events.sqlite'));
  db.exec(sql);
  db.close();
}

describe('npm run audit -- verify-log', () => {
  it('finds the stored tree to be the one the log gives', async () => {
    const run = await runNode(CLI, ['verify-log'], { DATA_DIR: dataDir });
    expect(run.stdout).toContain('audit verify-log: ok, 600 events');
    expect(run.stdout).toContain('tree size 600, 0 differences');
    expect(run.code).toBe(0);
  });

  it('finds a stored subtree hash that was changed (exit 1)', async () => {
    // The row of stride 1 holds the hashes of levels 8 and 9: level 9 is bytes 33 to 64.
    tamper(
      'UPDATE merkle_strides SET hashes = CAST(substr(hashes, 1, 32) || zeroblob(32) AS BLOB) WHERE stride = 1',
    );
    const run = await runNode(CLI, ['verify-log'], { DATA_DIR: dataDir });
    expect(run.stdout).toContain('level 9 node 0');
    expect(run.stdout).toContain('DIFFERENT');
    expect(run.code).toBe(1);
  });

  it('finds an event whose chain hash was rewritten after the tree took it in (exit 1)', async () => {
    const forged = 'f'.repeat(64);
    tamper(
      `UPDATE events SET metadata = json_set(metadata, '$.hash', '${forged}') WHERE position = 7`,
    );
    const run = await runNode(CLI, ['verify-log'], { DATA_DIR: dataDir });
    // Its leaf is recomputed from it, but the stored hash of its stride is not.
    expect(run.stdout).toContain('level 8 node 0 (event at position 256)');
    expect(run.code).toBe(1);
  });
});
