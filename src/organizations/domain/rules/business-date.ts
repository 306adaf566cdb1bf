import { refuse } from '../../../event-sourcing/domain-error.js';
import { isIsoDate } from '../../../event-sourcing/iso-date.js';
import type { IsoDate } from '../organization.types.js';

/** A business date a command records: a real calendar date, and not after today. */
export function checkBusinessDate(date: IsoDate, today: IsoDate, field: string): void {
  if (!isIsoDate(date))
    throw refuse('date-invalid', `${field} must be a calendar date YYYY-MM-DD`, field);
  if (date > today)
    throw refuse('date-in-future', `${field} (${date}) is after today (${today})`, field);
}
