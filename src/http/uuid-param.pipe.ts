import type { PipeTransform } from '@nestjs/common';
import { ValidationProblem } from './problem.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Organization and notice ids are UUIDs; anything else is a malformed request, not a 404. */
export class UuidParamPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name = 'id') {}

  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value)) {
      throw new ValidationProblem([
        { field: `path:${this.name}`, message: `${this.name} must be a UUID` },
      ]);
    }
    return value.toLowerCase();
  }
}
