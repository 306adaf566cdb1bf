/**
 * `npm run claims -- backfill` on a log written before names, USCCs and filing numbers were
 * claimed: two live groups of one community share a name (written straight to the log, as an
 * older version wrote them). The backfill claims the first (whose claim then refuses the name to
 * others: uniqueness.e2e), lists the second (exit 1) and is safe to run again.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { envelope } from '../../src/event-sourcing/event-envelope.js';
import { organizationStream } from '../../src/organizations/organization-writer.js';
import { groupRegistered } from '../support/events.js';
import { runNode } from '../support/run-process.js';
import { ROOT } from '../support/spawned-server.js';

const CLI = join(ROOT, 'dist', 'src', 'cli', 'claims.js');
const NAME = '上海新村老年合唱小组';

let dataDir: string;
const first = randomUUID();
const second = randomUUID();
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'claims-'));
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  const context = {
    actor: { id: 'committee-310104003001', role: 'committee', jurisdiction: '310104003001' },
    commandId: randomUUID(),
    correlationId: randomUUID(),
  };
  for (const id of [first, second]) {
    const events = envelope(
      [groupRegistered(id, { name: NAME })],
      { revision: -1, hash: '0'.repeat(64) },
      context,
      'RegisterOrganization',
      new Date('2024-01-02T03:04:05Z'),
      1,
      randomUUID,
    );
    await store.appendToStream(organizationStream(id), events, 'no_stream');
  }
  await store.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run claims -- backfill', () => {
  it('claims what live organizations hold and lists the values two of them share (exit 1)', async () => {
    const run = await runNode(CLI, ['backfill'], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `name-taken: ${second} name ${NAME} (in 310104003001)`,
    ]);
    expect(run.stderr).toContain('2 organizations');
  });

  it('runs again with the same answer and nothing new to claim', async () => {
    const run = await runNode(CLI, ['backfill'], { DATA_DIR: dataDir });
    expect(run.code).toBe(1);
    expect(run.stdout.trim()).toBe(`name-taken: ${second} name ${NAME} (in 310104003001)`);
  });

  it('is bad usage without its command (exit 2)', async () => {
    const run = await runNode(CLI, [], { DATA_DIR: dataDir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run claims -- backfill');
  });
});
