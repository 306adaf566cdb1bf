/**
 * The CSV export pages through the registry by the last name sent (keyset paging). Names repeat
 * across districts, so ties must straddle page boundaries without a row lost or sent twice, with
 * and without a name search.
 */
import { createProjections } from '../../projections/index.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { Document } from '../../src/event-sourcing/ports/read-store.port.js';
import {
  CATALOG_COLLECTION,
  catalogEntry,
  ensureTarget,
  targetFor,
} from '../../src/event-sourcing/projection/projection-catalog.js';
import { ReadModelCollections } from '../../src/event-sourcing/projection/read-model-collections.js';
import { RegistryQueries, type RegistryCriteria } from '../../src/registry/registry.queries.js';
import { divisions } from '../support/fixtures.js';

const DISTRICTS = ['310101', '310104', '310105', '310106', '310107'];
/** Few distinct names, each in up to five districts: long runs of ties. */
const NAMES = ['书画社', '合唱团', '太极拳队', '读书会', '编织组', '象棋社', '志愿服务队'];

let store: SqliteReadStore;
let registry: RegistryQueries;
let collection: string;

beforeAll(async () => {
  store = SqliteReadStore.open(':memory:');
  const projection = createProjections(divisions).find((p) => p.name === 'registry');
  if (!projection) throw new Error('no registry projection');
  const target = targetFor(projection, 1);
  collection = target.collection;
  await ensureTarget(store, target);
  const documents: Document[] = [];
  let n = 0;
  for (const name of NAMES) {
    for (const [d, districtCode] of DISTRICTS.entries()) {
      // Not every name in every district, and ids not in name order.
      if ((n + d) % 4 === 3) continue;
      n++;
      const id = `${String((n * 7919) % 1000).padStart(3, '0')}-${String(n)}`;
      documents.push({ id, name, districtCode, status: n % 5 === 0 ? 'dissolved' : 'active' });
    }
  }
  await store.commit({
    puts: [
      ...documents.map((document) => ({ collection, document })),
      {
        collection: CATALOG_COLLECTION,
        document: catalogEntry(target, 1, new Date('2026-01-01T00:00:00Z')),
      },
    ],
  });
  registry = new RegistryQueries(store, new ReadModelCollections(store));
});

afterAll(async () => {
  await store.close();
});

async function exported(criteria: RegistryCriteria, pageSize: number): Promise<string[]> {
  const ids: string[] = [];
  for await (const entry of registry.each(criteria, pageSize)) ids.push(String(entry['id']));
  return ids;
}

describe('the registry export pages by the last name sent', () => {
  it.each([
    ['everything', {}],
    ['a name search', { q: '社' }],
    ['a status', { status: 'active' as const }],
  ])('gives every matching row once, in order, whatever the page size: %s', async (_, criteria) => {
    const all = await registry.list(criteria, { page: 1, pageSize: 1000 });
    const expected = all.items.map((entry) => String(entry['id']));
    expect(expected.length).toBeGreaterThan(8);
    for (const pageSize of [1, 2, 3, 4, 5, 7, 1000]) {
      expect({ pageSize, ids: await exported(criteria, pageSize) }).toEqual({
        pageSize,
        ids: expected,
      });
    }
  });
});
