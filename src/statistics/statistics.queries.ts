import type { Divisions } from '../divisions/divisions.js';
import {
  CATEGORIES,
  DISSOLUTION_KINDS,
  ORGANIZATIONAL_COVERAGE,
  PARTY_ORGANIZATION_STATUSES,
  TIERS,
  WORK_COVERAGE,
  type Category,
  type DissolutionKind,
  type PartyOrganizationStatus,
  type Tier,
} from '../organizations/domain/organization.types.js';
import { positionToJson } from '../event-sourcing/ports/event-store.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import {
  communitiesRollup,
  placeRollup,
  timelineRollup,
} from '../../projections/statistics.projection.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import type { Page, Paging } from '../event-sourcing/projection/paging.js';
import type { Place } from '../divisions/places.js';
import { asOfReader, type RollupReader } from './as-of-rollups.js';

export const STATISTICS = 'statistics';

export interface Overview {
  readonly place: Place;
  readonly total: number;
  readonly byCategoryAndTier: Record<Category, Record<Tier, number>>;
  readonly byCategory: Record<Category, number>;
  readonly byTier: Record<Tier, number>;
  /** Active organizations by party organization status. */
  readonly partyOrganization: Record<PartyOrganizationStatus, number>;
  readonly partyCoverage: PartyCoverage;
  /** Of the total, those in development zones, farms and parks (shown separately, DOMAIN §2). */
  readonly inSpecialUnits: number;
}

/** A count of active organizations and its share of them all (0 when there are none). */
export interface Share {
  readonly count: number;
  readonly share: number;
}

/** Party coverage (DOMAIN §4) over the active organizations of a place. */
export interface PartyCoverage {
  /** 组织覆盖: a branch of its own or a joint branch. */
  readonly organizational: Share;
  /** 工作覆盖: a branch (own or joint), a liaison or an instructor; includes the organizational. */
  readonly work: Share;
}

export interface TargetFigures {
  readonly communities: number;
  readonly organizations: number;
  readonly average: number;
  readonly target: number;
  readonly met: boolean;
  readonly belowTarget: number;
}

/** A community with the names of its street and district. */
interface ScopedCommunity {
  readonly code: string;
  readonly name: string;
  readonly kind: 'urban' | 'rural';
  readonly streetCode: string;
  readonly streetName: string;
  readonly districtCode: string;
  readonly districtName: string;
}

export interface CommunityBelowTarget extends ScopedCommunity {
  readonly organizations: number;
  readonly target: number;
  readonly shortfall: number;
}

export interface TimelineMonth {
  readonly month: string;
  readonly registrations: number;
  readonly promotions: number;
  readonly dissolutions: number;
  /** The month's dissolutions by kind (注销, 撤销, 清理, 合并): they add up to `dissolutions`. */
  readonly dissolutionsByKind: Record<DissolutionKind, number>;
}

/**
 * A special unit whose only community is a placeholder: it has no target average, and its
 * organizations, based at the unit itself, are shown here instead.
 */
export interface UnitWithoutCommunities {
  readonly code: string;
  readonly name: string;
  readonly districtCode: string;
  readonly districtName: string;
  readonly organizations: number;
}

/**
 * The targets' figures of a place (over its real communities: placeholders count nowhere) and of
 * each place one level down that has real communities.
 */
export interface Targets {
  readonly place: Place;
  readonly urban: TargetFigures;
  readonly rural: TargetFigures;
  /** Active organizations of the place based in no community (registered before it was recorded). */
  readonly notAttributed: number;
  readonly unitsWithoutCommunities: readonly UnitWithoutCommunities[];
  readonly children: ReadonlyArray<{
    readonly code: string;
    readonly name: string;
    readonly urban: TargetFigures;
    readonly rural: TargetFigures;
  }>;
  readonly belowTarget: Page<CommunityBelowTarget>;
}

/** The place one level below `place` that holds community `c`. */
function childOf(place: Place, c: ScopedCommunity): { code: string; name: string } {
  switch (place.level) {
    case 'city':
      return { code: c.districtCode, name: c.districtName };
    case 'district':
      return { code: c.streetCode, name: c.streetName };
    default:
      return { code: c.code, name: c.name };
  }
}

/** Communities, organizations and those below target, per kind of community. */
class TargetTally {
  private readonly kinds = {
    urban: { communities: 0, organizations: 0, below: 0 },
    rural: { communities: 0, organizations: 0, below: 0 },
  };
  constructor(readonly place?: { code: string; name: string }) {}

  add(kind: 'urban' | 'rural', organizations: number, target: number): void {
    const k = this.kinds[kind];
    k.communities++;
    k.organizations += organizations;
    if (organizations < target) k.below++;
  }

  figures(kind: 'urban' | 'rural', target: number): TargetFigures {
    const k = this.kinds[kind];
    const average = k.communities === 0 ? 0 : round(k.organizations / k.communities);
    return {
      communities: k.communities,
      organizations: k.organizations,
      average,
      target,
      met: average >= target,
      belowTarget: k.below,
    };
  }
}

export type Counts = Readonly<Record<string, number>>;

/** Target answers kept: places and pages the dashboards ask for at the current checkpoint. */
const TARGETS_CACHE_SIZE = 64;

/** Answers from the statistics rollups: a handful of documents per request, whatever the scale. */
export class StatisticsQueries {
  private readonly targetsCache = new Map<string, Targets>();

  constructor(
    private readonly store: ReadStore,
    private readonly collections: ReadModelCollections,
    private readonly divisions: Divisions,
    private readonly targets: { readonly urban: number; readonly rural: number },
  ) {}

  /** The overview of a place today, or at the end of month `asOf` (`YYYY-MM`, by business dates). */
  async overview(place: Place, asOf?: string): Promise<Overview> {
    const counts = await this.reader(asOf)(placeRollup(place.code));
    const n = (key: string): number => counts[key] ?? 0;
    const byCategoryAndTier = Object.fromEntries(
      CATEGORIES.map((c) => [c, Object.fromEntries(TIERS.map((t) => [t, n(`${c}|${t}`)]))]),
    ) as Record<Category, Record<Tier, number>>;
    const total = n('total');
    const party = Object.fromEntries(
      PARTY_ORGANIZATION_STATUSES.map((s) => [s, n(`party|${s}`)]),
    ) as Record<PartyOrganizationStatus, number>;
    const share = (statuses: readonly PartyOrganizationStatus[]): Share => {
      const count = statuses.reduce((sum, status) => sum + party[status], 0);
      return { count, share: total === 0 ? 0 : round(count / total) };
    };
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
      partyOrganization: party,
      partyCoverage: {
        organizational: share(ORGANIZATIONAL_COVERAGE),
        work: share(WORK_COVERAGE),
      },
      inSpecialUnits: n('specialUnit'),
    };
  }

  /**
   * Averages per urban and rural community of a place against the targets, the same figures for
   * each place one level down (districts of the city, streets of a district, communities of a
   * street), and the communities below target; today, or at the end of month `asOf`.
   */
  async targetsFor(place: Place, paging: Paging, asOf?: string): Promise<Targets> {
    // The answer is a function of the statistics rollups alone, which move only with the read
    // model's checkpoint: a city-wide answer (every community tallied and sorted) is computed
    // once per checkpoint rather than on every dashboard load.
    const where = await this.collections.of(STATISTICS);
    const version = where
      ? `${where.collection}@${String(positionToJson(await this.store.checkpoint(where.collection)))}`
      : 'none';
    const key = `${version}|${place.code}|${String(paging.page)}|${String(paging.pageSize)}|${asOf ?? ''}`;
    const cached = this.targetsCache.get(key);
    if (cached) return cached;
    const answer = await this.computeTargets(place, paging, this.reader(asOf));
    this.targetsCache.set(key, answer);
    if (this.targetsCache.size > TARGETS_CACHE_SIZE) {
      const oldest = this.targetsCache.keys().next();
      if (oldest.done !== true) this.targetsCache.delete(oldest.value);
    }
    return answer;
  }

  private async computeTargets(place: Place, paging: Paging, read: RollupReader): Promise<Targets> {
    const inScope = this.communitiesOf(place);
    const districts = [...new Set(inScope.map((c) => c.districtCode))];
    const perCommunity = new Map<string, number>();
    for (const code of districts) {
      for (const [community, count] of Object.entries(await read(communitiesRollup(code)))) {
        perCommunity.set(community, count);
      }
    }
    const below: CommunityBelowTarget[] = [];
    const whole = new TargetTally();
    const children = new Map<string, TargetTally>();
    for (const c of inScope) {
      const organizations = perCommunity.get(c.code) ?? 0;
      const target = this.targets[c.kind];
      const child = childOf(place, c);
      let tally = children.get(child.code);
      if (!tally) children.set(child.code, (tally = new TargetTally(child)));
      whole.add(c.kind, organizations, target);
      tally.add(c.kind, organizations, target);
      if (organizations >= target) continue;
      below.push({
        ...c,
        organizations,
        target,
        shortfall: target - organizations,
      });
    }
    // Furthest below target first; code order among equals, so pages are stable.
    below.sort((a, b) => b.shortfall - a.shortfall || (a.code < b.code ? -1 : 1));
    const start = (paging.page - 1) * paging.pageSize;
    const units: UnitWithoutCommunities[] = [];
    for (const unit of this.unitsWithoutCommunitiesOf(place)) {
      const organizations = (await read(placeRollup(unit.code)))['atUnit'] ?? 0;
      units.push({ ...unit, organizations });
    }
    return {
      place,
      urban: whole.figures('urban', this.targets.urban),
      rural: whole.figures('rural', this.targets.rural),
      notAttributed:
        place.level === 'community'
          ? 0
          : ((await read(placeRollup(place.code)))['unattributed'] ?? 0),
      unitsWithoutCommunities: units,
      children: [...children.values()].map((t) => ({
        code: t.place?.code ?? '',
        name: t.place?.name ?? '',
        urban: t.figures('urban', this.targets.urban),
        rural: t.figures('rural', this.targets.rural),
      })),
      belowTarget: {
        items: below.slice(start, start + paging.pageSize),
        total: below.length,
        ...paging,
      },
    };
  }

  /** The real communities inside a place (no placeholder), with their street and district names. */
  private communitiesOf(place: Place): ScopedCommunity[] {
    const scoped: ScopedCommunity[] = [];
    for (const community of this.divisions.data.communities) {
      if (community.placeholder === true) continue;
      if (place.level === 'community' && community.code !== place.code) continue;
      const street = this.divisions.street(community.street);
      if (!street) continue;
      if (place.level === 'district' && street.district !== place.code) continue;
      if (place.level === 'street' && street.code !== place.code) continue;
      scoped.push({
        code: community.code,
        name: community.name,
        kind: community.kind,
        streetCode: street.code,
        streetName: street.name,
        districtCode: street.district,
        districtName: this.divisions.district(street.district)?.name ?? street.district,
      });
    }
    return scoped;
  }

  /** The special units inside a place whose only community is a placeholder. */
  private unitsWithoutCommunitiesOf(
    place: Place,
  ): Array<Omit<UnitWithoutCommunities, 'organizations'>> {
    if (place.level === 'community') return [];
    return this.divisions.data.streets
      .filter(
        (s) =>
          !this.divisions.hasRealCommunities(s.code) &&
          (place.level === 'city' ||
            (place.level === 'district' && s.district === place.code) ||
            s.code === place.code),
      )
      .map((s) => ({
        code: s.code,
        name: s.name,
        districtCode: s.district,
        districtName: this.divisions.district(s.district)?.name ?? s.district,
      }));
  }

  /** The monthly series of the city or of one district, street or community (by its code). */
  async timeline(
    placeCode: string,
    from: string | undefined,
    to: string | undefined,
  ): Promise<TimelineMonth[]> {
    const counts = await this.rollup(timelineRollup(placeCode));
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
        dissolutionsByKind: Object.fromEntries(
          DISSOLUTION_KINDS.map((kind) => [kind, counts[`${month}|dissolutions|${kind}`] ?? 0]),
        ) as Record<DissolutionKind, number>,
      });
    }
    return series;
  }

  /** Reads the rollups as they stand today, or as they stood at the end of month `asOf`. */
  reader(asOf?: string): RollupReader {
    const today: RollupReader = (id) => this.rollup(id);
    return asOf === undefined ? today : asOfReader(today, asOf);
  }

  /** The counters of one rollup document (empty when it has none). */
  async rollup(id: string): Promise<Counts> {
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
