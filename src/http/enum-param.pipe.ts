import type { PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './problem.js';

/** A path parameter that names one of a few codes (a support role): anything else is a 400. */
export class EnumParamPipe implements PipeTransform<unknown, string> {
  constructor(
    readonly name: string,
    readonly values: readonly string[],
  ) {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !this.values.includes(value)) {
      throw new ValidationProblem([
        {
          field: `path:${this.name}`,
          message: `${this.name} must be one of ${this.values.join(', ')}`,
        },
      ]);
    }
    return value;
  }
}
