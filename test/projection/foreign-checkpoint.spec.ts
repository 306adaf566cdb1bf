/**
 * A checkpoint is a position of the event store that wrote it. Carried over to another store
 * (SQLite to EventStoreDB, another deployment) or past the head of an older backup, it means
 * nothing there: the start refuses it in one line naming the checkpoint and the way out, and
 * the way out (a rebuild, or moving the gateway) works.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjections } from '../../projections/index.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import {
  positionToJson,
  type EventStore,
  type NewEvent,
} from '../../src/event-sourcing/ports/event-store.port.js';
import {
  checkCheckpoints,
  ForeignCheckpointError,
  recordOrigin,
} from '../../src/event-sourcing/positions/checkpoint-check.js';
import { readModelCheckpoints } from '../../src/event-sourcing/projection/read-model-checkpoints.js';
import { rebuildAll } from '../../src/event-sourcing/projection/rebuild.js';
import { GATEWAY_CHECKED, GATEWAY_CHECKPOINT } from '../../src/gateway/kafka-gateway.js';
import { divisions } from '../support/fixtures.js';
import { runNode } from '../support/run-process.js';
import { ROOT, spawnServer } from '../support/spawned-server.js';
import { TEST_JWT_SECRET } from '../support/http-app.js';

const projections = createProjections(divisions);
const now = (): Date => new Date('2026-01-15T02:00:00.000Z');

const noted = (id = randomUUID()): NewEvent => ({
  id,
  type: 'Noted',
  data: {},
  metadata: { recordedAt: now().toISOString() },
});

async function appendAll(store: EventStore, events: readonly NewEvent[]): Promise<void> {
  for (const [i, event] of events.entries())
    await store.appendToStream(`note-${String(i % 3)}`, [event], 'any');
}

describe('checkpoints of another event store are refused at start', () => {
  let dir: string;
  const opened: Array<{ close(): Promise<void> }> = [];
  const open = <T extends { close(): Promise<void> }>(store: T): T => {
    opened.push(store);
    return store;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'foreign-checkpoint-'));
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Store A with six events, and read models built from it (checkpoints at its head). */
  async function builtOnA(): Promise<{
    a: SqliteEventStore;
    reads: SqliteReadStore;
    events: NewEvent[];
  }> {
    const a = open(SqliteEventStore.open(join(dir, 'a.sqlite')));
    const events = Array.from({ length: 6 }, () => noted());
    await appendAll(a, events);
    const reads = open(SqliteReadStore.open(join(dir, 'reads.sqlite')));
    await rebuildAll(a, reads, projections, now);
    await checkCheckpoints(a, reads, await readModelCheckpoints(reads, projections));
    return { a, reads, events };
  }

  it('passes on the store that wrote them', async () => {
    const { a, reads } = await builtOnA();
    await expect(
      checkCheckpoints(a, reads, await readModelCheckpoints(reads, projections)),
    ).resolves.toBeUndefined();
  });

  it('refuses them on a store holding the same events at other positions (a migration)', async () => {
    const { reads, events } = await builtOnA();
    // The events copied into another store after some of its own: every position differs, yet
    // a checkpoint may still fall on some event there. The origin tells them apart.
    const b = open(SqliteEventStore.open(join(dir, 'b.sqlite')));
    await appendAll(b, [noted(), noted(), noted()]);
    await appendAll(b, events);
    const refusal = checkCheckpoints(b, reads, await readModelCheckpoints(reads, projections));
    await expect(refusal).rejects.toThrow(ForeignCheckpointError);
    await expect(refusal).rejects.toThrow(
      /^Checkpoint \S+_v\d+_g1.* belongs to another event store .*npm run projections -- rebuild/,
    );
  });

  it('refuses a checkpoint past the head of an older backup, naming it and its position', async () => {
    const { reads, events } = await builtOnA();
    const older = open(SqliteEventStore.open(join(dir, 'older.sqlite')));
    await appendAll(older, events.slice(0, 3));
    await expect(
      checkCheckpoints(older, reads, await readModelCheckpoints(reads, projections)),
    ).rejects.toThrow(
      /^Checkpoint \S+ \(position 6\) is not the position of an event in this event store .*: rebuild the read models from this event store with `npm run projections -- rebuild`$/,
    );
  });

  it('names the gateway checkpoint and its own way out', async () => {
    const { a, reads, events } = await builtOnA();
    await reads.commit({ checkpoints: { [GATEWAY_CHECKPOINT]: await a.headPosition() } });
    const older = open(SqliteEventStore.open(join(dir, 'older.sqlite')));
    await appendAll(older, events.slice(0, 3));
    await expect(checkCheckpoints(older, reads, [GATEWAY_CHECKED])).rejects.toThrow(
      /^Checkpoint gateway_kafka \(position 6\).*npm run projections -- reset-gateway/,
    );
  });

  it('passes again once the read models are rebuilt from the new store', async () => {
    const { reads, events } = await builtOnA();
    const b = open(SqliteEventStore.open(join(dir, 'b.sqlite')));
    await appendAll(b, [noted(), noted()]);
    await appendAll(b, events);
    await rebuildAll(b, reads, projections, now);
    await recordOrigin(b, reads);
    const checked = await readModelCheckpoints(reads, projections);
    await expect(checkCheckpoints(b, reads, checked)).resolves.toBeUndefined();
    for (const { name } of checked)
      expect(positionToJson(await reads.checkpoint(name))).toBe(
        positionToJson(await b.headPosition()),
      );
  });

  it('stops the server in one line, and `projections -- rebuild` is the way out', async () => {
    const { reads, events } = await builtOnA();
    await reads.close();
    opened.splice(opened.indexOf(reads), 1);
    const dataDir = join(dir, 'data');
    // DATA_DIR holds the read models built on A beside an event log that is not A's.
    mkdirSync(dataDir);
    renameSync(join(dir, 'reads.sqlite'), join(dataDir, 'read-models.sqlite'));
    const other = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
    await appendAll(other, [noted(), noted(), noted()]);
    await appendAll(other, events);
    await other.close();

    const refused = await spawnServer({ dataDir });
    await refused.exited;
    const lines = refused
      .output()
      .split('\n')
      .filter((line) => line.includes('Checkpoint'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/belongs to another event store.*npm run projections -- rebuild/);
    expect(refused.output()).not.toMatch(/^\s+at /m);

    const rebuilt = await runNode(join(ROOT, 'dist', 'src', 'cli', 'projections.js'), ['rebuild'], {
      DATA_DIR: dataDir,
      JWT_SECRET: TEST_JWT_SECRET,
    });
    expect(rebuilt.stderr + rebuilt.stdout).toMatch(/rebuilt \d+ read model\(s\) from 9 events/);
    expect(rebuilt.code).toBe(0);

    const server = await spawnServer({ dataDir });
    try {
      await server.ready;
      expect(server.running()).toBe(true);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
