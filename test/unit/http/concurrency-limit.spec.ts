import { toProblem } from '../../../src/http/problem-details.filter.js';
import { Busy, ConcurrencyLimit } from '../../../src/http/concurrency-limit.js';

describe('a limit on heavy answers running at once', () => {
  it('refuses the one beyond the limit with 503 and Retry-After, and frees the slot when work ends', async () => {
    const limit = new ConcurrencyLimit('exports', 2, 5);
    let finish = (): void => undefined;
    const slow = limit.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const held = limit.acquire();
    const refused = await limit.run(() => Promise.resolve('ran')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Busy);
    expect(toProblem(refused).status).toBe(503);
    expect((refused as Busy).retryAfterSeconds).toBe(5);
    finish();
    await slow;
    expect(await limit.run(() => Promise.resolve('ran'))).toBe('ran');
    held();
    held(); // a second release of the same slot gives nothing back twice
    const a = limit.acquire();
    const b = limit.acquire();
    expect(() => limit.acquire()).toThrow(Busy);
    a();
    b();
  });

  it('frees the slot when the work fails', async () => {
    const limit = new ConcurrencyLimit('verifications', 1, 10);
    await expect(limit.run(() => Promise.reject(new Error('disk')))).rejects.toThrow('disk');
    expect(await limit.run(() => Promise.resolve(1))).toBe(1);
  });
});
