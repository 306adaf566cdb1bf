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

/**
 * The last day of a period of whole years starting on `date`: 2021-03-15 + 5 years runs through
 * 2026-03-14. A period starting on 29 February ends on the last day of February.
 */
export function lastDayOfYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const anniversary = new Date(Date.UTC(y + years, m - 1, d));
  // 29 February of a year without one rolls over to 1 March: its day before is 28 February.
  const lastDay = new Date(anniversary.getTime() - 86_400_000);
  return lastDay.toISOString().slice(0, 10);
}

/** Whole days from one calendar date to a later one (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The calendar date `days` after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The same day `months` calendar months earlier, or that month's last day when it is shorter:
 * 2026-03-31 less one month is 2026-02-28.
 */
export function monthsBefore(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 - months, 1));
  const lastDay = new Date(
    Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0),
  ).getUTCDate();
  first.setUTCDate(Math.min(d, lastDay));
  return first.toISOString().slice(0, 10);
}
