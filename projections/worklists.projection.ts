import type {
  Projection,
  ProjectionDocument,
} from '../src/event-sourcing/projection/projection.js';
import type {
  ActivityLevel,
  FormalGrade,
  Tier,
} from '../src/organizations/domain/organization.types.js';
import {
  domainEvent,
  handled,
  organizationId,
  recordedShanghaiDate,
  registrationFiling,
} from './projected-events.js';

/**
 * The officials' worklists (issue #19): what waits for someone to act. Not public (it holds
 * correction notices and their reasons), never a contact or a founder's name.
 *
 * One `org:<id>` case per organization with the facts the lists are computed from, and one
 * `report:<id>` row per activity report still waiting for the level it was routed to (gone once
 * acknowledged). A case holds one indexed field per list, set while it may be on that list and
 * null otherwise; whether it is on it on a given day is decided by the query's date (`?on=`),
 * never here, so a rebuild comes out identical whenever it runs.
 */
export type WorklistDocument = OrganizationCase | WaitingReport;

export interface OpenNotice {
  readonly noticeId: string;
  readonly reason: string;
  readonly issuedOn: string;
}

export interface OrganizationCase extends ProjectionDocument {
  readonly kind: 'organization';
  readonly organizationId: string;
  readonly name: string;
  readonly tier: Tier;
  readonly status: 'active' | 'dissolved';
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string | null;
  /** The business date it entered the registry (registered, filed or recorded). */
  readonly enteredOn: string;
  /** The latest `reportedOn` of its activity reports. */
  readonly lastReportedOn: string | null;
  /** 登记日期 while registered. */
  readonly registeredOn: string | null;
  /** The latest year it has an annual work report for. */
  readonly lastAnnualReportYear: number | null;
  readonly grade: { readonly grade: FormalGrade; readonly validUntil: string } | null;
  readonly abnormal: { readonly listedOn: string; readonly reason: string } | null;
  /** Correction notices issued and not resolved, oldest first. */
  readonly notices: readonly OpenNotice[];

  // One field per list, derived from the facts above (see `withListFields`); null = not on it.
  /** open-notices: the oldest open notice's date. */
  readonly noticeSince: string | null;
  /** inactive-teams (active groups and teams): the later of entering and the latest report. */
  readonly quietSince: string | null;
  /**
   * missing-annual-reports (active registered organizations): the last year it owes no report
   * for: the latest year reported, or the year before it was registered.
   */
  readonly annualReportsUntil: number | null;
  /** expiring-grades (active registered organizations): the grade's last valid day. */
  readonly gradeValidUntil: string | null;
  /** abnormal (active organizations): listed on. */
  readonly abnormalSince: string | null;
}

export interface WaitingReport extends ProjectionDocument {
  readonly kind: 'report';
  readonly reportId: string;
  readonly organizationId: string;
  /** The organization's name and tier when it reported. */
  readonly name: string;
  readonly tier: Tier | null;
  readonly title: string;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly participants: number;
  readonly level: ActivityLevel;
  /** The place of the level it was routed to: the community, street or district receiving it. */
  readonly routedTo: string;
  /** Where the activity took place. */
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string;
  readonly reportedOn: string;
}

export const caseId = (organization: string): string => `org:${organization}`;
export const waitingReportId = (report: string): string => `report:${report}`;

/** The list fields of a case, each with its own indexes. */
export const CASE_LIST_FIELDS = [
  'noticeSince',
  'quietSince',
  'annualReportsUntil',
  'gradeValidUntil',
  'abnormalSince',
] as const;
export type CaseListField = (typeof CASE_LIST_FIELDS)[number];

/** The place fields a list is scoped by (the city reads without one). */
export const SCOPE_FIELDS = ['districtCode', 'streetCode', 'communityCode'] as const;

export function worklistsProjection(): Projection<WorklistDocument> {
  return {
    name: 'worklists',
    version: 1,
    handles: handled(
      'OrganizationRegistered',
      'OrganizationFiled',
      'TierPromoted',
      'TierDemoted',
      'ActivityReported',
      'ActivityReportAcknowledged',
      'CorrectionNoticeIssued',
      'CorrectionNoticeResolved',
      'OrganizationDissolved',
      'AnnualReportRecorded',
      'GradeAwarded',
      'AbnormalListed',
      'AbnormalCleared',
      'OrganizationRenamed',
      'OrganizationMoved',
    ),
    // Every list is read off an index in page order: its place (or none, for the city), then
    // the list's field (a range on it decides membership, and it orders the page), then id.
    indexes: [
      ...CASE_LIST_FIELDS.flatMap((field) => [
        ...SCOPE_FIELDS.map((scope) => [scope, field, 'id']),
        [field, 'id'],
      ]),
      ['routedTo', 'reportedOn', 'id'],
      ['kind', 'reportedOn', 'id'],
    ],
    // A list holds few of the cases (a notice open, a grade about to lapse), and every query of
    // one compares its field: its indexes hold only the cases on it.
    sparse: CASE_LIST_FIELDS,
    ids: (stored) => {
      const event = domainEvent(stored);
      const org = caseId(organizationId(stored));
      if (event.type === 'ActivityReported') return [org, waitingReportId(event.data.reportId)];
      if (event.type === 'ActivityReportAcknowledged')
        return [waitingReportId(event.data.reportId)];
      return [org];
    },
    reads: (stored) => (stored.type === 'ActivityReported' ? [caseId(organizationId(stored))] : []),
    evolve: (doc, stored, context) => {
      const event = domainEvent(stored);
      if (event.type === 'ActivityReportAcknowledged') return null;
      if (event.type === 'ActivityReported' && context.id !== caseId(event.data.organizationId)) {
        if (doc !== null) return doc;
        const d = event.data;
        const reporter = context.get(caseId(d.organizationId));
        const reporterCase = reporter?.kind === 'organization' ? reporter : null;
        const routedTo = {
          community: d.communityCode,
          street: d.streetCode,
          district: d.districtCode,
        };
        return {
          id: waitingReportId(d.reportId),
          kind: 'report',
          reportId: d.reportId,
          organizationId: d.organizationId,
          name: reporterCase?.name ?? '',
          tier: reporterCase?.tier ?? null,
          title: d.title,
          startsOn: d.startsOn,
          endsOn: d.endsOn,
          participants: d.participants,
          level: d.level,
          routedTo: routedTo[d.level],
          districtCode: d.districtCode,
          streetCode: d.streetCode,
          communityCode: d.communityCode,
          reportedOn: d.reportedOn,
        };
      }
      if (event.type === 'OrganizationRegistered') {
        const d = event.data;
        // As the registry dates it: a missing business date is the recorded Shanghai date; a
        // team's is the filing recorded with its registration (below).
        const recorded = recordedShanghaiDate(stored);
        const registeredOn = d.tier === 'registered' ? (d.registeredOn ?? recorded) : null;
        return withListFields({
          id: caseId(d.organizationId),
          kind: 'organization',
          organizationId: d.organizationId,
          name: d.name,
          tier: d.tier,
          status: 'active',
          districtCode: d.districtCode,
          streetCode: d.streetCode,
          communityCode: d.communityCode ?? null,
          enteredOn: registeredOn ?? (d.tier === 'group' ? (d.recordedOn ?? recorded) : recorded),
          lastReportedOn: null,
          registeredOn,
          lastAnnualReportYear: null,
          grade: null,
          abnormal: null,
          notices: [],
          noticeSince: null,
          quietSince: null,
          annualReportsUntil: null,
          gradeValidUntil: null,
          abnormalSince: null,
        });
      }
      if (doc?.kind !== 'organization') return doc;
      const next = evolveCase(doc, event, stored.revision);
      return next === doc ? doc : withListFields(next);
    },
  };
}

function evolveCase(
  org: OrganizationCase,
  event: ReturnType<typeof domainEvent>,
  revision: number,
): OrganizationCase {
  switch (event.type) {
    case 'OrganizationFiled':
      return registrationFiling(revision, org, event.type)
        ? { ...org, enteredOn: event.data.filedOn }
        : org;
    case 'TierPromoted':
      return {
        ...org,
        tier: event.data.toTier,
        ...(event.data.toTier === 'registered' && { registeredOn: event.data.promotedOn }),
      };
    case 'TierDemoted':
      return { ...org, tier: event.data.toTier, registeredOn: null };
    case 'ActivityReported': {
      const on = event.data.reportedOn;
      return org.lastReportedOn !== null && org.lastReportedOn >= on
        ? org
        : { ...org, lastReportedOn: on };
    }
    case 'CorrectionNoticeIssued': {
      const { noticeId, reason, issuedOn } = event.data;
      const notices = [...org.notices, { noticeId, reason, issuedOn }];
      return { ...org, notices: notices.sort(byIssuedOn) };
    }
    case 'CorrectionNoticeResolved':
      return {
        ...org,
        notices: org.notices.filter((n) => n.noticeId !== event.data.noticeId),
      };
    case 'OrganizationDissolved':
      return { ...org, status: 'dissolved' };
    case 'AnnualReportRecorded': {
      const { year } = event.data;
      return org.lastAnnualReportYear !== null && org.lastAnnualReportYear >= year
        ? org
        : { ...org, lastAnnualReportYear: year };
    }
    case 'GradeAwarded':
      return { ...org, grade: { grade: event.data.grade, validUntil: event.data.validUntil } };
    case 'AbnormalListed':
      return {
        ...org,
        abnormal: { listedOn: event.data.listedOn, reason: event.data.reason },
      };
    case 'AbnormalCleared':
      return { ...org, abnormal: null };
    case 'OrganizationRenamed':
      return { ...org, name: event.data.name };
    case 'OrganizationMoved':
      return {
        ...org,
        districtCode: event.data.districtCode,
        streetCode: event.data.streetCode,
        communityCode: event.data.communityCode ?? null,
      };
    default:
      return org;
  }
}

/** Oldest first; notices of one day in the order issued (a stable sort keeps it). */
const byIssuedOn = (a: OpenNotice, b: OpenNotice): number =>
  a.issuedOn < b.issuedOn ? -1 : a.issuedOn > b.issuedOn ? 1 : 0;

/** The list fields from the case's facts: a dissolved organization is on no list. */
function withListFields(org: OrganizationCase): OrganizationCase {
  const active = org.status === 'active';
  const registered = active && org.tier === 'registered';
  const latest = (a: string, b: string | null): string => (b !== null && b > a ? b : a);
  return {
    ...org,
    noticeSince: active ? (org.notices[0]?.issuedOn ?? null) : null,
    quietSince: active && !registered ? latest(org.enteredOn, org.lastReportedOn) : null,
    annualReportsUntil:
      registered && org.registeredOn !== null
        ? Math.max(org.lastAnnualReportYear ?? 0, Number(org.registeredOn.slice(0, 4)) - 1)
        : null,
    gradeValidUntil: registered ? (org.grade?.validUntil ?? null) : null,
    abnormalSince: active ? (org.abnormal?.listedOn ?? null) : null,
  };
}
