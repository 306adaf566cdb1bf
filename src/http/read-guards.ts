import { HttpException } from '@nestjs/common';
import type { Divisions } from '../divisions/divisions.js';
import { ValidationProblem, type FieldError } from './problem.js';
import {
  isAfter,
  isAtOrAfter,
  LOG_START,
  positionFromJson,
  positionToJson,
  type EventStore,
  type Position,
} from '../event-sourcing/ports/event-store.port.js';
import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import type { ProjectionRunner } from '../event-sourcing/projection/projection-runner.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { placeOf, type Place } from '../divisions/places.js';

/** How long a read waits for its `minPosition` before answering 503. */
export const READ_YOUR_WRITES_WAIT_MS = 5000;

/**
 * Reads waiting for their `minPosition` at once, per replica: each holds a request and polls the
 * read store, so beyond this many the next is told to come back (503) rather than queued.
 */
export const MAX_READ_YOUR_WRITES_WAITERS = 200;

/** The read model has not applied the position yet: 503 with Retry-After. */
export class NotYetProjected extends HttpException {
  readonly retryAfterSeconds = 1;
  constructor(model: string, position: number) {
    super(`The ${model} read model has not applied position ${position} yet; retry shortly`, 503);
  }
}

/** Too many reads are already waiting for their writes: 503 with Retry-After. */
export class TooManyWaiting extends HttpException {
  readonly retryAfterSeconds = 1;
  constructor() {
    super('Too many reads are waiting for their writes to be projected; retry shortly', 503);
  }
}

/**
 * Waits until the generation the query will read has applied `minPosition`: checked on the store
 * (not only on the runner), so a generation swapped in by a rebuild is judged by its own
 * checkpoint. The runner's progress wakes the wait; a short poll covers other replicas. A
 * position the log has not reached is refused at once: no write answered it, and waiting for it
 * would only hold the request.
 */
export class ReadYourWrites {
  private waiting = 0;

  constructor(
    private readonly runner: ProjectionRunner,
    private readonly collections: ReadModelCollections,
    private readonly store: ReadStore,
    private readonly events: EventStore,
    private readonly limits = {
      waitMs: READ_YOUR_WRITES_WAIT_MS,
      maxWaiters: MAX_READ_YOUR_WRITES_WAITERS,
    },
  ) {}

  /** `minPosition` as the query gave it: the JSON integer a write answered. */
  async wait(model: string, minPositionJson: number | undefined): Promise<void> {
    if (minPositionJson === undefined) return;
    const minPosition = positionFromJson(minPositionJson);
    if (!isAfter(minPosition, LOG_START)) return;
    if (await this.applied(model, minPosition)) return;
    // Read from the event store itself, not a cached head: a write just answered on another
    // replica must not be refused here.
    const head = await this.events.headPosition({ fresh: true });
    if (isAfter(minPosition, head)) {
      throw new ValidationProblem([
        {
          field: 'query:minPosition',
          message: `position ${String(minPositionJson)} is beyond the end of the log (${String(positionToJson(head))}); pass the position a write answered`,
        },
      ]);
    }
    if (this.waiting >= this.limits.maxWaiters) throw new TooManyWaiting();
    this.waiting += 1;
    try {
      const deadline = Date.now() + this.limits.waitMs;
      for (;;) {
        const left = deadline - Date.now();
        if (left <= 0) throw new NotYetProjected(model, minPositionJson);
        await this.runner.waitFor(model, minPosition, Math.min(left, 100));
        if (await this.applied(model, minPosition)) return;
      }
    } finally {
      this.waiting -= 1;
    }
  }

  /**
   * Waits until the read model has applied everything the log held when called (its head read
   * fresh): a lookup that missed then knows whether the thing was ever written.
   */
  async caughtUp(model: string): Promise<void> {
    const head = await this.events.headPosition({ fresh: true });
    await this.wait(model, positionToJson(head));
  }

  private async applied(model: string, minPosition: Position): Promise<boolean> {
    const where = await this.collections.of(model);
    return (
      where !== undefined && isAtOrAfter(await this.store.checkpoint(where.collection), minPosition)
    );
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
