import type { Divisions } from '../divisions/divisions.js';
import {
  CATEGORIES,
  PARTY_ORGANIZATION_STATUSES,
  TIERS,
  type Category,
  type PartyOrganizationStatus,
  type Tier,
} from '../organizations/organization.types.js';
import type { ReadStore } from '../ports/read-store.port.js';
import {
  communitiesRollup,
  placeRollup,
  timelineRollup,
} from '../../projections/statistics.projection.js';
import type { ReadModelCollections } from './read-model-collections.js';
import type { Page, Paging } from './paging.js';
import type { Place } from './places.js';

export const STATISTICS = 'statistics';

export interface Overview {
  readonly place: Place;
  readonly total: number;
  readonly byCategoryAndTier: Record<Category, Record<Tier, number>>;
  readonly byCategory: Record<Category, number>;
  readonly byTier: Record<Tier, number>;
  readonly partyOrganization: Record<PartyOrganizationStatus, number> & { coverage: number };
  /** Of the total, those in development zones, farms and parks (shown separately, DOMAIN §2). */
  readonly inSpecialUnits: number;
}

export interface TargetFigures {
  readonly communities: number;
  readonly organizations: number;
  readonly average: number;
  readonly target: number;
  readonly met: boolean;
  readonly belowTarget: number;
}

export interface CommunityBelowTarget {
  readonly code: string;
  readonly name: string;
  readonly kind: 'urban' | 'rural';
  readonly streetCode: string;
  readonly streetName: string;
  readonly districtCode: string;
  readonly districtName: string;
  readonly organizations: number;
  readonly target: number;
  readonly shortfall: number;
}

export interface TimelineMonth {
  readonly month: string;
  readonly registrations: number;
  readonly promotions: number;
  readonly dissolutions: number;
}

type Counts = Readonly<Record<string, number>>;

/** Answers from the statistics rollups: a handful of documents per request, whatever the scale. */
export class StatisticsQueries {
  constructor(
    private readonly store: ReadStore,
    private readonly collections: ReadModelCollections,
    private readonly divisions: Divisions,
    private readonly targets: { readonly urban: number; readonly rural: number },
  ) {}

  async overview(place: Place): Promise<Overview> {
    const counts = await this.rollup(placeRollup(place.code));
    const n = (key: string): number => counts[key] ?? 0;
    const byCategoryAndTier = Object.fromEntries(
      CATEGORIES.map((c) => [c, Object.fromEntries(TIERS.map((t) => [t, n(`${c}|${t}`)]))]),
    ) as Record<Category, Record<Tier, number>>;
    const total = n('total');
    const party = Object.fromEntries(
      PARTY_ORGANIZATION_STATUSES.map((s) => [s, n(`party|${s}`)]),
    ) as Record<PartyOrganizationStatus, number>;
    return {
      place,
      total,
      byCategoryAndTier,
      byCategory: Object.fromEntries(
        CATEGORIES.map((c) => [c, TIERS.reduce((s, t) => s + n(`${c}|${t}`), 0)]),
      ) as Record<Category, number>,
      byTier: Object.fromEntries(
        TIERS.map((t) => [t, CATEGORIES.reduce((s, c) => s + n(`${c}|${t}`), 0)]),
      ) as Record<Tier, number>,
      partyOrganization: {
        ...party,
        coverage: total === 0 ? 0 : round((total - party.none) / total),
      },
      inSpecialUnits: n('specialUnit'),
    };
  }

  /** Averages per urban and rural community against the targets, and the communities below them. */
  async targetsFor(
    district: string | undefined,
    paging: Paging,
  ): Promise<{
    urban: TargetFigures;
    rural: TargetFigures;
    belowTarget: Page<CommunityBelowTarget>;
  }> {
    const districts =
      district === undefined ? this.divisions.data.districts.map((d) => d.code) : [district];
    const perCommunity = new Map<string, number>();
    for (const code of districts) {
      for (const [community, count] of Object.entries(await this.rollup(communitiesRollup(code)))) {
        perCommunity.set(community, count);
      }
    }
    const scope = new Set(districts);
    const below: CommunityBelowTarget[] = [];
    const figures = {
      urban: { communities: 0, organizations: 0, below: 0 },
      rural: { communities: 0, organizations: 0, below: 0 },
    };
    for (const community of this.divisions.data.communities) {
      const street = this.divisions.street(community.street);
      if (!street || !scope.has(street.district)) continue;
      const organizations = perCommunity.get(community.code) ?? 0;
      const target = this.targets[community.kind];
      const f = figures[community.kind];
      f.communities++;
      f.organizations += organizations;
      if (organizations >= target) continue;
      f.below++;
      below.push({
        code: community.code,
        name: community.name,
        kind: community.kind,
        streetCode: street.code,
        streetName: street.name,
        districtCode: street.district,
        districtName: this.divisions.district(street.district)?.name ?? street.district,
        organizations,
        target,
        shortfall: target - organizations,
      });
    }
    // Furthest below target first; code order among equals, so pages are stable.
    below.sort((a, b) => b.shortfall - a.shortfall || (a.code < b.code ? -1 : 1));
    const summary = (kind: 'urban' | 'rural'): TargetFigures => {
      const f = figures[kind];
      const average = f.communities === 0 ? 0 : round(f.organizations / f.communities);
      const target = this.targets[kind];
      return {
        communities: f.communities,
        organizations: f.organizations,
        average,
        target,
        met: average >= target,
        belowTarget: f.below,
      };
    };
    const start = (paging.page - 1) * paging.pageSize;
    return {
      urban: summary('urban'),
      rural: summary('rural'),
      belowTarget: {
        items: below.slice(start, start + paging.pageSize),
        total: below.length,
        ...paging,
      },
    };
  }

  async timeline(
    district: string | undefined,
    from: string | undefined,
    to: string | undefined,
  ): Promise<TimelineMonth[]> {
    const counts = await this.rollup(timelineRollup(district ?? '310000'));
    const months = Object.keys(counts).map((key) => key.slice(0, 7));
    if (months.length === 0 && (from === undefined || to === undefined)) return [];
    const first = from ?? months.reduce((a, b) => (a < b ? a : b));
    const last = to ?? months.reduce((a, b) => (a > b ? a : b));
    const series: TimelineMonth[] = [];
    for (let month = first; month <= last; month = nextMonth(month)) {
      series.push({
        month,
        registrations: counts[`${month}|registrations`] ?? 0,
        promotions: counts[`${month}|promotions`] ?? 0,
        dissolutions: counts[`${month}|dissolutions`] ?? 0,
      });
    }
    return series;
  }

  private async rollup(id: string): Promise<Counts> {
    const where = await this.collections.of(STATISTICS);
    const doc = where && (await this.store.get(where.rollups, id));
    return (doc?.['counts'] as Counts | undefined) ?? {};
  }
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12
    ? `${String(y + 1).padStart(4, '0')}-01`
    : `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}`;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;
