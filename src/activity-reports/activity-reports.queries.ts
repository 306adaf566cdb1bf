import { ACTIVITY_LEVELS, type ActivityLevel } from '../organizations/domain/organization.types.js';
import type { Filter, ReadStore } from '../event-sourcing/ports/read-store.port.js';
import { activityPlaceRollup } from '../../projections/activity-reports.projection.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { publicDocument, type Page, type Paging } from '../event-sourcing/projection/paging.js';
import type { Place } from '../divisions/places.js';

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

  async byPlace(
    place: Place,
    month: string | undefined,
    level: ActivityLevel | undefined,
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
    return { series, reports: { items: docs.map(publicDocument), total, ...paging } };
  }
}
