import { positionFromJson as pos } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * `/statistics/targets` answers are kept per read-model checkpoint: a second dashboard load is
 * served from memory, and an answer never outlives the checkpoint it was computed at, nor the
 * generation (a rebuild swaps in another collection).
 */
import { createProjections } from '../../projections/index.js';
import { communitiesRollup } from '../../projections/statistics.projection.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import type { ReadStore } from '../../src/event-sourcing/ports/read-store.port.js';
import {
  CATALOG_COLLECTION,
  catalogEntry,
  ensureTarget,
  targetFor,
} from '../../src/event-sourcing/projection/projection-catalog.js';
import type { ProjectionTarget } from '../../src/event-sourcing/projection/projection-target.js';
import { placeOf } from '../../src/divisions/places.js';
import { ReadModelCollections } from '../../src/event-sourcing/projection/read-model-collections.js';
import { StatisticsQueries } from '../../src/statistics/statistics.queries.js';
import { divisions, PLACES } from '../support/fixtures.js';

const statistics = createProjections(divisions).find((p) => p.name === 'statistics');
if (!statistics) throw new Error('no statistics projection');

let store: SqliteReadStore;
let queries: StatisticsQueries;

async function activate(target: ProjectionTarget, generation: number): Promise<void> {
  await ensureTarget(store, target);
  await store.commit({
    puts: [
      {
        collection: CATALOG_COLLECTION,
        document: catalogEntry(target, generation, new Date('2026-01-01T00:00:00Z')),
      },
    ],
  });
}

/** Sets the organizations of 上海新村 in the communities rollup, moving the checkpoint or not. */
async function setCount(
  s: ReadStore,
  target: ProjectionTarget,
  organizations: number,
  checkpoint: number,
): Promise<void> {
  await s.commit({
    puts: [
      {
        collection: target.rollupCollection,
        document: {
          id: communitiesRollup(PLACES.xuhui),
          counts: { [PLACES.shanghaiXincun]: organizations },
          _position: checkpoint,
        },
      },
    ],
    checkpoints: { [target.collection]: pos(checkpoint) },
  });
}

const shanghaiXincun = async (): Promise<number> => {
  const answer = await queries.targetsFor(placeOf(divisions, { street: PLACES.tianping }), {
    page: 1,
    pageSize: 100,
  });
  const below = answer.belowTarget.items.find((c) => c.code === PLACES.shanghaiXincun);
  return below ? below.organizations : Number.NaN;
};

beforeEach(() => {
  store = SqliteReadStore.open(':memory:');
  queries = new StatisticsQueries(store, new ReadModelCollections(store), divisions, {
    urban: 12,
    rural: 7,
  });
});

afterEach(async () => {
  await store.close();
});

describe('targets answers are kept per checkpoint', () => {
  it('a repeated question is answered again from the same checkpoint', async () => {
    const g1 = targetFor(statistics, 1);
    await activate(g1, 1);
    await setCount(store, g1, 3, 10);
    const first = await queries.targetsFor(placeOf(divisions, {}), { page: 1, pageSize: 20 });
    const second = await queries.targetsFor(placeOf(divisions, {}), { page: 1, pageSize: 20 });
    expect(second).toBe(first);
    // Another page is another answer.
    const other = await queries.targetsFor(placeOf(divisions, {}), { page: 2, pageSize: 20 });
    expect(other).not.toBe(first);
  });

  it('moves with the checkpoint and with a generation swapped in', async () => {
    const g1 = targetFor(statistics, 1);
    await activate(g1, 1);
    await setCount(store, g1, 3, 10);
    expect(await shanghaiXincun()).toBe(3);
    await setCount(store, g1, 5, 11);
    expect(await shanghaiXincun()).toBe(5);

    const g2 = targetFor(statistics, 2);
    await ensureTarget(store, g2);
    // Same checkpoint position in the new generation, other counts.
    await setCount(store, g2, 8, 11);
    await activate(g2, 2);
    expect(await shanghaiXincun()).toBe(8);
  });
});
