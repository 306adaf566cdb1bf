/**
 * Issue #19 item 4, DOMAIN §5: statistics as of a past month-end, by business dates (an event
 * without one counts from its recorded Shanghai date). Given events, when the statistics
 * projection folds them and its dated `asof-*` deltas are summed up to a month, then the counters
 * are those of `place:`, `communities:` and `platforms:` as they stood at the end of that month.
 */
import {
  communitiesRollup,
  placeRollup,
  platformsRollup,
  statisticsProjection,
} from '../../../projections/statistics.projection.js';
import type { OrganizationEvent } from '../../../src/organizations/domain/organization.events.js';
import { asOfReader } from '../../../src/statistics/as-of-rollups.js';
import type { Counts } from '../../../src/statistics/statistics.queries.js';
import { PLACES, divisions } from '../../support/fixtures.js';
import {
  demoted,
  dissolved,
  groupRegistered,
  moved,
  partyChanged,
  promoted,
  socialGroupRegistered,
  teamRegistered,
} from '../../support/events.js';
import { roleAssigned, roleRevoked } from '../../support/platform-events.js';
import { EventLog, fold, tally } from './projection-harness.js';

const projection = statisticsProjection(divisions);
const A = 'org-a';
const B = 'org-b';
const { city, xuhui, tianping, hunan, shanghaiXincun, pudong, weifang, weifangYicun } = PLACES;

/** The log's rollups, and a reader of any `place:`/`communities:`/`platforms:` rollup as of a month. */
function statisticsOf(...batches: OrganizationEvent[][]) {
  const log = new EventLog();
  for (const batch of batches) log.append(...batch);
  const rollups = tally(projection, fold(projection, log.events).values());
  const read = (id: string): Promise<Counts> => Promise.resolve(rollups[id] ?? {});
  const asOf = (month: string, id: string) => asOfReader(read, month)(id);
  return { rollups, asOf };
}

const party = (status: string, amount = 1) => ({ [`party|${status}`]: amount });

describe('statistics as of a month: business dates', () => {
  it('given a registration recorded after later ones but dated years before, it counts from its own month', async () => {
    // B (recorded on 2023-05-10) is recorded first; A, recorded next, dates from 2021-01-10.
    const { asOf } = statisticsOf(
      [groupRegistered(B, { recordedOn: '2023-05-10' })],
      [groupRegistered(A)],
    );
    expect(await asOf('2020-12', placeRollup(city))).toEqual({});
    expect(await asOf('2021-01', placeRollup(city))).toEqual({
      total: 1,
      'culture-sports|group': 1,
      ...party('none'),
    });
    expect((await asOf('2023-04', placeRollup(xuhui)))['total']).toBe(1);
    expect((await asOf('2023-05', placeRollup(xuhui)))['total']).toBe(2);
  });

  it('given changes of one field recorded out of date order, the later business date wins', async () => {
    // Recorded: a change on 2023-07-01 to a liaison, then one dated 2022-03-01 to its own branch.
    const late = partyChanged(A, 'none', 'liaison');
    const early = partyChanged(A, 'none', 'own-branch');
    const { asOf } = statisticsOf([
      groupRegistered(A),
      late,
      { ...early, data: { ...early.data, changedOn: '2022-03-01' } } as OrganizationEvent,
    ]);
    expect(await asOf('2022-02', placeRollup(city))).toMatchObject(party('none'));
    expect(await asOf('2022-03', placeRollup(city))).toMatchObject(party('own-branch'));
    expect(await asOf('2023-07', placeRollup(city))).toMatchObject(party('liaison'));
    expect((await asOf('2023-07', placeRollup(city)))['party|own-branch']).toBeUndefined();
  });

  it('given a change dated before the registration, it takes effect with the registration', async () => {
    const { asOf } = statisticsOf([
      groupRegistered(A, { recordedOn: '2023-01-05' }),
      promoted(A, 'group', 'team', '2022-06-01'),
    ]);
    expect(await asOf('2022-12', placeRollup(city))).toEqual({});
    expect(await asOf('2023-01', placeRollup(city))).toMatchObject({ 'culture-sports|team': 1 });
  });

  it('given a team registered with its filing, it counts from the filing date', async () => {
    const { asOf } = statisticsOf(teamRegistered(A, { filedOn: '2022-04-01' }));
    expect(await asOf('2022-03', placeRollup(tianping))).toEqual({});
    expect((await asOf('2022-04', placeRollup(tianping)))['total']).toBe(1);
  });

  it('given a promotion, the tier changes in its month; the earlier months keep the old tier', async () => {
    const { asOf } = statisticsOf([groupRegistered(A), promoted(A, 'group', 'team', '2022-03-15')]);
    expect(await asOf('2022-02', placeRollup(city))).toMatchObject({ 'culture-sports|group': 1 });
    const march = await asOf('2022-03', placeRollup(city));
    expect(march).toMatchObject({ 'culture-sports|team': 1, total: 1 });
    expect(march['culture-sports|group']).toBeUndefined();
  });
});

describe('statistics as of a month: moves, dissolutions, demotions', () => {
  it('given a move, the organization counts at its old place before movedOn and at its new one from then', async () => {
    const { asOf } = statisticsOf([
      groupRegistered(A),
      moved(A, { districtCode: pudong, streetCode: weifang, communityCode: weifangYicun }),
    ]);
    // moved on 2024-04-01
    expect(await asOf('2024-03', communitiesRollup(xuhui))).toEqual({ [shanghaiXincun]: 1 });
    expect(await asOf('2024-03', communitiesRollup(pudong))).toEqual({});
    expect((await asOf('2024-03', placeRollup(xuhui)))['total']).toBe(1);
    expect(await asOf('2024-04', communitiesRollup(xuhui))).toEqual({});
    expect(await asOf('2024-04', communitiesRollup(pudong))).toEqual({ [weifangYicun]: 1 });
    expect(await asOf('2024-04', placeRollup(xuhui))).toEqual({});
    expect((await asOf('2024-04', placeRollup(weifangYicun)))['total']).toBe(1);
    // The year-level deltas carry it across years: as of the next year it is still in Pudong.
    expect(await asOf('2025-02', communitiesRollup(pudong))).toEqual({ [weifangYicun]: 1 });
    expect((await asOf('2025-02', placeRollup(city)))['total']).toBe(1);
  });

  it('given a dissolution, it counts up to the month before dissolvedOn', async () => {
    const { asOf } = statisticsOf([groupRegistered(A), dissolved(A, '2024-01-31')]);
    expect((await asOf('2023-12', placeRollup(city)))['total']).toBe(1);
    expect(await asOf('2023-12', communitiesRollup(xuhui))).toEqual({ [shanghaiXincun]: 1 });
    expect(await asOf('2024-01', placeRollup(city))).toEqual({});
    expect(await asOf('2024-01', communitiesRollup(xuhui))).toEqual({});
  });

  it('given a demotion, the tier drops in its month and the support roles go with it', async () => {
    const { asOf } = statisticsOf([
      socialGroupRegistered(A),
      roleAssigned(A, 'federation', [tianping, hunan], '2023-03-01'),
      demoted(A, 'registered', 'team', '2024-06-10'),
    ]);
    expect(await asOf('2023-02', platformsRollup(xuhui))).toEqual({});
    expect(await asOf('2024-05', platformsRollup(xuhui))).toEqual({
      [`${tianping}|federation`]: 1,
      [`${hunan}|federation`]: 1,
    });
    expect(await asOf('2024-05', placeRollup(city))).toMatchObject({
      'community-affairs|registered': 1,
    });
    expect(await asOf('2024-06', platformsRollup(xuhui))).toEqual({});
    expect(await asOf('2024-06', placeRollup(city))).toMatchObject({
      'community-affairs|team': 1,
    });
  });

  it('given a role revoked, the street is served up to the month before', async () => {
    const { asOf } = statisticsOf([
      socialGroupRegistered(A),
      roleAssigned(A, 'service-centre', [tianping], '2023-03-01'),
      roleRevoked(A, 'service-centre', '2024-05-01'),
    ]);
    expect(await asOf('2024-04', platformsRollup(xuhui))).toEqual({
      [`${tianping}|service-centre`]: 1,
    });
    expect(await asOf('2024-05', platformsRollup(xuhui))).toEqual({});
  });

  it('as of the last month, the figures equal today’s rollups', async () => {
    const { rollups, asOf } = statisticsOf(
      [groupRegistered(A), promoted(A, 'group', 'team', '2022-03-15')],
      [socialGroupRegistered(B), roleAssigned(B, 'federation', [tianping], '2023-03-01')],
      [moved(A, { districtCode: pudong, streetCode: weifang, communityCode: weifangYicun })],
    );
    for (const id of [
      placeRollup(city),
      placeRollup(xuhui),
      placeRollup(weifangYicun),
      communitiesRollup(xuhui),
      communitiesRollup(pudong),
      platformsRollup(xuhui),
    ])
      expect(await asOf('2030-12', id)).toEqual(rollups[id] ?? {});
  });
});
