import { HttpException } from '@nestjs/common';
import type { Divisions } from '../divisions/divisions.js';
import { ValidationProblem, type FieldError } from './problem.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import type { ProjectionRunner } from '../event-sourcing/projection/projection-runner.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { placeOf, type Place } from '../divisions/places.js';

/** How long a read waits for its `minPosition` before answering 503. */
export const READ_YOUR_WRITES_WAIT_MS = 5000;

/** The read model has not applied the position yet: 503 with Retry-After. */
export class NotYetProjected extends HttpException {
  readonly retryAfterSeconds = 1;
  constructor(model: string, position: number) {
    super(`The ${model} read model has not applied position ${position} yet; retry shortly`, 503);
  }
}

/**
 * Waits until the generation the query will read has applied `minPosition`: checked on the store
 * (not only on the runner), so a generation swapped in by a rebuild is judged by its own
 * checkpoint. The runner's progress wakes the wait; a short poll covers other replicas.
 */
export class ReadYourWrites {
  constructor(
    private readonly runner: ProjectionRunner,
    private readonly collections: ReadModelCollections,
    private readonly store: ReadStore,
  ) {}

  async wait(model: string, minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined || minPosition === 0) return;
    const deadline = Date.now() + READ_YOUR_WRITES_WAIT_MS;
    for (;;) {
      const where = await this.collections.of(model);
      if (where && (await this.store.checkpoint(where.collection)) >= minPosition) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new NotYetProjected(model, minPosition);
      await this.runner.waitFor(model, minPosition, Math.min(left, 100));
    }
  }
}

/** Known codes, and a community inside its street inside its district when several are given. */
export function resolvePlace(
  divisions: Divisions,
  q: { district?: string; street?: string; community?: string },
): Place {
  const errors: FieldError[] = [];
  const community = q.community === undefined ? undefined : divisions.community(q.community);
  const street = q.street === undefined ? undefined : divisions.street(q.street);
  if (q.district !== undefined && !divisions.district(q.district))
    errors.push({ field: 'query:district', message: `unknown district ${q.district}` });
  if (q.street !== undefined && !street)
    errors.push({ field: 'query:street', message: `unknown street ${q.street}` });
  if (q.community !== undefined && !community)
    errors.push({ field: 'query:community', message: `unknown community ${q.community}` });
  if (street && q.district !== undefined && street.district !== q.district) {
    errors.push({
      field: 'query:street',
      message: `street ${street.code} is not in district ${q.district}`,
    });
  }
  if (community && q.street !== undefined && community.street !== q.street) {
    errors.push({
      field: 'query:community',
      message: `community ${community.code} is not in street ${q.street}`,
    });
  }
  if (community && q.district !== undefined && !community.street.startsWith(q.district)) {
    errors.push({
      field: 'query:community',
      message: `community ${community.code} is not in district ${q.district}`,
    });
  }
  if (errors.length > 0) throw new ValidationProblem(errors);
  return placeOf(divisions, q);
}

/** A `from`–`to` range of months or dates must not run backwards. */
export function checkRange(from: string | undefined, to: string | undefined): void {
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationProblem([{ field: 'query:to', message: 'to must not be before from' }]);
  }
}
