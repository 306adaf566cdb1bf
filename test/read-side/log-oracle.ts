/**
 * The statistics oracle's fold (issue #3): the raw event log read from a DATA_DIR's `events` table
 * and folded with a small fold of its own over the events' JSON (no projection, no evolve, no
 * query code of the project), with the shipped division data read from its JSON file; and the
 * same fold as of a month-end by business dates (issue #19). Shared by the oracle specs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DIVISIONS_FILE } from './read-side-kit.js';

// The vocabularies of DOMAIN §3–§4, in the order the domain lists them.
export const CATEGORIES = ['charity', 'life-service', 'community-affairs', 'culture-sports'];
export const TIERS = ['group', 'team', 'registered'];
export const PARTY = ['none', 'own-branch', 'joint-branch', 'liaison', 'instructor'];
/** 组织覆盖 and 工作覆盖 (DOMAIN §4): a branch; a branch, a liaison or an instructor. */
export const ORGANIZATIONAL = ['own-branch', 'joint-branch'];
export const WORK = [...ORGANIZATIONAL, 'liaison', 'instructor'];
export const CHANNELS = [
  'welfare-lottery',
  'government-purchase',
  'venture-philanthropy',
  'subsidy',
  'transfer-payment',
  'self-governance-fund',
  'community-foundation',
  'other',
];
export const LEVELS = ['community', 'street', 'district'];
/** DOMAIN §4: how an organization ends (注销, 撤销, 清理, 合并); a v1 dissolution had no kind. */
export const KINDS = ['deregistered', 'revoked', 'cleared', 'merged'] as const;
export type Kind = (typeof KINDS)[number];
/** The appraisal grades (优秀 / 良好 / 合格 / 不合格); v1 graded A–D. */
export const GRADES = ['excellent', 'good', 'pass', 'fail'];
const V1_GRADES: Record<string, string> = {
  A: 'excellent',
  B: 'good',
  C: 'pass',
  D: 'fail',
};
/** The policy's targets (DOMAIN §2), the server's defaults. */
export const TARGET = { urban: 12, rural: 7 } as const;
export const CITY = '310000';
/** 新崇居委会 of 城桥镇: no seeded organization is based there. */
export const XINCHONG = '310151101003';

// ---------------------------------------------------------------------------------------------
// Division data, read from the shipped file.

export interface DivisionFile {
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
export const divisions = JSON.parse(readFileSync(DIVISIONS_FILE, 'utf8')) as DivisionFile;
/** The communities the targets count: placeholders (虚拟社区, 虚拟生活区) are no one's base. */
export const realCommunities = divisions.communities.filter((c) => c.placeholder !== true);
export const streetsWithCommunities = new Set(realCommunities.map((c) => c.street));
export const districtByCode = new Map(divisions.districts.map((d) => [d.code, d]));
export const streetByCode = new Map(divisions.streets.map((s) => [s.code, s]));
export const communityByCode = new Map(divisions.communities.map((c) => [c.code, c]));

// ---------------------------------------------------------------------------------------------
// The oracle: a fold of its own over the events' JSON.

export interface Org {
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
export interface IncubationMove {
  base: string;
  baseDistrict: string;
  year: string;
  what: 'incubated' | 'graduated' | 'withdrawn';
}

export interface Grant {
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

export interface Report {
  org: string;
  month: string;
  level: string;
  district: string;
  street: string;
  community: string;
}

export interface MonthCounts {
  registrations: number;
  promotions: number;
  dissolutions: number;
  dissolutionsByKind: Record<Kind, number>;
}

export const noMonth = (): MonthCounts => ({
  registrations: 0,
  promotions: 0,
  dissolutions: 0,
  dissolutionsByKind: { deregistered: 0, revoked: 0, cleared: 0, merged: 0 },
});

export interface Oracle {
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

export interface LogRow {
  position: number;
  type: string;
  data: string;
  metadata: string;
}

export function readLog(dataDir: string): LogRow[] {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  const rows = db
    .prepare('SELECT position, type, data, metadata FROM events ORDER BY position')
    .all() as LogRow[];
  db.close();
  return rows;
}

export function foldRows(rows: readonly LogRow[]): Oracle {
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
export function foldAsOf(rows: readonly LogRow[], month: string): Oracle {
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

/** Today's date in Shanghai (UTC+8), as the registry's "day asked" for a grade's validity. */
export const shanghaiToday = (): string =>
  new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
