/**
 * Issue #19 item 2: every worklist's count, for committees, streets, districts and the city,
 * equals the same count computed independently from the event log of a seeded dataset.
 *
 * A small seed goes into a DATA_DIR, the compiled server catches up on it, and this file reads
 * the `events` table itself and folds the events' JSON with its own small fold (no projection,
 * no query code of the project). Then, with exact equality on several days (`?on=`): the counts
 * of GET /worklists for the city, every district, every seeded street and community, and the
 * organizations of each list for every seeded street, page by page.
 *
 * Another seed: ORACLE_SEED=<n> npm test -- worklists-oracle. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { httpRequest, signTestToken, type Json } from '../support/http-app.js';
import { startServer, type SpawnedServer } from '../support/spawned-server.js';
import { headPosition, seedSmall, waitCaughtUp } from './read-side-kit.js';

const SEED = Number(process.env['ORACLE_SEED'] ?? 4);
const SLOW = 90_000;
const CITY = '310000';
/** The documented defaults: INACTIVE_MONTHS and the 90 days of a grade's warning. */
const INACTIVE_MONTHS = 12;
const GRADE_WARNING_DAYS = 90;
/**
 * The seed runs to 2026-10-30: its last day, a day inside it, one after it, and (set once the log
 * is folded) a month before the first grade lapses, when grades are expiring.
 */
const DAYS = ['2026-10-30', '2025-03-31', '2027-02-28'];
const LISTS = [
  'open-notices',
  'unacknowledged-reports',
  'inactive-teams',
  'missing-annual-reports',
  'expiring-grades',
  'abnormal',
] as const;
type List = (typeof LISTS)[number];

// ---------------------------------------------------------------------------------------------
// The oracle: a fold of its own over the events' JSON.

interface Org {
  id: string;
  tier: string;
  active: boolean;
  district: string;
  street: string;
  community: string | null;
  /** When it entered the registry, and the latest day it reported an activity. */
  entered: string;
  lastReported: string | null;
  registeredOn: string | null;
  reportYears: Set<number>;
  validUntil: string | null;
  abnormal: boolean;
  notices: Set<string>;
}

interface Report {
  org: string;
  /** The community, street or district code of the level it was routed to. */
  routedTo: string;
  acknowledged: boolean;
}

interface Oracle {
  orgs: Map<string, Org>;
  reports: Map<string, Report>;
  eventsRead: number;
}

/** The Shanghai (UTC+8) calendar day of an instant. */
const shanghaiDay = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

function foldLog(dataDir: string): Oracle {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  const rows = db
    .prepare('SELECT position, revision, type, data, metadata FROM events ORDER BY position')
    .all() as Array<{ revision: number; type: string; data: string; metadata: string }>;
  db.close();
  const orgs = new Map<string, Org>();
  const reports = new Map<string, Report>();
  for (const row of rows) {
    const d = JSON.parse(row.data) as Record<string, unknown>;
    const text = (key: string): string => String(d[key]);
    const optional = (key: string): string | null => {
      const value = d[key];
      return typeof value === 'string' ? value : null;
    };
    const metadata = JSON.parse(row.metadata) as { recordedAt?: unknown };
    const recorded = shanghaiDay(String(metadata.recordedAt));
    if (row.type === 'OrganizationRegistered') {
      const registeredOn =
        text('tier') === 'registered' ? (optional('registeredOn') ?? recorded) : null;
      orgs.set(text('organizationId'), {
        id: text('organizationId'),
        tier: text('tier'),
        active: true,
        district: text('districtCode'),
        street: text('streetCode'),
        community: optional('communityCode') ?? null,
        entered:
          registeredOn ??
          (text('tier') === 'group' ? (optional('recordedOn') ?? recorded) : recorded),
        lastReported: null,
        registeredOn,
        reportYears: new Set(),
        validUntil: null,
        abnormal: false,
        notices: new Set(),
      });
      continue;
    }
    const org = orgs.get(text('organizationId'));
    if (!org) continue;
    switch (row.type) {
      case 'OrganizationFiled':
        // A team registered with its filing enters on the filing's date.
        if (row.revision === 1 && org.tier === 'team') org.entered = text('filedOn');
        break;
      case 'TierPromoted':
        org.tier = text('toTier');
        if (text('toTier') === 'registered') org.registeredOn = text('promotedOn');
        break;
      case 'TierDemoted':
        org.tier = text('toTier');
        org.registeredOn = null;
        break;
      case 'ActivityReported': {
        if (org.lastReported === null || text('reportedOn') > org.lastReported)
          org.lastReported = text('reportedOn');
        const routedTo: Record<string, string> = {
          community: text('communityCode'),
          street: text('streetCode'),
          district: text('districtCode'),
        };
        reports.set(text('reportId'), {
          org: org.id,
          routedTo: routedTo[text('level')] ?? '',
          acknowledged: false,
        });
        break;
      }
      case 'ActivityReportAcknowledged':
        reports.get(text('reportId'))!.acknowledged = true;
        break;
      case 'CorrectionNoticeIssued':
        org.notices.add(text('noticeId'));
        break;
      case 'CorrectionNoticeResolved':
        org.notices.delete(text('noticeId'));
        break;
      case 'OrganizationDissolved':
        org.active = false;
        break;
      case 'AnnualReportRecorded':
        org.reportYears.add(Number(d['year']));
        break;
      case 'GradeAwarded':
        org.validUntil = text('validUntil');
        break;
      case 'AbnormalListed':
        org.abnormal = true;
        break;
      case 'AbnormalCleared':
        org.abnormal = false;
        break;
      case 'OrganizationMoved':
        org.district = text('districtCode');
        org.street = text('streetCode');
        org.community = optional('communityCode') ?? null;
        break;
    }
  }
  return { orgs, reports, eventsRead: rows.length };
}

/** `months` calendar months before `day`, on the month's last day when it is shorter. */
function monthsEarlier(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) - months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const length = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, length)).padStart(2, '0')}`;
}

const plusDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

interface Place {
  role: 'city' | 'district' | 'street' | 'committee';
  code: string;
}

const inPlace = (org: Org, place: Place): boolean =>
  place.role === 'city'
    ? true
    : place.role === 'district'
      ? org.district === place.code
      : place.role === 'street'
        ? org.street === place.code
        : org.community === place.code;

/** The organizations (or, for reports, the reports' organizations) on a list, as the oracle sees it. */
function expected(oracle: Oracle, list: List, place: Place, on: string): string[] {
  if (list === 'unacknowledged-reports') {
    return [...oracle.reports.values()]
      .filter((r) => !r.acknowledged && (place.role === 'city' || r.routedTo === place.code))
      .map((r) => r.org);
  }
  const lastYear = Number(on.slice(0, 4)) - 1;
  const quietCutoff = monthsEarlier(on, INACTIVE_MONTHS);
  const warnUntil = plusDays(on, GRADE_WARNING_DAYS);
  const on_ = (org: Org): boolean => {
    switch (list) {
      case 'open-notices':
        return org.notices.size > 0;
      case 'inactive-teams': {
        if (org.tier === 'registered') return false;
        const quiet =
          org.lastReported !== null && org.lastReported > org.entered
            ? org.lastReported
            : org.entered;
        return quiet <= quietCutoff;
      }
      case 'missing-annual-reports':
        return (
          org.tier === 'registered' &&
          org.registeredOn !== null &&
          Number(org.registeredOn.slice(0, 4)) <= lastYear &&
          ![...org.reportYears].some((year) => year >= lastYear)
        );
      case 'expiring-grades':
        return (
          org.tier === 'registered' &&
          org.validUntil !== null &&
          org.validUntil >= on &&
          org.validUntil <= warnUntil
        );
      case 'abnormal':
        return org.abnormal;
    }
  };
  return [...oracle.orgs.values()]
    .filter((org) => org.active && inPlace(org, place) && on_(org))
    .map((org) => org.id);
}

// ---------------------------------------------------------------------------------------------

let dataDir = '';
let server: SpawnedServer | undefined;
let oracle: Oracle;
const tokens = new Map<string, Promise<string>>();

async function get(place: Place, path: string): Promise<Json> {
  const key = `${place.role}:${place.code}`;
  if (!tokens.has(key)) tokens.set(key, signTestToken(place.role, place.code, { sub: key }));
  const res = await httpRequest(server!.baseUrl, 'GET', path, { token: await tokens.get(key)! });
  if (res.status !== 200) throw new Error(`${path} as ${key}: ${res.status} ${res.text}`);
  return res.body;
}

/** Every organization id on a list, page by page. */
async function served(place: Place, list: List, on: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const body = await get(place, `/worklists/${list}?on=${on}&pageSize=100&page=${page}`);
    ids.push(...(body.items as Array<{ organizationId: string }>).map((i) => i.organizationId));
    if (ids.length >= body.total || body.items.length === 0) return ids;
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'worklists-oracle-'));
  const seeded = await seedSmall(dataDir, SEED);
  expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  server = await startServer(dataDir, 30_000);
  const head = headPosition(dataDir);
  await waitCaughtUp(server.baseUrl, head, 60_000);
  oracle = foldLog(dataDir);
  expect(oracle.eventsRead).toBe(head);
  const lapses = [...oracle.orgs.values()].flatMap((o) => (o.validUntil ? [o.validUntil] : []));
  if (lapses.length > 0) DAYS.push(plusDays(lapses.sort()[0]!, -30));
}, SLOW * 2);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, SLOW);

const unique = (codes: readonly string[]): string[] => [...new Set(codes)];
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe(`worklists against an independent fold of the log (small seed ${SEED})`, () => {
  it('has something on every list to compare', () => {
    for (const list of LISTS) {
      const somewhere = DAYS.some(
        (on) => expected(oracle, list, { role: 'city', code: CITY }, on).length > 0,
      );
      expect({ list, somewhere }).toEqual({ list, somewhere: true });
    }
  });

  it(
    'GET /worklists counts: the city, every seeded district, street and community',
    async () => {
      const orgs = [...oracle.orgs.values()];
      const places: Place[] = [
        { role: 'city', code: CITY },
        ...unique(orgs.map((o) => o.district)).map((code): Place => ({ role: 'district', code })),
        ...unique(orgs.map((o) => o.street)).map((code): Place => ({ role: 'street', code })),
        ...unique(orgs.flatMap((o) => (o.community ? [o.community] : []))).map((code): Place => ({
          role: 'committee',
          code,
        })),
      ];
      expect(places.filter((p) => p.role === 'committee').length).toBeGreaterThan(3);
      for (const on of DAYS) {
        for (const place of places) {
          const body = await get(place, `/worklists?on=${on}`);
          const want = Object.fromEntries(
            LISTS.map((list) => [list, expected(oracle, list, place, on).length]),
          );
          expect({ place, on, counts: body.counts }).toEqual({ place, on, counts: want });
        }
      }
    },
    SLOW,
  );

  it(
    'every list of every seeded street, and of the busiest committee and district, item by item',
    async () => {
      const orgs = [...oracle.orgs.values()];
      const busiest = (key: 'community' | 'district'): string => {
        const counts = new Map<string, number>();
        for (const o of orgs) {
          const code = o[key];
          if (code !== null) counts.set(code, (counts.get(code) ?? 0) + 1);
        }
        return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      };
      const places: Place[] = [
        ...unique(orgs.map((o) => o.street)).map((code): Place => ({ role: 'street', code })),
        { role: 'committee', code: busiest('community') },
        { role: 'district', code: busiest('district') },
      ];
      for (const on of DAYS) {
        for (const place of places) {
          for (const list of LISTS) {
            expect({ place, on, list, ids: sorted(await served(place, list, on)) }).toEqual({
              place,
              on,
              list,
              ids: sorted(expected(oracle, list, place, on)),
            });
          }
        }
      }
    },
    SLOW,
  );
});
