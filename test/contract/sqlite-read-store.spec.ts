import { positionFromJson as pos } from '../../src/event-sourcing/ports/event-store.port.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { Document, Filter, Query } from '../../src/event-sourcing/ports/read-store.port.js';
import {
  ORGANIZATIONS,
  idsOf,
  newCheckpointName,
  newCollection,
  readStoreContract,
} from './read-store.contract.js';

const tempDirs: string[] = [];

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-read-store-'));
  tempDirs.push(dir);
  return join(dir, 'read.db');
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

readStoreContract('sqlite', async () => {
  const store = SqliteReadStore.open(await tempFile());
  return { store, cleanup: () => store.close() };
});

const pragma = (store: SqliteReadStore, name: string): unknown =>
  (Reflect.get(store, 'db') as Database.Database).pragma(name, { simple: true });

describe('SqliteReadStore', () => {
  let file: string;
  let store: SqliteReadStore;

  beforeEach(async () => {
    file = await tempFile();
    store = SqliteReadStore.open(file);
  });

  afterEach(async () => {
    await store.close();
  });

  const put = (collection: string, ...documents: Document[]): Promise<void> =>
    store.commit({ puts: documents.map((document) => ({ collection, document })) });

  describe('connection settings', () => {
    it('uses WAL, synchronous FULL by default and a busy timeout', () => {
      expect(pragma(store, 'journal_mode')).toBe('wal');
      expect(pragma(store, 'synchronous')).toBe(2);
      expect(pragma(store, 'busy_timeout')).toBe(5000);
    });

    it('uses synchronous NORMAL when asked, and refuses anything else', async () => {
      const normal = SqliteReadStore.open(await tempFile(), { synchronous: 'NORMAL' });
      try {
        expect(pragma(normal, 'synchronous')).toBe(1);
      } finally {
        await normal.close();
      }
      const bad = { synchronous: 'OFF' } as unknown as { synchronous: 'FULL' };
      expect(() => SqliteReadStore.open(':memory:', bad)).toThrow(RangeError);
    });

    it('works in memory', async () => {
      const memory = SqliteReadStore.open(':memory:');
      try {
        const collection = newCollection();
        await memory.commit({ puts: [{ collection, document: { id: 'a' } }] });
        expect(await memory.get(collection, 'a')).toEqual({ id: 'a' });
      } finally {
        await memory.close();
      }
    });
  });

  describe('commit', () => {
    it('changes nothing when a document in the middle of the unit cannot be stored', async () => {
      const collection = newCollection();
      const created = newCollection();
      const checkpoint = newCheckpointName();
      await store.commit({
        puts: [
          { collection, document: { id: 'kept', v: 1 } },
          { collection, document: { id: 'doomed', v: 1 } },
        ],
        checkpoints: { [checkpoint]: pos(3) },
      });

      const unit = {
        puts: [
          { collection, document: { id: 'kept', v: 2 } },
          { collection: created, document: { id: 'new' } },
          { collection, document: { id: 'big', v: 10n } },
          { collection, document: { id: 'after' } },
        ],
        deletes: [{ collection, id: 'doomed' }],
        checkpoints: { [checkpoint]: pos(9) },
      };
      await expect(store.commit(unit)).rejects.toThrow(/big .* cannot be stored as JSON/);

      expect(await store.find(collection)).toEqual([
        { id: 'doomed', v: 1 },
        { id: 'kept', v: 1 },
      ]);
      expect(await store.checkpoint(checkpoint)).toBe(3);
      // Even the table created for the new collection is rolled back.
      expect(await store.listCollections()).not.toContain(created);
    });

    it('stores the document as JSON, id included', async () => {
      const collection = newCollection();
      await put(collection, { id: 'a', name: '协会' });
      const raw = new Database(file, { readonly: true });
      try {
        expect(raw.prepare(`SELECT id, doc FROM ${collection}`).all()).toEqual([
          { id: 'a', doc: '{"id":"a","name":"协会"}' },
        ]);
      } finally {
        raw.close();
      }
    });
  });

  describe('declared fields', () => {
    const columns = (collection: string): Array<{ name: string }> =>
      (Reflect.get(store, 'db') as Database.Database).pragma(
        `table_info("${collection}")`,
      ) as Array<{
        name: string;
      }>;

    it('keeps the fields of the indexes and the declared ones as columns beside the document', async () => {
      const collection = newCollection();
      await store.ensureCollection(collection, [['district', ['members', -1], 'id']], {
        fields: ['motto'],
      });
      await put(collection, ...ORGANIZATIONS);
      expect(columns(collection).map((c) => c.name)).toEqual([
        'id',
        'f:_position',
        'f:district',
        'f:members',
        'f:motto',
        'doc',
      ]);
      const raw = new Database(file, { readonly: true });
      try {
        expect(
          raw
            .prepare(
              `SELECT "f:district", "f:members", "f:motto" FROM ${collection} WHERE id = 'o06'`,
            )
            .get(),
        ).toEqual({ 'f:district': '徐汇区', 'f:members': null, 'f:motto': 'axb' });
      } finally {
        raw.close();
      }
      // A residual filter on a declared field reads the row, not the document.
      expect(
        (await store.explainCount(collection, { district: '浦东新区', motto: 'axb' })).join(' | '),
      ).toMatch(/USING INDEX/);
      expect(
        await store.count(collection, { district: '浦东新区', motto: { $prefix: '100' } }),
      ).toBe(1);
    });

    it('leaves documents without a sparse field out of its indexes, still used by comparisons', async () => {
      const collection = newCollection();
      await store.ensureCollection(collection, [['parentId', 'id']]);
      await put(collection, ...ORGANIZATIONS);
      // Made sparse since: the index of that name is replaced by the partial one.
      await store.ensureCollection(collection, [['parentId', 'id']], { sparse: ['parentId'] });
      const db = Reflect.get(store, 'db') as Database.Database;
      const sql = db
        .prepare(
          "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        )
        .pluck()
        .all(collection);
      expect(sql).toEqual([expect.stringMatching(/WHERE "f:parentId" IS NOT NULL$/)]);
      for (const filter of [{ parentId: { $ne: null } }, { parentId: { $gte: 'o' } }]) {
        expect((await store.explainCount(collection, filter)).join()).toContain(
          `USING COVERING INDEX ${collection}:parentId,id`,
        );
        expect(await store.count(collection, filter)).toBe(2);
      }
    });

    it('refuses a declared field holding something other than a scalar, changing nothing', async () => {
      const collection = newCollection();
      await store.ensureCollection(collection, [['district']]);
      await expect(put(collection, { id: 'a', district: ['静安区'] })).rejects.toThrow(
        /district of document a .* is declared/,
      );
      expect(await store.count(collection)).toBe(0);
    });

    it('refuses filters and sorts on undeclared fields when asked to', async () => {
      const strict = SqliteReadStore.open(await tempFile(), { undeclaredFields: 'refuse' });
      try {
        const collection = newCollection();
        await strict.ensureCollection(collection, [['district']]);
        await strict.commit({ puts: ORGANIZATIONS.map((document) => ({ collection, document })) });
        expect(await strict.count(collection, { district: '浦东新区', id: { $gt: 'o03' } })).toBe(
          2,
        );
        await expect(strict.count(collection, { motto: 'axb' })).rejects.toThrow(
          /motto is not a declared field/,
        );
        await expect(strict.find(collection, { sort: [['members', 1]] })).rejects.toThrow(
          /members is not a declared field/,
        );
      } finally {
        await strict.close();
      }
    });

    it('migrates a table of the JSON-document shape in place: columns filled, expression indexes replaced', async () => {
      const collection = newCollection();
      const raw = new Database(file, { timeout: 5000 });
      try {
        // What a read-models file written before declared fields were columns holds.
        raw.exec(
          `CREATE TABLE ${collection} (id TEXT PRIMARY KEY, doc TEXT NOT NULL) STRICT;` +
            `CREATE INDEX "${collection}:district" ON ${collection} (json_extract(doc, '$.district') ASC)`,
        );
        const insert = raw.prepare(`INSERT INTO ${collection} (id, doc) VALUES (?, ?)`);
        for (const document of ORGANIZATIONS)
          insert.run(document.id, JSON.stringify({ ...document, _position: 5 }));
      } finally {
        raw.close();
      }
      // Queried before it is ensured (a server still serving it): the slow path answers.
      expect(await store.count(collection, { district: '浦东新区' })).toBe(3);

      await store.ensureCollection(collection, [['district'], ['active', 'score']]);
      expect(columns(collection).map((c) => c.name)).toEqual(
        expect.arrayContaining(['f:_position', 'f:district', 'f:active', 'f:score']),
      );
      const plan = (
        await store.explainFind(collection, { filter: { district: '浦东新区' } })
      ).join();
      expect(plan).toContain(`USING INDEX ${collection}:district`);
      const indexSql = (Reflect.get(store, 'db') as Database.Database)
        .prepare(
          "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        )
        .pluck()
        .all(collection) as string[];
      expect(indexSql.join()).not.toContain('json_extract');
      expect(await store.count(collection, { active: true, score: { $gte: 4.5 } })).toBe(2);
      // The position guard reads the filled column: an older version is not written.
      await put(collection, { id: 'o01', _position: 4 });
      expect(await store.get(collection, 'o01')).toEqual({ ...ORGANIZATIONS[0], _position: 5 });
      await put(collection, { id: 'o01', district: '黄浦区', _position: 6 });
      expect(await store.count(collection, { district: '黄浦区' })).toBe(1);
    });
  });

  describe('queries', () => {
    it('uses the column indexes for equality, ranges and sorts', async () => {
      const collection = newCollection();
      await store.ensureCollection(collection, [['district'], ['active', 'score']]);
      await put(collection, ...ORGANIZATIONS);
      const plan = async (query: Query): Promise<string> =>
        (await store.explainFind(collection, query)).join('\n');

      expect(await plan({ filter: { district: '浦东新区' } })).toContain(
        `USING INDEX ${collection}:district`,
      );
      expect(await plan({ filter: { district: { $in: ['浦东新区', '静安区'] } } })).toContain(
        `USING INDEX ${collection}:district`,
      );
      expect(await plan({ filter: { active: true, score: { $gt: 1 } } })).toContain(
        `USING INDEX ${collection}:active,score`,
      );
      expect(await plan({ filter: { id: 'o01' } })).toMatch(/USING .*INDEX/);
      expect(await plan({ filter: { motto: 'axb' } })).toMatch(/SCAN/);
    });

    it('returns documents in id order when no sort is given', async () => {
      const collection = newCollection();
      await put(collection, ...[...ORGANIZATIONS].reverse());
      expect(idsOf(await store.find(collection))).toEqual(idsOf(ORGANIZATIONS));
      expect(idsOf(await store.find(collection, { skip: 2, limit: 2 }))).toEqual(['o03', 'o04']);
    });

    it('compares ranges, $contains and $prefix only with values of the same JSON type', async () => {
      const collection = newCollection();
      await put(
        collection,
        { id: 'number', v: 42 },
        { id: 'string', v: '42' },
        { id: 'true', v: true },
        { id: 'object', v: { n: 42 } },
        { id: 'list', v: [42] },
        { id: 'null', v: null },
        { id: 'missing' },
      );
      const matching = async (filter: Filter): Promise<string[]> =>
        idsOf(await store.find(collection, { filter })).sort();

      expect(await matching({ v: { $gt: 5 } })).toEqual(['number']);
      expect(await matching({ v: { $gte: '' } })).toEqual(['string']);
      expect(await matching({ v: { $gte: false } })).toEqual(['true']);
      expect(await matching({ v: { $contains: '4' } })).toEqual(['string']);
      expect(await matching({ v: { $prefix: '' } })).toEqual(['string']);
      expect(await matching({ v: 42 })).toEqual(['number']);
      expect(await matching({ v: '42' })).toEqual(['string']);
    });

    it('keeps queries working when a collection is dropped and created again', async () => {
      const collection = newCollection();
      await store.ensureCollection(collection, [['n']]);
      await put(collection, { id: 'a', n: 1 });
      expect(await store.count(collection, { n: 1 })).toBe(1);
      await store.dropCollection(collection);
      expect(await store.count(collection, { n: 1 })).toBe(0);
      await put(collection, { id: 'b', n: 1 }, { id: 'c', n: 1 });
      expect(await store.count(collection, { n: 1 })).toBe(2);
    });
  });

  describe('collections', () => {
    it('lists collections sorted, without the checkpoints table', async () => {
      const [a, b, c] = [newCollection(), newCollection(), newCollection()];
      await store.ensureCollection(c, [['n']]);
      await put(a, { id: '1' });
      await store.commit({
        puts: [{ collection: b, document: { id: '1' } }],
        checkpoints: { p: pos(1) },
      });

      expect(await store.listCollections()).toEqual([a, b, c].sort());
    });

    it('ignores tables it did not create when listing', async () => {
      const raw = new Database(file, { timeout: 5000 });
      try {
        // ANALYZE creates SQLite's own sqlite_stat1 table.
        raw.exec(
          'CREATE TABLE "Other Table" (x); CREATE INDEX other ON "Other Table" (x); ANALYZE',
        );
        const tables = raw.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all();
        expect(tables).toContainEqual({ name: 'sqlite_stat1' });
      } finally {
        raw.close();
      }
      expect(await store.listCollections()).toEqual([]);
    });

    it('drops the indexes with the collection', async () => {
      const collection = newCollection();
      await store.ensureCollection(collection, [['a'], ['a', 'b']]);
      const raw = new Database(file, { readonly: true });
      const indexes = (): string[] =>
        raw
          .prepare<[string], { name: string }>(
            "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
          )
          .all(collection)
          .map((row) => row.name);
      try {
        expect(indexes()).toEqual([`${collection}:a`, `${collection}:a,b`]);
        await store.ensureCollection(collection, [['a'], ['a', 'b']]);
        expect(indexes()).toHaveLength(2);
        await store.dropCollection(collection);
        expect(indexes()).toEqual([]);
      } finally {
        raw.close();
      }
    });
  });

  describe('on a shared file', () => {
    it('lets a second connection see what the first committed', async () => {
      const second = SqliteReadStore.open(file);
      try {
        const collection = newCollection();
        const checkpoint = newCheckpointName();
        await store.ensureCollection(collection, [['district']]);
        expect(await second.listCollections()).toEqual([collection]);

        await store.commit({
          puts: ORGANIZATIONS.map((document) => ({ collection, document })),
          checkpoints: { [checkpoint]: pos(7) },
        });
        expect(await second.get(collection, 'o03')).toEqual(ORGANIZATIONS[2]);
        expect(await second.count(collection, { district: '浦东新区' })).toBe(3);
        expect(await second.checkpoint(checkpoint)).toBe(7);

        await second.commit({
          deletes: [{ collection, id: 'o03' }],
          checkpoints: { [checkpoint]: pos(8) },
        });
        expect(await store.get(collection, 'o03')).toBeUndefined();
        expect(await store.checkpoint(checkpoint)).toBe(8);

        await second.dropCollection(collection);
        expect(await store.find(collection, { filter: { district: '浦东新区' } })).toEqual([]);
        expect(await store.listCollections()).toEqual([]);
      } finally {
        await second.close();
      }
    });

    it('keeps documents and checkpoints across reopening', async () => {
      const collection = newCollection();
      await store.commit({
        puts: [{ collection, document: { id: 'a', name: '协会' } }],
        checkpoints: { p: pos(42) },
      });
      await store.close();
      store = SqliteReadStore.open(file);
      expect(await store.get(collection, 'a')).toEqual({ id: 'a', name: '协会' });
      expect(await store.checkpoint('p')).toBe(42);
    });

    it('is closed by close', async () => {
      const own = SqliteReadStore.open(await tempFile());
      await own.close();
      await expect(own.get(newCollection(), 'a')).rejects.toThrow();
      await expect(own.close()).resolves.toBeUndefined();
    });
  });
});
