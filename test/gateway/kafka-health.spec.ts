/**
 * The gateway's health is a real round trip to the broker: with nothing to publish it asks the
 * cluster for its metadata (a short timeout), so `connected` is true against a live broker and
 * false, with the reason and `status: degraded`, against one that is unreachable or silent —
 * not the memory of an empty batch.
 */
import { createServer } from 'node:net';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import { waitUntil } from '../support/wait.js';
import { describeWithKafka, uniqueTopic } from './support/kafka.js';
import { startSilentBroker, type SilentBroker } from './support/silent-broker.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `127.0.0.1:${String(address.port)}`;
}

async function gatewayHealth(app: HttpApp): Promise<{ status: number; body: Json }> {
  const res = await app.request('GET', '/health');
  return { status: res.status, body: res.body };
}

describe('a broker that does not answer', () => {
  let app: HttpApp | undefined;
  let silent: SilentBroker | undefined;

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await silent?.close();
    silent = undefined;
  });

  it.each([
    ['unreachable (nothing listens)', async () => closedPort()],
    [
      'silent (accepts, never answers)',
      async () => {
        silent = await startSilentBroker();
        return silent.address;
      },
    ],
  ])(
    '%s: the gateway is not connected and /health says degraded (503 naming kafka)',
    async (_name, broker) => {
      const started = await startHttpApp({
        env: { PUBLISHER: 'kafka', KAFKA_BROKERS: await broker(), KAFKA_TOPIC: uniqueTopic('h') },
      });
      app = started;
      const health = await waitUntil(
        'the probe to fail',
        async () => {
          const h = await gatewayHealth(started);
          return h.body.gateway?.lastError !== undefined ? h : undefined;
        },
        15_000,
        { pollMs: 100 },
      );
      expect(health.status).toBe(503);
      expect(health.body.status).toBe('degraded');
      expect(health.body.down).toEqual(['kafka']);
      expect(health.body.gateway).toMatchObject({
        role: 'leader',
        connected: false,
        lastError: expect.any(String),
      });
    },
    30_000,
  );
});

describeWithKafka('a live broker', (brokers) => {
  let app: HttpApp | undefined;

  afterAll(async () => {
    await app?.close();
  });

  it('is connected with nothing published: the probe reached it', async () => {
    const started = await startHttpApp({
      env: {
        PUBLISHER: 'kafka',
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_TOPIC: uniqueTopic('health'),
      },
    });
    app = started;
    const health = await waitUntil(
      'the gateway to be connected',
      async () => {
        const h = await gatewayHealth(started);
        return h.body.gateway?.connected === true ? h : undefined;
      },
      15_000,
      { pollMs: 100 },
    );
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    expect(health.body.gateway).not.toHaveProperty('lastError');
    expect(health.body.eventStore.headPosition).toBe(0);
  }, 30_000);
});
