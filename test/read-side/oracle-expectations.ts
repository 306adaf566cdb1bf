/**
 * What the read routes should answer, computed from the oracle's fold of the log
 * (log-oracle.ts) alone. Shared by the oracle specs.
 */
import type { Json } from '../support/http-app.js';
import {
  CATEGORIES,
  TIERS,
  PARTY,
  ORGANIZATIONAL,
  WORK,
  CHANNELS,
  LEVELS,
  TARGET,
  CITY,
  divisions,
  realCommunities,
  streetsWithCommunities,
  districtByCode,
  streetByCode,
  communityByCode,
  type Org,
  type MonthCounts,
  noMonth,
  type Oracle,
} from './log-oracle.js';

export interface FundingRow {
  districtCode: string;
  districtName: string | undefined;
  channel: string;
  year: string;
  amountFen: number;
  grants: number;
}

export type Level = 'city' | 'district' | 'street' | 'community';
export interface PlaceRef {
  code: string;
  level: Level;
}

export const placeName = (p: PlaceRef): string =>
  p.level === 'city'
    ? '上海市'
    : ((p.level === 'district'
        ? districtByCode.get(p.code)?.name
        : p.level === 'street'
          ? streetByCode.get(p.code)?.name
          : communityByCode.get(p.code)?.name) ?? p.code);

export const queryOf = (p: PlaceRef): string => (p.level === 'city' ? '' : `${p.level}=${p.code}`);

export function inPlace(
  p: PlaceRef,
  at: { district: string; street: string; community: string | null },
) {
  switch (p.level) {
    case 'city':
      return true;
    case 'district':
      return at.district === p.code;
    case 'street':
      return at.street === p.code;
    case 'community':
      return at.community === p.code;
  }
}

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export function expectedOverview(o: Oracle, p: PlaceRef): Json {
  const active = [...o.orgs.values()].filter((org) => org.status === 'active' && inPlace(p, org));
  const n = (f: (org: Org) => boolean): number => active.filter(f).length;
  const total = active.length;
  const party = Object.fromEntries(PARTY.map((s) => [s, n((org) => org.party === s)]));
  const coverage = (statuses: string[]) => {
    const count = n((org) => statuses.includes(org.party));
    return { count, share: total === 0 ? 0 : round3(count / total) };
  };
  return {
    place: { code: p.code, name: placeName(p), level: p.level },
    total,
    byCategoryAndTier: Object.fromEntries(
      CATEGORIES.map((c) => [
        c,
        Object.fromEntries(TIERS.map((t) => [t, n((org) => org.category === c && org.tier === t)])),
      ]),
    ),
    byCategory: Object.fromEntries(CATEGORIES.map((c) => [c, n((org) => org.category === c)])),
    byTier: Object.fromEntries(TIERS.map((t) => [t, n((org) => org.tier === t)])),
    partyOrganization: party,
    partyCoverage: { organizational: coverage(ORGANIZATIONAL), work: coverage(WORK) },
    inSpecialUnits: n((org) => streetByCode.get(org.street)?.kind === 'special'),
  };
}

/** The targets' figures of the city (no code) or of a district, street or community. */
export function expectedTargets(o: Oracle, place: string | undefined) {
  const perCommunity = new Map<string, number>();
  for (const org of o.orgs.values()) {
    if (org.status !== 'active' || org.community === null) continue;
    perCommunity.set(org.community, (perCommunity.get(org.community) ?? 0) + 1);
  }
  const figures = {
    urban: { communities: 0, organizations: 0, below: 0 },
    rural: { communities: 0, organizations: 0, below: 0 },
  };
  const below: Json[] = [];
  for (const c of realCommunities) {
    const street = streetByCode.get(c.street);
    if (!street) throw new Error(`community ${c.code} of an unknown street`);
    if (place !== undefined && ![street.district, street.code, c.code].includes(place)) continue;
    const organizations = perCommunity.get(c.code) ?? 0;
    const f = figures[c.kind];
    f.communities++;
    f.organizations += organizations;
    if (organizations >= TARGET[c.kind]) continue;
    f.below++;
    below.push({
      code: c.code,
      name: c.name,
      kind: c.kind,
      streetCode: street.code,
      streetName: street.name,
      districtCode: street.district,
      districtName: districtByCode.get(street.district)?.name,
      organizations,
      target: TARGET[c.kind],
      shortfall: TARGET[c.kind] - organizations,
    });
  }
  // Furthest below the target first, then by code.
  below.sort(
    (a: Json, b: Json) =>
      (b.shortfall as number) - (a.shortfall as number) || (a.code < b.code ? -1 : 1),
  );
  const summary = (kind: 'urban' | 'rural') => {
    const f = figures[kind];
    const average = f.communities === 0 ? 0 : round3(f.organizations / f.communities);
    return {
      communities: f.communities,
      organizations: f.organizations,
      average,
      target: TARGET[kind],
      met: average >= TARGET[kind],
      belowTarget: f.below,
    };
  };
  // Outside the averages: organizations based in no community of a street that has some, and
  // the special units without a real community, with the organizations based at each.
  const inScope = (org: Org): boolean =>
    place === undefined || org.district === place || org.street === place;
  const active = [...o.orgs.values()].filter((org) => org.status === 'active');
  const notAttributed =
    place !== undefined && place.length === 12
      ? 0
      : active.filter(
          (org) => inScope(org) && org.community === null && streetsWithCommunities.has(org.street),
        ).length;
  const unitsWithoutCommunities = divisions.streets
    .filter(
      (s) =>
        !streetsWithCommunities.has(s.code) &&
        (place === undefined || place === s.district || place === s.code),
    )
    .map((s) => ({
      code: s.code,
      name: s.name,
      districtCode: s.district,
      districtName: districtByCode.get(s.district)?.name,
      organizations: active.filter((org) => org.street === s.code).length,
    }));
  return {
    urban: summary('urban'),
    rural: summary('rural'),
    notAttributed,
    unitsWithoutCommunities,
    below,
  };
}

export function nextMonth(m: string): string {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
}

export function expectedTimeline(o: Oracle, place: string): Array<{ month: string } & MonthCounts> {
  const months = o.timeline.get(place);
  if (!months || months.size === 0) return [];
  const keys = [...months.keys()].sort();
  const series: Array<{ month: string } & MonthCounts> = [];
  for (let m = keys[0]!; m <= keys[keys.length - 1]!; m = nextMonth(m)) {
    series.push({
      month: m,
      ...(months.get(m) ?? noMonth()),
    });
  }
  return series;
}

export function fundingRows(o: Oracle, place: string, year?: string): FundingRow[] {
  const sums = new Map<string, { amountFen: number; grants: number }>();
  for (const g of o.grants) {
    if (place !== CITY && ![g.district, g.street, g.community].includes(place)) continue;
    if (year !== undefined && g.year !== year) continue;
    const key = `${g.channel}|${g.year}`;
    const s = sums.get(key) ?? { amountFen: 0, grants: 0 };
    s.amountFen += g.amountFen;
    s.grants++;
    sums.set(key, s);
  }
  return [...sums.entries()]
    .map(([key, s]) => {
      const [channel, y] = key.split('|') as [string, string];
      return {
        districtCode: place,
        districtName: place === CITY ? '上海市' : districtByCode.get(place)?.name,
        channel,
        year: y,
        ...s,
      };
    })
    .sort((a, b) =>
      a.year === b.year
        ? CHANNELS.indexOf(a.channel) - CHANNELS.indexOf(b.channel)
        : a.year < b.year
          ? -1
          : 1,
    );
}

/** The funding totals of the place itself, as `/statistics/funding` answers them in `totals`. */
export function placeTotals(o: Oracle, place: string, year?: string): Json[] {
  return fundingRows(o, place, year).map(({ channel, year: y, amountFen, grants }) => ({
    channel,
    year: y,
    amountFen,
    grants,
  }));
}

/** A place as the read routes name it, from the shipped division file. */
export function placeRef(code: string): { code: string; name: string | undefined; level: Level } {
  if (code === CITY) return { code, name: '上海市', level: 'city' };
  if (code.length === 6) return { code, name: districtByCode.get(code)?.name, level: 'district' };
  if (code.length === 9) return { code, name: streetByCode.get(code)?.name, level: 'street' };
  return { code, name: communityByCode.get(code)?.name, level: 'community' };
}

/** Each place one level down that holds communities, in the division file's order, and its figures. */
export function expectedChildren(o: Oracle, place: string): Json[] {
  const children: string[] = [];
  for (const c of realCommunities) {
    const street = streetByCode.get(c.street);
    if (!street) continue;
    const child =
      place === CITY
        ? street.district
        : place === street.district
          ? street.code
          : place === street.code || place === c.code
            ? c.code
            : undefined;
    if (child !== undefined && !children.includes(child)) children.push(child);
  }
  return children.map((code) => {
    const { urban, rural } = expectedTargets(o, code);
    return { code, name: placeRef(code).name, urban, rural };
  });
}

/** The support-platform roles (DOMAIN §3), in the domain's order. */
export const ROLES = ['federation', 'service-centre', 'incubation-base', 'social-work-station'];

/**
 * Platform coverage of the city or a district: for every street and town (special units left
 * out) the live holders serving it in each role, the roles it lacks, and per district and
 * overall how many streets have each kind and all four.
 */
export function expectedPlatforms(o: Oracle, district?: string): Json {
  const serving = new Map<string, number>(); // `${street}|${role}` → live holders
  for (const org of o.orgs.values()) {
    if (org.status !== 'active') continue;
    for (const [role, streets] of org.supportRoles)
      for (const street of streets)
        serving.set(`${street}|${role}`, (serving.get(`${street}|${role}`) ?? 0) + 1);
  }
  const rows = divisions.streets
    .filter((s) => s.kind !== 'special' && (district === undefined || s.district === district))
    .map((s) => {
      const platforms = Object.fromEntries(
        ROLES.map((role) => [role, serving.get(`${s.code}|${role}`) ?? 0]),
      );
      return {
        code: s.code,
        name: s.name,
        districtCode: s.district,
        districtName: districtByCode.get(s.district)?.name,
        platforms,
        missing: ROLES.filter((role) => platforms[role] === 0),
      };
    });
  const figures = (of: typeof rows) => ({
    streets: of.length,
    covered: Object.fromEntries(
      ROLES.map((role) => [role, of.filter((r) => (r.platforms[role] ?? 0) > 0).length]),
    ),
    complete: of.filter((r) => r.missing.length === 0).length,
  });
  const districtCodes = [...new Set(rows.map((r) => r.districtCode))];
  return {
    roles: ROLES,
    summary: figures(rows),
    districts: districtCodes.map((code) => ({
      code,
      name: districtByCode.get(code)?.name,
      ...figures(rows.filter((r) => r.districtCode === code)),
    })),
    streets: rows,
  };
}

/**
 * Incubation per base (of the city or the base's district) and per business year: entries and
 * graduations (a withdrawal counts in neither); with a year, that year only. Bases with the most
 * entries first, then by id.
 */
export function expectedIncubation(o: Oracle, district?: string, year?: string): Json {
  const bases = new Map<string, Map<string, { incubated: number; graduated: number }>>();
  for (const m of o.incubations) {
    if (m.what === 'withdrawn') continue;
    if (district !== undefined && m.baseDistrict !== district) continue;
    if (year !== undefined && m.year !== year) continue;
    const years = bases.get(m.base) ?? new Map<string, { incubated: number; graduated: number }>();
    bases.set(m.base, years);
    const cell = years.get(m.year) ?? { incubated: 0, graduated: 0 };
    years.set(m.year, cell);
    cell[m.what]++;
  }
  return {
    district: district ?? null,
    year: year ?? null,
    bases: [...bases.entries()]
      .map(([baseId, years]) => {
        const list = [...years.entries()]
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([y, cell]) => ({ year: y, ...cell }));
        return {
          baseId,
          incubated: list.reduce((n, y) => n + y.incubated, 0),
          graduated: list.reduce((n, y) => n + y.graduated, 0),
          years: list,
        };
      })
      .sort((a, b) => b.incubated - a.incubated || (a.baseId < b.baseId ? -1 : 1)),
  };
}

export function activitySeries(o: Oracle, p: PlaceRef, onlyMonth?: string): Json[] {
  const months = new Map<string, Record<string, number>>();
  for (const r of o.reports) {
    if (!inPlace(p, r) || (onlyMonth !== undefined && r.month !== onlyMonth)) continue;
    const row = months.get(r.month) ?? { community: 0, street: 0, district: 0 };
    row[r.level] = (row[r.level] ?? 0) + 1;
    months.set(r.month, row);
  }
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([m, row]) => ({
      month: m,
      ...row,
      total: LEVELS.reduce((s, l) => s + (row[l] ?? 0), 0),
    }));
}

/** Objects with their keys sorted (arrays kept in order), so only content is compared. */
export function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortDeep(v)]),
    );
  return value;
}
