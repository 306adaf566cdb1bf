/**
 * The earliest year a business date may have. No organization of the registry predates it, and
 * before it JavaScript's Date reads years 0–99 as 1900–1999, which made 0100 valid and 0099 not.
 */
export const FIRST_YEAR = 1900;

/** Strict calendar dates `YYYY-MM-DD` from 1900; string comparison orders them chronologically. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  if (y < FIRST_YEAR) return false;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whole days from one calendar date to a later one (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
