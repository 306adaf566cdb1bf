import { positionFromJson as pos } from '../../src/event-sourcing/ports/event-store.port.js';
import { randomUUID } from 'node:crypto';
import { jest } from '@jest/globals';
import { MongoClient, type Db } from 'mongodb';
import { MongoReadStore } from '../../src/adapters/mongodb/mongodb-read-store.js';
import type {
  Document,
  Filter,
  IndexSpec,
} from '../../src/event-sourcing/ports/read-store.port.js';
import { LeaseLostError } from '../../src/event-sourcing/ports/lease-fence.js';
import {
  ORGANIZATIONS,
  idsOf,
  newCheckpointName,
  newCollection,
  readStoreContract,
} from './read-store.contract.js';
import { describeWithServer } from '../support/servers.js';

/**
 * Runs against the MongoDB-wire server at MONGODB_URL (`npm run services -- start mongodb`
 * starts FerretDB and prints it; real MongoDB works too), each store in a database of its own,
 * dropped afterwards. Without MONGODB_URL the suite fails in CI and is skipped loudly elsewhere
 * (test/support/servers.ts).
 */

const newDbName = (): string => `contract_${randomUUID().slice(0, 8)}`;

/** A store in a fresh database, and a raw client to look behind it. */
async function openFresh(url: string): Promise<{
  store: MongoReadStore;
  db: Db;
  cleanup: () => Promise<void>;
}> {
  const name = newDbName();
  const store = await MongoReadStore.connect(url, name);
  const raw = new MongoClient(url);
  await raw.connect();
  const db = raw.db(name);
  return {
    store,
    db,
    cleanup: async () => {
      await store.close();
      try {
        await db.dropDatabase();
      } finally {
        await raw.close();
      }
    },
  };
}

describeWithServer('mongodb', 'the MongoDB read store', (url) => {
  readStoreContract('mongodb', async () => {
    const { store, cleanup } = await openFresh(url);
    return { store, cleanup };
  });

  describe('MongoReadStore', () => {
    let store: MongoReadStore;
    let db: Db;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, db, cleanup } = await openFresh(url));
    });

    afterEach(async () => {
      await cleanup();
    });

    const put = (collection: string, ...documents: Document[]): Promise<void> =>
      store.commit({ puts: documents.map((document) => ({ collection, document })) });

    describe('storage', () => {
      it('stores a document under _id = id, keeping id, and checkpoints by name', async () => {
        const collection = newCollection();
        await store.commit({
          puts: [{ collection, document: { id: 'a', name: '协会', n: 1 } }],
          checkpoints: { p: pos(7) },
        });
        expect(await db.collection(collection).find().toArray()).toEqual([
          { _id: 'a', id: 'a', name: '协会', n: 1 },
        ]);
        expect(await db.collection('checkpoints').find().toArray()).toEqual([
          { _id: 'p', position: 7 },
        ]);
        expect(await store.get(collection, 'a')).toEqual({ id: 'a', name: '协会', n: 1 });
      });

      it('stores documents as JSON would hold them', async () => {
        const collection = newCollection();
        const document = {
          id: 'a',
          at: new Date('2025-06-01T00:00:00.000Z'),
          gone: undefined,
          list: [1, undefined, 'x'],
        } as unknown as Document;
        await put(collection, document);
        expect(await store.get(collection, 'a')).toEqual({
          id: 'a',
          at: '2025-06-01T00:00:00.000Z',
          list: [1, null, 'x'],
        });
      });

      it('keeps rollup counts with keys holding | and non-ASCII text', async () => {
        const collection = newCollection();
        const rollup = {
          id: 'rollup',
          counts: { '2025-06|registrations': 3, 'charity|team': 1, '静安区|active': 2 },
          _position: 12,
        };
        await put(collection, rollup);
        expect(await store.get(collection, 'rollup')).toEqual(rollup);
      });

      it('refuses a document with a field _id, writing nothing of the unit', async () => {
        const collection = newCollection();
        const bad = { id: 'b', _id: 'other' } as unknown as Document;
        await expect(
          store.commit({
            puts: [
              { collection, document: { id: 'a' } },
              { collection, document: bad },
            ],
          }),
        ).rejects.toThrow(/field _id/);
        expect(await store.listCollections()).toEqual([]);
      });
    });

    describe('commit', () => {
      it('writes nothing when a document in the middle of the unit cannot be stored', async () => {
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
        expect(await store.listCollections()).not.toContain(created);
      });

      it('writes the documents before the checkpoints: a refused checkpoint leaves them ahead', async () => {
        const collection = newCollection();
        await store.commit({ puts: [{ collection, document: { id: 'a', v: 1 } }] });
        // A unique index on position makes the server refuse a second checkpoint at 7, after
        // the unit's documents went in: the closest to a crash between the two writes.
        await db
          .collection('checkpoints')
          .createIndexes([{ key: { position: 1 }, name: 'position', unique: true }]);
        await store.commit({ checkpoints: { blocker: pos(7) } });

        await expect(
          store.commit({
            puts: [
              { collection, document: { id: 'a', v: 2, _position: 7 } },
              { collection, document: { id: 'b', _position: 7 } },
            ],
            deletes: [{ collection, id: 'missing' }],
            checkpoints: { projection: pos(7) },
          }),
        ).rejects.toThrow(/duplicate key/i);

        expect(await store.find(collection)).toEqual([
          { id: 'a', v: 2, _position: 7 },
          { id: 'b', _position: 7 },
        ]);
        expect(await store.checkpoint('projection')).toBe(0);

        // The replay of the same unit (positions guarded) changes no document, and once the
        // server accepts the checkpoint it moves.
        await db.collection<{ _id: string }>('checkpoints').deleteOne({ _id: 'blocker' });
        await store.commit({
          puts: [{ collection, document: { id: 'a', v: 2, _position: 7 } }],
          checkpoints: { projection: pos(7) },
        });
        expect(await store.checkpoint('projection')).toBe(7);
        expect(await store.get(collection, 'a')).toEqual({ id: 'a', v: 2, _position: 7 });
      });

      it('never lets an older _position overwrite a newer document', async () => {
        const collection = newCollection();
        await put(
          collection,
          { id: 'new', v: 'newer', _position: 10 },
          { id: 'same', v: 'first', _position: 5 },
          { id: 'plain', v: 'stored without position' },
        );

        await put(
          collection,
          { id: 'a', v: 'before the conflicts', _position: 4 },
          { id: 'new', v: 'older', _position: 9 },
          { id: 'b', v: 'between', _position: 4 },
          { id: 'same', v: 'second', _position: 5 },
          { id: 'plain', v: 'now with position', _position: 1 },
          { id: 'c', v: 'after the conflicts' },
        );
        await store.commit({ deletes: [{ collection, id: 'c' }] });
        await put(collection, { id: 'new', v: 'newest', _position: 11 });

        expect(await store.find(collection)).toEqual([
          { id: 'a', v: 'before the conflicts', _position: 4 },
          { id: 'b', v: 'between', _position: 4 },
          { id: 'new', v: 'newest', _position: 11 },
          { id: 'plain', v: 'now with position', _position: 1 },
          { id: 'same', v: 'first', _position: 5 },
        ]);
      });

      it('applies a unit in order: the last put of an id wins, deletes come after puts', async () => {
        const collection = newCollection();
        await store.commit({
          puts: [
            { collection, document: { id: 'a', v: 1 } },
            { collection, document: { id: 'b', v: 1 } },
            { collection, document: { id: 'a', v: 2 } },
            { collection, document: { id: 'b', v: 2 } },
          ],
          deletes: [{ collection, id: 'b' }],
        });
        expect(await store.find(collection)).toEqual([{ id: 'a', v: 2 }]);
      });
    });

    describe('fencing without transactions', () => {
      it('judges expiry by the server’s clock, whatever time the replica gives', async () => {
        const name = `lease_${randomUUID().slice(0, 8)}`;
        // A replica whose clock runs an hour ahead cannot take a lease another still holds.
        expect(await store.acquireLease(name, 'a', 60_000, Date.now())).toBe(1);
        expect(await store.acquireLease(name, 'b', 60_000, Date.now() + 3_600_000)).toBeUndefined();
        const stored = await db
          .collection('lease_generations')
          .findOne({ _id: `${name}#1` as never });
        expect(stored?.['expiresAt']).toBeInstanceOf(Date);
      });

      it('a checkpoint moved by a newer generation refuses a stale holder that passed the lease check', async () => {
        const name = `lease_${randomUUID().slice(0, 8)}`;
        const collection = newCollection();
        const checkpoint = newCheckpointName();
        const generations = db.collection<{
          _id: string;
          lease: string;
          generation: number;
          holder: string;
          expiresAt: Date;
        }>('lease_generations');
        const old = (await store.acquireLease(name, 'a', 60_000, Date.now())) ?? 0;
        // b took over (as if a's lease had expired) and moved the checkpoint under its generation.
        const taken = `${name}#${String(old + 1)}`;
        await generations.insertOne({
          _id: taken,
          lease: name,
          generation: old + 1,
          holder: 'b',
          expiresAt: new Date(Date.now() + 60_000),
        });
        await store.commit({
          puts: [{ collection, document: { id: 'x', n: 5, _position: 5 } }],
          checkpoints: { [checkpoint]: pos(5) },
          fence: { lease: name, holder: 'b', generation: old + 1 },
        });
        // a's lease check passed just before the takeover: seen here by taking b's generation away.
        await generations.deleteOne({ _id: taken });
        await expect(
          store.commit({
            puts: [{ collection, document: { id: 'x', n: 3, _position: 3 } }],
            checkpoints: { [checkpoint]: pos(9) },
            fence: { lease: name, holder: 'a', generation: old },
          }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.checkpoint(checkpoint)).toBe(5);
        // Its documents, older than the stored ones, changed nothing either.
        expect(await store.get(collection, 'x')).toEqual({ id: 'x', n: 5, _position: 5 });
      });
    });

    describe('queries', () => {
      it('takes $contains and $prefix literally, whatever regular expressions make of them', async () => {
        const collection = newCollection();
        const texts = [
          'a.b',
          'axb',
          'a*b',
          'aab',
          '(x)',
          'x',
          '[ab]',
          'a',
          '^start',
          'start',
          'end$',
          'end',
          'a\\b',
          'a|b',
          'b',
          '{2}',
          'a+?',
          '2/3-4',
          'x\u0000y',
          'line\nbreak',
          '#comment',
          '.*',
          '',
        ];
        await put(
          collection,
          ...texts.map((v, index) => ({ id: `t${String(index).padStart(2, '0')}`, v })),
        );
        const values = async (filter: Filter): Promise<string[]> =>
          (await store.find(collection, { filter })).map((document) => String(document.v)).sort();
        const expected = (test: (v: string) => boolean): string[] => texts.filter(test).sort();

        for (const needle of [
          '.',
          '*',
          'a.b',
          '(x)',
          '[ab]',
          '^',
          '$',
          'end$',
          '\\',
          '|',
          '{2}',
          '+?',
          '2/3-4',
          '\u0000',
          '\n',
          '#',
          '.*',
          '',
        ]) {
          expect(await values({ v: { $contains: needle } })).toEqual(
            expected((v) => v.includes(needle)),
          );
          expect(await values({ v: { $prefix: needle } })).toEqual(
            expected((v) => v.startsWith(needle)),
          );
        }
        expect(await values({ v: { $contains: 'b', $prefix: 'a' } })).toEqual(
          expected((v) => v.startsWith('a') && v.includes('b')),
        );
      });

      it('compares whole arrays, never their elements', async () => {
        const collection = newCollection();
        await put(
          collection,
          { id: 'number', v: 42 },
          { id: 'numbers', v: [42, 7] },
          { id: 'strings', v: ['42', 'x'] },
          { id: 'nulls', v: [null] },
          { id: 'missing' },
        );
        const matching = async (filter: Filter): Promise<string[]> =>
          idsOf(await store.find(collection, { filter })).sort();

        expect(await matching({ v: 42 })).toEqual(['number']);
        expect(await matching({ v: { $in: [42, '42'] } })).toEqual(['number']);
        expect(await matching({ v: { $gt: 5 } })).toEqual(['number']);
        expect(await matching({ v: { $contains: '4' } })).toEqual([]);
        expect(await matching({ v: { $prefix: 'x' } })).toEqual([]);
        expect(await matching({ v: null })).toEqual(['missing']);
        expect(await matching({ v: { $ne: 42 } })).toEqual([
          'missing',
          'nulls',
          'numbers',
          'strings',
        ]);
        expect(await matching({ v: { $ne: null } })).toEqual([
          'nulls',
          'number',
          'numbers',
          'strings',
        ]);
        expect(await store.count(collection, { v: { $ne: 42 } })).toBe(4);
      });
    });

    describe('indexes', () => {
      const indexKeys = async (collection: string): Promise<Record<string, unknown>> =>
        Object.fromEntries(
          (
            (await db.collection(collection).listIndexes().toArray()) as Array<{
              name: string;
              key: unknown;
            }>
          ).map((index) => [index.name, index.key]),
        );

      it('creates a compound index per spec, id as _id, with directions, idempotently', async () => {
        const collection = newCollection();
        const specs: IndexSpec[] = [
          ['district'],
          ['active', 'score'],
          ['id'],
          ['district', 'id'],
          ['district', ['members', -1], 'id'],
        ];
        await store.ensureCollection(collection, specs);
        const expected = {
          _id_: { _id: 1 },
          district: { district: 1 },
          'active,score': { active: 1, score: 1 },
          'district,id': { district: 1, _id: 1 },
          'district,members:-1,id': { district: 1, members: -1, _id: 1 },
        };
        expect(await indexKeys(collection)).toEqual(expected);

        await put(collection, ...ORGANIZATIONS);
        await store.ensureCollection(collection, specs);
        await store.ensureCollection(collection, [['members']]);
        expect(await indexKeys(collection)).toEqual({ ...expected, members: { members: 1 } });
        expect(await store.count(collection)).toBe(ORGANIZATIONS.length);
      });

      it('refuses a direction other than 1 or -1', async () => {
        const collection = newCollection();
        const bad = [['district', ['members', 0]]] as unknown as IndexSpec[];
        await expect(store.ensureCollection(collection, bad)).rejects.toThrow(
          /direction is 1 or -1/,
        );
      });

      it('trusts the fields an index names to hold scalars: no array check on them', async () => {
        // The port's promise (IndexSpec), broken on purpose: the array in the indexed field is
        // matched element-wise, as MongoDB does, where the unindexed field keeps the guard.
        const collection = newCollection();
        await store.ensureCollection(collection, [['tag', 'id']]);
        await put(
          collection,
          { id: 'a', tag: 'x', other: 'x' },
          { id: 'b', tag: ['x'], other: ['x'] },
        );
        expect(await store.count(collection, { tag: 'x' })).toBe(2);
        expect(await store.count(collection, { other: 'x' })).toBe(1);
        expect(idsOf(await store.find(collection, { filter: { tag: 'x' } }))).toEqual(['a', 'b']);
        // A collection whose indexes another store created: listed from the server.
        const second = await MongoReadStore.connect(url, db.databaseName);
        try {
          expect(await second.count(collection, { tag: 'x' })).toBe(2);
          expect(await second.count(collection, { other: 'x' })).toBe(1);
        } finally {
          await second.close();
        }
      });

      it('drops the indexes with the collection', async () => {
        const collection = newCollection();
        await store.ensureCollection(collection, [['a'], ['a', 'b']]);
        await store.dropCollection(collection);
        expect(await store.listCollections()).toEqual([]);
        await store.ensureCollection(collection, []);
        expect(Object.keys(await indexKeys(collection))).toEqual(['_id_']);
      });
    });

    describe('connection', () => {
      it('lists only its own collections, sorted, without checkpoints', async () => {
        const [a, b] = [newCollection(), newCollection()];
        await db.createCollection('Other Collection');
        await store.commit({
          puts: [
            { collection: b, document: { id: '1' } },
            { collection: a, document: { id: '1' } },
          ],
          checkpoints: { p: pos(1) },
        });
        expect(await store.listCollections()).toEqual([a, b].sort());
      });

      it('lets a second store on the same database see what the first committed', async () => {
        const second = await MongoReadStore.connect(url, db.databaseName);
        try {
          const collection = newCollection();
          await store.commit({
            puts: ORGANIZATIONS.map((document) => ({ collection, document })),
            checkpoints: { p: pos(7) },
          });
          expect(await second.get(collection, 'o03')).toEqual(ORGANIZATIONS[2]);
          expect(await second.count(collection, { district: '浦东新区' })).toBe(3);
          expect(await second.checkpoint('p')).toBe(7);
        } finally {
          await second.close();
        }
      });

      it('reads majority-acknowledged data from the primary and writes with a majority whatever the URL says', async () => {
        const captured = jest.spyOn(MongoClient.prototype, 'db');
        const separator = url.includes('?') ? '&' : '?';
        const pinned = await MongoReadStore.connect(
          `${url}${separator}readPreference=secondaryPreferred&w=1&readConcernLevel=local`,
          db.databaseName,
          { client: { monitorCommands: true, maxPoolSize: 3 }, writeTimeoutMs: 4321 },
        );
        try {
          const client = captured.mock.contexts[0] as MongoClient;
          const pinnedDb = captured.mock.results[0]?.value as Db;
          captured.mockRestore();
          // The client keeps the URL's settings and the options given; the store's database
          // handle overrides the URL's read preference and write concern.
          expect(client.readPreference.mode).toBe('secondaryPreferred');
          expect(client.options.maxPoolSize).toBe(3);
          expect(pinnedDb.readPreference.mode).toBe('primary');
          expect(pinnedDb.writeConcern).toMatchObject({ w: 'majority', wtimeoutMS: 4321 });
          expect(pinnedDb.readConcern?.level).toBe('majority');

          const sent: Array<{ name: string; writeConcern: unknown; readConcern: unknown }> = [];
          client.on('commandStarted', (event) => {
            sent.push({
              name: event.commandName,
              writeConcern: event.command['writeConcern'],
              readConcern: event.command['readConcern'],
            });
          });
          await pinned.commit({
            puts: [{ collection: newCollection(), document: { id: 'a', _position: 1 } }],
            checkpoints: { [newCheckpointName()]: pos(1) },
          });
          const writes = sent.filter(({ name }) => name === 'update');
          expect(writes).toHaveLength(2);
          for (const write of writes) {
            expect(write.writeConcern).toMatchObject({ w: 'majority', wtimeout: 4321 });
          }
          // The server answers a majority read (FerretDB accepts the read concern as well).
          const collection = newCollection();
          await pinned.commit({ puts: [{ collection, document: { id: 'b', _position: 2 } }] });
          expect(await pinned.get(collection, 'b')).toEqual({ id: 'b', _position: 2 });
          expect(sent.find(({ name }) => name === 'find')?.readConcern).toEqual({
            level: 'majority',
          });
        } finally {
          captured.mockRestore();
          await pinned.close();
        }
      });

      it('refuses work once closed, and closes twice', async () => {
        await store.close();
        await expect(store.get(newCollection(), 'a')).rejects.toThrow(/closed/);
        await expect(store.commit({ checkpoints: { p: pos(1) } })).rejects.toThrow(/closed/);
        await expect(store.close()).resolves.toBeUndefined();
      });
    });
  });
});
