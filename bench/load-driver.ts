/**
 * The HTTP load generator, run as its own process (`node dist/bench/load-driver.js '<json>'`) so
 * that generating load does not share an event loop with the server it measures. Drives autocannon
 * against one route and prints one JSON line: rate, latency percentiles, status counts.
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

export interface LoadPlan {
  readonly url: string;
  readonly kind: 'live' | 'register';
  readonly connections: number;
  readonly seconds: number;
  /** For writes: a bearer token of the committee that registers the groups. */
  readonly token?: string;
  /** For writes: where the groups are registered. */
  readonly place?: { district: string; street: string; community: string };
}

export interface LoadResult {
  readonly requests: number;
  readonly perSecond: number;
  /** Latency percentiles in ms (autocannon's histogram, whole milliseconds). */
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCodes: Record<string, number>;
  /** The first non-2xx answer, for the error message. */
  readonly firstRefusal: string | undefined;
}

async function main(): Promise<void> {
  const plan = JSON.parse(process.argv[2] ?? '{}') as LoadPlan;
  let firstRefusal: string | undefined;
  const onResponse = (status: number, body: string): void => {
    if (status >= 300) firstRefusal ??= `${String(status)} ${body.slice(0, 400)}`;
  };
  // Every registration distinct: a fresh name (unique in its district) and Idempotency-Key.
  const run = randomUUID().slice(0, 8);
  let n = 0;
  const request: autocannon.Request =
    plan.kind === 'live'
      ? { method: 'GET', path: '/health/live', onResponse }
      : {
          method: 'POST',
          onResponse,
          path: '/organizations',
          setupRequest: (req) => {
            n += 1;
            return {
              ...req,
              headers: {
                ...req.headers,
                'content-type': 'application/json',
                authorization: `Bearer ${plan.token ?? ''}`,
                'idempotency-key': `bench-${run}-${String(n)}`,
              },
              body: JSON.stringify({
                name: `压测书画小组${run}第${String(n)}号`,
                category: 'culture-sports',
                tier: 'group',
                districtCode: plan.place?.district,
                streetCode: plan.place?.street,
                communityCode: plan.place?.community,
                foundedOn: '2024-03-01',
                founders: [{ kind: 'resident', name: '王阿姨' }],
                contact: { name: '王阿姨', phone: '13812345678' },
              }),
            };
          },
        };
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.seconds,
    requests: [request],
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stats.count ?? 0;
  const answered = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  const output: LoadResult = {
    requests: answered,
    perSecond: result['2xx'] / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    firstRefusal,
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
