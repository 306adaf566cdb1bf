import type {
  Projection,
  ProjectionDocument,
} from '../src/event-sourcing/projection/projection.js';
import type {
  ActivityKind,
  ActivityLevel,
} from '../src/organizations/domain/organization.types.js';
import { CITY, domainEvent, handled, monthOf, organizationId } from './projected-events.js';

/**
 * Major activity reports (重大活动报告): one public row per report, and in the rollups
 * `place:<code>` (city, district, street, community) the number of reports by `YYYY-MM|level`.
 * The month is the month the activity starts.
 */
export type ActivityDocument = Reporter | ActivityRow;

export interface Reporter extends ProjectionDocument {
  readonly kind: 'reporter';
  readonly name: string;
}

export interface ActivityRow extends ProjectionDocument {
  readonly kind: 'report';
  readonly organizationId: string;
  readonly organizationName: string;
  readonly title: string;
  readonly activityKind: ActivityKind;
  readonly startsOn: string;
  readonly endsOn: string;
  readonly month: string;
  readonly participants: number;
  readonly level: ActivityLevel;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string;
  /** The business date it was reported on: a waiting report's days are counted from it. */
  readonly reportedOn: string;
  /** When the level it was routed to acknowledged it (分级报告 received); null while waiting. */
  readonly acknowledgedOn: string | null;
}

export const reporterId = (organization: string): string => `org:${organization}`;
export const reportRowId = (report: string): string => `report:${report}`;
export const activityPlaceRollup = (code: string): string => `place:${code}`;

export function activityReportsProjection(): Projection<ActivityDocument> {
  return {
    name: 'activity_reports',
    // 2: the report's date and its receipt (acknowledgedOn); reporters renamed.
    version: 2,
    // A rename names the organization in its later reports; a report keeps the name it was made under.
    handles: handled(
      'OrganizationRegistered',
      'ActivityReported',
      'OrganizationRenamed',
      'ActivityReportAcknowledged',
    ),
    // Place (or month) then the newest-first order the reports are paged in and the id that
    // breaks ties (ascending); the level is a residual filter. Fewer indexes also make a
    // rebuild's indexing step shorter.
    indexes: [
      ['kind', ['startsOn', -1], 'id'],
      ['districtCode', ['startsOn', -1], 'id'],
      ['streetCode', ['startsOn', -1], 'id'],
      ['communityCode', ['startsOn', -1], 'id'],
      ['month', ['startsOn', -1], 'id'],
    ],
    // The residual filter, declared so that it is read off the row, not the document.
    fields: ['level'],
    ids: (stored) => {
      const event = domainEvent(stored);
      return event.type === 'ActivityReported' || event.type === 'ActivityReportAcknowledged'
        ? [reportRowId(event.data.reportId)]
        : [reporterId(organizationId(stored))];
    },
    reads: (stored) =>
      stored.type === 'ActivityReported' ? [reporterId(organizationId(stored))] : [],
    evolve: (doc, stored, context) => {
      const event = domainEvent(stored);
      if (event.type === 'OrganizationRegistered') {
        return {
          id: reporterId(event.data.organizationId),
          kind: 'reporter',
          name: event.data.name,
        };
      }
      if (event.type === 'OrganizationRenamed')
        return doc?.kind === 'reporter' ? { ...doc, name: event.data.name } : doc;
      if (event.type === 'ActivityReportAcknowledged')
        return doc?.kind === 'report' ? { ...doc, acknowledgedOn: event.data.acknowledgedOn } : doc;
      if (event.type !== 'ActivityReported' || doc !== null) return doc;
      const d = event.data;
      const reporter = context.get(reporterId(d.organizationId));
      return {
        id: reportRowId(d.reportId),
        kind: 'report',
        organizationId: d.organizationId,
        organizationName: reporter?.kind === 'reporter' ? reporter.name : '',
        title: d.title,
        activityKind: d.kind,
        startsOn: d.startsOn,
        endsOn: d.endsOn,
        month: monthOf(d.startsOn),
        participants: d.participants,
        level: d.level,
        districtCode: d.districtCode,
        streetCode: d.streetCode,
        communityCode: d.communityCode,
        reportedOn: d.reportedOn,
        acknowledgedOn: null,
      };
    },
    rollup: (doc) =>
      doc.kind !== 'report'
        ? []
        : [CITY, doc.districtCode, doc.streetCode, doc.communityCode].map((place) => ({
            id: activityPlaceRollup(place),
            key: `${doc.month}|${doc.level}`,
            amount: 1,
          })),
  };
}
