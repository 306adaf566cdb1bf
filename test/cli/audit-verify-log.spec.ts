/**
 * `npm run audit -- verify-log` rebuilds the Merkle tree from the events and compares every
 * stored hash: ok on an honest log; exit 1 when a stored tree hash was changed, and when an
 * event's chain hash was rewritten after the tree took it in.
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

let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'verify-log-'));
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  for (let i = 0; i < 45; i += 1) {
    const hash = createHash('sha256').update(String(i)).digest('hex');
    await store.appendToStream(
      `organization-${String(i % 5)}`,
      [{ id: randomUUID(), type: 'Happened', data: { i }, metadata: { hash } }],
      'any',
    );
  }
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
    expect(run.stdout).toContain('audit verify-log: ok, 45 events');
    expect(run.stdout).toContain('tree size 45, 0 differences');
    expect(run.code).toBe(0);
  });

  it('finds a stored subtree hash that was changed (exit 1)', async () => {
    // The row of leaf 31 holds its hash, then levels 1 to 5: level 3 is bytes 96 to 127.
    tamper(
      'UPDATE merkle_tree SET hashes = CAST(substr(hashes, 1, 96) || zeroblob(32) || substr(hashes, 129) AS BLOB) WHERE leaf = 31',
    );
    const run = await runNode(CLI, ['verify-log'], { DATA_DIR: dataDir });
    expect(run.stdout).toContain('level 3 node 3');
    expect(run.stdout).toContain('DIFFERENT');
    expect(run.code).toBe(1);
  });

  it('finds an event whose chain hash was rewritten after the tree took it in (exit 1)', async () => {
    const forged = 'f'.repeat(64);
    tamper(
      `UPDATE events SET metadata = json_set(metadata, '$.hash', '${forged}') WHERE position = 7`,
    );
    const run = await runNode(CLI, ['verify-log'], { DATA_DIR: dataDir });
    expect(run.stdout).toContain('level 0 node 6 (event at position 7)');
    expect(run.code).toBe(1);
  });
});
