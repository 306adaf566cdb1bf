/**
 * Store calls in /metrics (issue #17 item 6): every call through the storage guard is timed by
 * store and operation; failures and stale-revision conflicts are counted apart.
 */
import { Registry } from 'prom-client';
import { guardStorage } from '../../../src/adapters/storage-guard.js';
import { WrongExpectedRevisionError } from '../../../src/event-sourcing/ports/event-store.port.js';
import { StorageHealth } from '../../../src/event-sourcing/storage/storage-health.js';
import { StoreMetrics } from '../../../src/health/store-metrics.js';
import { TEST_CLOCK } from '../../support/http-app.js';

const store = {
  appendToStream(expected: number): Promise<void> {
    return expected === 0
      ? Promise.resolve()
      : Promise.reject(new WrongExpectedRevisionError('organization-1', expected, 0));
  },
  ping(): Promise<void> {
    return Promise.reject(new Error('no answer'));
  },
};

/** A metric's value for the labels, from the registry's text exposition. */
async function value(registry: Registry, line: string): Promise<number> {
  const text = await registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.slice(line.length + 1));
}

describe('StoreMetrics through the storage guard', () => {
  it('times every call, counts failures and conflicts apart', async () => {
    const registry = new Registry();
    const guarded = guardStorage(
      store,
      'event store',
      new StorageHealth(TEST_CLOCK),
      new StoreMetrics(registry),
    );
    await guarded.appendToStream(0);
    await expect(guarded.appendToStream(3)).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    await expect(guarded.ping()).rejects.toThrow('no answer');

    const append = 'store="event store",operation="appendToStream"';
    expect(await value(registry, `registry_store_call_duration_seconds_count{${append}}`)).toBe(2);
    expect(
      await value(
        registry,
        'registry_store_call_duration_seconds_count{store="event store",operation="ping"}',
      ),
    ).toBe(1);
    expect(await value(registry, 'registry_store_conflicts_total{store="event store"}')).toBe(1);
    expect(
      await value(
        registry,
        'registry_store_call_errors_total{store="event store",operation="ping"}',
      ),
    ).toBe(1);
    expect(await value(registry, `registry_store_call_errors_total{${append}}`)).toBe(0);
  });
});
