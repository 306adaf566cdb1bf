import type { Filter } from '../event-sourcing/ports/read-store.port.js';
import { addDays, daysBetween, monthsBefore } from '../event-sourcing/iso-date.js';
import type { Actor } from '../organizations/domain/organization.types.js';
import type { CaseListField } from '../../projections/worklists.projection.js';

/** The worklists of API.md, in the order the workbench shows them. */
export const WORKLISTS = [
  'open-notices',
  'unacknowledged-reports',
  'inactive-teams',
  'missing-annual-reports',
  'expiring-grades',
  'abnormal',
] as const;
export type WorklistName = (typeof WORKLISTS)[number];

export const isWorklist = (name: string): name is WorklistName =>
  (WORKLISTS as readonly string[]).includes(name);

/** How far ahead a grade counts as expiring (issue #19). */
export const GRADE_WARNING_DAYS = 90;

/** What a list is measured by: the query's date and the configured rules. */
export interface WorklistRules {
  /** YYYY-MM-DD: the day durations, expiries and "last year" are counted from. */
  readonly on: string;
  /** A group or team without an activity report for this many months is a clean-up candidate. */
  readonly inactiveMonths: number;
  /** MM-DD of the following year by which an annual report is on time. */
  readonly annualReportDue: string;
}

/**
 * The caller's place (token jurisdiction): the field an organization's place is matched on, or
 * none for the city. The lists of organizations follow where the organization is based — a
 * committee sees its community's, a street its street's, a district its district's, whatever
 * their tier, as each level reads its own place (DOMAIN §1); activity reports follow the place
 * they were routed to instead (see `scopeFilter`).
 */
export type Scope =
  | { readonly level: 'city'; readonly code: string }
  | {
      readonly level: 'district' | 'street' | 'community';
      readonly code: string;
      readonly field: 'districtCode' | 'streetCode' | 'communityCode';
    };

/** The worklists' callers: the four levels that manage organizations; null for anyone else. */
export function scopeOf(actor: Actor): Scope | null {
  switch (actor.role) {
    case 'city':
      return { level: 'city', code: actor.jurisdiction };
    case 'district':
      return { level: 'district', code: actor.jurisdiction, field: 'districtCode' };
    case 'street':
      return { level: 'street', code: actor.jurisdiction, field: 'streetCode' };
    case 'committee':
      return { level: 'community', code: actor.jurisdiction, field: 'communityCode' };
    default:
      return null;
  }
}

/** One list: which documents are on it, in which order, and what an item says. */
export interface WorklistDefinition {
  readonly filter: Filter;
  /** The field the page is ordered by (ascending, then id): the oldest or most urgent first. */
  readonly sortField: string;
  readonly item: (doc: Readonly<Record<string, unknown>>) => Record<string, unknown>;
}

/** The year whose annual report is asked for: the year before the query's date. */
export const reportYearOf = (on: string): number => Number(on.slice(0, 4)) - 1;

export function worklistDefinition(
  name: WorklistName,
  scope: Scope,
  rules: WorklistRules,
): WorklistDefinition {
  const { on } = rules;
  const since = (date: unknown): number =>
    typeof date === 'string' ? Math.max(0, daysBetween(date, on)) : 0;
  const place = scope.level === 'city' ? {} : { [scope.field]: scope.code };
  const onCase = (field: CaseListField, condition: Filter[string]): Filter => ({
    ...place,
    [field]: condition,
  });
  switch (name) {
    case 'open-notices':
      return {
        filter: onCase('noticeSince', { $ne: null }),
        sortField: 'noticeSince',
        item: (doc) => {
          const notices = (doc['notices'] as ReadonlyArray<Record<string, unknown>>).map((n) => ({
            noticeId: n['noticeId'],
            reason: n['reason'],
            issuedOn: n['issuedOn'],
            daysOpen: since(n['issuedOn']),
          }));
          return {
            ...organization(doc),
            openSince: doc['noticeSince'],
            daysOpen: since(doc['noticeSince']),
            notices,
          };
        },
      };
    case 'unacknowledged-reports':
      return {
        // Reports go to the level they were routed to: a committee's are the community-level
        // reports of its community, a street's the street-level ones of its street, a
        // district's the district-level ones; the city, which receives none, oversees them all.
        filter: scope.level === 'city' ? { kind: 'report' } : { routedTo: scope.code },
        sortField: 'reportedOn',
        item: (doc) => ({
          ...organization(doc),
          reportId: doc['reportId'],
          title: doc['title'],
          level: doc['level'],
          startsOn: doc['startsOn'],
          endsOn: doc['endsOn'],
          participants: doc['participants'],
          reportedOn: doc['reportedOn'],
          waitingDays: since(doc['reportedOn']),
        }),
      };
    case 'inactive-teams':
      return {
        filter: onCase('quietSince', { $lte: monthsBefore(on, rules.inactiveMonths) }),
        sortField: 'quietSince',
        item: (doc) => ({
          ...organization(doc),
          lastReportedOn: doc['lastReportedOn'],
          quietSince: doc['quietSince'],
          daysQuiet: since(doc['quietSince']),
        }),
      };
    case 'missing-annual-reports': {
      const year = reportYearOf(on);
      const dueOn = `${String(year + 1)}-${rules.annualReportDue}`;
      return {
        filter: onCase('annualReportsUntil', { $lt: year }),
        sortField: 'annualReportsUntil',
        item: (doc) => ({
          ...organization(doc),
          year,
          lastAnnualReportYear: doc['lastAnnualReportYear'],
          registeredOn: doc['registeredOn'],
          dueOn,
          overdue: on > dueOn,
        }),
      };
    }
    case 'expiring-grades':
      return {
        filter: onCase('gradeValidUntil', {
          $gte: on,
          $lte: addDays(on, GRADE_WARNING_DAYS),
        }),
        sortField: 'gradeValidUntil',
        item: (doc) => {
          const grade = doc['grade'] as { grade: string; validUntil: string };
          return {
            ...organization(doc),
            grade: grade.grade,
            validUntil: grade.validUntil,
            daysLeft: daysBetween(on, grade.validUntil),
          };
        },
      };
    case 'abnormal':
      return {
        filter: onCase('abnormalSince', { $ne: null }),
        sortField: 'abnormalSince',
        item: (doc) => {
          const abnormal = doc['abnormal'] as { listedOn: string; reason: string };
          return {
            ...organization(doc),
            listedOn: abnormal.listedOn,
            reason: abnormal.reason,
            daysListed: since(abnormal.listedOn),
          };
        },
      };
  }
}

/** What every item says of its organization: the link, name, tier and place codes. */
function organization(doc: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    organizationId: doc['organizationId'],
    name: doc['name'],
    tier: doc['tier'],
    districtCode: doc['districtCode'],
    streetCode: doc['streetCode'],
    communityCode: doc['communityCode'],
  };
}
