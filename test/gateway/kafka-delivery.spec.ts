import { LOG_START, positionToJson } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * The Kafka gateway against a real broker (issue #5): the compiled server runs with
 * PUBLISHER=kafka on a fresh DATA_DIR and its own topic; a burst of writes through the real
 * command path (about 225 events over 20 organizations, every event type, personal data in
 * contacts and founders) must come out on the topic exactly once, in each organization's order,
 * following the shipped contract, without a trace of personal data. The consumer CLI and the
 * plain-JS example then read the same topic.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { isIntegrationEvent, publishedVersion } from '../../src/gateway/integration-event.js';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import { ContractValidator } from './support/contract.js';
import { spawnGatewayServer, type GatewayServer } from './support/gateway-server.js';
import {
  copiesById,
  deleteTopic,
  describeWithKafka,
  orderProblems,
  readWholeTopic,
  topicRecordCount,
  uniqueTopic,
  type ReadMessage,
} from './support/kafka.js';
import { waitUntil } from '../support/wait.js';
import {
  ALL_PERSONAL_VALUES,
  openWorkloadTarget,
  runWorkload,
  type WorkloadTarget,
} from './support/workload.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function allEvents(target: WorkloadTarget): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for (;;) {
    const page = await target.store.readAll({
      fromPosition: events.at(-1)?.position ?? LOG_START,
      maxCount: 1000,
    });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

describeWithKafka('the Kafka gateway of the running server (real broker)', (brokers) => {
  const topic = uniqueTopic('delivery');
  let dataDir: string;
  let server: GatewayServer | undefined;
  let target: WorkloadTarget | undefined;
  /** Every stored event, and those of organization streams (the integration events). */
  let stored: RecordedEvent[];
  let published: RecordedEvent[];
  let messages: ReadMessage[];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-delivery-'));
    server = await spawnGatewayServer({ dataDir, brokers, topic });
    await server.ready;
    target = openWorkloadTarget(dataDir);
    await runWorkload(target.writer);
    stored = await allEvents(target);
    published = stored.filter(isIntegrationEvent);
    const head = stored.at(-1)?.position ?? 0;
    const running = server;
    await waitUntil(
      'the gateway to publish up to the head',
      async () => (await running.get('/health')).body.gateway?.checkpoint === head,
      30_000,
      { pollMs: 50 },
    );
    messages = await readWholeTopic(brokers, topic);
  }, 90_000);

  afterAll(async () => {
    await server?.stop();
    await target?.close();
    await deleteTopic(brokers, topic);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('publishes every event of the organization streams once, and nothing else', async () => {
    expect(published.length).toBeGreaterThanOrEqual(200);
    expect(new Set(published.map((e) => e.streamId)).size).toBe(20);
    const reservations = stored.filter((e) => e.streamId.startsWith('unique-'));
    expect(reservations.length).toBeGreaterThan(0);

    const ids = new Set(messages.map((m) => m.headers.ce_id));
    expect([...ids].sort()).toEqual(published.map((e) => e.id).sort());
    for (const e of reservations) expect(ids.has(e.id)).toBe(false);
    // Without a fault nothing is sent twice: the topic holds exactly one record per event.
    expect([...copiesById(messages).values()].every((n) => n === 1)).toBe(true);
    expect(await topicRecordCount(brokers, topic)).toBe(published.length);
  });

  it("keeps each organization's order: key = subject = stream, revisions 0, 1, 2, … per key", () => {
    expect(orderProblems(messages)).toEqual([]);
    const byId = new Map(published.map((e) => [e.id, e]));
    const lastPosition = new Map<string, number>();
    for (const m of [...messages].sort((a, b) => Number(a.offset) - Number(b.offset))) {
      const event = byId.get(m.headers.ce_id ?? '');
      expect(event).toBeDefined();
      expect(`organization-${m.key ?? ''}`).toBe(event?.streamId);
      expect(m.headers.ce_subject).toBe(m.key);
      expect(Number(m.headers.revision)).toBe(event?.revision);
      expect(Number(m.headers.position)).toBe(event?.position);
      const key = `${m.partition}/${m.key ?? ''}`;
      expect(Number(m.headers.position)).toBeGreaterThan(lastPosition.get(key) ?? 0);
      lastPosition.set(key, Number(m.headers.position));
    }
  });

  it('sends only messages that follow the contract (AsyncAPI headers and key, JSON Schema value)', () => {
    const contract = new ContractValidator();
    const failures = messages
      .map((m) => ({ ce_type: m.headers.ce_type, problems: contract.problems(m) }))
      .filter((r) => r.problems.length > 0);
    expect(failures.slice(0, 5)).toEqual([]);
    // Every event type of the contract was exercised.
    expect([...new Set(messages.map((m) => m.headers.ce_type))].sort()).toEqual(
      contract.types.sort(),
    );
    const byId = new Map(published.map((e) => [e.id, e]));
    for (const m of messages) {
      const event = byId.get(m.headers.ce_id ?? '');
      // The published version of the type's public value (OrganizationRegistered is stored as
      // v3, with sealed names that are never published, and keeps its v2 contract).
      expect(m.headers.ce_type).toBe(
        `cn.shanghai.community-orgs.${event?.type ?? ''}.v${String(publishedVersion(event?.type ?? ''))}`,
      );
      expect(m.headers.ce_time).toBe(event?.metadata.recordedAt);
      expect(new Date(m.headers.ce_time ?? '').toISOString()).toBe(m.headers.ce_time);
    }
  });

  it('carries no personal data in any key, value or header', () => {
    // The check means something: the stored events do hold founders' names (the contacts are
    // stored encrypted, so their plaintext is nowhere in the log).
    const storedText = JSON.stringify(stored.map((e) => e.data));
    expect(storedText).toContain(ALL_PERSONAL_VALUES.at(-1));
    expect(storedText).toContain('ciphertext');
    for (const m of messages) {
      const wire = [m.key, m.value, ...Object.keys(m.headers), ...Object.values(m.headers)].join(
        '\n',
      );
      for (const secret of ALL_PERSONAL_VALUES) expect(wire).not.toContain(secret);
      expect(wire).not.toMatch(/"contact"|ciphertext|"name":"[^"]*测试"/);
      const value = JSON.parse(m.value ?? '{}') as { founders?: object[] };
      for (const founder of value.founders ?? []) expect(Object.keys(founder)).toEqual(['kind']);
    }
  });

  it('shows the gateway caught up on /health (lag 0) and on /metrics', async () => {
    const running = server;
    if (!running) throw new Error('no server');
    const health = await running.get('/health');
    expect(health.status).toBe(200);
    expect(health.body.gateway).toMatchObject({
      checkpoint: stored.at(-1)?.position,
      lag: 0,
      connected: true,
    });
    expect(health.body.gateway).not.toHaveProperty('lastError');
    await waitUntil(
      'registry_gateway_lag_events 0 on /metrics',
      async () => /^registry_gateway_lag_events 0$/m.test((await running.get('/metrics')).text),
      5000,
      { pollMs: 50 },
    );
    const metrics = await running.get('/metrics');
    expect(metrics.text).toMatch(/^# TYPE registry_gateway_lag_events gauge$/m);
  });

  it('npm run consume and examples/consumer.mjs print each event once and stop on Ctrl-C', async () => {
    // A redelivery (the same record again) followed, on the same key (so the same partition), by
    // one more record: once every line is printed, the redelivery was read too, and skipped.
    const original = messages[0];
    if (!original) throw new Error('nothing read');
    const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const sentinel = randomUUID();
    await producer.send({
      topic,
      messages: [
        { key: original.key, value: original.value, headers: original.headers },
        {
          key: original.key,
          value: '{}',
          headers: { ...original.headers, ce_id: sentinel, position: '999999999' },
        },
      ],
    });
    await producer.disconnect();

    const env = { ...process.env, KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC: topic };
    const run = (file: string) =>
      spawn(process.execPath, [file, '--from-beginning'], { cwd: ROOT, env });
    const consumers = [
      run(join(ROOT, 'dist', 'src', 'cli', 'consume.js')),
      run(join(ROOT, 'examples', 'consumer.mjs')),
    ];
    try {
      const results = await Promise.all(
        consumers.map((child) => untilLinesThenInterrupt(child, published.length + 1, 30_000)),
      );
      for (const { code, stdout, stderr } of results) {
        expect({ code, stderr }).toMatchObject({
          code: 0,
          stderr: expect.stringMatching(/1 redeliveries skipped/),
        });
        const lines = stdout.trim().split('\n');
        expect(lines).toHaveLength(published.length + 1);
        const positions = lines.map((line) => line.trim().split(/\s+/)[0]);
        expect(positions.sort()).toEqual(
          [...published.map((e) => String(positionToJson(e.position))), '999999999'].sort(),
        );
        for (const line of lines.filter((l) => !l.includes('999999999'))) {
          expect(line).toMatch(
            /^\s*\d+ {2}cn\.shanghai\.community-orgs\.[A-Za-z]+\.v\d+ {2}[0-9a-f-]{36} {2}\S.*$/,
          );
        }
      }
    } finally {
      for (const child of consumers) if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});

/** Waits for `count` lines on stdout, sends SIGINT, and answers how the process ended. */
function untilLinesThenInterrupt(
  child: ChildProcessWithoutNullStreams,
  count: number,
  timeoutMs: number,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let interrupted = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not ${count} lines in ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!interrupted && stdout.split('\n').length > count) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
