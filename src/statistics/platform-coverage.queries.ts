import { CITY_CODE, type Divisions, type Street } from '../divisions/divisions.js';
import type { Place } from '../divisions/places.js';
import { incubationRollup, platformsRollup } from '../../projections/statistics.projection.js';
import { SUPPORT_ROLES, type SupportRole } from '../organizations/domain/organization.types.js';
import type { Counts } from './statistics.queries.js';
import { asOfReader } from './as-of-rollups.js';

/** How many active organizations serve a street in each role. */
export type RoleCounts = Record<SupportRole, number>;

export interface StreetCoverage {
  readonly code: string;
  readonly name: string;
  readonly districtCode: string;
  readonly districtName: string;
  readonly platforms: RoleCounts;
  /** The roles no organization serves the street in: what the 街镇 still lacks. */
  readonly missing: readonly SupportRole[];
}

/** Of a place's streets and towns, how many have each kind of platform. */
export interface CoverageFigures {
  readonly streets: number;
  readonly covered: RoleCounts;
  /** Streets with all four kinds. */
  readonly complete: number;
}

export interface PlatformCoverage {
  readonly place: Place;
  readonly roles: readonly SupportRole[];
  readonly summary: CoverageFigures;
  readonly districts: ReadonlyArray<
    { readonly code: string; readonly name: string } & CoverageFigures
  >;
  readonly streets: readonly StreetCoverage[];
}

export interface IncubationYear {
  readonly year: string;
  readonly incubated: number;
  readonly graduated: number;
}

export interface BaseIncubation {
  readonly baseId: string;
  readonly incubated: number;
  readonly graduated: number;
  readonly years: readonly IncubationYear[];
}

export interface IncubationFigures {
  readonly district: string | null;
  readonly year: string | null;
  readonly bases: readonly BaseIncubation[];
}

const zero = (): RoleCounts =>
  Object.fromEntries(SUPPORT_ROLES.map((role) => [role, 0])) as RoleCounts;

/**
 * Support-platform coverage (DOMAIN §5) and incubation by base and year, from the statistics
 * rollups: one document per district read, whatever the number of organizations.
 */
export class PlatformQueries {
  constructor(
    private readonly rollup: (id: string) => Promise<Counts>,
    private readonly divisions: Divisions,
  ) {}

  /**
   * Every street and town (街镇) of the city or a district with the number of organizations
   * serving it in each role, today or at the end of month `asOf`. Special units (development
   * zones, farms, parks) are no 街镇: left out.
   */
  async coverage(place: Place, asOf?: string): Promise<PlatformCoverage> {
    const read = asOf === undefined ? this.rollup : asOfReader(this.rollup, asOf);
    const streets = this.divisions.data.streets.filter(
      (s) => s.kind !== 'special' && (place.level === 'city' || s.district === place.code),
    );
    const byDistrict = new Map<string, Street[]>();
    for (const street of streets) {
      const list = byDistrict.get(street.district) ?? [];
      list.push(street);
      byDistrict.set(street.district, list);
    }
    const rows: StreetCoverage[] = [];
    const districts: PlatformCoverage['districts'][number][] = [];
    for (const [code, list] of byDistrict) {
      const counts = await read(platformsRollup(code));
      const districtName = this.divisions.district(code)?.name ?? code;
      const district = rowsOf(list, counts, districtName);
      rows.push(...district);
      districts.push({ code, name: districtName, ...figures(district) });
    }
    return { place, roles: SUPPORT_ROLES, summary: figures(rows), districts, streets: rows };
  }

  /** Per base (of the city or a district) and per year: entries and graduations. */
  async incubation(
    district: string | undefined,
    year: string | undefined,
  ): Promise<IncubationFigures> {
    const counts = await this.rollup(incubationRollup(district ?? CITY_CODE));
    const bases = new Map<string, Map<string, { incubated: number; graduated: number }>>();
    for (const [key, amount] of Object.entries(counts)) {
      const [baseId = '', y = '', what] = key.split('|');
      if (year !== undefined && y !== year) continue;
      const years =
        bases.get(baseId) ?? new Map<string, { incubated: number; graduated: number }>();
      bases.set(baseId, years);
      const cell = years.get(y) ?? { incubated: 0, graduated: 0 };
      years.set(y, cell);
      if (what === 'incubated') cell.incubated += amount;
      else if (what === 'graduated') cell.graduated += amount;
    }
    return {
      district: district ?? null,
      year: year ?? null,
      bases: [...bases.entries()]
        .map(([baseId, years]) => {
          const list = [...years.entries()]
            .map(([y, cell]) => ({ year: y, ...cell }))
            .sort((a, b) => (a.year < b.year ? -1 : 1));
          return {
            baseId,
            incubated: list.reduce((sum, y) => sum + y.incubated, 0),
            graduated: list.reduce((sum, y) => sum + y.graduated, 0),
            years: list,
          };
        })
        .sort((a, b) => b.incubated - a.incubated || (a.baseId < b.baseId ? -1 : 1)),
    };
  }
}

function rowsOf(
  streets: readonly Street[],
  counts: Counts,
  districtName: string,
): StreetCoverage[] {
  return streets.map((street) => {
    const platforms = zero();
    for (const role of SUPPORT_ROLES) platforms[role] = counts[`${street.code}|${role}`] ?? 0;
    return {
      code: street.code,
      name: street.name,
      districtCode: street.district,
      districtName,
      platforms,
      missing: SUPPORT_ROLES.filter((role) => platforms[role] === 0),
    };
  });
}

function figures(rows: readonly StreetCoverage[]): CoverageFigures {
  const covered = zero();
  for (const row of rows)
    for (const role of SUPPORT_ROLES) if (row.platforms[role] > 0) covered[role]++;
  return {
    streets: rows.length,
    covered,
    complete: rows.filter((row) => row.missing.length === 0).length,
  };
}
