/**
 * Unified Social Credit Code (GB 32100-2015) and its embedded organization code (GB 11714): the
 * check vectors of shared/data/README.md, the codes the fixtures use, and format errors.
 */
import {
  organizationCodeCheck,
  parseUscc,
  usccCheckCharacter,
} from '../../src/organizations/domain/rules/uscc.js';
import { BAD_USCC, USCC, divisions } from '../support/fixtures.js';

/** Independent reference implementation, written from the README's description. */
const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function referenceCheck(first17: string): string {
  let sum = 0;
  let weight = 1; // 3^(i-1) mod 31
  for (let i = 0; i < 17; i++) {
    sum += CHARSET.indexOf(first17.charAt(i)) * weight;
    weight = (weight * 3) % 31;
  }
  return CHARSET.charAt((31 - (sum % 31)) % 31);
}
function referenceOrgCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charAt(i);
    const value = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * (weights[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

const anyRegion = (): boolean => true;
const shanghai = (region: string): boolean =>
  region === '100000' || divisions.isShanghaiRegion(region);

describe('USCC check vectors (data README)', () => {
  it.each([
    ['53100000500019795A'],
    ['53100000500021676K'],
    ['52310115MJ00000187'],
    ['51310106MJ00000264'],
    ['53310000MJ0000034W'],
  ])('%s is valid', (code) => {
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(code.charAt(17));
    expect(organizationCodeCheck(code.slice(8, 16))).toBe(code.charAt(16));
    expect(parseUscc(code, shanghai)).toEqual({
      code,
      authority: '5',
      type: code.charAt(1),
      region: code.slice(2, 8),
    });
  });

  it.each([
    ['53100000500020462H', 'K'],
    ['531000005000074012', 'D'],
  ])('%s is invalid: its check character should be %s', (code, expected) => {
    expect(usccCheckCharacter(code.slice(0, 17))).toBe(expected);
    expect(parseUscc(code, anyRegion)).toBe('check-character');
    expect(parseUscc(code.slice(0, 17) + expected, anyRegion)).toMatchObject({
      code: code.slice(0, 17) + expected,
    });
  });
});

describe('usccCheckCharacter (weights 3^(i-1) mod 31, charset without I O S V Z)', () => {
  it('agrees with an independent implementation on the fixture codes', () => {
    for (const code of [...Object.values(USCC), ...Object.values(BAD_USCC)]) {
      expect(usccCheckCharacter(code.slice(0, 17))).toBe(referenceCheck(code.slice(0, 17)));
    }
  });

  it('agrees with an independent implementation on 500 pseudo-random bodies', () => {
    let seed = 20210924;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let n = 0; n < 500; n++) {
      const body = Array.from({ length: 17 }, () => CHARSET.charAt(next() % 31)).join('');
      expect(usccCheckCharacter(body)).toBe(referenceCheck(body));
    }
  });

  it('answers undefined for characters outside the charset', () => {
    expect(usccCheckCharacter('5131010IMJ0000114')).toBeUndefined();
    expect(usccCheckCharacter('51310104mj0000114')).toBeUndefined();
  });
});

describe('organizationCodeCheck (GB 11714, mod 11)', () => {
  it.each([
    ['D2143569', 'X'],
    ['00000000', '0'],
    ['50001979', '5'],
    ['MJ000001', '8'],
  ])('the check of %s is %s', (body, check) => {
    expect(organizationCodeCheck(body)).toBe(check);
    expect(referenceOrgCheck(body)).toBe(check);
  });

  it('answers undefined for a character that is neither digit nor capital letter', () => {
    expect(organizationCodeCheck('MJ00000a')).toBeUndefined();
    expect(organizationCodeCheck('MJ-00001')).toBeUndefined();
  });
});

describe('parseUscc', () => {
  it.each(Object.entries(USCC))(
    'the fixture code %s (%s) is valid and Shanghai or national',
    (_name, code) => {
      expect(referenceCheck(code.slice(0, 17))).toBe(code.charAt(17));
      expect(referenceOrgCheck(code.slice(8, 16))).toBe(code.charAt(16));
      expect(parseUscc(code, shanghai)).toEqual({
        code,
        authority: '5',
        type: code.charAt(1),
        region: code.slice(2, 8),
      });
    },
  );

  it.each([
    ['310108 闸北区', USCC.retiredZhabei],
    ['310230 崇明县', USCC.retiredChongmingCounty],
    ['310103 卢湾区', USCC.retiredLuwan],
    ['310119 南汇区', USCC.retiredNanhui],
  ])('the retired district code %s is an accepted region', (_r, code) => {
    expect(parseUscc(code, shanghai)).toMatchObject({ region: code.slice(2, 8) });
  });

  it('a code whose organization-code check is wrong is refused (organization-code-check)', () => {
    const code = BAD_USCC.wrongOrganizationCodeCheck;
    expect(referenceCheck(code.slice(0, 17))).toBe(code.charAt(17));
    expect(parseUscc(code, anyRegion)).toBe('organization-code-check');
  });

  it('a code not issued by civil affairs is refused (not-civil-affairs)', () => {
    expect(parseUscc(BAD_USCC.notCivilAffairs, anyRegion)).toBe('not-civil-affairs');
  });

  it.each([
    ['110101 (Beijing)', BAD_USCC.beijingRegion],
    ['310199', BAD_USCC.unknownShanghaiRegion],
  ])('a region %s outside Shanghai is refused (unknown-region)', (_r, code) => {
    expect(parseUscc(code, shanghai)).toBe('unknown-region');
    expect(parseUscc(code, anyRegion)).toMatchObject({ region: code.slice(2, 8) });
  });

  it('passes the region to the region predicate', () => {
    const seen: string[] = [];
    parseUscc(USCC.socialGroupXuhui, (region) => {
      seen.push(region);
      return true;
    });
    expect(seen).toEqual(['310104']);
  });

  it.each([
    ['empty', ''],
    ['17 characters', '51310104MJ000011M'],
    ['19 characters', '51310104MJ0000114M0'],
    ['lower case', '51310104mj0000114m'],
    ['the letter I', '51310104MJ00001I4M'],
    ['the letter O', '51310104MJ00001O4M'],
    ['the letter S', '51310104MJ00001S4M'],
    ['the letter V', '51310104MJ00001V4M'],
    ['the letter Z', '51310104MJ00001Z4M'],
    ['a letter in the region', '5131010AMJ0000114M'],
    ['a hyphen', '51310104-MJ000011M'],
    ['a leading space', ' 51310104MJ0000114'],
    ['a trailing newline', '51310104MJ0000114M\n'],
    ['full-width digits', '５1310104MJ0000114M'],
  ])('a code with %s is a format error', (_w, code) => {
    expect(parseUscc(code, anyRegion)).toBe('format');
  });
});

describe("registration-authority region (characters 3–8) of a district's USCC", () => {
  it.each([
    ['310104 徐汇区 (no merger)', '310104', ['310104']],
    ['310101 黄浦区 (卢湾区 merged in)', '310101', ['310101', '310103']],
    ['310106 静安区 (闸北区 merged in)', '310106', ['310106', '310108']],
    ['310115 浦东新区 (南汇区 merged in)', '310115', ['310115', '310119']],
    ['310151 崇明区 (崇明县 before)', '310151', ['310151', '310230']],
  ])('%s issues codes of region %s or its retired codes', (_d, district, regions) => {
    expect(divisions.usccRegionsOf(district)).toEqual(regions);
  });

  it('no district issues the national 100000, the city 310000 or another district', () => {
    for (const d of divisions.data.districts) {
      const regions = divisions.usccRegionsOf(d.code);
      expect(regions).not.toContain('100000');
      expect(regions).not.toContain('310000');
      for (const other of divisions.data.districts) {
        if (other.code !== d.code) expect(regions).not.toContain(other.code);
      }
    }
  });

  it('every retired code belongs to exactly one district', () => {
    const all = divisions.data.districts.flatMap((d) => divisions.usccRegionsOf(d.code).slice(1));
    expect([...all].sort()).toEqual(['310103', '310108', '310119', '310230']);
  });
});
