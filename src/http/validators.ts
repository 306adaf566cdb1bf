import { registerDecorator, type ValidationOptions } from 'class-validator';
import { FIRST_YEAR, isIsoDate } from '../event-sourcing/iso-date.js';

/** A real calendar date written `YYYY-MM-DD` (2026-02-30 is refused). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol): void => {
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName: String(propertyName),
      ...(options && { options }),
      validator: {
        validate: (value: unknown) => isIsoDate(value),
        defaultMessage: () =>
          `${String(propertyName)} must be a calendar date YYYY-MM-DD from ${String(FIRST_YEAR)} on`,
      },
    });
  };
}

/** Free text a person typed: trimmed length bounds and no control characters. */
export const TEXT = /^[^\p{Cc}]*$/u;
