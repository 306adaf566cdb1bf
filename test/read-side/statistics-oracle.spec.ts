/**
 * Issue #3: every statistic the read side answers over HTTP equals the same statistic computed
 * independently from the raw event log.
 *
 * A small seed (~4,300 varied events through the real command path) goes into a DATA_DIR, the
 * compiled server catches up on it, and this file reads the `events` table itself and folds the
 * events' JSON with its own small fold (no projection, no evolve, no query code of the project),
 * with the shipped division data read from its JSON file. Then, with exact equality:
 * /statistics/overview (city, every district, the seeded streets and communities and a few
 * empty ones; party coverage, organizational and work), /statistics/targets (city and every
 * district, every page of the city's list; over real communities only, placeholders excluded,
 * with the special units without one shown apart),
 * /statistics/timeline (dissolutions by kind too) and /statistics/funding (city, every district, the seeded streets and
 * communities), the targets of those streets and communities and of each place one level down,
 * /fundings totals per
 * filter, /activity-reports series per place, /statistics/platforms (city and every district)
 * and /statistics/incubation (per district and year), /registry totals per filter and its
 * records (with issue #18's annualReport, grade, abnormal, supportRoles and incubation, and the
 * name a rename gave). Moved organizations (the seed's, within their street, and one moved across
 * districts over HTTP) count at their new place only, their registrations, promotions and
 * dissolutions included; their grants and reports stay where they were made; the places they
 * left are asked about too.
 * And issue #19's statistics as of past month-ends (`asOf=YYYY-MM`):
 * overview, targets and platform coverage, city-wide and for the two busiest districts, against
 * the same fold over the events dated up to each month-end, in business-date order.
 *
 * Another seed: ORACLE_SEED=<n> npm test -- statistics-oracle. Needs `npm run build`.
 */
import { PLACES } from '../support/fixtures.js';
import { httpRequest, type Json } from '../support/http-app.js';
import {
  CATEGORIES,
  TIERS,
  PARTY,
  ORGANIZATIONAL,
  CHANNELS,
  LEVELS,
  KINDS,
  GRADES,
  CITY,
  XINCHONG,
  divisions,
  streetByCode,
  type Grant,
  noMonth,
  type Oracle,
  type LogRow,
  foldRows,
  foldAsOf,
  shanghaiToday,
} from './log-oracle.js';
import {
  type FundingRow,
  type PlaceRef,
  queryOf,
  inPlace,
  expectedOverview,
  expectedTargets,
  expectedTimeline,
  fundingRows,
  placeTotals,
  placeRef,
  expectedChildren,
  expectedPlatforms,
  expectedIncubation,
  activitySeries,
  sortDeep,
} from './oracle-expectations.js';
import { seedAndServe, type SeededServer } from './oracle-seed.js';

const SEED = Number(process.env['ORACLE_SEED'] ?? 4);
const SLOW = 90_000;

let seeded: SeededServer | undefined;
let oracle: Oracle;
let logRows: LogRow[] = [];
/** Places to ask about: the city, every district, the seeded streets and communities, and some empty ones. */
let places: PlaceRef[] = [];

async function get(path: string): Promise<Json> {
  if (!seeded) throw new Error('no server');
  const res = await httpRequest(seeded.server.baseUrl, 'GET', path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
  return res.body;
}

beforeAll(async () => {
  seeded = await seedAndServe(SEED);
  logRows = seeded.logRows;
  oracle = foldRows(logRows);
  expect(oracle.eventsRead).toBe(logRows.length);

  const orgs = [...oracle.orgs.values()];
  // Where each organization is based, and where the moved ones were (they must count there no more).
  const streets = new Set(
    orgs.flatMap((o) => [o.street, ...o.movedFrom.filter((c) => c.length === 9)]),
  );
  const communities = new Set(
    orgs.flatMap((o) => [
      ...(o.community === null ? [] : [o.community]),
      ...o.movedFrom.filter((c) => c.length === 12),
    ]),
  );
  places = [
    { code: CITY, level: 'city' },
    ...divisions.districts.map((d): PlaceRef => ({ code: d.code, level: 'district' })),
    ...[...streets, '310104004', '310104501'].map((code): PlaceRef => ({ code, level: 'street' })),
    ...[...communities, '310104004001', '310151101001'].map((code): PlaceRef => ({
      code,
      level: 'community',
    })),
  ];
}, SLOW);

afterAll(async () => {
  await seeded?.stop();
}, SLOW);

describe(`statistics against an independent fold of the log (small seed ${SEED})`, () => {
  it('has a varied log to compare on', () => {
    const orgs = [...oracle.orgs.values()];
    expect(orgs.length).toBeGreaterThan(150);
    // The fold knows every value it meets; an unknown one would silently fall out of a table.
    for (const org of orgs) {
      expect(CATEGORIES).toContain(org.category);
      expect(TIERS).toContain(org.tier);
      expect(PARTY).toContain(org.party);
    }
    for (const g of oracle.grants) expect(CHANNELS).toContain(g.channel);
    for (const r of oracle.reports) expect(LEVELS).toContain(r.level);
    const active = orgs.filter((o) => o.status === 'active');
    for (const tier of TIERS) expect(active.some((o) => o.tier === tier)).toBe(true);
    expect(orgs.some((o) => o.status === 'dissolved')).toBe(true);
    // Every kind of dissolution; a merger's survivor is another organization of the log, live.
    const dissolvedOrgs = orgs.filter((o) => o.status === 'dissolved');
    expect([...new Set(dissolvedOrgs.map((o) => o.dissolutionKind))].sort()).toEqual(
      [...KINDS].sort(),
    );
    for (const o of dissolvedOrgs.filter((x) => x.dissolutionKind === 'merged')) {
      expect(oracle.orgs.get(o.mergedInto ?? '')?.status).toBe('active');
    }
    expect(
      dissolvedOrgs.filter((o) => o.dissolutionKind === 'cleared' && o.tier === 'registered'),
    ).toEqual([]);
    for (const o of orgs)
      if (o.latestEvaluation) expect(GRADES).toContain(o.latestEvaluation.grade);
    expect(active.filter((o) => streetByCode.get(o.street)?.kind === 'special').length).toBe(2);
    expect(active.some((o) => o.party !== 'none')).toBe(true);
    // Both kinds of party coverage, and an instructor among them.
    expect(active.some((o) => ORGANIZATIONAL.includes(o.party))).toBe(true);
    expect(active.some((o) => o.party === 'instructor' || o.party === 'liaison')).toBe(true);
    // Registered organizations are based in a community like every tier (DOMAIN §3).
    const registered = active.filter((o) => o.tier === 'registered');
    expect(registered.length).toBeGreaterThan(0);
    expect(registered.filter((o) => o.community === null)).toEqual([]);
    expect(new Set(oracle.grants.map((g) => g.channel)).size).toBeGreaterThan(3);
    expect(new Set(oracle.reports.map((r) => r.level)).size).toBe(3);
    // Moves within a street (the seed's) and across districts (the one above).
    const moved = orgs.filter((o) => o.movedFrom.length > 0);
    expect(moved.filter((o) => o.movedFrom.includes(o.street)).length).toBeGreaterThan(0);
    expect(moved.filter((o) => o.community === XINCHONG && o.district === '310151')).toHaveLength(
      1,
    );
    const promotions = [...(oracle.timeline.get(CITY)?.values() ?? [])].reduce(
      (s, m) => s + m.promotions,
      0,
    );
    expect(promotions).toBeGreaterThan(0);
    // Every registration counted once, at its business date (a team's: its filing's).
    const registrations = [...(oracle.timeline.get(CITY)?.values() ?? [])].reduce(
      (s, m) => s + m.registrations,
      0,
    );
    expect(registrations).toBe(orgs.length);
    expect(orgs.every((o) => o.tierSince !== null && o.tierSince >= o.foundedOn)).toBe(true);
    // Issue #18's share: annual reports (some late), grades, the abnormal list, platforms and
    // incubations (some graduated), so the comparisons below have something to compare.
    expect(orgs.filter((o) => o.annualReport !== null).length).toBeGreaterThan(5);
    expect(orgs.some((o) => o.annualReport?.onTime === false)).toBe(true);
    expect(orgs.some((o) => o.grade !== null)).toBe(true);
    expect(orgs.some((o) => o.abnormal !== null)).toBe(true);
    expect(active.some((o) => o.supportRoles.size > 0)).toBe(true);
    expect(oracle.incubations.some((m) => m.what === 'incubated')).toBe(true);
    expect(oracle.incubations.some((m) => m.what === 'graduated')).toBe(true);
  });

  it('/statistics/overview: totals, category × tier, party coverage, special units', async () => {
    const wrong: Json[] = [];
    for (const p of places) {
      const actual = await get(`/statistics/overview?${queryOf(p)}`);
      const expected = expectedOverview(oracle, p);
      if (JSON.stringify(sortDeep(actual)) !== JSON.stringify(sortDeep(expected)))
        wrong.push({ place: p, actual, expected });
    }
    expect(wrong).toEqual([]);
    // Not all zeros: the seeded places have organizations in several cells.
    const city = expectedOverview(oracle, { code: CITY, level: 'city' });
    expect(city.total).toBe([...oracle.orgs.values()].filter((o) => o.status === 'active').length);
  });

  it('/statistics/targets: urban and rural averages, below-target count and list order', async () => {
    const expectedCity = expectedTargets(oracle, undefined);
    const first = await get('/statistics/targets');
    expect({ urban: first.urban, rural: first.rural }).toEqual({
      urban: expectedCity.urban,
      rural: expectedCity.rural,
    });
    // The real communities of the city (DOMAIN §2): the 13 placeholders count nowhere.
    expect([first.urban.communities, first.rural.communities]).toEqual([4661, 1560]);
    expect({
      notAttributed: first.notAttributed,
      unitsWithoutCommunities: first.unitsWithoutCommunities,
    }).toEqual({
      notAttributed: expectedCity.notAttributed,
      unitsWithoutCommunities: expectedCity.unitsWithoutCommunities,
    });
    expect(first.unitsWithoutCommunities).toHaveLength(13);
    expect(
      (first.unitsWithoutCommunities as Array<{ code: string; organizations: number }>).find(
        (u) => u.code === PLACES.caohejing,
      )?.organizations,
    ).toBe(2);
    expect(first.belowTarget).toEqual({
      items: expectedCity.below.slice(0, 50),
      total: expectedCity.below.length,
      page: 1,
      pageSize: 50,
    });
    // Every page of the city's list, in order.
    const all: unknown[] = [];
    for (let page = 1; ; page++) {
      const answer = await get(`/statistics/targets?pageSize=500&page=${page}`);
      all.push(...(answer.belowTarget.items as unknown[]));
      if ((answer.belowTarget.items as Json[]).length < 500) break;
    }
    expect(all).toEqual(expectedCity.below);
    const placeholders = new Set(
      divisions.communities.filter((c) => c.placeholder === true).map((c) => c.code),
    );
    expect(placeholders.size).toBe(13);
    expect(all.filter((c) => placeholders.has((c as { code: string }).code))).toEqual([]);
    // Seeded communities with organizations but below the target sit at the end of the list.
    expect(all.some((c) => (c as { organizations: number }).organizations > 0)).toBe(true);

    for (const d of divisions.districts) {
      const expected = expectedTargets(oracle, d.code);
      const answer = await get(`/statistics/targets?district=${d.code}&pageSize=500`);
      expect({
        district: d.code,
        urban: answer.urban,
        rural: answer.rural,
        notAttributed: answer.notAttributed,
        unitsWithoutCommunities: answer.unitsWithoutCommunities,
      }).toEqual({
        district: d.code,
        urban: expected.urban,
        rural: expected.rural,
        notAttributed: expected.notAttributed,
        unitsWithoutCommunities: expected.unitsWithoutCommunities,
      });
      expect(answer.belowTarget.total).toBe(expected.below.length);
      expect(answer.belowTarget.items).toEqual(expected.below.slice(0, 500));
    }
  });

  it('/statistics/timeline: every month city-wide and per district', async () => {
    const city = await get('/statistics/timeline');
    expect(city).toEqual({ district: null, months: expectedTimeline(oracle, CITY) });
    expect((city.months as Json[]).length).toBeGreaterThan(24);
    for (const d of divisions.districts) {
      const answer = await get(`/statistics/timeline?district=${d.code}`);
      expect(answer).toEqual({ district: d.code, months: expectedTimeline(oracle, d.code) });
    }
    // A fixed window is zero-filled at both ends.
    const window = await get('/statistics/timeline?district=310104&from=2020-11&to=2021-03');
    const full = new Map(expectedTimeline(oracle, '310104').map((m) => [m.month, m]));
    expect(window.months).toEqual(
      ['2020-11', '2020-12', '2021-01', '2021-02', '2021-03'].map(
        (m) => full.get(m) ?? { month: m, ...noMonth() },
      ),
    );
  });

  it('/statistics/funding: every channel × year × district, amounts in fen and counts', async () => {
    const all = await get('/statistics/funding');
    expect(all).toEqual({
      place: placeRef(CITY),
      totals: placeTotals(oracle, CITY),
      city: fundingRows(oracle, CITY),
      districts: divisions.districts.flatMap((d) => fundingRows(oracle, d.code)),
    });
    const years = [...new Set(oracle.grants.map((g) => g.year))].sort();
    expect(years.length).toBeGreaterThan(2);
    for (const year of years) {
      expect(await get(`/statistics/funding?year=${year}`)).toEqual({
        place: placeRef(CITY),
        totals: placeTotals(oracle, CITY, year),
        city: fundingRows(oracle, CITY, year),
        districts: divisions.districts.flatMap((d) => fundingRows(oracle, d.code, year)),
      });
    }
    for (const district of ['310104', '310151', '310115']) {
      expect(await get(`/statistics/funding?district=${district}`)).toEqual({
        place: placeRef(district),
        totals: placeTotals(oracle, district),
        city: [],
        districts: fundingRows(oracle, district),
      });
    }
    const cityTotal = (all.city as FundingRow[]).reduce((s, r) => s + r.amountFen, 0);
    expect(cityTotal).toBe(oracle.grants.reduce((s, g) => s + g.amountFen, 0));
  });

  it('streets and communities: timeline, funding totals and targets of each seeded one', async () => {
    const local = places.filter((p) => p.level === 'street' || p.level === 'community');
    for (const p of local) {
      const q = `${p.level}=${p.code}`;
      const timeline = await get(`/statistics/timeline?${q}`);
      expect({ q, months: timeline.months }).toEqual({
        q,
        months: expectedTimeline(oracle, p.code),
      });
      const funding = await get(`/statistics/funding?${q}`);
      expect({ q, place: funding.place, totals: funding.totals }).toEqual({
        q,
        place: placeRef(p.code),
        totals: placeTotals(oracle, p.code),
      });
      const targets = await get(`/statistics/targets?${q}&pageSize=500`);
      const expected = expectedTargets(oracle, p.code);
      expect({
        q,
        urban: targets.urban,
        rural: targets.rural,
        notAttributed: targets.notAttributed,
        unitsWithoutCommunities: targets.unitsWithoutCommunities,
      }).toEqual({
        q,
        urban: expected.urban,
        rural: expected.rural,
        notAttributed: expected.notAttributed,
        unitsWithoutCommunities: expected.unitsWithoutCommunities,
      });
      expect(targets.belowTarget.items).toEqual(expected.below.slice(0, 500));
    }
    // Not vacuous: the seeded streets have registrations, grants and organizations.
    const streets = local.filter((p) => p.level === 'street').map((p) => p.code);
    expect(streets.some((code) => expectedTimeline(oracle, code).length > 0)).toBe(true);
    expect(streets.some((code) => placeTotals(oracle, code).length > 0)).toBe(true);
  });

  it('/statistics/targets: the figures of each place one level down', async () => {
    const withOrganizations = [...new Set([...oracle.orgs.values()].map((o) => o.street))];
    const codes = [CITY, '310104', '310151', ...withOrganizations];
    for (const code of codes) {
      const q = code === CITY ? '' : `?${placeRef(code).level}=${code}`;
      const answer = await get(`/statistics/targets${q}`);
      expect({ code, children: answer.children }).toEqual({
        code,
        children: expectedChildren(oracle, code),
      });
    }
    // Every district has communities, so the city's list names all sixteen.
    const city = await get('/statistics/targets');
    const districtCodes = (city.children as Array<{ code: string }>).map((c) => c.code).sort();
    expect(districtCodes).toEqual(divisions.districts.map((d) => d.code).sort());
  });

  it('/fundings: totals per filter, the newest first, and each grant of an organization', async () => {
    const count = (f: (g: Grant) => boolean): number => oracle.grants.filter(f).length;
    const years = [...new Set(oracle.grants.map((g) => g.year))].sort();
    const checks: Array<[string, number]> = [['', oracle.grants.length]];
    for (const d of ['310104', '310151', '310115'])
      checks.push([`district=${d}`, count((g) => g.district === d)]);
    for (const c of CHANNELS) checks.push([`channel=${c}`, count((g) => g.channel === c)]);
    for (const y of years) checks.push([`year=${y}`, count((g) => g.year === y)]);
    checks.push([
      'district=310151&channel=self-governance-fund&year=2023',
      count(
        (g) => g.district === '310151' && g.channel === 'self-governance-fund' && g.year === '2023',
      ),
    ]);
    checks.push([
      'from=2022-03-01&to=2022-08-31',
      count((g) => g.grantedOn >= '2022-03-01' && g.grantedOn <= '2022-08-31'),
    ]);
    const totals: Array<[string, number]> = [];
    for (const [query, _expected] of checks)
      totals.push([query, (await get(`/fundings?${query}`)).total as number]);
    expect(totals).toEqual(checks);

    const page = await get('/fundings?pageSize=100');
    const newest = oracle.grants
      .map((g) => g.grantedOn)
      .sort()
      .reverse()
      .slice(0, 100);
    expect((page.items as Array<{ grantedOn: string }>).map((g) => g.grantedOn)).toEqual(newest);

    // The most funded organization's grants, row by row.
    const byOrg = new Map<string, Grant[]>();
    for (const g of oracle.grants) byOrg.set(g.org, [...(byOrg.get(g.org) ?? []), g]);
    const [org, grants] = [...byOrg.entries()].sort((a, b) => b[1].length - a[1].length)[0]!;
    const rows = await get(`/fundings?organization=${org}&pageSize=100`);
    const shape = (g: Json) => ({
      id: g.id,
      organizationId: g.organizationId,
      recipientName: g.recipientName,
      amountFen: g.amountFen,
      channel: g.channel,
      grantedOn: g.grantedOn,
      year: g.year,
      districtCode: g.districtCode,
    });
    const byId = (a: Json, b: Json) => (a.id < b.id ? -1 : 1);
    expect((rows.items as Json[]).map(shape).sort(byId)).toEqual(
      grants
        .map((g) => ({
          id: `grant:${g.id}`,
          organizationId: g.org,
          recipientName: g.recipientName,
          amountFen: g.amountFen,
          channel: g.channel,
          grantedOn: g.grantedOn,
          year: g.year,
          districtCode: g.district,
        }))
        .sort(byId),
    );
  });

  it('/activity-reports: series by month × level and report counts per place', async () => {
    const wrong: Json[] = [];
    for (const p of places) {
      const answer = await get(`/activity-reports?${queryOf(p)}&pageSize=1`);
      const series = activitySeries(oracle, p);
      const total = oracle.reports.filter((r) => inPlace(p, r)).length;
      if (
        JSON.stringify(sortDeep(answer.series)) !== JSON.stringify(sortDeep(series)) ||
        answer.total !== total
      )
        wrong.push({
          place: p,
          series: answer.series,
          expected: series,
          total: answer.total,
          expectedTotal: total,
        });
    }
    expect(wrong).toEqual([]);
    const busiest = activitySeries(oracle, { code: CITY, level: 'city' }).sort(
      (a: Json, b: Json) => b.total - a.total,
    )[0];
    const m = busiest.month as string;
    const filtered = await get(`/activity-reports?district=310104&month=${m}&level=street`);
    expect({ series: filtered.series, total: filtered.total }).toEqual({
      series: activitySeries(oracle, { code: '310104', level: 'district' }, m),
      total: oracle.reports.filter(
        (r) => r.district === '310104' && r.month === m && r.level === 'street',
      ).length,
    });
  });

  it('/statistics/platforms: coverage of every street, per district and city-wide', async () => {
    const wrong: Json[] = [];
    for (const district of [undefined, ...divisions.districts.map((d) => d.code)]) {
      const { place: _place, ...actual } = await get(
        `/statistics/platforms${district === undefined ? '' : `?district=${district}`}`,
      );
      const expected = expectedPlatforms(oracle, district);
      if (JSON.stringify(sortDeep(actual)) !== JSON.stringify(sortDeep(expected)))
        wrong.push({ district: district ?? CITY, actual, expected });
    }
    expect(wrong.slice(0, 1)).toEqual([]);
  });

  it('/statistics/incubation: entries and graduations per base and year', async () => {
    const years = [...new Set(oracle.incubations.map((m) => m.year))].sort();
    const wrong: Json[] = [];
    for (const district of [undefined, ...divisions.districts.map((d) => d.code)]) {
      for (const year of [undefined, ...years, '2020']) {
        const query = [
          ...(district === undefined ? [] : [`district=${district}`]),
          ...(year === undefined ? [] : [`year=${year}`]),
        ].join('&');
        const actual = await get(`/statistics/incubation?${query}`);
        const expected = expectedIncubation(oracle, district, year);
        if (JSON.stringify(sortDeep(actual)) !== JSON.stringify(sortDeep(expected)))
          wrong.push({ query, actual, expected });
      }
    }
    expect(wrong.slice(0, 1)).toEqual([]);
  });

  it('/registry: totals per tier, category, status and place, and every record', async () => {
    const orgs = [...oracle.orgs.values()];
    const checks: Array<[string, number]> = [['', orgs.length]];
    for (const t of TIERS) checks.push([`tier=${t}`, orgs.filter((o) => o.tier === t).length]);
    for (const c of CATEGORIES)
      checks.push([`category=${c}`, orgs.filter((o) => o.category === c).length]);
    for (const s of ['active', 'dissolved'])
      checks.push([`status=${s}`, orgs.filter((o) => o.status === s).length]);
    for (const t of TIERS)
      for (const c of CATEGORIES)
        checks.push([
          `tier=${t}&category=${c}&status=active`,
          orgs.filter((o) => o.tier === t && o.category === c && o.status === 'active').length,
        ]);
    for (const p of places.filter((x) => x.level !== 'city'))
      checks.push([queryOf(p), orgs.filter((o) => inPlace(p, o)).length]);
    checks.push([
      'district=310151&tier=team&status=active',
      orgs.filter((o) => o.district === '310151' && o.tier === 'team' && o.status === 'active')
        .length,
    ]);
    const totals: Array<[string, number]> = [];
    for (const [query] of checks)
      totals.push([query, (await get(`/registry?${query}&pageSize=1`)).total as number]);
    expect(totals).toEqual(checks);

    // Every public record, field by field for what the statistics rest on.
    const records: unknown[] = [];
    for (let page = 1; ; page++) {
      const answer = await get(`/registry?pageSize=100&page=${page}`);
      records.push(...(answer.items as unknown[]));
      if ((answer.items as Json[]).length < 100) break;
    }
    const shape = (r: Json) => ({
      id: r.id,
      name: r.name,
      category: r.category,
      tier: r.tier,
      status: r.status,
      partyOrganization: r.partyOrganization,
      districtCode: r.districtCode,
      streetCode: r.streetCode,
      communityCode: r.communityCode,
      filingNumber: r.filingNumber,
      uscc: r.uscc,
      foundedOn: r.foundedOn,
      registeredOn: r.registeredOn,
      filedOn: r.filedOn,
      recordedOn: r.recordedOn,
      tierSince: r.tierSince,
      activityScope: r.activityScope,
      dissolvedOn: r.dissolvedOn,
      dissolutionKind: r.dissolutionKind,
      mergedInto: r.mergedInto,
      fundingByYear: r.fundingByYear,
      fundingTotalFen: r.fundingTotalFen,
      grantCount: r.grantCount,
      activityCount: r.activityCount,
      latestEvaluation: r.latestEvaluation,
      annualReport: r.annualReport,
      grade: r.grade,
      abnormal: r.abnormal,
      // Roles as a set: the registry promises no order among them.
      supportRoles: [...((r.supportRoles ?? []) as Json[])].sort((a, b) =>
        a.role < b.role ? -1 : 1,
      ),
      incubation: r.incubation,
    });
    const byId = (a: Json, b: Json) => (a.id < b.id ? -1 : 1);
    expect(records.map(shape).sort(byId)).toEqual(
      orgs
        .map((o) =>
          shape({
            ...o,
            partyOrganization: o.party,
            districtCode: o.district,
            streetCode: o.street,
            communityCode: o.namedCommunity,
            fundingTotalFen: Object.values(o.fundingByYear).reduce((s, v) => s + v, 0),
            // A grade shows while valid on the day asked (today in Shanghai).
            grade: o.grade !== null && o.grade.validUntil >= shanghaiToday() ? o.grade : null,
            supportRoles: [...o.supportRoles].map(([role, streets]) => ({ role, streets })),
          }),
        )
        .sort(byId),
    );
  });
});

describe(`statistics as of past month-ends against the log folded by business dates (seed ${SEED})`, () => {
  /** Month-ends across the seed's years, and the two districts with the most organizations. */
  const MONTHS = ['2021-06', '2022-12', '2023-12', '2024-09'];
  const busiest = (): string[] => {
    const per = new Map<string, number>();
    for (const org of oracle.orgs.values()) per.set(org.district, (per.get(org.district) ?? 0) + 1);
    return [...per.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 2)
      .map(([code]) => code);
  };

  it(
    'overview, targets and platform coverage, city-wide and for two districts',
    async () => {
      const wrong: Json[] = [];
      const check = (what: string, month: string, actual: unknown, expected: unknown) => {
        if (JSON.stringify(sortDeep(actual)) !== JSON.stringify(sortDeep(expected)))
          wrong.push({ what, month, actual: actual as Json, expected: expected as Json });
      };
      const totals: number[] = [];
      for (const month of MONTHS) {
        const past = foldAsOf(logRows, month);
        for (const code of [CITY, ...busiest()]) {
          const p: PlaceRef = { code, level: code === CITY ? 'city' : 'district' };
          const q = code === CITY ? '' : `district=${code}&`;
          const overview = await get(`/statistics/overview?${q}asOf=${month}`);
          check(`overview ${code}`, month, overview, expectedOverview(past, p));
          if (code === CITY) totals.push(overview.total as number);

          const expected = expectedTargets(past, code === CITY ? undefined : code);
          const targets = await get(`/statistics/targets?${q}pageSize=500&asOf=${month}`);
          check(
            `targets ${code}`,
            month,
            {
              urban: targets.urban,
              rural: targets.rural,
              notAttributed: targets.notAttributed,
              unitsWithoutCommunities: targets.unitsWithoutCommunities,
              belowTotal: targets.belowTarget.total,
              below: targets.belowTarget.items,
              children: targets.children,
            },
            {
              urban: expected.urban,
              rural: expected.rural,
              notAttributed: expected.notAttributed,
              unitsWithoutCommunities: expected.unitsWithoutCommunities,
              belowTotal: expected.below.length,
              below: expected.below.slice(0, 500),
              children: expectedChildren(past, code),
            },
          );

          const { place: _place, ...platforms } = await get(
            `/statistics/platforms?${q}asOf=${month}`,
          );
          check(
            `platforms ${code}`,
            month,
            platforms,
            expectedPlatforms(past, code === CITY ? undefined : code),
          );
        }
      }
      expect(wrong.slice(0, 1)).toEqual([]);
      // The months differ from one another and from today: the figures really are dated.
      expect(new Set(totals).size).toBe(MONTHS.length);
      expect(totals).not.toContain(expectedOverview(oracle, { code: CITY, level: 'city' }).total);
    },
    SLOW,
  );

  it('party coverage and platforms were there to compare: some coverage in the later months', () => {
    const past = foldAsOf(logRows, MONTHS[MONTHS.length - 1] ?? '');
    const active = [...past.orgs.values()].filter((o) => o.status === 'active');
    expect(active.some((o) => o.party !== 'none')).toBe(true);
    expect(active.some((o) => o.supportRoles.size > 0)).toBe(true);
    expect(active.some((o) => o.tier === 'registered')).toBe(true);
  });
});
