/**
 * The worklists' oracle (issue #19): what each list holds, computed from the raw event log with a
 * fold of its own (no projection, no query code of the project). Shared by the worklists oracle
 * test and the workbench's browser test.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** The documented defaults: INACTIVE_MONTHS and the 90 days of a grade's warning. */
export const INACTIVE_MONTHS = 12;
export const GRADE_WARNING_DAYS = 90;
export const LISTS = [
  'open-notices',
  'unacknowledged-reports',
  'inactive-teams',
  'missing-annual-reports',
  'expiring-grades',
  'abnormal',
] as const;
export type List = (typeof LISTS)[number];

export interface Org {
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

export interface Oracle {
  orgs: Map<string, Org>;
  reports: Map<string, Report>;
  eventsRead: number;
}

/** The Shanghai (UTC+8) calendar day of an instant. */
export const shanghaiDay = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10);

export function foldLog(dataDir: string): Oracle {
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

export const plusDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export interface Place {
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
export function expected(oracle: Oracle, list: List, place: Place, on: string): string[] {
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

/** Every list's count for a place on a day, as GET /worklists answers them (`counts`). */
export function expectedCounts(oracle: Oracle, place: Place, on: string): Record<List, number> {
  return Object.fromEntries(
    LISTS.map((list) => [list, expected(oracle, list, place, on).length]),
  ) as Record<List, number>;
}
