/**
 * /health makes a round trip to every store (issue #17 item 6): all up on the embedded stores;
 * with the read store, vault and access log on a MongoDB-wire server that stops answering, 503
 * with Retry-After naming each of them, within the probe's timeout; 200 again once it answers,
 * without a restart. /metrics of the stores, the leases and the stream cache.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createGroup, send } from '../support/e2e-kit.js';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import { describeWithServer } from '../support/servers.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';
import { waitUntil } from '../support/wait.js';

const ON_MONGODB = ['read store', 'personal-data vault', 'personal-data access log'];
const STORES = ['event store', 'read store', 'personal-data vault', 'personal-data access log'];

async function health(app: HttpApp): Promise<{ status: number; retryAfter?: string; body: Json }> {
  const res = await app.request('GET', '/health');
  const retryAfter = res.headers.get('retry-after');
  return { status: res.status, ...(retryAfter !== null && { retryAfter }), body: res.body };
}

describe('/health on the embedded stores', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers each store up, with how long its round trip took', async () => {
    const answer = await health(app);
    expect(answer.status).toBe(200);
    expect(answer.body.down).toBeUndefined();
    expect(answer.body.components).toEqual(
      STORES.map((name) => ({ name, up: true, ms: expect.any(Number) })),
    );
  });

  it('shares the round trips among concurrent checks (any number of requests, one ping each)', async () => {
    const answers = await Promise.all(Array.from({ length: 50 }, () => health(app)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const metrics = await app.request('GET', '/metrics');
    const pings =
      /registry_store_call_duration_seconds_count\{store="read store",operation="ping"\} (\d+)/u.exec(
        metrics.text,
      );
    expect(Number(pings?.[1])).toBeLessThanOrEqual(5);
  });
});

describe('/metrics of the stores and leases', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('times the store calls by store and operation, and counts the lease the runner acquired', async () => {
    await app.request('GET', '/health');
    const text = await waitUntil(
      'the runner to take its lease',
      async () => {
        const metrics = (await app.request('GET', '/metrics')).text;
        return /registry_lease_changes_total\{[^}]*change="acquired"\} 1/u.test(metrics)
          ? metrics
          : undefined;
      },
      10_000,
      { pollMs: 100 },
    );
    expect(text).toMatch(/registry_lease_generation\{lease="[^"]+"\} [1-9]/u);
    expect(text).toMatch(
      /registry_store_call_duration_seconds_bucket\{le="[^"]+",store="event store",operation="ping"\}/u,
    );
    expect(text).toContain('registry_store_conflicts_total');
  });
});

describe('/metrics of the stream cache', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ env: { STREAM_CACHE_MB: '1' } });
  });
  afterAll(async () => {
    await app.close();
  });

  const gauge = (text: string, name: string): number =>
    Number(new RegExp(`^${name} (\\S+)$`, 'mu').exec(text)?.[1]);

  it('shows the folded organizations kept, their estimated bytes against the budget, and evictions', async () => {
    const { id } = await createGroup(app);
    expect((await send(app, 'auditor', 'GET', `/organizations/${id}`)).status).toBe(200);
    const text = (await app.request('GET', '/metrics')).text;
    expect(gauge(text, 'registry_stream_cache_budget_bytes')).toBe(1024 * 1024);
    expect(gauge(text, 'registry_stream_cache_entries')).toBeGreaterThanOrEqual(1);
    expect(gauge(text, 'registry_stream_cache_bytes')).toBeGreaterThan(600);
    expect(gauge(text, 'registry_stream_cache_bytes')).toBeLessThanOrEqual(1024 * 1024);
    expect(gauge(text, 'registry_stream_cache_evictions_total')).toBe(0);
  });
});

describeWithServer('mongodb', '/health with MongoDB down', (url) => {
  let proxy: TcpProxy;
  let app: HttpApp;
  let client: MongoClient;
  const dbName = `health_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    const target = new URL(url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 27017));
    app = await startHttpApp({
      env: {
        READ_STORE: 'mongodb',
        MONGODB_URL: `mongodb://${proxy.address}/?directConnection=true&serverSelectionTimeoutMS=1000&connectTimeoutMS=1000`,
        MONGODB_DB: dbName,
      },
    });
    client = new MongoClient(url);
    await client.connect();
  }, 30_000);

  afterAll(async () => {
    await app.close();
    await proxy.close();
    await client.db(dbName).dropDatabase();
    await client.close();
  });

  it('503 with Retry-After naming every store on it, within the timeout; 200 once it answers again', async () => {
    expect((await health(app)).status).toBe(200);
    proxy.cut();
    const down = await waitUntil(
      'the probes to see MongoDB down',
      async () => {
        const started = Date.now();
        const answer = await health(app);
        // Bounded by the probe's timeout, however the server fails.
        expect(Date.now() - started).toBeLessThan(4000);
        const named = (answer.body.down ?? []) as string[];
        return ON_MONGODB.every((name) => named.includes(name)) ? answer : undefined;
      },
      20_000,
      { pollMs: 200 },
    );
    expect(down.retryAfter).toBe('5');
    expect(down.body.status).toBe('storage-unavailable');
    expect(down.status).toBe(503);
    expect(down.body.down).not.toContain('event store');
    // Never the driver's message (host names, ports) on a public route.
    expect(JSON.stringify(down.body.components)).not.toContain(proxy.address);

    proxy.restore();
    const back = await waitUntil(
      'the probes to see MongoDB back',
      async () => {
        const answer = await health(app);
        return answer.status === 200 ? answer : undefined;
      },
      30_000,
      { pollMs: 250 },
    );
    expect((back.body.components as Json[]).every((c) => c.up === true)).toBe(true);
  }, 60_000);
});
