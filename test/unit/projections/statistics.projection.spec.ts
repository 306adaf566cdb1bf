/**
 * DOMAIN §5 "Statistics (分类统计)": one small document per organization and the rollup
 * contributions it makes — `place:<code>` (active by category|tier, party|status, total,
 * specialUnit, atUnit, unattributed), `communities:<district>` (active per real base community)
 * and `timeline:<city|district>` (registrations, promotions, dissolutions by month). DOMAIN §2:
 * no organization is based in a placeholder community.
 */
import {
  communitiesRollup,
  placeRollup,
  statisticsProjection,
  timelineRollup,
  type OrganizationStatistic,
} from '../../../projections/statistics.projection.js';
import type { Contribution } from '../../../src/event-sourcing/projection/projection.js';
import { PLACES, divisions } from '../../support/fixtures.js';
import { EventLog, fold, logOf, sorted, tally } from './projection-harness.js';
import {
  activityReported,
  demoted,
  dissolved,
  filed,
  fundingGranted,
  groupRegistered,
  partyChanged,
  promoted,
  reclassified,
  socialGroupRegistered,
  teamRegistered,
} from '../../support/events.js';

const projection = statisticsProjection(divisions);
const A = 'org-a';
const B = 'org-b';
const C = 'org-c';
const D = 'org-d';

const { city, xuhui, tianping, shanghaiXincun } = PLACES;

/** The document without its dated changes (statistics-as-of.projection.spec.ts tests those). */
const undated = (doc: OrganizationStatistic): OrganizationStatistic => ({ ...doc, history: [] });

function docOf(...events: Parameters<typeof logOf>): OrganizationStatistic {
  const doc = fold(projection, logOf(...events)).get(A);
  if (!doc) throw new Error('no statistics document');
  return undated(doc);
}

/** Today's contributions (the dated `asof-*` ones: statistics-as-of.projection.spec.ts). */
const contributions = (doc: OrganizationStatistic): Contribution[] =>
  sorted(projection.rollup?.(doc) ?? []).filter((c) => !c.id.startsWith('asof-'));

const GROUP: OrganizationStatistic = {
  id: A,
  districtCode: xuhui,
  streetCode: tianping,
  communityCode: shanghaiXincun,
  specialUnit: false,
  atUnit: false,
  category: 'culture-sports',
  tier: 'group',
  status: 'active',
  partyOrganization: 'none',
  registeredMonth: '2021-01',
  promotionMonths: [],
  dissolvedMonth: null,
  dissolutionKind: null,
  history: [],
};

/** What an active organization contributes to one place rollup (plus the `extra` keys). */
function placeCounts(
  code: string,
  key: string,
  party = 'none',
  special = false,
  ...extra: string[]
): Contribution[] {
  return [
    { id: placeRollup(code), key: 'total', amount: 1 },
    { id: placeRollup(code), key, amount: 1 },
    { id: placeRollup(code), key: `party|${party}`, amount: 1 },
    ...(special ? [{ id: placeRollup(code), key: 'specialUnit', amount: 1 }] : []),
    ...extra.map((k) => ({ id: placeRollup(code), key: k, amount: 1 })),
  ];
}

/** 莘庄工业区, a special unit with committees of its own, and its 申莘新村第一居委会. */
const XINZHUANG_INDUSTRIAL = { districtCode: '310112', streetCode: '310112501' };
const SHENXIN_FIRST = '310112501001';

/** What an organization contributes to the timelines of the city and each of its places. */
function timelineCounts(places: readonly string[], keys: readonly string[]): Contribution[] {
  return [city, ...places].flatMap((place) =>
    keys.map((key) => ({ id: timelineRollup(place), key, amount: 1 })),
  );
}

describe('statistics projection: definition', () => {
  it('is named statistics, version 7, handling what changes a count', () => {
    expect(projection.name).toBe('statistics');
    // 4: registrations by their business date (a team's: its filing's); 5: dissolutions by kind;
    // 6: support-platform coverage and incubation; 7: dated changes, statistics as of a month.
    expect(projection.version).toBe(7);
    expect([...projection.handles].sort()).toEqual(
      [
        'IncubationEnded',
        'IncubationEntered',
        'SupportRoleAssigned',
        'SupportRoleRevoked',
        'OrganizationDissolved',
        'OrganizationFiled',
        'OrganizationMoved',
        'OrganizationReclassified',
        'OrganizationRegistered',
        'PartyOrganizationChanged',
        'TierDemoted',
        'TierPromoted',
      ].sort(),
    );
  });

  it('rollup ids', () => {
    expect([placeRollup('310104'), communitiesRollup('310104'), timelineRollup('310000')]).toEqual([
      'place:310104',
      'communities:310104',
      'timeline:310000',
    ]);
  });
});

describe('statistics projection: documents', () => {
  it('a group: its places, tier, category and registration month', () => {
    expect(docOf(groupRegistered(A))).toEqual(GROUP);
  });

  it('a registered organization is based in its community', () => {
    expect(docOf(socialGroupRegistered(A, { communityCode: PLACES.qingyu }))).toEqual({
      ...GROUP,
      communityCode: PLACES.qingyu,
      category: 'community-affairs',
      tier: 'registered',
      registeredMonth: '2021-02',
    });
  });

  it('a registered organization of older events, without a community, has none', () => {
    expect(docOf(socialGroupRegistered(A))).toEqual({
      ...GROUP,
      communityCode: null,
      category: 'community-affairs',
      tier: 'registered',
      registeredMonth: '2021-02',
    });
  });

  it('an organization of a special unit with committees (莘庄工业区) is marked, in its community', () => {
    expect(
      docOf(groupRegistered(A, { ...XINZHUANG_INDUSTRIAL, communityCode: SHENXIN_FIRST })),
    ).toEqual({
      ...GROUP,
      ...XINZHUANG_INDUSTRIAL,
      communityCode: SHENXIN_FIRST,
      specialUnit: true,
    });
  });

  it('an organization of a unit whose only community is a placeholder is based at the unit, whatever an older event named', () => {
    const expected = {
      ...GROUP,
      streetCode: PLACES.caohejing,
      communityCode: null,
      specialUnit: true,
      atUnit: true,
    };
    expect(docOf(socialGroupRegistered(A, { streetCode: PLACES.caohejing }))).toEqual({
      ...expected,
      category: 'community-affairs',
      tier: 'registered',
      registeredMonth: '2021-02',
    });
    expect(
      docOf(
        groupRegistered(A, {
          streetCode: PLACES.caohejing,
          communityCode: PLACES.caohejingCommunity,
        }),
      ),
    ).toEqual(expected);
  });

  it('promotions keep their months; a demotion changes the tier but not the months', () => {
    expect(
      docOf(
        groupRegistered(A),
        filed(A, 'XH-1', '2022-03-15'),
        promoted(A, 'group', 'team', '2022-03-15'),
        promoted(A, 'team', 'registered', '2023-11-02', {
          legalForm: 'social-group',
          uscc: '51310104MJ0000114M',
        }),
        demoted(A, 'registered', 'team', '2024-01-09'),
      ),
    ).toEqual({ ...GROUP, tier: 'team', promotionMonths: ['2022-03', '2023-11'] });
  });

  it('reclassification, party organization and dissolution', () => {
    expect(
      docOf(
        groupRegistered(A),
        reclassified(A, 'culture-sports', 'charity'),
        partyChanged(A, 'none', 'own-branch'),
        dissolved(A, '2024-01-31'),
      ),
    ).toEqual({
      ...GROUP,
      category: 'charity',
      partyOrganization: 'own-branch',
      status: 'dissolved',
      dissolvedMonth: '2024-01',
      dissolutionKind: 'deregistered',
    });
  });

  it('a stored v1 dissolution (no kind) counts as deregistered', () => {
    const events = logOf(groupRegistered(A), dissolved(A, '2024-01-31')).map((e) => {
      if (e.type !== 'OrganizationDissolved') return e;
      const { kind: _kind, ...data } = e.data as Record<string, unknown>;
      return { ...e, schemaVersion: 1, data };
    });
    const doc = fold(projection, events).get(A);
    expect(doc?.dissolutionKind).toBe('deregistered');
    expect(contributions(doc as OrganizationStatistic).map((c) => c.key)).toContain(
      '2024-01|dissolutions|deregistered',
    );
  });

  it('funding and activities do not reach the statistics', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        fundingGranted(A, { grantId: 'g', amountFen: 1, grantedOn: '2024-01-01' }),
        activityReported(A, { reportId: 'r' }),
      ),
    );
    const doc = docs.get(A);
    expect(doc && undated(doc)).toEqual(GROUP);
  });

  it('events before a registration create nothing', () => {
    expect(fold(projection, logOf(dissolved(A, '2024-01-01'))).size).toBe(0);
  });
});

describe('statistics projection: rollup contributions', () => {
  it('an active group counts in city, district, street, community, the targets and the timeline', () => {
    expect(contributions(GROUP)).toEqual(
      sorted([
        ...placeCounts(city, 'culture-sports|group'),
        ...placeCounts(xuhui, 'culture-sports|group'),
        ...placeCounts(tianping, 'culture-sports|group'),
        ...placeCounts(shanghaiXincun, 'culture-sports|group'),
        { id: communitiesRollup(xuhui), key: shanghaiXincun, amount: 1 },
        ...timelineCounts([xuhui, tianping, shanghaiXincun], ['2021-01|registrations']),
      ]),
    );
  });

  it('a registered organization counts in its base community and for the targets', () => {
    expect(
      contributions(docOf(socialGroupRegistered(A, { communityCode: PLACES.qingyu }))),
    ).toEqual(
      sorted([
        ...placeCounts(city, 'community-affairs|registered'),
        ...placeCounts(xuhui, 'community-affairs|registered'),
        ...placeCounts(tianping, 'community-affairs|registered'),
        ...placeCounts(PLACES.qingyu, 'community-affairs|registered'),
        { id: communitiesRollup(xuhui), key: PLACES.qingyu, amount: 1 },
        ...timelineCounts([xuhui, tianping, PLACES.qingyu], ['2021-02|registrations']),
      ]),
    );
  });

  it('a registered organization without community (older events) is unattributed: in its street and district, in no community', () => {
    expect(contributions(docOf(socialGroupRegistered(A)))).toEqual(
      sorted([
        ...placeCounts(city, 'community-affairs|registered', 'none', false, 'unattributed'),
        ...placeCounts(xuhui, 'community-affairs|registered', 'none', false, 'unattributed'),
        ...placeCounts(tianping, 'community-affairs|registered', 'none', false, 'unattributed'),
        ...timelineCounts([xuhui, tianping], ['2021-02|registrations']),
      ]),
    );
  });

  it('a special-unit organization adds specialUnit at every place', () => {
    const doc = docOf(
      groupRegistered(A, { ...XINZHUANG_INDUSTRIAL, communityCode: SHENXIN_FIRST }),
    );
    const minhang = XINZHUANG_INDUSTRIAL.districtCode;
    expect(contributions(doc)).toEqual(
      sorted([
        ...placeCounts(city, 'culture-sports|group', 'none', true),
        ...placeCounts(minhang, 'culture-sports|group', 'none', true),
        ...placeCounts(XINZHUANG_INDUSTRIAL.streetCode, 'culture-sports|group', 'none', true),
        ...placeCounts(SHENXIN_FIRST, 'culture-sports|group', 'none', true),
        { id: communitiesRollup(minhang), key: SHENXIN_FIRST, amount: 1 },
        ...timelineCounts(
          [minhang, XINZHUANG_INDUSTRIAL.streetCode, SHENXIN_FIRST],
          ['2021-01|registrations'],
        ),
      ]),
    );
  });

  it('an organization based at a unit without real communities counts atUnit, never in the placeholder', () => {
    const doc = docOf(
      groupRegistered(A, {
        streetCode: PLACES.caohejing,
        communityCode: PLACES.caohejingCommunity,
      }),
    );
    expect(contributions(doc)).toEqual(
      sorted([
        ...placeCounts(city, 'culture-sports|group', 'none', true, 'atUnit'),
        ...placeCounts(xuhui, 'culture-sports|group', 'none', true, 'atUnit'),
        ...placeCounts(PLACES.caohejing, 'culture-sports|group', 'none', true, 'atUnit'),
        ...timelineCounts([xuhui, PLACES.caohejing], ['2021-01|registrations']),
      ]),
    );
  });

  it('a dissolved organization counts only in the timeline: registration and dissolution', () => {
    const doc = docOf(
      groupRegistered(A),
      filed(A, 'XH-1', '2022-03-15'),
      promoted(A, 'group', 'team', '2022-03-15'),
      dissolved(A, '2024-01-31', 'cleared'),
    );
    expect(contributions(doc)).toEqual(
      sorted(
        timelineCounts(
          [xuhui, tianping, shanghaiXincun],
          [
            '2021-01|registrations',
            '2022-03|promotions',
            '2024-01|dissolutions',
            '2024-01|dissolutions|cleared',
          ],
        ),
      ),
    );
  });

  it('a party instructor is a status of its own', () => {
    const doc = docOf(groupRegistered(A), partyChanged(A, 'none', 'instructor'));
    expect(contributions(doc).filter((c) => c.key.startsWith('party|'))).toEqual(
      sorted(
        [city, xuhui, tianping, shanghaiXincun].map((code) => ({
          id: placeRollup(code),
          key: 'party|instructor',
          amount: 1,
        })),
      ),
    );
  });

  it('party organization is counted by status', () => {
    const doc = docOf(groupRegistered(A), partyChanged(A, 'none', 'joint-branch'));
    expect(contributions(doc).filter((c) => c.key.startsWith('party|'))).toEqual(
      sorted(
        [city, xuhui, tianping, shanghaiXincun].map((code) => ({
          id: placeRollup(code),
          key: 'party|joint-branch',
          amount: 1,
        })),
      ),
    );
  });
});

describe('statistics projection: registrations by their business date', () => {
  const monthOf = (...events: Parameters<EventLog['append']>) =>
    fold(projection, new EventLog().append(...events)).get(A)?.registeredMonth;

  it("a registered organization by its registration date, a group by its recording date, a team by its filing's", () => {
    expect(monthOf(socialGroupRegistered(A, { registeredOn: '2019-11-20' }))).toBe('2019-11');
    expect(monthOf(groupRegistered(A, { recordedOn: '2022-08-08' }))).toBe('2022-08');
    expect(monthOf(...teamRegistered(A, { filedOn: '2023-03-03' }))).toBe('2023-03');
  });

  it('a later filing of a team demoted from registered does not move its registration', () => {
    expect(
      monthOf(
        socialGroupRegistered(A, { registeredOn: '2021-02-01' }),
        demoted(A, 'registered', 'team', '2023-01-01'),
        filed(A, 'XH-9', '2023-02-01'),
      ),
    ).toBe('2021-02');
  });
});

describe('statistics projection: rollups of several organizations', () => {
  const log = new EventLog();
  log.append(groupRegistered(A, { recordedOn: '2024-01-05' }));
  log.append(...teamRegistered(B, { communityCode: PLACES.qingyu, filedOn: '2024-01-20' }));
  log.append(
    socialGroupRegistered(C, { registeredOn: '2024-03-01' }),
    partyChanged(C, 'none', 'own-branch'),
  );
  log.append(
    groupRegistered(D, {
      name: '潍坊一村编织小组',
      districtCode: PLACES.pudong,
      streetCode: PLACES.weifang,
      communityCode: PLACES.weifangYicun,
      recordedOn: '2024-03-09',
    }),
  );
  log.append(filed(A, 'XH-9', '2024-04-02'), promoted(A, 'group', 'team', '2024-04-02'));
  log.append(reclassified(B, 'culture-sports', 'life-service'));
  log.append(dissolved(D, '2024-04-30', 'merged', A));
  const rollups = tally(projection, fold(projection, log.events).values());

  it('city: active counts by category × tier, party, total', () => {
    expect(rollups[placeRollup(city)]).toEqual({
      total: 3,
      'culture-sports|team': 1,
      'life-service|team': 1,
      'community-affairs|registered': 1,
      'party|none': 2,
      'party|own-branch': 1,
      unattributed: 1,
    });
  });

  it('district, street and community rollups; the dissolved Pudong group leaves its places empty', () => {
    expect(rollups[placeRollup(xuhui)]).toEqual(rollups[placeRollup(city)]);
    expect(rollups[placeRollup(tianping)]).toEqual(rollups[placeRollup(city)]);
    expect(rollups[placeRollup(shanghaiXincun)]).toEqual({
      total: 1,
      'culture-sports|team': 1,
      'party|none': 1,
    });
    expect(rollups[placeRollup(PLACES.qingyu)]).toEqual({
      total: 1,
      'life-service|team': 1,
      'party|none': 1,
    });
    expect(rollups[placeRollup(PLACES.pudong)]).toBeUndefined();
    expect(rollups[placeRollup(PLACES.weifangYicun)]).toBeUndefined();
  });

  it('communities per district count active organizations with a community', () => {
    expect(rollups[communitiesRollup(xuhui)]).toEqual({
      [shanghaiXincun]: 1,
      [PLACES.qingyu]: 1,
    });
    expect(rollups[communitiesRollup(PLACES.pudong)]).toBeUndefined();
  });

  it('timelines of the city and each district by month', () => {
    expect(rollups[timelineRollup(city)]).toEqual({
      '2024-01|registrations': 2,
      '2024-03|registrations': 2,
      '2024-04|promotions': 1,
      '2024-04|dissolutions': 1,
      '2024-04|dissolutions|merged': 1,
    });
    expect(rollups[timelineRollup(xuhui)]).toEqual({
      '2024-01|registrations': 2,
      '2024-03|registrations': 1,
      '2024-04|promotions': 1,
    });
    expect(rollups[timelineRollup(PLACES.pudong)]).toEqual({
      '2024-03|registrations': 1,
      '2024-04|dissolutions': 1,
      '2024-04|dissolutions|merged': 1,
    });
  });

  it('timelines of each street and community, so a place filter reads one document', () => {
    expect(rollups[timelineRollup(tianping)]).toEqual(rollups[timelineRollup(xuhui)]);
    expect(rollups[timelineRollup(shanghaiXincun)]).toEqual({
      '2024-01|registrations': 1,
      '2024-04|promotions': 1,
    });
    expect(rollups[timelineRollup(PLACES.qingyu)]).toEqual({ '2024-01|registrations': 1 });
    expect(rollups[timelineRollup(PLACES.weifangYicun)]).toEqual({
      '2024-03|registrations': 1,
      '2024-04|dissolutions': 1,
      '2024-04|dissolutions|merged': 1,
    });
    expect(rollups[timelineRollup(PLACES.caohejing)]).toBeUndefined();
  });
});
