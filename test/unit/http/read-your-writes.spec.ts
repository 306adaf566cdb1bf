import type { EventStore } from '../../../src/event-sourcing/ports/event-store.port.js';
import type { ReadStore } from '../../../src/event-sourcing/ports/read-store.port.js';
import type { ProjectionRunner } from '../../../src/event-sourcing/projection/projection-runner.js';
import type { ReadModelCollections } from '../../../src/event-sourcing/projection/read-model-collections.js';
import { toProblem } from '../../../src/http/problem-details.filter.js';
import { ReadYourWrites } from '../../../src/http/read-guards.js';

/** A log at `head` whose read model has applied `applied` (both movable by the test). */
function world(head: number, applied: number) {
  const state = { head, applied, headReads: 0 };
  const runner = {
    waitFor: (_model: string, _position: number, ms: number) =>
      new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, 10))),
  } as unknown as ProjectionRunner;
  const collections = {
    of: () => Promise.resolve({ collection: 'registry_v1', rollups: 'registry_v1_rollups' }),
  } as unknown as ReadModelCollections;
  const store = { checkpoint: () => Promise.resolve(state.applied) } as unknown as ReadStore;
  const events = {
    headPosition: () => {
      state.headReads += 1;
      return Promise.resolve(state.head);
    },
  } as unknown as EventStore;
  return { state, runner, collections, store, events };
}

const status = (error: unknown): number => toProblem(error).status;

describe('read your writes', () => {
  it('returns at once when the read model has applied the position, without reading the head', async () => {
    const w = world(10, 10);
    const guard = new ReadYourWrites(w.runner, w.collections, w.store, w.events);
    await guard.wait('registry', 10);
    expect(w.state.headReads).toBe(0);
  });

  it('refuses a position beyond the head at once with 400 naming minPosition', async () => {
    const w = world(10, 10);
    const guard = new ReadYourWrites(w.runner, w.collections, w.store, w.events);
    const started = Date.now();
    const error = await guard.wait('registry', 11).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(100);
    expect(toProblem(error)).toMatchObject({
      status: 400,
      errors: [{ field: 'query:minPosition' }],
    });
  });

  it('waits for a position at or below the head and returns once it is applied', async () => {
    const w = world(12, 10);
    const guard = new ReadYourWrites(w.runner, w.collections, w.store, w.events);
    setTimeout(() => {
      w.state.applied = 12;
    }, 30);
    await guard.wait('registry', 12);
  });

  it('answers 503 with Retry-After when the position is not applied in time', async () => {
    const w = world(12, 10);
    const guard = new ReadYourWrites(w.runner, w.collections, w.store, w.events, {
      waitMs: 50,
      maxWaiters: 10,
    });
    const error = await guard.wait('registry', 12).catch((e: unknown) => e);
    expect(status(error)).toBe(503);
    expect((error as { retryAfterSeconds?: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });

  it('refuses waiters beyond the cap with 503 at once, and takes new ones when they finish', async () => {
    const w = world(12, 10);
    const guard = new ReadYourWrites(w.runner, w.collections, w.store, w.events, {
      waitMs: 200,
      maxWaiters: 2,
    });
    const first = guard.wait('registry', 12).catch((e: unknown) => e);
    const second = guard.wait('registry', 12).catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const third = await guard.wait('registry', 12).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(100);
    expect(status(third)).toBe(503);
    expect((third as Error).message).toMatch(/Too many reads/);
    w.state.applied = 12;
    expect(await first).toBeUndefined();
    expect(await second).toBeUndefined();
    await guard.wait('registry', 12);
  });
});
