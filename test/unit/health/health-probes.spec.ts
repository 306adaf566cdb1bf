/**
 * The round trips behind /health (issue #17 item 6): all components at once, each bounded by the
 * timeout, failures named by their storage problem (never the driver's message), concurrent
 * checks sharing one round trip, and an answer reused for a moment.
 */
import { HealthProbes, type ProbedComponent } from '../../../src/health/health-probes.js';
import { StorageUnavailable } from '../../../src/event-sourcing/storage/storage-unavailable.js';

/** A component whose pings are counted and answered as told. */
function component(name: string, answer: () => Promise<void> = () => Promise.resolve()) {
  const counted = { pings: 0 };
  const probed: ProbedComponent = {
    name,
    ping: () => {
      counted.pings += 1;
      return answer();
    },
  };
  return { probed, counted };
}

const never = (): Promise<void> => new Promise(() => undefined);

describe('HealthProbes', () => {
  it('answers each component up or down: timeout, storage problem, or plain error', async () => {
    const up = component('event store');
    const hung = component('read store', never);
    const full = component('personal-data vault', () =>
      Promise.reject(new StorageUnavailable('full', 'SQLITE_FULL: database or disk is full')),
    );
    const broken = component('personal-data access log', () =>
      Promise.reject(new Error('connect ECONNREFUSED 10.0.0.7:27017')),
    );
    const probes = new HealthProbes([up.probed, hung.probed, full.probed, broken.probed], {
      timeoutMs: 50,
      reuseMs: 0,
    });
    const started = Date.now();
    const answer = await probes.check();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(answer).toEqual([
      { name: 'event store', up: true, ms: expect.any(Number) },
      { name: 'read store', up: false, ms: expect.any(Number), problem: 'timeout' },
      { name: 'personal-data vault', up: false, ms: expect.any(Number), problem: 'full' },
      { name: 'personal-data access log', up: false, ms: expect.any(Number), problem: 'error' },
    ]);
    expect(JSON.stringify(answer)).not.toContain('10.0.0.7');
  });

  it('shares a check in flight among concurrent callers, and reuses its answer for reuseMs', async () => {
    let release: () => void = () => undefined;
    const slow = component(
      'event store',
      () => new Promise<void>((resolve) => (release = resolve)),
    );
    const probes = new HealthProbes([slow.probed], { timeoutMs: 5000, reuseMs: 60_000 });
    const checks = Array.from({ length: 100 }, () => probes.check());
    release();
    const answers = await Promise.all(checks);
    expect(new Set(answers).size).toBe(1);
    await probes.check();
    expect(slow.counted.pings).toBe(1);
  });

  it('asks again once the answer is older than reuseMs', async () => {
    const store = component('event store');
    const probes = new HealthProbes([store.probed], { timeoutMs: 1000, reuseMs: 0 });
    await probes.check();
    await probes.check();
    expect(store.counted.pings).toBe(2);
  });
});
