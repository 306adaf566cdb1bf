import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ANY_ARRAY_MAX, checkArraySizes } from './array-limits.js';
import { ValidationProblem, type FieldError } from './problem.js';

/** Flattens class-validator's error tree into field paths like `founders[0].name`. */
export function fieldErrors(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      field,
      message: tidy(message, error.property),
    }));
    return [...own, ...fieldErrors(error.children ?? [], field)];
  });
}

// class-validator writes "property x should not exist" for unknown fields; say it plainly.
function tidy(message: string, property: string): string {
  return message.replace(`property ${property} should not exist`, 'unknown field');
}

/**
 * Whitelisting validation: unknown fields are refused, not silently dropped, and every bad
 * field is named in one 400 answer.
 */
export class ProblemValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationProblem(fieldErrors(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object) {
      if (
        value === null ||
        value === undefined ||
        typeof value !== 'object' ||
        Array.isArray(value)
      ) {
        throw new ValidationProblem([
          { field: 'body', message: 'the request body must be a JSON object' },
        ]);
      }
      checkArraySizes(value as Record<string, unknown>, metadata.metatype);
      checkShape(value);
    }
    // `constructor`, `__proto__` and the other names every object inherits slip past the
    // whitelist (the DTO instance "has" them): refused like any other unknown key.
    if (metadata.type === 'query' && value !== null && typeof value === 'object') {
      const inherited = Object.keys(value).filter((key) => key in Object.prototype);
      if (inherited.length > 0) {
        throw new ValidationProblem(
          inherited.map((key) => ({ field: `query:${key}`, message: 'unknown field' })),
        );
      }
    }
    try {
      return await super.transform(value, metadata);
    } catch (error) {
      // Query parameters are named `query:<name>`, like the other non-body fields.
      if (metadata.type === 'query' && error instanceof ValidationProblem) {
        throw new ValidationProblem(error.errors.map((e) => ({ ...e, field: `query:${e.field}` })));
      }
      throw error;
    }
  }
}

/** Deeper than any request of ours; class-transformer would overflow the stack on thousands. */
const MAX_DEPTH = 16;

/**
 * Walks the raw body without recursion before class-transformer sees it: refuses absurd nesting,
 * and keys named like Object.prototype members (`constructor`, `toString`…), which the
 * whitelist would otherwise drop silently instead of refusing as unknown fields.
 */
function checkShape(body: object): void {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [
    { value: body, path: '', depth: 1 },
  ];
  const errors: FieldError[] = [];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) {
      throw new ValidationProblem([
        { field: path || 'body', message: `nested deeper than ${MAX_DEPTH} levels` },
      ]);
    }
    if (Array.isArray(value) && value.length > ANY_ARRAY_MAX) {
      throw new ValidationProblem([
        { field: path || 'body', message: `more than ${ANY_ARRAY_MAX} elements` },
      ]);
    }
    for (const [key, child] of Object.entries(value)) {
      const field = Array.isArray(value) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && key in Object.prototype)
        errors.push({ field, message: 'unknown field' });
      stack.push({ value: child, path: field, depth: depth + 1 });
    }
  }
  if (errors.length > 0) throw new ValidationProblem(errors);
}
