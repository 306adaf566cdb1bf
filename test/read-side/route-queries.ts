/**
 * The queries the list routes make, produced by the query classes themselves: every criterion of
 * every list route, on and off in every combination. The criteria values are typed as complete
 * records of the criteria interfaces, so a criterion added to a route does not compile here until
 * it is listed, and then its shapes are checked with the rest.
 */
import { createProjections } from '../../projections/index.js';
import { ActivityQueries } from '../../src/activity-reports/activity-reports.queries.js';
import { placeOf } from '../../src/divisions/places.js';
import type { ReadStore } from '../../src/event-sourcing/ports/read-store.port.js';
import {
  CATALOG_COLLECTION,
  catalogEntry,
  ensureTarget,
  targetFor,
} from '../../src/event-sourcing/projection/projection-catalog.js';
import { ReadModelCollections } from '../../src/event-sourcing/projection/read-model-collections.js';
import { FundingQueries, type GrantCriteria } from '../../src/funding/funding.queries.js';
import type { ActivityLevel } from '../../src/organizations/domain/organization.types.js';
import { RegistryQueries, type RegistryCriteria } from '../../src/registry/registry.queries.js';
import { WorklistQueries } from '../../src/worklists/worklist.queries.js';
import { scopeOf, WORKLISTS } from '../../src/worklists/worklist-definitions.js';
import { ACTORS, divisions, PLACES } from '../support/fixtures.js';

type Every<T> = { readonly [K in keyof Required<T>]: Exclude<T[K], undefined> };

const REGISTRY: Every<RegistryCriteria> = {
  district: PLACES.xuhui,
  street: PLACES.tianping,
  community: PLACES.shanghaiXincun,
  category: 'culture-sports',
  tier: 'team',
  status: 'active',
  q: '书画',
};

const GRANTS: Every<GrantCriteria> = {
  district: PLACES.xuhui,
  organization: '0b0c3f5e-8d7a-4c43-9a5e-6f1d2c3b4a59',
  channel: 'welfare-lottery',
  year: '2024',
  from: '2024-01-01',
  to: '2024-12-31',
};

/** The activity route's criteria: a place of each level, a month, a level. */
const PLACES_OF_EVERY_LEVEL = [
  {},
  { district: PLACES.xuhui },
  { street: PLACES.tianping },
  { community: PLACES.shanghaiXincun },
];
const ACTIVITY: Every<{ month?: string; level?: ActivityLevel }> = {
  month: '2024-05',
  level: 'street',
};

/** Every sub-record of `values`: each key present or absent, in every combination. */
export function combinations<T extends object>(values: T): Partial<T>[] {
  const keys = Object.keys(values) as Array<keyof T>;
  return Array.from(
    { length: 2 ** keys.length },
    (_, mask) =>
      Object.fromEntries(
        keys.filter((_, bit) => (mask & (1 << bit)) !== 0).map((key) => [key, values[key]]),
      ) as Partial<T>,
  );
}

/**
 * Creates every projection's first generation with its declared indexes and makes it the one
 * that serves, as a deployment does.
 */
export async function servingCollections(store: ReadStore): Promise<void> {
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
}

/**
 * Makes every query the list routes can make through `reads` (on collections prepared by
 * servingCollections): each registry, grant, activity-report and worklist page, and the registry export,
 * which pages on by name (two records make it ask for its second page).
 */
export async function makeRouteQueries(reads: ReadStore): Promise<void> {
  const collections = new ReadModelCollections(reads);
  const registry = new RegistryQueries(reads, collections);
  const activity = new ActivityQueries(reads, collections);
  const funding = new FundingQueries(reads, collections, divisions);
  const paging = { page: 2, pageSize: 20 };

  const registryCollection = (await collections.of('registry'))?.collection;
  if (registryCollection === undefined) throw new Error('servingCollections first');
  await reads.commit({
    puts: ['甲', '乙'].map((name, index) => ({
      collection: registryCollection,
      document: { id: `o${String(index)}`, name },
    })),
  });

  for (const criteria of combinations(REGISTRY)) {
    await registry.list(criteria, paging);
    for await (const record of registry.each(criteria, 1)) expect(record).toBeDefined();
  }
  for (const where of PLACES_OF_EVERY_LEVEL) {
    for (const { month, level } of combinations(ACTIVITY))
      await activity.byPlace(placeOf(divisions, where), { month, level, on: '2024-06-30' }, paging);
  }
  for (const criteria of combinations(GRANTS)) await funding.grants(criteria, paging);
  // Every worklist for a caller of each level.
  const worklists = new WorklistQueries(reads, collections);
  const rules = { on: '2026-01-15', inactiveMonths: 12, annualReportDue: '06-30' };
  for (const actor of [
    'city',
    'xuhuiDistrict',
    'tianpingStreet',
    'shanghaiXincunCommittee',
  ] as const) {
    const scope = scopeOf(ACTORS[actor]);
    if (scope === null) throw new Error(`${actor} has no worklists`);
    for (const name of WORKLISTS) await worklists.page(name, scope, rules, paging);
  }
}
