import { getMetadataStorage } from 'class-validator';
import { ValidationProblem, type FieldError } from './problem.js';

/**
 * The longest array any body may hold anywhere, whatever its DTO says: far above any real
 * request, low enough that walking it costs nothing.
 */
export const ANY_ARRAY_MAX = 1000;

const limitsByClass = new WeakMap<object, ReadonlyMap<string, number>>();

/** The `@ArrayMaxSize` limits a DTO declares on its own properties (class-validator's metadata). */
function declaredLimits(
  dto: abstract new (...args: never[]) => unknown,
): ReadonlyMap<string, number> {
  const known = limitsByClass.get(dto);
  if (known) return known;
  const limits = new Map<string, number>();
  for (const rule of getMetadataStorage().getTargetValidationMetadatas(dto, '', true, false)) {
    // `constraints` is typed as an array but absent on rules without arguments.
    const max: unknown = (rule.constraints as unknown[] | undefined)?.[0];
    if (rule.name === 'arrayMaxSize' && typeof max === 'number') limits.set(rule.propertyName, max);
  }
  limitsByClass.set(dto, limits);
  return limits;
}

/**
 * Refuses an over-long array before a single item of it is validated: class-validator would
 * otherwise check (and report) every item of a 20,000-item array only to say it has too many.
 */
export function checkArraySizes(
  body: Readonly<Record<string, unknown>>,
  dto: abstract new (...args: never[]) => unknown,
): void {
  const errors: FieldError[] = [];
  for (const [property, max] of declaredLimits(dto)) {
    const value = body[property];
    if (Array.isArray(value) && value.length > max) {
      errors.push({
        field: property,
        message: `${property} must contain no more than ${String(max)} elements (${String(value.length)} sent)`,
      });
    }
  }
  if (errors.length > 0) throw new ValidationProblem(errors);
}
