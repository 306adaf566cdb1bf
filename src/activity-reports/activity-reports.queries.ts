import { ACTIVITY_LEVELS, type ActivityLevel } from '../organizations/domain/organization.types.js';
import type { Filter, ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { activityPlaceRollup } from '../../projections/activity-reports.projection.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { publicDocument, type Page, type Paging } from '../event-sourcing/projection/paging.js';
import type { Place } from '../divisions/places.js';
import { daysBetween } from '../event-sourcing/iso-date.js';
import { reportRowId } from '../../projections/activity-reports.projection.js';
import type { Receipt } from './activity-query.dto.js';

/** Which reports, and the date a waiting report's days are counted to. */
export interface ReportFilter {
  readonly month?: string | undefined;
  readonly level?: ActivityLevel | undefined;
  readonly receipt?: Receipt | undefined;
  /** YYYY-MM-DD. */
  readonly on: string;
}

/**
 * A report's receipt as of the query's date: acknowledged (and when), or waiting and for how
 * many days since it was reported — counted at query time, so a rebuilt read model answers alike.
 */
export function receiptOf(
  row: Record<string, unknown>,
  on: string,
): { status: Receipt; acknowledgedOn?: string; waitingDays?: number } {
  const acknowledgedOn = row['acknowledgedOn'];
  if (typeof acknowledgedOn === 'string') return { status: 'acknowledged', acknowledgedOn };
  const reportedOn = typeof row['reportedOn'] === 'string' ? row['reportedOn'] : on;
  return { status: 'waiting', waitingDays: Math.max(0, daysBetween(reportedOn, on)) };
}

export const ACTIVITY_REPORTS = 'activity_reports';

export type ActivityMonth = { readonly month: string; readonly total: number } & Record<
  ActivityLevel,
  number
>;

const PLACE_FIELD = {
  city: undefined,
  district: 'districtCode',
  street: 'streetCode',
  community: 'communityCode',
} as const;

/** Activity reports by place × month × level, and the reports themselves. */
export class ActivityQueries {
  constructor(
    private readonly store: ReadStore,
    private readonly collections: ReadModelCollections,
  ) {}

  /** The organization whose report this is, if the read model has it. */
  async organizationOf(reportId: string): Promise<string | undefined> {
    const where = await this.collections.of(ACTIVITY_REPORTS);
    if (!where) return undefined;
    const row = await this.store.get(where.collection, reportRowId(reportId));
    const id = row?.['organizationId'];
    return typeof id === 'string' ? id : undefined;
  }

  async byPlace(
    place: Place,
    { month, level, receipt, on }: ReportFilter,
    paging: Paging,
  ): Promise<{ series: ActivityMonth[]; reports: Page<Record<string, unknown>> }> {
    const where = await this.collections.of(ACTIVITY_REPORTS);
    if (!where) return { series: [], reports: { items: [], total: 0, ...paging } };
    const rollup = await this.store.get(where.rollups, activityPlaceRollup(place.code));
    const counts = (rollup?.['counts'] as Record<string, number> | undefined) ?? {};
    const months = new Map<string, Record<ActivityLevel, number>>();
    for (const [key, count] of Object.entries(counts)) {
      const [m, l] = key.split('|') as [string, ActivityLevel];
      if (month !== undefined && m !== month) continue;
      const row = months.get(m) ?? { community: 0, street: 0, district: 0 };
      row[l] = count;
      months.set(m, row);
    }
    const series = [...months.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([m, row]) => ({
        month: m,
        ...row,
        total: ACTIVITY_LEVELS.reduce((s, l) => s + row[l], 0),
      }));
    const field = PLACE_FIELD[place.level];
    const filter: Filter = {
      kind: 'report',
      ...(field !== undefined && { [field]: place.code }),
      ...(month !== undefined && { month }),
      ...(level !== undefined && { level }),
      ...(receipt !== undefined && {
        acknowledgedOn: receipt === 'waiting' ? null : { $ne: null },
      }),
    };
    const [docs, total] = await Promise.all([
      this.store.find(where.collection, {
        filter,
        sort: [['startsOn', -1]],
        skip: (paging.page - 1) * paging.pageSize,
        limit: paging.pageSize,
      }),
      this.store.count(where.collection, filter),
    ]);
    const items = docs.map((doc) => {
      const row = publicDocument(doc);
      return { ...row, receipt: receiptOf(row, on) };
    });
    return { series, reports: { items, total, ...paging } };
  }
}
