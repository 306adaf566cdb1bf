/**
 * On EventStoreDB the Merkle tree is kept in a side store fed from $all (there is no transaction
 * with the server). Over the strict stand-in (system events and another application's events
 * between ours, byte-offset positions, no server-side idempotency), the side store catches up,
 * then follows appends, and its tree is the one computed independently from the log as the port
 * reads it; a resubscription's redelivery adds nothing twice.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveLogSigner } from '../../../src/adapters/log-signing-key.js';
import { openLogTree } from '../../../src/adapters/stores.js';
import { LogCheckpoints } from '../../../src/audit/log-checkpoints.service.js';
import {
  openNote,
  parseVerifierKey,
  verifierKeyString,
} from '../../../src/audit/merkle/signed-note.js';
import { loadConfig } from '../../../src/config.js';
import { systemClock } from '../../../src/system.js';
import { EventStoreDbEventStore } from '../../../src/adapters/eventstoredb/eventstoredb-event-store.js';
import { SqliteLogTreeStore } from '../../../src/adapters/sqlite/sqlite-log-tree-store.js';
import { eventLeafHash } from '../../../src/audit/merkle/hashing.js';
import { MemoryTree } from '../../../src/audit/merkle/memory-tree.js';
import { treeRoot } from '../../../src/audit/merkle/subtrees.js';
import { newEvent, newStreamId } from '../../contract/event-store.contract.js';
import { waitUntil } from '../../support/wait.js';
import { FakeEventStoreDb } from './fake-eventstoredb.js';

let n = 0;
const hashed = () => {
  n += 1;
  return newEvent({ metadata: { hash: createHash('sha256').update(String(n)).digest('hex') } });
};

describe('the Merkle tree of an EventStoreDB log, in a side store', () => {
  it('catches up, follows appends, and is the tree of the log as the port reads it', async () => {
    const server = new FakeEventStoreDb({ serverIdempotency: false, systemEventEvery: 2 });
    const store = EventStoreDbEventStore.fromClient(server.connect().adapterClient(), {
      streamPrefixes: ['contract-'],
      resubscribeDelays: { initialMs: 10, maxMs: 50 },
    });
    const side = SqliteLogTreeStore.open(':memory:');
    try {
      for (let i = 0; i < 12; i += 1) {
        await store.appendToStream(newStreamId(), [hashed(), hashed()], 'no_stream');
        server.writeForeignEvent(`order-${String(i)}`);
      }
      const following = await side.follow(store, (error) => {
        throw error;
      });
      expect(await side.logTree.size()).toBe(24);
      for (let i = 0; i < 9; i += 1) await store.appendToStream(newStreamId(), [hashed()], 'any');
      await waitUntil(
        'the side store to follow 9 appends',
        async () => (await side.logTree.size()) === 33,
      );
      await following.close();
      // A later catch-up from the same side store adds nothing it has.
      expect(await side.catchUp(store)).toBe(33);

      const expected = MemoryTree.of(
        (await store.readAll({ maxCount: 1000 })).map((e) => eventLeafHash(e.metadata)),
      );
      const root = await side.logTree.read((nodes, size) => treeRoot(nodes, size));
      expect(expected.size).toBe(33);
      expect(root.equals(expected.root())).toBe(true);
    } finally {
      side.close();
      await store.close();
    }
  });
});

describe('log checkpoints on EventStoreDB', () => {
  it('follows $all into log-tree.sqlite in DATA_DIR and signs checkpoints of that tree', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'esdb-log-tree-'));
    const server = new FakeEventStoreDb({ serverIdempotency: false, systemEventEvery: 3 });
    const store = EventStoreDbEventStore.fromClient(server.connect().adapterClient(), {
      streamPrefixes: ['contract-'],
      resubscribeDelays: { initialMs: 10, maxMs: 50 },
    });
    const config = loadConfig({
      EVENT_STORE: 'eventstoredb',
      EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false',
      DATA_DIR: dataDir,
      NODE_ENV: 'test',
    });
    const signer = resolveLogSigner(config);
    const checkpoints = new LogCheckpoints(openLogTree(config), store, signer, systemClock, {
      everyEvents: 1,
      everySeconds: 60,
    });
    try {
      for (let i = 0; i < 5; i += 1) await store.appendToStream(newStreamId(), [hashed()], 'any');
      checkpoints.onModuleInit();
      for (let i = 0; i < 4; i += 1) await store.appendToStream(newStreamId(), [hashed()], 'any');
      const latest = await waitUntil('a checkpoint of the 9 events', async () => {
        const checkpoint = await checkpoints.latest();
        return checkpoint?.size === 9 && checkpoint;
      });
      const expected = MemoryTree.of(
        (await store.readAll({ maxCount: 1000 })).map((e) => eventLeafHash(e.metadata)),
      );
      expect(latest.root.equals(expected.root())).toBe(true);
      const verifier = parseVerifierKey(verifierKeyString(signer));
      expect(openNote(latest.note, verifier)).toBe(
        `community-orgs.registry.local\n9\n${expected.root().toString('base64')}\n`,
      );
    } finally {
      await checkpoints.onModuleDestroy();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
