import { LOG_START } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * A broker outage in the middle of a burst of writes (issue #5). The broker is a second one of
 * this test's own (support/second-broker.ts), so stopping it leaves the shared broker alone. The
 * gateway runs in this process beside the writer, as in the server, with a short backoff:
 *
 *   writes … broker stops … writes go on (fast, none refused) … broker back … writes go on
 *
 * Afterwards every event is on the topic, in each organization's order; an event may appear
 * twice only as the identical record (same ce_id).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaPublisher } from '../../src/adapters/kafka/kafka-publisher.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { isIntegrationEvent } from '../../src/gateway/integration-event.js';
import { KafkaGateway, type GatewayStatus } from '../../src/gateway/kafka-gateway.js';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import { ContractValidator } from './support/contract.js';
import {
  copiesById,
  describeWithKafka,
  orderProblems,
  readWholeTopic,
  uniqueTopic,
  type ReadMessage,
} from './support/kafka.js';
import { sleep, waitUntil } from '../support/wait.js';
import { SecondBroker } from './support/second-broker.js';
import { openWorkloadTarget, runWorkload, type WorkloadTarget } from './support/workload.js';

describeWithKafka('the gateway through a broker outage (a broker of its own)', () => {
  const topic = uniqueTopic('outage');
  let broker: SecondBroker | undefined;
  let dataDir: string | undefined;
  let target: WorkloadTarget | undefined;
  let reads: SqliteReadStore | undefined;
  let gateway: KafkaGateway | undefined;
  const errors: string[] = [];
  /** Each write: when it was answered and how long it took (ms). */
  const writes: { at: number; ms: number }[] = [];
  let down = { from: Infinity, to: -Infinity };
  let statusWhileDown: GatewayStatus | undefined;
  /** Commands the burst sent (each one answered, none refused). */
  let commands = 0;
  let published: RecordedEvent[];
  let messages: ReadMessage[];

  beforeAll(async () => {
    const ownBroker = await SecondBroker.start();
    broker = ownBroker;
    dataDir = mkdtempSync(join(tmpdir(), 'gateway-outage-'));
    target = openWorkloadTarget(dataDir);
    reads = SqliteReadStore.open(join(dataDir, 'read-models.sqlite'));
    const gw = new KafkaGateway(
      target.store,
      reads,
      KafkaPublisher.create({ brokers: ownBroker.brokers, topic, clientId: 'gateway-outage-test' }),
      {
        minBackoffMs: 100,
        maxBackoffMs: 1000,
        onError: (error) => errors.push(error instanceof Error ? error.message : String(error)),
      },
    );
    gateway = gw;
    gw.start();

    // The burst, paced, with the outage in its middle: after 40 writes the broker stops while
    // the writes go on; at the 150th the script waits for the broker to be down (if it is not
    // yet), and the rest of the burst is written while it is away and while it restarts.
    let done = 0;
    let brokerDown = false;
    const writing = runWorkload(target.writer, {
      afterCommand: async (count) => {
        done = count;
        if (count === 150) await waitUntil('the broker to be down', () => brokerDown, 30_000);
        await sleep(25);
      },
      onLatency: (ms) => writes.push({ at: Date.now(), ms }),
    });
    const outage = (async () => {
      await waitUntil('40 writes', () => done >= 40, 30_000);
      await ownBroker.stop();
      down = { from: Date.now(), to: Infinity };
      brokerDown = true;
      await waitUntil('the gateway to see the broker gone', () => !gw.status().connected, 30_000);
      statusWhileDown = gw.status();
      await ownBroker.restart();
      down = { ...down, to: Date.now() };
    })();

    const [burst] = await Promise.all([writing, outage]);
    // And writes after the broker is back.
    const after = await runWorkload(target.writer, {
      organizations: 2,
      first: 20,
      onLatency: (ms) => writes.push({ at: Date.now(), ms }),
    });
    commands = burst.commands + after.commands;
    const events: RecordedEvent[] = [];
    for (;;) {
      const page = await target.store.readAll({
        fromPosition: events.at(-1)?.position ?? LOG_START,
        maxCount: 1000,
      });
      if (page.length === 0) break;
      events.push(...page);
    }
    published = events.filter(isIntegrationEvent);
    const head = events.at(-1)?.position ?? 0;
    await waitUntil('the gateway to catch up', () => gw.status().checkpoint === head, 45_000);
    messages = await readWholeTopic(ownBroker.brokers, topic);
  }, 180_000);

  afterAll(async () => {
    await gateway?.stop();
    await reads?.close();
    await target?.close();
    await broker?.destroy();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('noticed the outage: publishing failed while the broker was away', () => {
    expect(errors.length).toBeGreaterThan(0);
    expect(statusWhileDown).toMatchObject({ connected: false });
    expect(statusWhileDown?.lag).toBeGreaterThan(0);
    expect(statusWhileDown?.lastError).toEqual(expect.any(String));
  });

  it('kept writing while the broker was away: every write succeeded, none waited on Kafka', () => {
    expect(writes).toHaveLength(commands);
    expect(commands).toBeGreaterThan(220);
    const duringOutage = writes.filter((w) => w.at >= down.from && w.at <= down.to);
    expect(duringOutage.length).toBeGreaterThanOrEqual(20);
    // A write is a local SQLite transaction: milliseconds, broker or not. One that waited on
    // Kafka would take a whole publish attempt (connection timeout 1 s, 3 retries with backoff:
    // over 4 s); a busy CI machine may pause one write for a fraction of a second, not that.
    const ms = duringOutage.map((w) => w.ms).sort((a, b) => a - b);
    expect(ms[Math.floor(ms.length / 2)]).toBeLessThan(100);
    expect(ms.at(-1)).toBeLessThan(3_000);
  });

  it('delivered every event afterwards, in order; repeats only as identical records', () => {
    const ids = new Set(messages.map((m) => m.headers.ce_id));
    expect(published.filter((e) => !ids.has(e.id)).map((e) => e.position)).toEqual([]);
    expect(ids.size).toBe(published.length);
    expect(orderProblems(messages)).toEqual([]);
    const repeated = [...copiesById(messages).values()].filter((n) => n > 1).length;
    if (repeated > 0) console.log(`${repeated} events were delivered twice (identical records)`);
  });

  it('delivered only messages that follow the contract', () => {
    const contract = new ContractValidator();
    const failures = messages
      .map((m) => ({ ce_type: m.headers.ce_type, problems: contract.problems(m) }))
      .filter((r) => r.problems.length > 0);
    expect(failures.slice(0, 5)).toEqual([]);
  });
});
