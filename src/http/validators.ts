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

/**
 * Free text a person typed: no control characters (Unicode's Cc: U+0000–U+001F, U+007F–U+009F).
 * Written with explicit ranges rather than `\p{Cc}`, because the OpenAPI document carries this
 * pattern and tools outside JavaScript (Python's `re`, hence schemathesis) lack `\p{…}`.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
export const TEXT = /^[^\x00-\x1f\x7f-\x9f]*$/;
