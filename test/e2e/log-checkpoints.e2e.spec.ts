/**
 * Signed checkpoints over real HTTP: GET /audit/checkpoint answers the latest as a C2SP signed
 * note that the log's public key verifies, stating the root of the Merkle tree computed here
 * independently from the events in the log; GET /audit/checkpoints keeps every one, and each
 * pair of them is joined by a consistency proof. Both are public. GET /audit/proof/inclusion and
 * /consistency answer proofs that the project's verifier and a small one written here accept.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_KEY_FILE } from '../../src/adapters/log-signing-key.js';
import { parseCheckpointText } from '../../src/audit/merkle/checkpoint.js';
import { eventLeafHash } from '../../src/audit/merkle/hashing.js';
import { MemoryTree } from '../../src/audit/merkle/memory-tree.js';
import {
  consistencyProof,
  verifyConsistency,
  verifyInclusion,
} from '../../src/audit/merkle/proofs.js';
import {
  openNote,
  parseSignerKey,
  parseVerifierKey,
  verifierKeyString,
} from '../../src/audit/merkle/signed-note.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { createGroup, expectProblem } from '../support/e2e-kit.js';
import { waitUntil } from '../support/wait.js';

const ORIGIN = 'registry.test/log';
let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp({ env: { CHECKPOINT_EVERY_EVENTS: '3', LOG_ORIGIN: ORIGIN } });
});
afterAll(async () => {
  await app.close();
});

/** The tree of the log, from the events as stored: the oracle. */
function treeOfLog(): MemoryTree {
  const db = new Database(join(app.dataDir, 'events.sqlite'), { readonly: true });
  try {
    const rows = db
      .prepare<[], { metadata: string }>('SELECT metadata FROM events ORDER BY position')
      .all();
    return MemoryTree.of(
      rows.map((row) => eventLeafHash(JSON.parse(row.metadata) as Record<string, unknown>)),
    );
  } finally {
    db.close();
  }
}

const verifier = () =>
  parseVerifierKey(
    verifierKeyString(parseSignerKey(readFileSync(join(app.dataDir, LOG_KEY_FILE), 'utf8'))),
  );

describe('signed checkpoints', () => {
  it('signs one at start, and the latest is a signed note of the tree of the log', async () => {
    let res = await app.request('GET', '/audit/checkpoint');
    // Three rounds of three registrations (two events each): a checkpoint after each, as
    // CHECKPOINT_EVERY_EVENTS=3 and the publisher looks every second.
    for (let round = 1; round <= 3; round += 1) {
      for (let i = 0; i < 3; i += 1) await createGroup(app);
      res = await waitUntil(`a checkpoint of ${String(6 * round)} events`, async () => {
        const answer = await app.request('GET', '/audit/checkpoint');
        const size = parseCheckpointText(`${answer.text.split('\n\n')[0] ?? ''}\n`)?.size ?? 0;
        return size >= 6 * round && answer;
      });
    }
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = openNote(res.text, verifier());
    expect(text).toBeDefined();
    const head = parseCheckpointText(text ?? '');
    expect(head?.origin).toBe(ORIGIN);
    expect(head?.root.equals(treeOfLog().root(head.size))).toBe(true);
  });

  it('keeps every checkpoint, each pair joined by a consistency proof', async () => {
    const res = await app.request('GET', '/audit/checkpoints?from=0');
    expect(res.status).toBe(200);
    const history = res.body as Array<{ treeSize: number; rootHash: string; note: string }>;
    expect(history[0]?.treeSize).toBe(0);
    const sizes = history.map((c) => c.treeSize);
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    expect(sizes.at(-1)).toBe(18);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
    const tree = treeOfLog();
    for (const checkpoint of history) {
      expect(openNote(checkpoint.note, verifier())).toContain(
        `\n${String(checkpoint.treeSize)}\n${checkpoint.rootHash}\n`,
      );
    }
    for (const a of history)
      for (const b of history.filter((c) => c.treeSize >= a.treeSize)) {
        const proof = consistencyProof(tree.nodes, a.treeSize, b.treeSize);
        const [ra, rb] = [Buffer.from(a.rootHash, 'base64'), Buffer.from(b.rootHash, 'base64')];
        expect(verifyConsistency(a.treeSize, b.treeSize, ra, rb, proof)).toBe(true);
      }
    const later = await app.request(
      'GET',
      `/audit/checkpoints?from=${String(history[1]?.treeSize)}&limit=1`,
    );
    expect((later.body as unknown[]).length).toBe(1);
  });

  it('answers 400 with problem details for a bad history query', async () => {
    for (const query of ['from=-1', 'from=x', 'limit=0', 'limit=1001']) {
      const res = await app.request('GET', `/audit/checkpoints?${query}`);
      expectProblem(res, 400);
    }
  });
});

/** RFC 9162 §2.1.3.2 written again here, the way Go's transparency-dev verifies (an oracle). */
function rootFromPath(index: number, size: number, leaf: Buffer, path: readonly Buffer[]): Buffer {
  const sha = (...parts: Buffer[]): Buffer =>
    createHash('sha256').update(Buffer.concat(parts)).digest();
  // The path's first `inner` hashes are below the point where the leaf's and the last leaf's
  // paths meet; the rest are left siblings on the right border.
  const inner = (index ^ (size - 1)).toString(2).length * Number(index !== size - 1);
  let hash = leaf;
  path.forEach((sibling, i) => {
    const left = i >= inner || ((index >> i) & 1) === 1;
    hash = left ? sha(Buffer.of(1), sibling, hash) : sha(Buffer.of(1), hash, sibling);
  });
  return hash;
}

describe('proofs', () => {
  const eventIds = (): string[] => {
    const db = new Database(join(app.dataDir, 'events.sqlite'), { readonly: true });
    try {
      return db.prepare<[], string>('SELECT id FROM events ORDER BY position').pluck().all();
    } finally {
      db.close();
    }
  };

  it('proves each event in a checkpoint, and a checkpoint consistent with a later one', async () => {
    const history = (await app.request('GET', '/audit/checkpoints?from=1')).body as Array<{
      treeSize: number;
      rootHash: string;
      note: string;
    }>;
    const checkpoint = history.at(-1);
    const earlier = history[0];
    if (checkpoint === undefined || earlier === undefined) throw new Error('no checkpoint');
    const root = Buffer.from(checkpoint.rootHash, 'base64');
    expect(openNote(checkpoint.note, verifier())).toContain(`\n${checkpoint.rootHash}\n`);
    const ids = eventIds();
    for (const [ordinal, id] of ids.slice(0, checkpoint.treeSize).entries()) {
      const res = await app.request(
        'GET',
        `/audit/proof/inclusion?event=${id}&treeSize=${String(checkpoint.treeSize)}`,
      );
      expect(res.status).toBe(200);
      const proof = res.body as {
        leafIndex: number;
        treeSize: number;
        leafHash: string;
        inclusionPath: string[];
      };
      expect(proof.leafIndex).toBe(ordinal);
      expect(proof.treeSize).toBe(checkpoint.treeSize);
      const leaf = Buffer.from(proof.leafHash, 'base64');
      const path = proof.inclusionPath.map((h) => Buffer.from(h, 'base64'));
      expect(verifyInclusion(ordinal, proof.treeSize, leaf, path, root)).toBe(true);
      expect(rootFromPath(ordinal, proof.treeSize, leaf, path).equals(root)).toBe(true);
      // A path for another leaf does not pass for this one.
      if (ordinal > 0)
        expect(rootFromPath(ordinal - 1, proof.treeSize, leaf, path).equals(root)).toBe(false);
    }
    const res = await app.request(
      'GET',
      `/audit/proof/consistency?from=${String(earlier.treeSize)}&to=${String(checkpoint.treeSize)}`,
    );
    expect(res.status).toBe(200);
    const path = (res.body as { consistencyPath: string[] }).consistencyPath.map((h) =>
      Buffer.from(h, 'base64'),
    );
    const [ra, rb] = [Buffer.from(earlier.rootHash, 'base64'), root];
    expect(verifyConsistency(earlier.treeSize, checkpoint.treeSize, ra, rb, path)).toBe(true);
    expect(verifyConsistency(earlier.treeSize, checkpoint.treeSize, rb, ra, path)).toBe(false);
  });

  it('answers 404 for an unknown event and 400 for bad sizes, with problem details', async () => {
    const [id] = eventIds();
    const size = (await app.request('GET', '/audit/checkpoints?from=1')).body as Array<{
      treeSize: number;
    }>;
    const latest = size.at(-1)?.treeSize ?? 0;
    expectProblem(
      await app.request('GET', '/audit/proof/inclusion?event=no-such-event&treeSize=1'),
      404,
    );
    for (const query of [
      `event=${String(id)}&treeSize=0`,
      `event=${String(id)}&treeSize=x`,
      `event=${String(id)}&treeSize=${String(10 ** 9)}`,
      `treeSize=1`,
      `event=${String(id)}`,
    ])
      expectProblem(await app.request('GET', `/audit/proof/inclusion?${query}`), 400);
    const beyond = await app.request(
      'GET',
      `/audit/proof/inclusion?event=${String(id)}&treeSize=${String(10 ** 9)}`,
    );
    expect(JSON.stringify(beyond.body)).toContain('treeSize');
    for (const query of [
      'from=2&to=1',
      `from=0&to=${String(10 ** 9)}`,
      'from=-1&to=1',
      'to=1',
      'from=a&to=1',
    ])
      expectProblem(await app.request('GET', `/audit/proof/consistency?${query}`), 400);
    const empty = await app.request('GET', `/audit/proof/consistency?from=0&to=${String(latest)}`);
    expect(empty.status).toBe(200);
    expect((empty.body as { consistencyPath: string[] }).consistencyPath).toEqual([]);
  });
});
