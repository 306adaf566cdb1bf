/** Shanghai's divisions (reference data), as pure lookups. Loaded once by the composition root. */

export type StreetKind = 'street' | 'town' | 'township' | 'special';
export type CommunityKind = 'urban' | 'rural';

export interface District {
  readonly code: string;
  readonly name: string;
}
export interface Street {
  readonly code: string;
  readonly name: string;
  readonly district: string;
  readonly kind: StreetKind;
}
export interface Community {
  readonly code: string;
  readonly name: string;
  readonly street: string;
  readonly kind: CommunityKind;
  /**
   * A statistical stand-in for a zone or farm without a committee (虚拟社区, 虚拟生活区): no
   * organization is based in it and it counts in no denominator.
   */
  readonly placeholder?: true;
}

export interface DivisionData {
  readonly source?: string;
  readonly districts: readonly District[];
  readonly streets: readonly Street[];
  readonly communities: readonly Community[];
}

export const CITY_CODE = '310000';

/**
 * District codes retired by mergers. They still appear inside Unified Social Credit Codes issued
 * before the merger (a code's region part never changes after issue).
 */
export const RETIRED_DISTRICTS: Readonly<Record<string, { name: string; mergedInto: string }>> = {
  '310103': { name: '卢湾区', mergedInto: '310101' },
  '310108': { name: '闸北区', mergedInto: '310106' },
  '310119': { name: '南汇区', mergedInto: '310115' },
  '310230': { name: '崇明县', mergedInto: '310151' },
};

export class Divisions {
  private readonly districtsByCode: ReadonlyMap<string, District>;
  private readonly streetsByCode: ReadonlyMap<string, Street>;
  private readonly communitiesByCode: ReadonlyMap<string, Community>;
  private readonly streetsWithRealCommunities: ReadonlySet<string>;

  constructor(readonly data: DivisionData) {
    this.districtsByCode = new Map(data.districts.map((d) => [d.code, d]));
    this.streetsByCode = new Map(data.streets.map((s) => [s.code, s]));
    this.communitiesByCode = new Map(data.communities.map((c) => [c.code, c]));
    this.streetsWithRealCommunities = new Set(
      data.communities.filter((c) => c.placeholder !== true).map((c) => c.street),
    );
  }

  district(code: string): District | undefined {
    return this.districtsByCode.get(code);
  }
  street(code: string): Street | undefined {
    return this.streetsByCode.get(code);
  }
  community(code: string): Community | undefined {
    return this.communitiesByCode.get(code);
  }

  /**
   * Whether a street has a community that is not a placeholder. Organizations of a special unit
   * without one are based at the unit itself.
   */
  hasRealCommunities(streetCode: string): boolean {
    return this.streetsWithRealCommunities.has(streetCode);
  }

  /** Whether a division code (city, district, street or community) names a known place. */
  isKnown(code: string): boolean {
    return (
      code === CITY_CODE ||
      this.districtsByCode.has(code) ||
      this.streetsByCode.has(code) ||
      this.communitiesByCode.has(code)
    );
  }

  /**
   * Whether the division `outer` is or encloses the division `inner` (city ⊃ district ⊃ street ⊃
   * community). Unknown codes are enclosed by nothing.
   */
  encloses(outer: string, inner: string): boolean {
    if (!this.isKnown(inner)) return false;
    if (outer === CITY_CODE) return true;
    const community = this.communitiesByCode.get(inner);
    const streetCode = community ? community.street : inner;
    const street = this.streetsByCode.get(streetCode);
    return (
      outer === inner || outer === streetCode || (street !== undefined && outer === street.district)
    );
  }

  /**
   * The region codes a USCC issued by a district's bureau may carry: the district's own code and
   * the codes of the districts merged into it (a code never changes after issue).
   */
  usccRegionsOf(districtCode: string): readonly string[] {
    return [
      districtCode,
      ...Object.entries(RETIRED_DISTRICTS)
        .filter(([, retired]) => retired.mergedInto === districtCode)
        .map(([code]) => code),
    ];
  }

  /** Whether a code is a current or retired Shanghai district, or the city itself. */
  isShanghaiRegion(code: string): boolean {
    return code === CITY_CODE || this.districtsByCode.has(code) || code in RETIRED_DISTRICTS;
  }
}
