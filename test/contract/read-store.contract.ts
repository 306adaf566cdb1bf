import {
  positionFromJson as pos,
  type Position,
} from '../../src/event-sourcing/ports/event-store.port.js';
import { randomUUID } from 'node:crypto';
import { LeaseLostError } from '../../src/event-sourcing/ports/lease-fence.js';
import type {
  Document,
  Filter,
  IndexSpec,
  Query,
  ReadStore,
} from '../../src/event-sourcing/ports/read-store.port.js';

export interface ReadStoreFixture {
  readonly store: ReadStore;
  readonly cleanup: () => Promise<void>;
}

/** A fresh collection name, valid for every adapter (it starts with a letter). */
export function newCollection(): string {
  return `c_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

export function newCheckpointName(): string {
  return `contract-${randomUUID()}`;
}

export function idsOf(documents: Iterable<Document>): string[] {
  return [...documents].map((document) => document.id);
}

/**
 * Community organizations with the shapes the filters must handle: a field null in some
 * documents and missing in others, negative and fractional numbers, ISO timestamps a
 * millisecond apart, and strings holding `%` and `_`. Ids sort in code-point order.
 */
export const ORGANIZATIONS: readonly Document[] = [
  {
    id: 'o01',
    name: '静安区社区志愿者协会',
    district: '静安区',
    members: 120,
    score: 4.5,
    active: true,
    foundedAt: '2019-03-01T08:00:00.000Z',
    motto: '100% 公益',
    parentId: 'o02',
  },
  {
    id: 'o02',
    name: '静安区老年协会',
    district: '静安区',
    members: 45,
    score: 3,
    active: false,
    foundedAt: '2015-11-20T00:00:00.000Z',
    motto: '50_50',
    parentId: null,
  },
  {
    id: 'o03',
    name: '浦东新区读书会',
    district: '浦东新区',
    members: 8,
    score: -1.5,
    active: true,
    foundedAt: '2021-06-15T12:30:00.000Z',
    motto: 'read_more',
  },
  {
    id: 'o04',
    name: '浦东新区篮球俱乐部',
    district: '浦东新区',
    members: 0,
    score: 0,
    active: true,
    foundedAt: '2019-03-01T07:59:59.999Z',
    motto: '100 percent',
    parentId: 'o03',
  },
  {
    id: 'o05',
    name: 'Pudong Chess Club',
    district: '浦东新区',
    members: 30,
    score: 4.5,
    active: false,
    foundedAt: '2023-01-01T00:00:00.000Z',
    motto: 'a%b',
  },
  {
    id: 'o06',
    name: '徐汇区舞蹈队',
    district: '徐汇区',
    score: 5,
    active: true,
    foundedAt: '2020-02-29T00:00:00.000Z',
    motto: 'axb',
    parentId: null,
  },
  {
    id: 'o07',
    name: '徐汇区合唱团',
    district: null,
    members: 1000,
    score: 2.25,
    active: false,
    foundedAt: '2024-12-31T23:59:59.999Z',
    motto: 'a_b',
  },
];

const ORGANIZATION_INDEXES: readonly IndexSpec[] = [
  ['district'],
  ['members'],
  ['active', 'score'],
  ['foundedAt'],
  ['name'],
  ['district', ['members', -1], 'id'],
];

/** Filters over ORGANIZATIONS and the ids they match, whatever the order. */
const FILTER_CASES: ReadonlyArray<readonly [string, Filter, readonly string[]]> = [
  ['no condition', {}, ['o01', 'o02', 'o03', 'o04', 'o05', 'o06', 'o07']],
  ['equality with a string', { district: '浦东新区' }, ['o03', 'o04', 'o05']],
  ['equality with a string nothing has', { district: '黄浦区' }, []],
  ['equality with zero', { members: 0 }, ['o04']],
  ['equality with an integer', { members: 45 }, ['o02']],
  ['equality with a fraction', { score: 4.5 }, ['o01', 'o05']],
  ['equality with a negative number', { score: -1.5 }, ['o03']],
  ['equality with true', { active: true }, ['o01', 'o03', 'o04', 'o06']],
  ['equality with false', { active: false }, ['o02', 'o05', 'o07']],
  ['null matches null and missing', { parentId: null }, ['o02', 'o03', 'o05', 'o06', 'o07']],
  ['null matches a null value', { district: null }, ['o07']],
  ['null matches a missing field', { members: null }, ['o06']],
  [
    'null on a field no document has',
    { nowhere: null },
    ['o01', 'o02', 'o03', 'o04', 'o05', 'o06', 'o07'],
  ],
  ['equality on id', { id: 'o03' }, ['o03']],
  ['$in with strings', { district: { $in: ['静安区', '徐汇区'] } }, ['o01', 'o02', 'o06']],
  ['$in with numbers', { members: { $in: [0, 45, 999] } }, ['o02', 'o04']],
  ['$in with booleans', { active: { $in: [false] } }, ['o02', 'o05', 'o07']],
  [
    '$in with null',
    { parentId: { $in: [null, 'o02'] } },
    ['o01', 'o02', 'o03', 'o05', 'o06', 'o07'],
  ],
  ['$in with only null', { members: { $in: [null] } }, ['o06']],
  ['$in on id', { id: { $in: ['o07', 'o01', 'missing'] } }, ['o01', 'o07']],
  ['$in empty matches nothing', { district: { $in: [] } }, []],
  [
    '$ne with a string, null included',
    { district: { $ne: '浦东新区' } },
    ['o01', 'o02', 'o06', 'o07'],
  ],
  ['$ne null: present and not null', { parentId: { $ne: null } }, ['o01', 'o04']],
  [
    '$ne with a number, missing included',
    { members: { $ne: 0 } },
    ['o01', 'o02', 'o03', 'o05', 'o06', 'o07'],
  ],
  ['$ne with a boolean', { active: { $ne: true } }, ['o02', 'o05', 'o07']],
  ['$gt on numbers', { members: { $gt: 30 } }, ['o01', 'o02', 'o07']],
  ['$gte on numbers', { members: { $gte: 30 } }, ['o01', 'o02', 'o05', 'o07']],
  ['$lt on numbers', { members: { $lt: 30 } }, ['o03', 'o04']],
  ['$lte on numbers', { members: { $lte: 8 } }, ['o03', 'o04']],
  [
    'a range never matches a missing field',
    { members: { $gte: 0 } },
    ['o01', 'o02', 'o03', 'o04', 'o05', 'o07'],
  ],
  ['an open range on numbers', { members: { $gt: 0, $lt: 100 } }, ['o02', 'o03', 'o05']],
  ['a range over negative fractions', { score: { $gte: -1.5, $lt: 3 } }, ['o03', 'o04', 'o07']],
  ['an empty range', { score: { $gt: 4.5, $lt: 5 } }, []],
  [
    'a range on ISO timestamps, to the millisecond',
    { foundedAt: { $gte: '2019-03-01T08:00:00.000Z', $lt: '2023-01-01T00:00:00.000Z' } },
    ['o01', 'o03', 'o06'],
  ],
  ['$lte on ISO timestamps', { foundedAt: { $lte: '2019-03-01T07:59:59.999Z' } }, ['o02', 'o04']],
  ['$gt on ISO timestamps', { foundedAt: { $gt: '2023-01-01T00:00:00.000Z' } }, ['o07']],
  ['a range on ids', { id: { $gt: 'o05' } }, ['o06', 'o07']],
  ['$contains Chinese text', { name: { $contains: '协会' } }, ['o01', 'o02']],
  ['$contains is case-sensitive', { name: { $contains: 'chess' } }, []],
  ['$contains with matching case', { name: { $contains: 'Chess' } }, ['o05']],
  ['$contains takes % literally', { motto: { $contains: '%' } }, ['o01', 'o05']],
  ['$contains takes _ literally', { motto: { $contains: '_' } }, ['o02', 'o03', 'o07']],
  ['$contains a_b does not match axb', { motto: { $contains: 'a_b' } }, ['o07']],
  ['$contains 0% does not match 100 percent', { motto: { $contains: '0%' } }, ['o01']],
  ['$prefix with Chinese text', { name: { $prefix: '浦东新区' } }, ['o03', 'o04']],
  ['$prefix shared by two', { motto: { $prefix: '100' } }, ['o01', 'o04']],
  ['$prefix takes % literally', { motto: { $prefix: '100%' } }, ['o01']],
  ['$prefix takes _ literally', { motto: { $prefix: 'a_' } }, ['o07']],
  ['$prefix is case-sensitive', { name: { $prefix: 'pudong' } }, []],
  ['$prefix equal to the whole value', { motto: { $prefix: 'axb' } }, ['o06']],
  ['a boolean with a string', { active: true, district: '浦东新区' }, ['o03', 'o04']],
  [
    'several fields with several operators',
    { district: { $in: ['浦东新区', '徐汇区'] }, active: true, members: { $gte: 5 } },
    ['o03'],
  ],
  [
    'several operators on one field',
    { members: { $gt: 0, $lte: 120, $ne: 45 } },
    ['o01', 'o03', 'o05'],
  ],
  [
    'ranges, $ne and $prefix together',
    { score: { $gte: 3, $ne: 5 }, foundedAt: { $lt: '2022' }, name: { $prefix: '静安区' } },
    ['o01', 'o02'],
  ],
  ['conditions that exclude each other', { members: 0, district: '静安区' }, []],
];

/** The behaviour of the ReadStore port that every adapter must offer. */
export function readStoreContract(name: string, open: () => Promise<ReadStoreFixture>): void {
  describe(`ReadStore contract: ${name}`, () => {
    let fixture: ReadStoreFixture;
    let store: ReadStore;

    beforeAll(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterAll(async () => {
      await fixture.cleanup();
    });

    const put = (collection: string, ...documents: Document[]): Promise<void> =>
      store.commit({ puts: documents.map((document) => ({ collection, document })) });

    /** The ids `find` answers, in its order. */
    const found = async (collection: string, query: Query = {}): Promise<string[]> =>
      idsOf(await store.find(collection, query));

    /** The matching ids in id order, checking that count agrees with find. */
    const matching = async (collection: string, filter: Filter): Promise<string[]> => {
      const ids = (await found(collection, { filter })).sort();
      expect(await store.count(collection, filter)).toBe(ids.length);
      return ids;
    };

    describe('documents', () => {
      it('round-trips nested data and Chinese text exactly', async () => {
        const collection = newCollection();
        const document: Document = {
          id: '沪-浦东-0001',
          name: '上海市浦东新区陆家嘴街道社区志愿者协会',
          registered: true,
          suspended: false,
          members: 128,
          score: 4.75,
          balance: -12.5,
          dissolvedAt: null,
          address: {
            district: '浦东新区',
            street: '陆家嘴环路 1000 号',
            geo: { lat: 31.2397, lng: 121.4998 },
          },
          activities: [
            { name: '敬老', hours: 12, tags: ['社区', '周末'] },
            { name: '环保 🌱', hours: 3.5, tags: [] },
          ],
          quote: 'He said "你好" \\ and left\n\ttab',
          empty: { list: [], object: {}, text: '' },
        };
        await put(collection, document);

        expect(await store.get(collection, document.id)).toEqual(document);
        expect(await store.get(collection, 'missing')).toBeUndefined();
        expect(await store.find(collection)).toEqual([document]);
      });

      it('replaces the whole document on a second put', async () => {
        const collection = newCollection();
        await put(collection, { id: 'a', name: '旧名称', extra: { kept: false }, n: 1 });
        await put(collection, { id: 'a', name: '新名称', n: 2 });

        expect(await store.get(collection, 'a')).toEqual({ id: 'a', name: '新名称', n: 2 });
        expect(await store.count(collection)).toBe(1);
        expect(await matching(collection, { n: 1 })).toEqual([]);
        expect(await matching(collection, { name: '新名称' })).toEqual(['a']);
      });

      it('keeps the last of several puts of one id in a unit', async () => {
        const collection = newCollection();
        await put(collection, { id: 'a', v: 1 }, { id: 'a', v: 2 }, { id: 'a', v: 3 });
        expect(await store.find(collection)).toEqual([{ id: 'a', v: 3 }]);
      });

      it('reads many documents at once, answering only those found', async () => {
        const collection = newCollection();
        const documents = Array.from({ length: 1203 }, (_, index) => ({
          id: `doc-${String(index).padStart(4, '0')}`,
          index,
          label: `第${String(index)}号`,
        }));
        await put(collection, ...documents);

        const wanted = [...idsOf(documents).filter((_, index) => index % 2 === 0), 'missing-1'];
        const many = await store.getMany(collection, [...wanted, wanted[0] ?? '', 'missing-2']);
        expect(many).toBeInstanceOf(Map);
        expect(many.size).toBe(602);
        expect([...many.keys()].sort()).toEqual(wanted.slice(0, -1));
        expect(many.get('doc-1202')).toEqual({ id: 'doc-1202', index: 1202, label: '第1202号' });
        expect(many.has('doc-0001')).toBe(false);
        expect(many.has('missing-1')).toBe(false);

        expect((await store.getMany(collection, [])).size).toBe(0);
        expect(idsOf((await store.getMany(collection, ['doc-0007'])).values())).toEqual([
          'doc-0007',
        ]);
      });

      it('deletes documents, ignoring ids and collections that do not exist', async () => {
        const collection = newCollection();
        await put(collection, { id: 'a' }, { id: 'b' }, { id: 'c' });
        await store.commit({
          deletes: [
            { collection, id: 'b' },
            { collection, id: 'missing' },
            { collection: newCollection(), id: 'a' },
          ],
        });

        expect(await store.get(collection, 'b')).toBeUndefined();
        expect(await found(collection, { sort: [['id', 1]] })).toEqual(['a', 'c']);
        expect((await store.getMany(collection, ['a', 'b', 'c'])).size).toBe(2);
        expect(await store.count(collection)).toBe(2);
      });

      it('writes puts and deletes in several collections in one unit', async () => {
        const first = newCollection();
        const second = newCollection();
        await put(first, { id: 'gone' });
        await store.commit({
          puts: [
            { collection: first, document: { id: 'x', in: 'first' } },
            { collection: second, document: { id: 'x', in: 'second' } },
          ],
          deletes: [{ collection: first, id: 'gone' }],
        });

        expect(await store.find(first)).toEqual([{ id: 'x', in: 'first' }]);
        expect(await store.find(second)).toEqual([{ id: 'x', in: 'second' }]);
      });

      it('accepts an empty unit', async () => {
        await expect(store.commit({})).resolves.toBeUndefined();
        await expect(store.commit({ puts: [], deletes: [], checkpoints: {} })).resolves.toBe(
          undefined,
        );
      });
    });

    describe.each([
      ['ensured with indexes', ORGANIZATION_INDEXES],
      ['created by a commit', undefined],
    ] as const)('filters on a collection %s', (_, indexes) => {
      const collection = newCollection();

      beforeAll(async () => {
        if (indexes !== undefined) await store.ensureCollection(collection, indexes);
        // Stored out of id order, so that no answer is in order by accident.
        await put(collection, ...[...ORGANIZATIONS].reverse());
      });

      it.each(FILTER_CASES)('%s', async (_description, filter, expected) => {
        expect(await matching(collection, filter)).toEqual(expected);
      });

      it('returns whole documents', async () => {
        const organizations = await store.find(collection, { filter: { district: '徐汇区' } });
        expect(organizations).toEqual([ORGANIZATIONS[5]]);
      });

      it('counts every document without a filter', async () => {
        expect(await store.count(collection)).toBe(ORGANIZATIONS.length);
        expect(await store.count(collection, {})).toBe(ORGANIZATIONS.length);
      });
    });

    describe('sort, skip and limit', () => {
      const collection = newCollection();

      beforeAll(async () => {
        await put(collection, ...[...ORGANIZATIONS].reverse());
      });

      it('sorts missing and null first ascending, last descending', async () => {
        const ascending = await found(collection, { sort: [['members', 1]] });
        expect(ascending.slice(0, 1)).toEqual(['o06']);
        const descending = await found(collection, { sort: [['parentId', -1]] });
        expect(descending.slice(-5)).toEqual(['o02', 'o03', 'o05', 'o06', 'o07']);
      });

      it('leaves a range bound given as undefined out', async () => {
        const filter = { members: { $gte: 100, $lt: undefined } } as unknown as Filter;
        expect((await found(collection, { filter })).sort()).toEqual(['o01', 'o07']);
      });

      it('sorts numbers ascending and descending', async () => {
        const filter = { members: { $ne: null } };
        const ascending = ['o04', 'o03', 'o05', 'o02', 'o01', 'o07'];
        expect(await found(collection, { filter, sort: [['members', 1]] })).toEqual(ascending);
        expect(await found(collection, { filter, sort: [['members', -1]] })).toEqual(
          [...ascending].reverse(),
        );
      });

      it('sorts ISO timestamps in time order', async () => {
        expect(await found(collection, { sort: [['foundedAt', 1]] })).toEqual([
          'o02',
          'o04',
          'o01',
          'o06',
          'o03',
          'o05',
          'o07',
        ]);
      });

      it('sorts Chinese text by code point', async () => {
        // 徐 U+5F90 < 浦 U+6D66 < 静 U+9759
        const filter = { district: { $ne: null } };
        expect(
          await found(collection, {
            filter,
            sort: [
              ['district', 1],
              ['id', -1],
            ],
          }),
        ).toEqual(['o06', 'o05', 'o04', 'o03', 'o02', 'o01']);
      });

      it('breaks ties by id ascending, whatever the direction', async () => {
        expect(await found(collection, { sort: [['score', 1]] })).toEqual([
          'o03',
          'o04',
          'o07',
          'o02',
          'o01',
          'o05',
          'o06',
        ]);
        expect(await found(collection, { sort: [['score', -1]] })).toEqual([
          'o06',
          'o01',
          'o05',
          'o02',
          'o07',
          'o04',
          'o03',
        ]);
      });

      it('sorts on two fields, then by id', async () => {
        // Booleans: false before true.
        expect(
          await found(collection, {
            sort: [
              ['active', -1],
              ['score', 1],
            ],
          }),
        ).toEqual(['o03', 'o04', 'o01', 'o06', 'o07', 'o02', 'o05']);

        const ties = newCollection();
        await put(
          ties,
          { id: 'k3', a: 1, b: 'x' },
          { id: 'k0', a: 1, b: 'y' },
          { id: 'k4', a: 0, b: 'x' },
          { id: 'k1', a: 1, b: 'x' },
          { id: 'k2', a: 1, b: 'x' },
        );
        expect(
          await found(ties, {
            sort: [
              ['a', -1],
              ['b', 1],
            ],
          }),
        ).toEqual(['k1', 'k2', 'k3', 'k0', 'k4']);
        expect(
          await found(ties, {
            sort: [
              ['a', 1],
              ['b', -1],
            ],
          }),
        ).toEqual(['k4', 'k0', 'k1', 'k2', 'k3']);
      });

      it('sorts by id descending', async () => {
        expect(await found(collection, { sort: [['id', -1]] })).toEqual(
          idsOf(ORGANIZATIONS).reverse(),
        );
      });

      it('filters, sorts and pages together', async () => {
        // o06 has no members, and where missing fields sort is up to the adapter.
        const query: Query = {
          filter: { active: true, members: { $ne: null } },
          sort: [['members', -1]],
          skip: 1,
          limit: 2,
        };
        expect(await found(collection, query)).toEqual(['o03', 'o04']);
      });

      it('pages through every document exactly once, with ties on the sort field', async () => {
        const paged = newCollection();
        const total = 53;
        const documents = Array.from({ length: total }, (_, index) => ({
          id: `p${String((index * 37) % total).padStart(2, '0')}`,
          group: index % 3,
        }));
        await put(paged, ...documents);
        const sort = [['group', 1]] as const;

        const pages: string[][] = [];
        for (let skip = 0; skip < total + 10; skip += 10) {
          pages.push(await found(paged, { sort, skip, limit: 10 }));
        }
        const all = await found(paged, { sort });

        expect(pages.map((page) => page.length)).toEqual([10, 10, 10, 10, 10, 3, 0]);
        expect(pages.flat()).toEqual(all);
        expect(new Set(all).size).toBe(total);
        expect(await found(paged, { sort, skip: 50 })).toEqual(all.slice(50));
        expect(await found(paged, { sort, limit: 4 })).toEqual(all.slice(0, 4));
      });

      it('pages a filtered query', async () => {
        const sort = [['foundedAt', 1]] as const;
        const filter = { district: { $ne: '静安区' } };
        const all = await found(collection, { filter, sort });
        expect(all).toEqual(['o04', 'o06', 'o03', 'o05', 'o07']);
        expect(await found(collection, { filter, sort, skip: 2, limit: 2 })).toEqual([
          'o03',
          'o05',
        ]);
        expect(await found(collection, { filter, sort, skip: 4, limit: 2 })).toEqual(['o07']);
      });

      it('answers nothing for limit 0', async () => {
        // MongoDB cursors read limit(0) as "no limit": adapters must not.
        expect(await found(collection, { limit: 0 })).toEqual([]);
        expect(await found(collection, { sort: [['id', 1]], skip: 2, limit: 0 })).toEqual([]);
      });
    });

    describe('checkpoints', () => {
      it('are 0 until written', async () => {
        expect(await store.checkpoint(newCheckpointName())).toBe(0);
      });

      it('move with the documents they cover, and can be deleted', async () => {
        const collection = newCollection();
        const projection = newCheckpointName();
        const other = newCheckpointName();

        await store.commit({
          puts: [{ collection, document: { id: 'a', n: 1 } }],
          checkpoints: { [projection]: pos(5), [other]: pos(1) },
        });
        expect(await store.checkpoint(projection)).toBe(5);
        expect(await store.checkpoint(other)).toBe(1);

        await store.commit({
          puts: [{ collection, document: { id: 'a', n: 2 } }],
          deletes: [{ collection, id: 'missing' }],
          checkpoints: { [projection]: pos(9) },
        });
        expect(await store.checkpoint(projection)).toBe(9);
        expect(await store.checkpoint(other)).toBe(1);
        expect(await store.get(collection, 'a')).toEqual({ id: 'a', n: 2 });

        await store.commit({ checkpoints: { [projection]: pos(12) } });
        expect(await store.checkpoint(projection)).toBe(12);

        await store.deleteCheckpoint(projection);
        expect(await store.checkpoint(projection)).toBe(0);
        expect(await store.checkpoint(other)).toBe(1);
        await expect(store.deleteCheckpoint(projection)).resolves.toBeUndefined();
        await expect(store.deleteCheckpoint(newCheckpointName())).resolves.toBeUndefined();
      });

      it('never move backwards: a position not greater than the stored one leaves it', async () => {
        const name = newCheckpointName();
        await store.commit({ checkpoints: { [name]: pos(10) } });
        await store.commit({ checkpoints: { [name]: pos(4) } });
        expect(await store.checkpoint(name)).toBe(10);
        await store.commit({ checkpoints: { [name]: pos(10) } });
        expect(await store.checkpoint(name)).toBe(10);
        await store.commit({ checkpoints: { [name]: pos(11) } });
        expect(await store.checkpoint(name)).toBe(11);
      });

      it('hold large positions exactly', async () => {
        const name = newCheckpointName();
        await store.commit({ checkpoints: { [name]: pos(9_007_199_254_740_991) } });
        expect(await store.checkpoint(name)).toBe(9_007_199_254_740_991);
      });
    });

    describe('collections', () => {
      it('answers empty for a collection that was never created, without creating it', async () => {
        const collection = newCollection();
        expect(await store.get(collection, 'a')).toBeUndefined();
        expect((await store.getMany(collection, ['a', 'b'])).size).toBe(0);
        expect(await store.find(collection)).toEqual([]);
        expect(
          await store.find(collection, {
            filter: { n: { $gt: 1 }, name: { $contains: '会' } },
            sort: [['n', -1]],
            skip: 1,
            limit: 5,
          }),
        ).toEqual([]);
        expect(await store.count(collection)).toBe(0);
        expect(await store.count(collection, { n: 1 })).toBe(0);
        expect(await store.listCollections()).not.toContain(collection);
      });

      it('ensures a collection idempotently, keeping its documents', async () => {
        const collection = newCollection();
        await store.ensureCollection(collection, [['district'], ['district', 'members']]);
        expect(await store.count(collection)).toBe(0);
        expect(await store.find(collection, { filter: { district: '静安区' } })).toEqual([]);

        await put(collection, ...ORGANIZATIONS);
        await store.ensureCollection(collection, [['district'], ['district', 'members']]);
        await store.ensureCollection(collection, [['district'], ['members'], ['name']]);
        await store.ensureCollection(collection, []);

        expect(await store.count(collection)).toBe(ORGANIZATIONS.length);
        expect(
          await found(collection, {
            filter: { district: '静安区' },
            sort: [['members', 1]],
          }),
        ).toEqual(['o02', 'o01']);
      });

      it('creates a collection on the first put into it', async () => {
        const collection = newCollection();
        await put(collection, { id: 'a' });
        expect(await store.listCollections()).toContain(collection);
        expect(await store.get(collection, 'a')).toEqual({ id: 'a' });
      });

      it('lists collections, and drops them with their documents', async () => {
        const ensured = newCollection();
        const written = newCollection();
        await store.ensureCollection(ensured, [['n']]);
        await put(written, { id: 'a', n: 1 }, { id: 'b', n: 2 });

        const listed = await store.listCollections();
        expect(listed).toEqual(expect.arrayContaining([ensured, written]));
        expect(new Set(listed).size).toBe(listed.length);

        await store.dropCollection(written);
        expect(await store.listCollections()).not.toContain(written);
        expect(await store.listCollections()).toContain(ensured);
        expect(await store.get(written, 'a')).toBeUndefined();
        expect(await store.find(written, { filter: { n: 1 } })).toEqual([]);
        expect(await store.count(written)).toBe(0);

        await expect(store.dropCollection(written)).resolves.toBeUndefined();
        await expect(store.dropCollection(newCollection())).resolves.toBeUndefined();

        // Dropped, then created again: nothing of the old documents comes back.
        await put(written, { id: 'c', n: 1 });
        expect(await found(written, { filter: { n: 1 } })).toEqual(['c']);
        await store.ensureCollection(written, [['n']]);
        expect(await store.count(written)).toBe(1);
      });

      it('keeps checkpoints when a collection is dropped', async () => {
        const collection = newCollection();
        const name = newCheckpointName();
        await store.commit({
          puts: [{ collection, document: { id: 'a' } }],
          checkpoints: { [name]: pos(3) },
        });
        await store.dropCollection(collection);
        expect(await store.checkpoint(name)).toBe(3);
      });
    });

    describe('validation', () => {
      /** The store's collections that `act` added. */
      const added = async (act: () => Promise<void>): Promise<string[]> => {
        const before = new Set(await store.listCollections());
        await act();
        return (await store.listCollections()).filter((c) => !before.has(c));
      };

      it('refuses documents without a string id and bad checkpoint positions', async () => {
        const collection = newCollection();
        const checkpoint = newCheckpointName();
        const noId = { name: 'x' } as unknown as Document;
        expect(
          await added(async () => {
            await expect(store.commit({ puts: [{ collection, document: noId }] })).rejects.toThrow(
              /string id/,
            );
            // Forged past positionFromJson (which refuses them too): the adapter checks again.
            for (const position of [-1, 1.5, Number.NaN, 2 ** 53]) {
              await expect(
                store.commit({ checkpoints: { [checkpoint]: position as unknown as Position } }),
              ).rejects.toThrow(RangeError);
            }
          }),
        ).toEqual([]);
        expect(await store.checkpoint(checkpoint)).toBe(0);
      });

      const badCollections = [
        '',
        'Registry',
        '1registry',
        '_registry',
        'registry-v1',
        'registry.v1',
        'system.views',
        'a'.repeat(64),
        'x"; DROP TABLE checkpoints; --',
        'x"; db.dropDatabase(); //',
        '$cmd',
        '社区',
        'checkpoints',
        'sqlite_master',
      ];

      it.each(badCollections)('refuses the collection name %j', async (collection) => {
        const message = /collection name/;
        await expect(store.ensureCollection(collection, [])).rejects.toThrow(message);
        await expect(store.get(collection, 'a')).rejects.toThrow(message);
        await expect(store.getMany(collection, [])).rejects.toThrow(message);
        await expect(store.find(collection)).rejects.toThrow(message);
        await expect(store.count(collection)).rejects.toThrow(message);
        await expect(store.dropCollection(collection)).rejects.toThrow(message);
        await expect(
          store.commit({ puts: [{ collection, document: { id: 'a' } }] }),
        ).rejects.toThrow(message);
        await expect(store.commit({ deletes: [{ collection, id: 'a' }] })).rejects.toThrow(message);
      });

      it('accepts the longest valid collection name', async () => {
        const collection = `r${'_'.repeat(61)}9`;
        expect(await added(() => store.ensureCollection(collection, [['a_1']]))).toEqual([
          collection,
        ]);
      });

      it.each(['a.b', '$where', 'a b', "a'", '1a', 'x)--', '名称', '', '_id.x'])(
        'refuses the field name %j',
        async (field) => {
          const collection = newCollection();
          await put(collection, { id: 'a' });
          const message = /field name/;
          await expect(store.find(collection, { filter: { [field]: 1 } })).rejects.toThrow(message);
          await expect(store.count(collection, { [field]: { $gt: 1 } })).rejects.toThrow(message);
          await expect(store.find(collection, { sort: [[field, 1]] })).rejects.toThrow(message);
          await expect(store.ensureCollection(collection, [[field]])).rejects.toThrow(message);
          // Even on a collection that does not exist.
          await expect(store.find(newCollection(), { filter: { [field]: 1 } })).rejects.toThrow(
            message,
          );
        },
      );

      it('refuses malformed queries', async () => {
        const collection = newCollection();
        await put(collection, { id: 'a', n: 1 });
        const refused = async (query: unknown, error: RegExp | ErrorConstructor): Promise<void> => {
          await expect(store.find(collection, query as Query)).rejects.toThrow(error);
        };

        await refused({ filter: { n: { $regex: '.*' } } }, /Unknown operator \$regex/);
        await refused({ filter: { n: { $where: 'true' } } }, /Unknown operator \$where/);
        await refused({ filter: { n: { $in: 1 } } }, /needs an array/);
        await refused({ filter: { n: [1, 2] } }, /\$in/);
        await refused({ filter: { n: { $gt: null } } }, /null has no order/);
        await refused({ filter: { n: { $contains: 1 } } }, /needs a string/);
        await refused({ filter: { n: { $prefix: null } } }, /needs a string/);
        await refused({ filter: { n: new Date() } }, /a Date/);
        await refused({ filter: { n: Number.NaN } }, /NaN/);
        await refused({ filter: { n: { $in: [{}] } } }, /object/);
        await refused({ filter: { n: undefined } }, /undefined/);
        await refused({ filter: { id: 1 } }, /id is a string/);
        await refused({ sort: [['n', 0]] }, /sort direction/);
        for (const count of [-1, 1.5, Number.POSITIVE_INFINITY]) {
          await refused({ skip: count }, RangeError);
          await refused({ limit: count }, RangeError);
          await refused({ skip: count, limit: 0 }, RangeError);
        }
        await expect(store.ensureCollection(collection, [[]])).rejects.toThrow(
          /at least one field/,
        );
      });
    });

    describe('position guards', () => {
      it('a put never replaces a version with a greater _position', async () => {
        const collection = newCollection();
        await put(collection, { id: 'a', n: 2, _position: 20 });
        await put(collection, { id: 'a', n: 1, _position: 10 });
        expect(await store.get(collection, 'a')).toEqual({ id: 'a', n: 2, _position: 20 });
      });

      it('a delete with a position removes only an older version', async () => {
        const collection = newCollection();
        await put(
          collection,
          { id: 'newer', _position: 30 },
          { id: 'older', _position: 10 },
          { id: 'plain', n: 1 },
        );
        await store.commit({
          deletes: [
            { collection, id: 'newer', position: pos(20) },
            { collection, id: 'older', position: pos(20) },
            { collection, id: 'plain', position: pos(20) },
          ],
        });
        expect(
          idsOf((await store.getMany(collection, ['newer', 'older', 'plain'])).values()),
        ).toEqual(['newer']);
      });
    });

    describe('leases', () => {
      const lease = (): string => `lease_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      /**
       * Real time: MongoDB judges expiry by the server's clock (the `nowMs` given is ignored
       * there), SQLite by `nowMs`; the server runs on this machine's clock.
       */
      const acquire = (name: string, holder: string, ttlMs: number): Promise<number | undefined> =>
        store.acquireLease(name, holder, ttlMs, Date.now());
      const sleep = (ms: number): Promise<void> =>
        new Promise((resolve) => {
          setTimeout(resolve, ms);
        });

      it('is taken when free, refused to another holder while it runs, renewed by its holder under the same generation', async () => {
        const name = lease();
        const first = await acquire(name, 'replica-a', 10_000);
        expect(first).toBe(1);
        expect(await acquire(name, 'replica-b', 10_000)).toBeUndefined();
        expect(await acquire(name, 'replica-a', 10_000)).toBe(first);
        expect(await acquire(name, 'replica-b', 10_000)).toBeUndefined();
      });

      it('passes to another holder once expired under a greater generation, and the old holder then loses it', async () => {
        const name = lease();
        const first = await acquire(name, 'replica-a', 300);
        await sleep(450);
        const second = await acquire(name, 'replica-b', 60_000);
        expect(second).toBeGreaterThan(first ?? Number.POSITIVE_INFINITY);
        expect(await acquire(name, 'replica-a', 60_000)).toBeUndefined();
      });

      it('keeps its generation when its own holder renews it after it expired', async () => {
        const name = lease();
        const first = await acquire(name, 'replica-a', 100);
        await sleep(250);
        expect(await acquire(name, 'replica-a', 60_000)).toBe(first);
      });

      it('is free again once released by its holder, not by another, under a greater generation', async () => {
        const name = lease();
        const first = (await acquire(name, 'replica-a', 60_000)) ?? 0;
        await store.releaseLease(name, 'replica-b');
        expect(await acquire(name, 'replica-b', 60_000)).toBeUndefined();
        await store.releaseLease(name, 'replica-a');
        const second = (await acquire(name, 'replica-b', 60_000)) ?? 0;
        expect(second).toBeGreaterThan(first);
        // Released and taken again by the same holder: a new generation too.
        await store.releaseLease(name, 'replica-b');
        expect(await acquire(name, 'replica-b', 60_000)).toBeGreaterThan(second);
      });

      it('lets exactly one of several racing holders win', async () => {
        const name = lease();
        const results = await Promise.all(
          ['a', 'b', 'c', 'd'].map((holder) => acquire(name, holder, 60_000)),
        );
        expect(results.filter((generation) => generation !== undefined)).toEqual([1]);
      });

      it('refuses an empty holder', async () => {
        await expect(acquire(lease(), '', 60_000)).rejects.toThrow(/holder/);
      });

      it('fences commits: a unit of a holder whose lease was taken over is refused whole', async () => {
        const name = lease();
        const collection = newCollection();
        const checkpoint = newCheckpointName();
        const old = (await acquire(name, 'replica-a', 300)) ?? 0;
        const fenceA = { lease: name, holder: 'replica-a', generation: old };
        await store.commit({
          puts: [{ collection, document: { id: 'a', n: 1, _position: 1 } }],
          checkpoints: { [checkpoint]: pos(1) },
          fence: fenceA,
        });
        await sleep(450);
        const taken = (await acquire(name, 'replica-b', 60_000)) ?? 0;
        const fenceB = { lease: name, holder: 'replica-b', generation: taken };

        // replica-a wakes up with a late batch: nothing of it is written.
        const late = store.commit({
          puts: [
            { collection, document: { id: 'a', n: 2, _position: 2 } },
            { collection, document: { id: 'b', n: 1, _position: 2 } },
          ],
          deletes: [{ collection, id: 'a', position: pos(2) }],
          checkpoints: { [checkpoint]: pos(2) },
          fence: fenceA,
        });
        await expect(late).rejects.toBeInstanceOf(LeaseLostError);
        await expect(late).rejects.toMatchObject({ fence: fenceA });
        expect(await store.get(collection, 'a')).toEqual({ id: 'a', n: 1, _position: 1 });
        expect(await store.get(collection, 'b')).toBeUndefined();
        expect(await store.checkpoint(checkpoint)).toBe(1);

        // The new holder's commits go through; the old one's stay refused.
        await store.commit({ checkpoints: { [checkpoint]: pos(5) }, fence: fenceB });
        expect(await store.checkpoint(checkpoint)).toBe(5);
        await expect(
          store.commit({ checkpoints: { [checkpoint]: pos(9) }, fence: fenceA }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.checkpoint(checkpoint)).toBe(5);
      });

      it('fences commits after a release too', async () => {
        const name = lease();
        const generation = (await acquire(name, 'replica-a', 60_000)) ?? 0;
        await store.releaseLease(name, 'replica-a');
        const checkpoint = newCheckpointName();
        await expect(
          store.commit({
            checkpoints: { [checkpoint]: pos(3) },
            fence: { lease: name, holder: 'replica-a', generation },
          }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect(await store.checkpoint(checkpoint)).toBe(0);
      });
    });
  });
}
