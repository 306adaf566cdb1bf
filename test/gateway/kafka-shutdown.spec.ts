/**
 * Shutdown is bounded whatever the broker does: against a broker that accepts connections and
 * never answers, the compiled server publishing to it stops within 5 s of SIGTERM (kafkajs'
 * own waits are 30 s per request), and meanwhile /health says the broker does not answer.
 * Needs `npm run build` (dist/src/main.js); no Kafka.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupBody } from '../support/e2e-kit.js';
import { ACTORS } from '../support/fixtures.js';
import { httpRequest, signTestToken, type Json } from '../support/http-app.js';
import {
  requireCompiledServer,
  spawnServer,
  type SpawnedServer,
} from '../support/spawned-server.js';
import { sleep, waitUntil } from '../support/wait.js';
import { startSilentBroker, type SilentBroker } from './support/silent-broker.js';

let broker: SilentBroker;
let server: SpawnedServer | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'community-orgs-kafka-stop-'));

/** A /health answer naming the broker, and nothing else, as down. */
function onlyKafkaDown(body: Json): boolean {
  const down: unknown = body?.down;
  return Array.isArray(down) && down.length > 0 && down.every((name) => name === 'kafka');
}

beforeAll(async () => {
  requireCompiledServer();
  broker = await startSilentBroker();
});

afterAll(async () => {
  await server?.kill();
  await broker.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('stops within 5 s of SIGTERM while the gateway waits on a broker that never answers', async () => {
  const started = await spawnServer({
    dataDir,
    env: { PUBLISHER: 'kafka', KAFKA_BROKERS: broker.address, LEASE_SECONDS: '3' },
    stopGraceMs: 30_000,
    // Started: answering /health, which says only the broker is down.
    isReady: (health) =>
      health.status === 200 || (health.status === 503 && onlyKafkaDown(health.body)),
  });
  server = started;
  await started.ready;
  const committee = ACTORS.shanghaiXincunCommittee;
  const token = await signTestToken(committee.role, committee.jurisdiction, { sub: committee.id });
  const written = await httpRequest(started.baseUrl, 'POST', '/organizations', {
    token,
    body: groupBody(),
  });
  expect(written.status).toBe(201);
  // The gateway is in a round, waiting on the silent broker.
  await waitUntil('the gateway to reach the broker', () => broker.connections() > 0, 10_000);
  await sleep(500);
  const health = await httpRequest(started.baseUrl, 'GET', '/health');
  expect(health.status).toBe(503);
  expect(health.body.down).toEqual(['kafka']);
  expect(health.body.gateway).toMatchObject({ connected: false, lag: expect.any(Number) });
  expect(health.body.gateway.lag).toBeGreaterThan(0);

  const sent = Date.now();
  await started.stop();
  const took = Date.now() - sent;
  expect({ took, output: took <= 5000 ? '' : started.output() }).toEqual({
    took: expect.any(Number),
    output: '',
  });
  expect(took).toBeLessThanOrEqual(5000);
}, 60_000);
