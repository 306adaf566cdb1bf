/**
 * The public list routes stay fast at city scale only if SQLite answers each page from an index
 * that also gives the page order: no full scan of a collection, no sorting of every match. The
 * queries are captured from the real query classes (so a new filter shows up here) and each
 * one's plan is checked on collections built with the projections' declared indexes.
 */
import { createProjections } from '../../projections/index.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { Filter } from '../../src/event-sourcing/ports/read-store.port.js';
import {
  CATALOG_COLLECTION,
  catalogEntry,
  ensureTarget,
  targetFor,
} from '../../src/event-sourcing/projection/projection-catalog.js';
import { ActivityQueries } from '../../src/activity-reports/activity-reports.queries.js';
import { FundingQueries } from '../../src/funding/funding.queries.js';
import { placeOf } from '../../src/divisions/places.js';
import { ReadModelCollections } from '../../src/event-sourcing/projection/read-model-collections.js';
import { RegistryQueries } from '../../src/registry/registry.queries.js';
import { WorklistQueries } from '../../src/worklists/worklist.queries.js';
import { WORKLISTS, scopeOf } from '../../src/worklists/worklist-definitions.js';
import { ACTORS } from '../support/fixtures.js';
import { divisions, PLACES } from '../support/fixtures.js';
import {
  recordingReadStore,
  type RecordedCount,
  type RecordedFind,
} from './recording-read-store.js';

let store: SqliteReadStore;
let captured: RecordedFind[] = [];
let counts: RecordedCount[] = [];

beforeAll(async () => {
  // A filter or sort on a field no projection declared would read the documents: refused.
  store = SqliteReadStore.open(':memory:', { undeclaredFields: 'refuse' });
  const puts = [];
  for (const projection of createProjections(divisions)) {
    const target = targetFor(projection, 1);
    await ensureTarget(store, target);
    puts.push({
      collection: CATALOG_COLLECTION,
      document: catalogEntry(target, 1, new Date('2026-01-01T00:00:00Z')),
    });
  }
  await store.commit({ puts });
  const recorded = recordingReadStore(store);
  ({ finds: captured, counts } = recorded);
  const reads = recorded.store;
  const collections = new ReadModelCollections(reads);
  const registry = new RegistryQueries(reads, collections);
  const activity = new ActivityQueries(reads, collections);
  const funding = new FundingQueries(reads, collections, divisions);
  const paging = { page: 2, pageSize: 20 };
  const [districtCode, streetCode, communityCode] = [
    PLACES.xuhui,
    PLACES.tianping,
    PLACES.shanghaiXincun,
  ];
  for (const criteria of [
    {},
    { district: districtCode },
    { street: streetCode },
    { community: communityCode },
    { category: 'culture-sports' as const },
    { tier: 'team' as const },
    { status: 'active' as const },
    { district: districtCode, tier: 'group' as const, status: 'active' as const },
    { q: '书画' },
    { district: districtCode, q: '书画' },
    { community: communityCode, q: '书画' },
  ])
    await registry.list(criteria, paging);
  for (const place of [
    {},
    { district: districtCode },
    { street: streetCode },
    { community: communityCode },
  ]) {
    await activity.byPlace(placeOf(divisions, place), { on: '2024-06-30' }, paging);
    await activity.byPlace(
      placeOf(divisions, place),
      { month: '2024-05', level: 'street', on: '2024-06-30' },
      paging,
    );
  }
  for (const criteria of [
    {},
    { district: districtCode },
    { organization: '0b0c3f5e-8d7a-4c43-9a5e-6f1d2c3b4a59' },
    { year: '2024' },
    { channel: 'welfare-lottery' as const, year: '2023' },
    { from: '2023-01-01', to: '2023-12-31' },
  ])
    await funding.grants(criteria, paging);
  // Every worklist for each level's place, and their counts.
  const worklists = new WorklistQueries(reads, collections);
  const rules = { on: '2026-01-15', inactiveMonths: 12, annualReportDue: '06-30' };
  for (const actor of [
    'city',
    'xuhuiDistrict',
    'tianpingStreet',
    'shanghaiXincunCommittee',
  ] as const) {
    const scope = scopeOf(ACTORS[actor])!;
    for (const name of WORKLISTS) await worklists.page(name, scope, rules, paging);
  }
});

afterAll(async () => {
  await store.close();
});

const describeFilter = (filter: Filter | undefined): string => JSON.stringify(filter ?? {});

describe('every paged list query is served by an index in page order', () => {
  it('captured the queries of the registry, activity-report, funding and worklist routes', () => {
    const collections = new Set(captured.map((c) => c.collection.replace(/_v\d+_g\d+$/, '')));
    expect([...collections].sort()).toEqual([
      'activity_reports',
      'funding',
      'registry',
      'worklists',
    ]);
    expect(captured.length).toBe(11 + 8 + 6 + 4 * 6);
  });

  it('uses an index and never sorts the matches in a temporary b-tree', async () => {
    const plans: Array<{ collection: string; filter: string; plan: string }> = [];
    for (const { collection, query } of captured) {
      const plan = (await store.explainFind(collection, query)).join(' | ');
      plans.push({ collection, filter: describeFilter(query.filter), plan });
    }
    // Ties in the page order are broken by id, which every declared index ends with: no sort
    // at all, not even of the ties ("LAST TERM OF ORDER BY").
    const bad = plans.filter(
      ({ plan }) => !/USING (COVERING )?INDEX/.test(plan) || /TEMP B-TREE/.test(plan),
    );
    expect(bad).toEqual([]);
  });
});

describe('the total of a registry page is counted from an index alone', () => {
  const registryCounts = (): RecordedCount[] =>
    counts.filter((c) => c.collection.startsWith('registry_'));

  it('captured the count of every registry list, name searches included', () => {
    expect(registryCounts()).toHaveLength(11);
    expect(registryCounts().filter((c) => c.filter?.['name'] !== undefined)).toHaveLength(3);
  });

  // A count visits every match, so one that reads the documents (to parse their JSON) costs a
  // full read of the matches: 625 ms for a city-wide name search, against 10 ms off the index.
  it('never reads the documents for a filter that one index holds every field of', async () => {
    const plans: Array<{ filter: string; plan: string }> = [];
    for (const { collection, filter } of registryCounts()) {
      // Beside the name, at most one field: the indexes pair each field with the name.
      if (Object.keys(filter ?? {}).filter((field) => field !== 'name').length > 1) continue;
      const plan = (await store.explainCount(collection, filter)).join(' | ');
      plans.push({ filter: describeFilter(filter), plan });
    }
    expect(plans).toHaveLength(10);
    // The name search's type check reads the name's column, which the index holds: no row of
    // the table is read, let alone a document parsed.
    const bad = plans.filter(
      ({ plan }) =>
        !/^(SCAN|SEARCH) registry_v\d+_g\d+ USING COVERING INDEX [^|]*$/.test(plan) ||
        /(SCAN|SEARCH) \S+ USING INDEX|SCAN \S+$|SCAN \S+ \|/.test(plan),
    );
    expect(bad).toEqual([]);
  });

  it('uses an index for the count of a filter on several fields', async () => {
    for (const { collection, filter } of registryCounts()) {
      const plan = (await store.explainCount(collection, filter)).join(' | ');
      expect(plan).toMatch(/^(SCAN|SEARCH) \S+ USING (COVERING )?INDEX /);
    }
  });
});
