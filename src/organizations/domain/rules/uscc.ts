/**
 * Unified Social Credit Code (统一社会信用代码) per GB 32100-2015: 18 characters =
 * registration authority (1) + organization type (1) + region (6, GB/T 2260) +
 * organization code (9, GB 11714, with its own mod-11 check) + check character (1).
 */

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
// 3^(i-1) mod 31 for positions 1..17.
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccProblem =
  'format' | 'check-character' | 'organization-code-check' | 'not-civil-affairs' | 'unknown-region';

export interface ParsedUscc {
  readonly code: string;
  /** Registration authority: 5 = civil affairs. */
  readonly authority: string;
  /** Organization type within the authority: for 5, 1 social group, 2 service institution, 3 foundation. */
  readonly type: string;
  readonly region: string;
}

export function usccCheckCharacter(first17: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(first17.charAt(i));
    if (value < 0) return undefined;
    sum += value * (USCC_WEIGHTS[i] ?? 0);
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/** GB 11714 check character of an 8-character organization code body. */
export function organizationCodeCheck(body8: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charAt(i);
    const value = /[0-9]/.test(c) ? Number(c) : /[A-Z]/.test(c) ? c.charCodeAt(0) - 55 : -1;
    if (value < 0) return undefined;
    sum += value * (ORG_CODE_WEIGHTS[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * Checks structure and both check characters. `isKnownRegion` decides which region codes are
 * acceptable (retired district codes must be, since a code never changes after issue).
 */
export function parseUscc(
  code: string,
  isKnownRegion: (region: string) => boolean,
): ParsedUscc | UsccProblem {
  if (!/^[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{10}$/.test(code)) return 'format';
  if (usccCheckCharacter(code.slice(0, 17)) !== code.charAt(17)) return 'check-character';
  if (organizationCodeCheck(code.slice(8, 16)) !== code.charAt(16)) {
    return 'organization-code-check';
  }
  const parsed = {
    code,
    authority: code.charAt(0),
    type: code.charAt(1),
    region: code.slice(2, 8),
  };
  if (parsed.authority !== '5') return 'not-civil-affairs';
  if (!isKnownRegion(parsed.region)) return 'unknown-region';
  return parsed;
}

/**
 * Builds a code with both check characters: `head` = authority, type and region (8 characters),
 * `body` = the 8-character organization code body. For seeding and tests.
 */
export function composeUscc(head: string, body: string): string {
  const orgCheck = organizationCodeCheck(body);
  const first17 = `${head}${body}${orgCheck ?? ''}`;
  const check = usccCheckCharacter(first17);
  if (head.length !== 8 || orgCheck === undefined || check === undefined) {
    throw new Error(`cannot compose a USCC from ${head} + ${body}`);
  }
  return first17 + check;
}
