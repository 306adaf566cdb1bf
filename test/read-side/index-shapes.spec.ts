/**
 * MongoDB pages must be read off an index in page order (issue #17): for every query the list
 * routes make (collected from the query classes, every criterion in every combination), there
 * is an index whose keys serve it, checked on the query's shape since FerretDB cannot show plans.
 * Once against the projections' declared indexes, and once against the indexes a MongoDB-wire
 * server (FerretDB in CI) holds after the read store ensured the collections.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createProjections } from '../../projections/index.js';
import { MongoReadStore } from '../../src/adapters/mongodb/mongodb-read-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { indexKeys, type IndexKey } from '../../src/event-sourcing/ports/read-store-indexes.js';
import type { ReadStore } from '../../src/event-sourcing/ports/read-store.port.js';
import { divisions } from '../support/fixtures.js';
import { describeWithServer } from '../support/servers.js';
import {
  recordingReadStore,
  type RecordedCount,
  type RecordedFind,
} from './recording-read-store.js';
import { makeRouteQueries, servingCollections } from './route-queries.js';
import { modelOf, servesCount, servesPage, shapeOf, type QueryShape } from './query-shape.js';

interface Recorded {
  readonly finds: readonly RecordedFind[];
  readonly counts: readonly RecordedCount[];
}

async function recordRouteQueries(store: ReadStore): Promise<Recorded> {
  await servingCollections(store);
  const recorded = recordingReadStore(store);
  await makeRouteQueries(recorded.store);
  return recorded;
}

/**
 * Fields a model's pages filter on without an index of their own, by design (see the
 * projections' comments): a few values each, checked on the candidates the index gives.
 */
const RESIDUAL: Readonly<Record<string, readonly string[]>> = {
  funding: ['channel'],
  activity_reports: ['level'],
};

/**
 * The equality fields of a page that an index should narrow by: not the model's residual
 * fields, nor a field every page of the model compares (a document kind).
 */
function selectiveFields(shapes: readonly QueryShape[]): (shape: QueryShape) => string[] {
  const everywhere = new Map<string, string[]>();
  for (const shape of shapes) {
    const known = everywhere.get(shape.model);
    everywhere.set(
      shape.model,
      known === undefined ? [...shape.equality] : known.filter((f) => shape.equality.includes(f)),
    );
  }
  return (shape) =>
    shape.equality.filter(
      (field) =>
        !(RESIDUAL[shape.model] ?? []).includes(field) &&
        !(everywhere.get(shape.model) ?? []).includes(field),
    );
}

/** The finds and counts no index serves, described for the failure message. */
function unserved(
  recorded: Recorded,
  indexesOf: (model: string) => ReadonlyArray<readonly IndexKey[]>,
): { pages: string[]; counts: string[] } {
  const shapes = recorded.finds.map(({ collection, query }) => shapeOf(collection, query));
  const selective = selectiveFields(shapes);
  const pages = shapes
    .filter(
      (shape) =>
        !indexesOf(shape.model).some((index) => servesPage(shape, index, selective(shape))),
    )
    .map((shape) => JSON.stringify(shape));
  const counts = recorded.counts
    .map(({ collection, filter }) => shapeOf(collection, { filter }))
    .filter(
      (shape) =>
        shape.equality.length + shape.ranges.length + shape.residual.length > 0 &&
        !indexesOf(shape.model).some((index) => servesCount(shape, index)),
    )
    .map((shape) => JSON.stringify(shape));
  return { pages: [...new Set(pages)], counts: [...new Set(counts)] };
}

const declared = new Map(
  createProjections(divisions).map((projection) => [
    projection.name,
    projection.indexes.map((spec) => indexKeys(projection.name, spec)),
  ]),
);

describe('the declared indexes serve every query of the list routes', () => {
  let store: SqliteReadStore;
  let recorded: Recorded;

  beforeAll(async () => {
    store = SqliteReadStore.open(':memory:');
    recorded = await recordRouteQueries(store);
  });

  afterAll(async () => {
    await store.close();
  });

  it('collected every combination of the routes’ criteria', () => {
    const finds = (model: string): number =>
      recorded.finds.filter(({ collection }) => modelOf(collection) === model).length;
    // Registry: 2^7 pages and as many exports, the unfiltered one paging on by name over its two
    // records (two more pages); funding: 2^6; activity reports: 4 place levels × month × level.
    expect(finds('registry')).toBe(128 + 128 + 2);
    expect(finds('funding')).toBe(64);
    expect(finds('activity_reports')).toBe(16);
    // Worklists: six lists for each of the four levels.
    expect(finds('worklists')).toBe(24);
    expect(recorded.counts).toHaveLength(128 + 64 + 16 + 24);
    // The export's next page is bounded by the last name sent.
    expect(
      recorded.finds.some(({ query }) => {
        const name = query.filter?.['name'];
        return typeof name === 'object' && name !== null && '$gte' in name;
      }),
    ).toBe(true);
  });

  it('ends every declared index with id, the tie-break of every page order', () => {
    const without = [...declared].flatMap(([model, indexes]) =>
      indexes.filter((index) => index.at(-1)?.field !== 'id').map((index) => ({ model, index })),
    );
    expect(without).toEqual([]);
  });

  it('reads every page off an index in page order', () => {
    expect(unserved(recorded, (model) => declared.get(model) ?? []).pages).toEqual([]);
  });

  it('starts every count with a filter from an index', () => {
    expect(unserved(recorded, (model) => declared.get(model) ?? []).counts).toEqual([]);
  });

  it('tells a page order an index cannot give', () => {
    const shape = shapeOf('funding_v3_g1', {
      filter: { kind: 'grant', districtCode: '310104' },
      sort: [['grantedOn', -1]],
    });
    const keys = (...spec: Parameters<typeof indexKeys>[1]): IndexKey[] => indexKeys('t', spec);
    expect(servesPage(shape, keys('districtCode', ['grantedOn', -1], 'id'))).toBe(true);
    expect(servesPage(shape, keys('kind', 'grantedOn', ['id', -1]))).toBe(true);
    // Ascending dates with ascending ids is neither the page order nor its reverse.
    expect(servesPage(shape, keys('kind', 'grantedOn', 'id'))).toBe(false);
    // Without the tie-break, the ties of each date are sorted.
    expect(servesPage(shape, keys('kind', ['grantedOn', -1]))).toBe(false);
    // A field the query does not compare for equality comes before the page order.
    expect(servesPage(shape, keys('year', ['grantedOn', -1], 'id'))).toBe(false);
    // The page order alone would read every grant of the city to find one district's.
    expect(servesPage(shape, keys(['grantedOn', -1], 'id'))).toBe(false);
    // So would the kind every grant has, when the district is what narrows the query.
    expect(servesPage(shape, keys('kind', ['grantedOn', -1], 'id'), ['districtCode'])).toBe(false);
    expect(servesPage(shape, keys('kind', ['grantedOn', -1], 'id'), [])).toBe(true);
  });
});

describeWithServer(
  'mongodb',
  'the indexes MongoDB holds serve every query of the list routes',
  (url) => {
    const dbName = `index_shapes_${randomUUID().slice(0, 8)}`;
    let store: MongoReadStore;
    let raw: MongoClient;
    let recorded: Recorded;
    const held = new Map<string, IndexKey[][]>();

    beforeAll(async () => {
      // With the index build limit a deployment has: the server accepts it.
      store = await MongoReadStore.connect(url, dbName, { indexBuildTimeoutMs: 60_000 });
      raw = new MongoClient(url);
      await raw.connect();
      // The queries run on the server too: each is one it accepts.
      recorded = await recordRouteQueries(store);
      for (const collection of await store.listCollections()) {
        // Rollups are read by id only.
        if (collection.endsWith('_rollup')) continue;
        const listed = (await raw
          .db(dbName)
          .collection(collection)
          .listIndexes()
          .toArray()) as Array<{
          key: Record<string, 1 | -1>;
        }>;
        held.set(
          modelOf(collection),
          listed.map(({ key }) =>
            Object.entries(key).map(([path, direction]) => ({
              field: path === '_id' ? 'id' : path,
              direction,
            })),
          ),
        );
      }
    });

    afterAll(async () => {
      await store.close();
      try {
        await raw.db(dbName).dropDatabase();
      } finally {
        await raw.close();
      }
    });

    it('holds the declared indexes, with their directions and the _id tie-break', () => {
      for (const [model, indexes] of declared) {
        for (const index of indexes) expect(held.get(model)).toContainEqual(index);
      }
    });

    it('reads every page off an index in page order', () => {
      expect(recorded.finds.length).toBeGreaterThan(200);
      expect(unserved(recorded, (model) => held.get(model) ?? []).pages).toEqual([]);
    });

    it('starts every count with a filter from an index', () => {
      expect(unserved(recorded, (model) => held.get(model) ?? []).counts).toEqual([]);
    });
  },
);
