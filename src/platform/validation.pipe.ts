import { ValidationPipe, type ArgumentMetadata } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
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
    }
    return super.transform(value, metadata);
  }
}
