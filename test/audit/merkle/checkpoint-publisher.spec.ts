/**
 * The publisher signs a first checkpoint whatever the size, then one when CHECKPOINT_EVERY_EVENTS
 * events or CHECKPOINT_EVERY_SECONDS (with new events) went by; and never one that does not
 * extend the last: a tree rewritten under it (one leaf changed, every hash above recomputed, as
 * a dishonest operator would) or smaller than it is refused.
 */
import { randomBytes } from 'node:crypto';
import {
  CheckpointPublisher,
  InconsistentLogError,
} from '../../../src/audit/checkpoint-publisher.js';
import { parseCheckpointText } from '../../../src/audit/merkle/checkpoint.js';
import { leafHash, type Hash } from '../../../src/audit/merkle/hashing.js';
import { MemoryTree } from '../../../src/audit/merkle/memory-tree.js';
import {
  openNote,
  parseVerifierKey,
  signerFromSeed,
  verifierKeyString,
} from '../../../src/audit/merkle/signed-note.js';
import type {
  CheckpointStore,
  LogTree,
  SignedCheckpoint,
} from '../../../src/event-sourcing/ports/log-tree.port.js';

const signer = signerFromSeed('registry.test/log', randomBytes(32));
const verifier = parseVerifierKey(verifierKeyString(signer));
const leaf = (i: number, variant = ''): Hash =>
  leafHash(Buffer.from(`event ${String(i)}${variant}`));

function setup() {
  let tree = new MemoryTree();
  const kept: SignedCheckpoint[] = [];
  const logTree: LogTree = {
    size: () => Promise.resolve(tree.size),
    read: (read) => Promise.resolve(read(tree.nodes, tree.size)),
    leafIndexOf: () => Promise.resolve(undefined),
    leafIndexOfEvent: () => Promise.resolve(undefined),
  };
  const store: CheckpointStore = {
    latest: () => Promise.resolve(kept.at(-1)),
    list: (from, limit) => Promise.resolve(kept.filter((c) => c.size >= from).slice(0, limit)),
    add: (c) => {
      kept.push(c);
      return Promise.resolve();
    },
  };
  let now = new Date('2026-01-15T02:00:00Z');
  const clock = { now: () => now };
  const publisher = new CheckpointPublisher(logTree, store, signer, clock, {
    everyEvents: 10,
    everySeconds: 60,
  });
  return {
    publisher,
    kept,
    grow: (n: number) => {
      for (let i = 0; i < n; i += 1) tree.append(leaf(tree.size));
    },
    replace: (next: MemoryTree) => {
      tree = next;
    },
    later: (seconds: number) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

describe('the checkpoint publisher', () => {
  it('signs a first checkpoint, then when enough events or enough time with events went by', async () => {
    const { publisher, kept, grow, later } = setup();
    expect((await publisher.publishIfDue())?.size).toBe(0);
    grow(9);
    expect(await publisher.publishIfDue()).toBeUndefined();
    grow(1);
    expect((await publisher.publishIfDue())?.size).toBe(10);
    later(120);
    expect(await publisher.publishIfDue()).toBeUndefined(); // nothing new: nothing to sign
    grow(2); // more than a minute after the last: signed at once
    expect((await publisher.publishIfDue())?.size).toBe(12);
    grow(1);
    later(59);
    expect(await publisher.publishIfDue()).toBeUndefined();
    later(1);
    expect((await publisher.publishIfDue())?.size).toBe(13);
    expect(kept.map((c) => c.size)).toEqual([0, 10, 12, 13]);
    for (const checkpoint of kept) {
      const head = parseCheckpointText(openNote(checkpoint.note, verifier) ?? '');
      expect(head).toEqual({
        origin: 'registry.test/log',
        size: checkpoint.size,
        root: checkpoint.root,
      });
    }
  });

  it('refuses to sign a tree that no longer extends the last checkpoint', async () => {
    const { publisher, kept, grow, replace } = setup();
    grow(20);
    await publisher.publishIfDue();
    // Event 7 rewritten and every hash recomputed consistently, then the log went on.
    replace(
      MemoryTree.of(
        Array.from({ length: 30 }, (_, i) => (i === 7 ? leaf(i, ' rewritten') : leaf(i))),
      ),
    );
    await expect(publisher.publishIfDue()).rejects.toThrow(InconsistentLogError);
    // A log restored from an older backup: smaller than what was signed.
    replace(MemoryTree.of(Array.from({ length: 15 }, (_, i) => leaf(i))));
    await expect(publisher.publishIfDue()).rejects.toThrow(InconsistentLogError);
    expect(kept.map((c) => c.size)).toEqual([20]);
  });
});
