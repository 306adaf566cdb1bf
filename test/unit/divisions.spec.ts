/**
 * The shipped division reference data (reference-data/shanghai-divisions-2021.json) against the
 * facts of shared/data/README.md, and the Divisions lookups.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CITY_CODE, Divisions, RETIRED_DISTRICTS } from '../../src/divisions/divisions.js';
import { loadDivisions, projectRoot } from '../../src/divisions/load-divisions.js';

const divisions = loadDivisions();
const { districts, streets, communities } = divisions.data;

const countBy = <T>(items: readonly T[], key: (item: T) => string): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
};

describe('the shipped division data (data README facts)', () => {
  it('has the 16 districts of Shanghai', () => {
    expect(districts).toHaveLength(16);
    expect(districts.map((d) => d.code).sort()).toEqual([
      '310101',
      '310104',
      '310105',
      '310106',
      '310107',
      '310109',
      '310110',
      '310112',
      '310113',
      '310114',
      '310115',
      '310116',
      '310117',
      '310118',
      '310120',
      '310151',
    ]);
    expect(divisions.district('310104')?.name).toBe('徐汇区');
    expect(divisions.district('310115')?.name).toBe('浦东新区');
    expect(divisions.district('310151')?.name).toBe('崇明区');
  });

  it('has 234 street-level units: 107 streets, 106 towns, 2 townships, 19 special units', () => {
    expect(streets).toHaveLength(234);
    expect(countBy(streets, (s) => s.kind)).toEqual({
      street: 107,
      town: 106,
      township: 2,
      special: 19,
    });
  });

  it('counts 215 街镇 without the special units', () => {
    expect(streets.filter((s) => s.kind !== 'special')).toHaveLength(215);
  });

  it('has 6,234 communities: 4,669 urban and 1,565 rural', () => {
    expect(communities).toHaveLength(6234);
    expect(countBy(communities, (c) => c.kind)).toEqual({ urban: 4669, rural: 1565 });
  });

  it('has 13 placeholder communities (虚拟社区/虚拟生活区), all in special units', () => {
    const placeholders = communities.filter((c) => /虚拟(社区|生活区)/.test(c.name));
    expect(placeholders).toHaveLength(13);
    for (const c of placeholders) expect(divisions.street(c.street)?.kind).toBe('special');
  });

  it('flags exactly the placeholders, each the only community of its unit (README rule)', () => {
    const flagged = communities.filter((c) => c.placeholder === true);
    expect(flagged.map((c) => c.code)).toEqual(
      communities.filter((c) => /虚拟(社区|生活区)$/.test(c.name)).map((c) => c.code),
    );
    expect(countBy(flagged, (c) => c.kind)).toEqual({ urban: 8, rural: 5 });
    for (const c of flagged) {
      expect(communities.filter((o) => o.street === c.street)).toEqual([c]);
      expect(divisions.hasRealCommunities(c.street)).toBe(false);
    }
    for (const c of communities.filter((o) => o.placeholder === undefined))
      expect(divisions.hasRealCommunities(c.street)).toBe(true);
  });

  it('leaves 4,661 real urban and 1,560 real rural communities for the targets', () => {
    const real = communities.filter((c) => c.placeholder !== true);
    expect(countBy(real, (c) => c.kind)).toEqual({ urban: 4661, rural: 1560 });
  });

  it("every street's district exists and prefixes its code", () => {
    for (const s of streets) {
      expect(divisions.district(s.district)).toBeDefined();
      expect(s.code).toMatch(/^\d{9}$/);
      expect(s.code.slice(0, 6)).toBe(s.district);
    }
  });

  it("every community's street exists and prefixes its code", () => {
    for (const c of communities) {
      expect(divisions.street(c.street)).toBeDefined();
      expect(c.code).toMatch(/^\d{12}$/);
      expect(c.code.slice(0, 9)).toBe(c.street);
    }
  });

  it('every district has streets and every street has communities', () => {
    const streetsPerDistrict = countBy(streets, (s) => s.district);
    for (const d of districts) expect(streetsPerDistrict[d.code]).toBeGreaterThan(0);
    const communitiesPerStreet = countBy(communities, (c) => c.street);
    for (const s of streets) expect(communitiesPerStreet[s.code]).toBeGreaterThan(0);
  });

  it('codes are unique', () => {
    expect(new Set(districts.map((d) => d.code)).size).toBe(16);
    expect(new Set(streets.map((s) => s.code)).size).toBe(234);
    expect(new Set(communities.map((c) => c.code)).size).toBe(6234);
  });

  it("a street's kind follows digits 7–9 of its code", () => {
    for (const s of streets) {
      const n = Number(s.code.slice(6, 9));
      const kind = n < 100 ? 'street' : n < 200 ? 'town' : n < 400 ? 'township' : 'special';
      expect([s.code, s.kind]).toEqual([s.code, kind]);
      expect(n).toBeLessThan(600);
    }
  });

  it("a community's kind follows digits 10–12 of its code", () => {
    for (const c of communities) {
      const n = Number(c.code.slice(9, 12));
      const kind = n < 200 || (n >= 400 && n < 500) ? 'urban' : 'rural';
      expect([c.code, c.kind]).toEqual([c.code, kind]);
      expect(n).toBeLessThan(600);
    }
  });

  it('urban 12 and rural 7 organizations per community imply about 67,000 organizations', () => {
    expect(4669 * 12 + 1565 * 7).toBe(66_983);
  });

  it('is the same data as the shared copy', () => {
    const shared = join(projectRoot(), '..', 'shared', 'data', 'shanghai-divisions-2021.json');
    if (!existsSync(shared)) return; // the shared folder is not beside every checkout
    const other = loadDivisions(shared);
    expect(other.data.districts).toEqual(districts);
    expect(other.data.streets).toEqual(streets);
    // The shared copy does not flag the placeholders.
    expect(other.data.communities).toEqual(communities.map(({ placeholder: _, ...c }) => c));
  });
});

describe('Divisions lookups', () => {
  it('finds a district, a street and a community by code', () => {
    expect(divisions.street('310104003')).toEqual({
      code: '310104003',
      name: '天平路街道',
      district: '310104',
      kind: 'street',
    });
    expect(divisions.community('310104003001')).toEqual({
      code: '310104003001',
      name: '上海新村居委会',
      street: '310104003',
      kind: 'urban',
    });
    expect(divisions.community('310151101201')?.kind).toBe('rural');
    expect(divisions.street('310104501')?.kind).toBe('special');
  });

  it('answers undefined for unknown codes and for codes of another level', () => {
    expect(divisions.district('310199')).toBeUndefined();
    expect(divisions.district('310104003')).toBeUndefined();
    expect(divisions.street('310104')).toBeUndefined();
    expect(divisions.community('310104003')).toBeUndefined();
  });

  it('isKnown accepts the city and any known district, street or community', () => {
    expect(CITY_CODE).toBe('310000');
    for (const code of ['310000', '310104', '310104003', '310104003001']) {
      expect(divisions.isKnown(code)).toBe(true);
    }
    for (const code of ['310199', '310104999', '310104003999', '310108', '110000', '']) {
      expect(divisions.isKnown(code)).toBe(false);
    }
  });

  it('isShanghaiRegion accepts the city, the current districts and the retired district codes', () => {
    expect(divisions.isShanghaiRegion('310000')).toBe(true);
    for (const d of districts) expect(divisions.isShanghaiRegion(d.code)).toBe(true);
    for (const code of ['310108', '310230', '310103', '310119']) {
      expect(divisions.isShanghaiRegion(code)).toBe(true);
    }
    for (const code of ['310199', '110101', '310104003', '100000']) {
      expect(divisions.isShanghaiRegion(code)).toBe(false);
    }
  });

  it('the retired districts were merged into current districts', () => {
    expect(RETIRED_DISTRICTS).toEqual({
      '310103': { name: '卢湾区', mergedInto: '310101' },
      '310108': { name: '闸北区', mergedInto: '310106' },
      '310119': { name: '南汇区', mergedInto: '310115' },
      '310230': { name: '崇明县', mergedInto: '310151' },
    });
    for (const { mergedInto } of Object.values(RETIRED_DISTRICTS)) {
      expect(divisions.district(mergedInto)).toBeDefined();
    }
    for (const code of Object.keys(RETIRED_DISTRICTS))
      expect(divisions.district(code)).toBeUndefined();
  });

  it('encloses: the city ⊃ a district ⊃ its streets ⊃ their communities, nothing else', () => {
    const inside: Array<[string, string]> = [
      ['310000', '310000'],
      ['310000', '310104'],
      ['310000', '310104003'],
      ['310000', '310104003001'],
      ['310104', '310104'],
      ['310104', '310104003'],
      ['310104', '310104003001'],
      ['310104003', '310104003'],
      ['310104003', '310104003001'],
      ['310104003001', '310104003001'],
    ];
    for (const [outer, inner] of inside) expect(divisions.encloses(outer, inner)).toBe(true);
    const outside: Array<[string, string]> = [
      ['310104', '310000'],
      ['310104003', '310104'],
      ['310104003001', '310104003'],
      ['310115', '310104'],
      ['310115', '310104003'],
      ['310104004', '310104003001'],
      ['310104003002', '310104003001'],
      ['310000', '310199'],
      ['310104', '310104999'],
      ['310106', '310108'],
    ];
    for (const [outer, inner] of outside) expect(divisions.encloses(outer, inner)).toBe(false);
  });

  it('works on any data set given to it', () => {
    const tiny = new Divisions({
      districts: [{ code: '310104', name: '徐汇区' }],
      streets: [{ code: '310104003', name: '天平路街道', district: '310104', kind: 'street' }],
      communities: [],
    });
    expect(tiny.isKnown('310104003')).toBe(true);
    expect(tiny.isKnown('310115')).toBe(false);
    expect(tiny.isShanghaiRegion('310108')).toBe(true);
  });
});
