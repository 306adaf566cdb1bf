/**
 * Counts are answered off the indexes, with the string-only rule of `$contains`, `$prefix` and
 * string ranges tested on the declared field's column (never on the document), and remembered
 * until a commit, of this connection or another.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { Filter } from '../../src/event-sourcing/ports/read-store.port.js';

let dir: string;
let store: SqliteReadStore;
let other: SqliteReadStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sqlite-counts-'));
  store = SqliteReadStore.open(join(dir, 'read.sqlite'));
  other = SqliteReadStore.open(join(dir, 'read.sqlite'));
});

afterAll(async () => {
  await store.close();
  await other.close();
  await rm(dir, { recursive: true, force: true });
});

describe('string-only conditions tested on the column', () => {
  const collection = 'shapes';

  beforeAll(async () => {
    await store.ensureCollection(collection, [['v']]);
    const documents = [
      { id: 'string', v: '42' },
      { id: 'bracketed', v: '[42]' },
      { id: 'braced', v: '{"n":42}' },
      { id: 'number', v: 42 },
      { id: 'true', v: true },
      { id: 'null', v: null },
      { id: 'missing' },
    ];
    await store.commit({ puts: documents.map((document) => ({ collection, document })) });
  });

  // Text that reads like JSON stays text: a declared field never holds an array or object.
  it.each<[string, Filter, string[]]>([
    ['$contains', { v: { $contains: '4' } }, ['braced', 'bracketed', 'string']],
    ['$contains a bracket', { v: { $contains: '[' } }, ['bracketed']],
    ['$prefix', { v: { $prefix: '[' } }, ['bracketed']],
    ['$prefix of a brace', { v: { $prefix: '{' } }, ['braced']],
    ['a string range', { v: { $gte: '' } }, ['braced', 'bracketed', 'string']],
  ])('%s matches strings only, in find and count alike', async (_, filter, ids) => {
    const found = await store.find(collection, { filter });
    expect(found.map((doc) => doc.id).sort()).toEqual(ids);
    expect(await store.count(collection, filter)).toBe(ids.length);
  });

  it('counts a search from the index alone', async () => {
    const plan = await store.explainCount(collection, { v: { $contains: '4' } });
    expect(plan[0]).toMatch(/^SCAN shapes USING COVERING INDEX shapes:v$/);
  });
});

describe('remembered counts', () => {
  const collection = 'remembered';
  const put = (target: SqliteReadStore, id: string, v: string): Promise<void> =>
    target.commit({ puts: [{ collection, document: { id, v } }] });

  beforeAll(async () => {
    await store.ensureCollection(collection, [['v']]);
    await put(store, 'a', 'x');
  });

  it('follows commits of the same connection', async () => {
    expect(await store.count(collection, { v: 'x' })).toBe(1);
    await put(store, 'b', 'x');
    expect(await store.count(collection, { v: 'x' })).toBe(2);
    await store.commit({ deletes: [{ collection, id: 'b' }] });
    expect(await store.count(collection, { v: 'x' })).toBe(1);
  });

  it('follows commits of another connection, as of another process', async () => {
    expect(await store.count(collection, { v: { $contains: 'y' } })).toBe(0);
    await put(other, 'c', 'xy');
    expect(await store.count(collection, { v: { $contains: 'y' } })).toBe(1);
    await other.dropCollection(collection);
    expect(await store.count(collection, { v: { $contains: 'y' } })).toBe(0);
  });
});
