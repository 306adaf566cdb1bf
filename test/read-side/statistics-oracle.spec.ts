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
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { teamBody } from '../support/e2e-kit.js';
import { PLACES } from '../support/fixtures.js';
import { httpRequest, signTestToken, type Json } from '../support/http-app.js';
import { startServer, type SpawnedServer } from '../support/spawned-server.js';
import { DIVISIONS_FILE, headPosition, seedSmall, waitCaughtUp } from './read-side-kit.js';

const SEED = Number(process.env['ORACLE_SEED'] ?? 4);
const SLOW = 90_000;

// The vocabularies of DOMAIN §3–§4, in the order the domain lists them.
const CATEGORIES = ['charity', 'life-service', 'community-affairs', 'culture-sports'];
const TIERS = ['group', 'team', 'registered'];
const PARTY = ['none', 'own-branch', 'joint-branch', 'liaison', 'instructor'];
/** 组织覆盖 and 工作覆盖 (DOMAIN §4): a branch; a branch, a liaison or an instructor. */
const ORGANIZATIONAL = ['own-branch', 'joint-branch'];
const WORK = [...ORGANIZATIONAL, 'liaison', 'instructor'];
const CHANNELS = [
  'welfare-lottery',
  'government-purchase',
  'venture-philanthropy',
  'subsidy',
  'transfer-payment',
  'self-governance-fund',
  'community-foundation',
  'other',
];
const LEVELS = ['community', 'street', 'district'];
/** DOMAIN §4: how an organization ends (注销, 撤销, 清理, 合并); a v1 dissolution had no kind. */
const KINDS = ['deregistered', 'revoked', 'cleared', 'merged'] as const;
type Kind = (typeof KINDS)[number];
/** The appraisal grades (优秀 / 良好 / 合格 / 不合格); v1 graded A–D. */
const GRADES = ['excellent', 'good', 'pass', 'fail'];
const V1_GRADES: Record<string, string> = { A: 'excellent', B: 'good', C: 'pass', D: 'fail' };
/** The policy's targets (DOMAIN §2), the server's defaults. */
const TARGET = { urban: 12, rural: 7 } as const;
const CITY = '310000';
/** 新崇居委会 of 城桥镇: no seeded organization is based there. */
const XINCHONG = '310151101003';

// ---------------------------------------------------------------------------------------------
// Division data, read from the shipped file.

interface DivisionFile {
  districts: Array<{ code: string; name: string }>;
  streets: Array<{ code: string; name: string; district: string; kind: string }>;
  communities: Array<{
    code: string;
    name: string;
    street: string;
    kind: 'urban' | 'rural';
    placeholder?: true;
  }>;
}
const divisions = JSON.parse(readFileSync(DIVISIONS_FILE, 'utf8')) as DivisionFile;
/** The communities the targets count: placeholders (虚拟社区, 虚拟生活区) are no one's base. */
const realCommunities = divisions.communities.filter((c) => c.placeholder !== true);
const streetsWithCommunities = new Set(realCommunities.map((c) => c.street));
const districtByCode = new Map(divisions.districts.map((d) => [d.code, d]));
const streetByCode = new Map(divisions.streets.map((s) => [s.code, s]));
const communityByCode = new Map(divisions.communities.map((c) => [c.code, c]));

// ---------------------------------------------------------------------------------------------
// The oracle: a fold of its own over the events' JSON.

interface Org {
  id: string;
  name: string;
  category: string;
  tier: string;
  status: 'active' | 'dissolved';
  party: string;
  district: string;
  street: string;
  /** The base community: never a placeholder (null then, as when none was recorded). */
  community: string | null;
  /** The community the registration named, as the registry shows it. */
  namedCommunity: string | null;
  filingNumber: string | null;
  uscc: string | null;
  registeredMonth: string;
  /** The registry's business dates and scope (issue #13 item 2); null where one does not apply. */
  foundedOn: string;
  registeredOn: string | null;
  filedOn: string | null;
  recordedOn: string | null;
  tierSince: string | null;
  activityScope: string;
  dissolvedOn: string | null;
  dissolutionKind: Kind | null;
  mergedInto: string | null;
  fundingByYear: Record<string, number>;
  grantCount: number;
  activityCount: number;
  latestEvaluation: { period: string; grade: string } | null;
  /** Issue #18's registry fields: the latest annual report, the formal grade, the abnormal list. */
  annualReport: { year: number; onTime: boolean } | null;
  grade: { grade: string; validUntil: string } | null;
  abnormal: { listedOn: string; reason: string } | null;
  /** Support-platform roles held and the streets each serves (an assignment replaces them). */
  supportRoles: Map<string, string[]>;
  incubation: { baseId: string; since: string } | null;
  /**
   * Its registration, promotions and dissolution by business date: counted in the timeline of
   * the place it is based in at the end (a move re-homes them all).
   */
  milestones: Array<{ on: string; what: Milestone; kind?: Kind }>;
  /** The places it moved away from (asked about: it must count there no more). */
  movedFrom: string[];
}

type Milestone = 'registrations' | 'promotions' | 'dissolutions';

/** An entry into an incubation base or an end of one, by the business year it happened in. */
interface IncubationMove {
  base: string;
  baseDistrict: string;
  year: string;
  what: 'incubated' | 'graduated' | 'withdrawn';
}

interface Grant {
  id: string;
  org: string;
  recipientName: string;
  amountFen: number;
  channel: string;
  grantedOn: string;
  year: string;
  district: string;
  street: string;
  community: string | null;
}

interface Report {
  org: string;
  month: string;
  level: string;
  district: string;
  street: string;
  community: string;
}

interface MonthCounts {
  registrations: number;
  promotions: number;
  dissolutions: number;
  dissolutionsByKind: Record<Kind, number>;
}

const noMonth = (): MonthCounts => ({
  registrations: 0,
  promotions: 0,
  dissolutions: 0,
  dissolutionsByKind: { deregistered: 0, revoked: 0, cleared: 0, merged: 0 },
});

interface Oracle {
  orgs: Map<string, Org>;
  grants: Grant[];
  reports: Report[];
  incubations: IncubationMove[];
  /** Month counters per place (city and district): registrations, promotions, dissolutions. */
  timeline: Map<string, Map<string, MonthCounts>>;
  eventsRead: number;
}

type Data = Record<string, unknown>;
const str = (d: Data, key: string): string => {
  const value = d[key];
  if (typeof value !== 'string')
    throw new Error(`expected a string ${key} in ${JSON.stringify(d)}`);
  return value;
};
const month = (date: string): string => date.slice(0, 7);

interface LogRow {
  position: number;
  type: string;
  data: string;
  metadata: string;
}

function readLog(dataDir: string): LogRow[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  const rows = db
    .prepare('SELECT position, type, data, metadata FROM events ORDER BY position')
    .all() as LogRow[];
  db.close();
  return rows;
}

function foldRows(rows: readonly LogRow[]): Oracle {
  const orgs = new Map<string, Org>();
  const grants: Grant[] = [];
  const reports: Report[] = [];
  const incubations: IncubationMove[] = [];
  const timeline: Oracle['timeline'] = new Map();
  const count = (org: Org, on: string, what: Milestone, kind?: Kind): void => {
    org.milestones.push({ on, what, ...(kind !== undefined && { kind }) });
  };
  for (const row of rows) {
    const d = JSON.parse(row.data) as Data;
    if (row.type === 'OrganizationRegistered') {
      const org: Org = {
        id: str(d, 'organizationId'),
        name: str(d, 'name'),
        category: str(d, 'category'),
        tier: str(d, 'tier'),
        status: 'active',
        party: 'none',
        district: str(d, 'districtCode'),
        street: str(d, 'streetCode'),
        community:
          typeof d['communityCode'] === 'string' &&
          communityByCode.get(d['communityCode'])?.placeholder !== true
            ? d['communityCode']
            : null,
        namedCommunity: typeof d['communityCode'] === 'string' ? d['communityCode'] : null,
        filingNumber: null,
        uscc: typeof d['uscc'] === 'string' ? d['uscc'] : null,
        registeredMonth: '',
        foundedOn: str(d, 'foundedOn'),
        registeredOn: d['tier'] === 'registered' ? str(d, 'registeredOn') : null,
        filedOn: null,
        recordedOn: d['tier'] === 'group' ? str(d, 'recordedOn') : null,
        tierSince: null,
        activityScope: str(d, 'activityScope'),
        dissolvedOn: null,
        dissolutionKind: null,
        mergedInto: null,
        fundingByYear: {},
        grantCount: 0,
        activityCount: 0,
        latestEvaluation: null,
        annualReport: null,
        grade: null,
        abnormal: null,
        supportRoles: new Map(),
        incubation: null,
        milestones: [],
        movedFrom: [],
      };
      orgs.set(org.id, org);
      // A registration counts in the month of its business date; a team's is the date of the
      // filing registered with it (the next OrganizationFiled).
      const on = org.registeredOn ?? org.recordedOn;
      if (on !== null) {
        org.registeredMonth = month(on);
        org.tierSince = on;
        count(org, on, 'registrations');
      }
      continue;
    }
    if (typeof d['organizationId'] !== 'string') continue; // name reservations and the like
    const org = orgs.get(d['organizationId']);
    if (!org) continue;
    switch (row.type) {
      case 'OrganizationFiled':
      case 'FilingAmended':
        org.filingNumber = str(d, 'filingNumber');
        org.filedOn = str(d, 'filedOn');
        if (org.tierSince === null) {
          org.registeredMonth = month(org.filedOn);
          org.tierSince = org.filedOn;
          count(org, org.filedOn, 'registrations');
        }
        break;
      case 'FilingCancelled':
        org.filingNumber = null;
        org.filedOn = null;
        break;
      case 'TierPromoted':
        org.tier = str(d, 'toTier');
        org.tierSince = str(d, 'promotedOn');
        org.recordedOn = null;
        if (org.tier === 'registered') {
          org.uscc = typeof d['uscc'] === 'string' ? d['uscc'] : null;
          org.filingNumber = null;
          org.filedOn = null;
          org.registeredOn = org.tierSince;
        }
        count(org, str(d, 'promotedOn'), 'promotions');
        break;
      case 'TierDemoted':
        org.tier = str(d, 'toTier');
        org.tierSince = str(d, 'demotedOn');
        org.uscc = null;
        org.filingNumber = null;
        org.filedOn = null;
        org.registeredOn = null;
        if (org.tier === 'group') org.activityScope = 'community';
        // Below registered an organization holds no support-platform role (DOMAIN §4).
        org.supportRoles.clear();
        break;
      case 'OrganizationReclassified':
        org.category = str(d, 'toCategory');
        break;
      case 'PartyOrganizationChanged':
        org.party = str(d, 'to');
        break;
      case 'EvaluationRecorded':
        org.latestEvaluation = {
          period: str(d, 'period'),
          grade: V1_GRADES[str(d, 'grade')] ?? str(d, 'grade'),
        };
        break;
      case 'OrganizationDissolved':
        org.status = 'dissolved';
        org.dissolvedOn = str(d, 'dissolvedOn');
        org.dissolutionKind = (typeof d['kind'] === 'string' ? d['kind'] : 'deregistered') as Kind;
        org.mergedInto = typeof d['mergedInto'] === 'string' ? d['mergedInto'] : null;
        count(org, org.dissolvedOn, 'dissolutions', org.dissolutionKind);
        break;
      case 'ActivityReported':
        org.activityCount++;
        reports.push({
          org: org.id,
          month: month(str(d, 'startsOn')),
          level: str(d, 'level'),
          district: str(d, 'districtCode'),
          street: str(d, 'streetCode'),
          community: str(d, 'communityCode'),
        });
        break;
      case 'FundingGranted': {
        const amountFen = d['amountFen'];
        if (typeof amountFen !== 'number' || !Number.isSafeInteger(amountFen))
          throw new Error(`amount not in whole fen: ${row.data}`);
        const grantedOn = str(d, 'grantedOn');
        const year = grantedOn.slice(0, 4);
        org.fundingByYear[year] = (org.fundingByYear[year] ?? 0) + amountFen;
        org.grantCount++;
        grants.push({
          id: str(d, 'grantId'),
          org: org.id,
          recipientName: org.name,
          amountFen,
          channel: str(d, 'channel'),
          grantedOn,
          year,
          district: org.district,
          street: org.street,
          community: org.community,
        });
        break;
      }
      case 'OrganizationRenamed':
        org.name = str(d, 'name');
        break;
      case 'OrganizationMoved':
        // Re-homed: it counts at its new place only from now on, its past milestones included;
        // grants and activity reports stay where they were made.
        org.movedFrom.push(org.district, org.street, ...(org.community ? [org.community] : []));
        org.district = str(d, 'districtCode');
        org.street = str(d, 'streetCode');
        org.namedCommunity = typeof d['communityCode'] === 'string' ? d['communityCode'] : null;
        org.community =
          org.namedCommunity !== null &&
          communityByCode.get(org.namedCommunity)?.placeholder !== true
            ? org.namedCommunity
            : null;
        break;
      case 'AnnualReportRecorded': {
        const year = d['year'];
        if (typeof year !== 'number') throw new Error(`year not a number: ${row.data}`);
        if (org.annualReport === null || year > org.annualReport.year)
          org.annualReport = { year, onTime: d['onTime'] === true };
        break;
      }
      case 'GradeAwarded':
        org.grade = { grade: str(d, 'grade'), validUntil: str(d, 'validUntil') };
        break;
      case 'AbnormalListed':
        org.abnormal = { listedOn: str(d, 'listedOn'), reason: str(d, 'reason') };
        break;
      case 'AbnormalCleared':
        org.abnormal = null;
        break;
      case 'SupportRoleAssigned':
        org.supportRoles.set(str(d, 'role'), [...(d['streets'] as string[])]);
        break;
      case 'SupportRoleRevoked':
        org.supportRoles.delete(str(d, 'role'));
        break;
      case 'IncubationEntered':
        org.incubation = { baseId: str(d, 'baseId'), since: str(d, 'enteredOn') };
        incubations.push({
          base: str(d, 'baseId'),
          baseDistrict: str(d, 'baseDistrictCode'),
          year: str(d, 'enteredOn').slice(0, 4),
          what: 'incubated',
        });
        break;
      case 'IncubationEnded':
        org.incubation = null;
        incubations.push({
          base: str(d, 'baseId'),
          baseDistrict: str(d, 'baseDistrictCode'),
          year: str(d, 'endedOn').slice(0, 4),
          what: str(d, 'outcome') === 'graduated' ? 'graduated' : 'withdrawn',
        });
        break;
      default:
        break;
    }
  }
  for (const org of orgs.values()) {
    const places = [CITY, org.district, org.street, ...(org.community ? [org.community] : [])];
    for (const { on, what, kind } of org.milestones) {
      for (const place of places) {
        const months = timeline.get(place) ?? new Map<string, MonthCounts>();
        timeline.set(place, months);
        const row = months.get(month(on)) ?? noMonth();
        row[what]++;
        if (kind !== undefined) row.dissolutionsByKind[kind]++;
        months.set(month(on), row);
      }
    }
  }
  return { orgs, grants, reports, incubations, timeline, eventsRead: rows.length };
}

// ---------------------------------------------------------------------------------------------
// The oracle as of a month-end (issue #19): the same fold over the events that change what an
// organization counts as, taken in business-date order, up to the end of the month.

/** The business date field of each event that changes a count (the registration: below). */
const DATED: Record<string, string> = {
  TierPromoted: 'promotedOn',
  TierDemoted: 'demotedOn',
  OrganizationReclassified: 'reclassifiedOn',
  PartyOrganizationChanged: 'changedOn',
  OrganizationDissolved: 'dissolvedOn',
  OrganizationMoved: 'movedOn',
  SupportRoleAssigned: 'assignedOn',
  SupportRoleRevoked: 'revokedOn',
};

/** The Shanghai calendar date of a recorded instant (UTC+8, no daylight saving). */
const shanghaiDay = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

/**
 * The log folded as it stood at the end of `month` by business dates: a registration dates from
 * its registeredOn (registered), recordedOn (group) or first filing (team), else the day it was
 * recorded; a change dated before its organization's registration takes effect with it.
 */
function foldAsOf(rows: readonly LogRow[], month: string): Oracle {
  const registeredOn = new Map<string, string | null>();
  const recorded = new Map<string, string>();
  for (const row of rows) {
    const d = JSON.parse(row.data) as Data;
    const id = d['organizationId'];
    if (typeof id !== 'string') continue;
    if (row.type === 'OrganizationRegistered') {
      const on =
        d['tier'] === 'registered'
          ? d['registeredOn']
          : d['tier'] === 'group'
            ? d['recordedOn']
            : null;
      registeredOn.set(id, typeof on === 'string' ? on : null);
      recorded.set(id, shanghaiDay(str(JSON.parse(row.metadata) as Data, 'recordedAt')));
    } else if (row.type === 'OrganizationFiled' && registeredOn.get(id) === null) {
      registeredOn.set(id, str(d, 'filedOn'));
    }
  }
  const dated: Array<{ on: string; row: LogRow }> = [];
  for (const row of rows) {
    const d = JSON.parse(row.data) as Data;
    const id = d['organizationId'];
    if (typeof id !== 'string' || !registeredOn.has(id)) continue;
    const registration = registeredOn.get(id) ?? recorded.get(id) ?? '';
    let on: string;
    if (row.type === 'OrganizationRegistered') on = registration;
    else if (DATED[row.type] !== undefined) on = str(d, DATED[row.type] ?? '');
    else continue;
    if (on < registration) on = registration;
    if (on.slice(0, 7) <= month) dated.push({ on, row });
  }
  dated.sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : a.row.position - b.row.position));
  return foldRows(dated.map((x) => x.row));
}

// ---------------------------------------------------------------------------------------------
// Expected answers, computed from the oracle.

interface FundingRow {
  districtCode: string;
  districtName: string | undefined;
  channel: string;
  year: string;
  amountFen: number;
  grants: number;
}

type Level = 'city' | 'district' | 'street' | 'community';
interface PlaceRef {
  code: string;
  level: Level;
}

const placeName = (p: PlaceRef): string =>
  p.level === 'city'
    ? '上海市'
    : ((p.level === 'district'
        ? districtByCode.get(p.code)?.name
        : p.level === 'street'
          ? streetByCode.get(p.code)?.name
          : communityByCode.get(p.code)?.name) ?? p.code);

const queryOf = (p: PlaceRef): string => (p.level === 'city' ? '' : `${p.level}=${p.code}`);

function inPlace(p: PlaceRef, at: { district: string; street: string; community: string | null }) {
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

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

function expectedOverview(o: Oracle, p: PlaceRef): Json {
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
function expectedTargets(o: Oracle, place: string | undefined) {
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

function nextMonth(m: string): string {
  const [y, mm] = m.split('-').map(Number) as [number, number];
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
}

function expectedTimeline(o: Oracle, place: string): Array<{ month: string } & MonthCounts> {
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

function fundingRows(o: Oracle, place: string, year?: string): FundingRow[] {
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
function placeTotals(o: Oracle, place: string, year?: string): Json[] {
  return fundingRows(o, place, year).map(({ channel, year: y, amountFen, grants }) => ({
    channel,
    year: y,
    amountFen,
    grants,
  }));
}

/** A place as the read routes name it, from the shipped division file. */
function placeRef(code: string): { code: string; name: string | undefined; level: Level } {
  if (code === CITY) return { code, name: '上海市', level: 'city' };
  if (code.length === 6) return { code, name: districtByCode.get(code)?.name, level: 'district' };
  if (code.length === 9) return { code, name: streetByCode.get(code)?.name, level: 'street' };
  return { code, name: communityByCode.get(code)?.name, level: 'community' };
}

/** Each place one level down that holds communities, in the division file's order, and its figures. */
function expectedChildren(o: Oracle, place: string): Json[] {
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
const ROLES = ['federation', 'service-centre', 'incubation-base', 'social-work-station'];

/**
 * Platform coverage of the city or a district: for every street and town (special units left
 * out) the live holders serving it in each role, the roles it lacks, and per district and
 * overall how many streets have each kind and all four.
 */
function expectedPlatforms(o: Oracle, district?: string): Json {
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
function expectedIncubation(o: Oracle, district?: string, year?: string): Json {
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

function activitySeries(o: Oracle, p: PlaceRef, onlyMonth?: string): Json[] {
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

// ---------------------------------------------------------------------------------------------

let dataDir = '';
let server: SpawnedServer | undefined;
let oracle: Oracle;
let logRows: LogRow[] = [];
/** Places to ask about: the city, every district, the seeded streets and communities, and some empty ones. */
let places: PlaceRef[] = [];

async function get(path: string): Promise<Json> {
  if (!server) throw new Error('no server');
  const res = await httpRequest(server.baseUrl, 'GET', path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${res.text}`);
  return res.body;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'read-side-oracle-'));
  const seeded = await seedSmall(dataDir, SEED);
  expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  // The small seed's moves stay in their street: one of its teams of 天平路 moves across
  // districts, to 新崇 of 城桥镇 (崇明, outside the seed's communities), over HTTP as the
  // receiving town records it.
  const mover = [...foldRows(readLog(dataDir)).orgs.values()]
    .filter((o) => o.status === 'active' && o.tier === 'team' && o.street === PLACES.tianping)
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (!mover) throw new Error('the small seed has no team of 天平路');
  server = await startServer(dataDir, 30_000);
  const town = await signTestToken('street', PLACES.chengqiao, { sub: 'u-chengqiao' });
  const moved = await httpRequest(server.baseUrl, 'POST', `/organizations/${mover.id}/move`, {
    token: town,
    body: {
      districtCode: streetByCode.get(PLACES.chengqiao)?.district,
      streetCode: PLACES.chengqiao,
      communityCode: XINCHONG,
      movedOn: shanghaiToday(),
    },
  });
  expect({ status: moved.status, text: moved.status === 201 ? '' : moved.text }).toEqual({
    status: 201,
    text: '',
  });
  // The small seed has nothing in the development zones: two teams there, over HTTP, based at
  // 漕河泾 itself (its only community is a placeholder).
  const office = await signTestToken('street', PLACES.caohejing, { sub: 'u-caohejing' });
  for (const [i, category] of ['charity', 'culture-sports'].entries()) {
    const res = await httpRequest(server.baseUrl, 'POST', '/organizations', {
      token: office,
      body: teamBody({
        name: `漕河泾园区志愿服务队${i + 1}`,
        category,
        filingNumber: `漕河泾备〔2024〕00${i + 1}号`,
        streetCode: PLACES.caohejing,
        communityCode: undefined,
      }),
    });
    expect({ status: res.status, text: res.status === 201 ? '' : res.text }).toEqual({
      status: 201,
      text: '',
    });
  }
  const head = headPosition(dataDir);
  await waitCaughtUp(server.baseUrl, head, 60_000);
  logRows = readLog(dataDir);
  oracle = foldRows(logRows);
  expect(oracle.eventsRead).toBe(head);

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
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
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

/** Today's date in Shanghai (UTC+8), as the registry's "day asked" for a grade's validity. */
const shanghaiToday = (): string => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/** Objects with their keys sorted (arrays kept in order), so only content is compared. */
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

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortDeep(v)]),
    );
  return value;
}
