import { positionToJson } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * The gateway's loop without a broker (src/gateway/kafka-gateway.ts), with a publisher that the
 * test controls: the checkpoint moves only after the publisher resolved, a failed batch is sent
 * again whole (same ce_ids), name reservations are not published, and the backoff while the
 * broker is away holds even when appends keep arriving (they used to cut it short).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { GATEWAY_CHECKPOINT, KafkaGateway } from '../../src/gateway/kafka-gateway.js';
import type { OutgoingMessage, Publisher } from '../../src/event-sourcing/ports/publisher.port.js';
import { sleep, waitUntil } from '../support/wait.js';

class ScriptedPublisher implements Publisher {
  readonly batches: OutgoingMessage[][] = [];
  attempts = 0;
  fail = false;
  /** When set, publish waits for it (a slow broker). */
  hold: Promise<void> | undefined;

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.attempts += 1;
    if (this.hold) await this.hold;
    if (this.fail) throw new Error('broker away');
    this.batches.push([...messages]);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  get ids(): string[] {
    return this.batches.flat().map((m) => m.headers.ce_id ?? '');
  }
}

describe('the Kafka gateway loop (scripted publisher)', () => {
  let dir: string;
  let events: SqliteEventStore;
  let reads: SqliteReadStore;
  let gateway: KafkaGateway | undefined;
  const organization = randomUUID();
  let revision = -1;

  const append = async (streamId = `organization-${organization}`): Promise<string> => {
    const id = randomUUID();
    const expected = streamId === `organization-${organization}` ? revision : 'any';
    await events.appendToStream(
      streamId,
      [
        {
          id,
          type: 'OrganizationDissolved',
          data: { organizationId: organization, reason: '测试', dissolvedOn: '2025-01-01' },
          metadata: { schemaVersion: 1, recordedAt: new Date().toISOString() },
        },
      ],
      expected,
    );
    if (expected !== 'any') revision += 1;
    return id;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-loop-'));
    events = SqliteEventStore.open(join(dir, 'events.sqlite'), { synchronous: 'NORMAL' });
    reads = SqliteReadStore.open(join(dir, 'reads.sqlite'), { synchronous: 'NORMAL' });
    revision = -1;
  });

  afterEach(async () => {
    await gateway?.stop();
    gateway = undefined;
    await events.close();
    await reads.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the checkpoint only once the publisher resolved', async () => {
    const publisher = new ScriptedPublisher();
    let release = (): void => undefined;
    publisher.hold = new Promise<void>((resolve) => (release = resolve));
    await append();
    await append();
    gateway = new KafkaGateway(events, reads, publisher, { idleMs: 20 });
    gateway.start();
    await waitUntil('a publish attempt', () => publisher.attempts > 0, 5000, { pollMs: 5 });
    await sleep(100);
    expect(await reads.checkpoint(GATEWAY_CHECKPOINT)).toBe(0);
    expect(gateway.status()).toMatchObject({ checkpoint: 0, lag: 2 });
    release();
    await waitUntil(
      'the checkpoint',
      async () => positionToJson(await reads.checkpoint(GATEWAY_CHECKPOINT)) === 2,
      5000,
    );
    expect(gateway.status()).toMatchObject({ checkpoint: 2, lag: 0, connected: true });
  });

  it('sends a failed batch again whole, and skips the reservations of unique values', async () => {
    const publisher = new ScriptedPublisher();
    publisher.fail = true;
    const a = await append();
    await append('organization-name-310104-测试'); // a name reservation of an older store
    await append('unique-uscc-310000-0123456789abcdef0123456789abcdef');
    const b = await append();
    const errors: unknown[] = [];
    gateway = new KafkaGateway(events, reads, publisher, {
      idleMs: 20,
      minBackoffMs: 20,
      maxBackoffMs: 40,
      onError: (e) => errors.push(e),
    });
    gateway.start();
    await waitUntil('two failed attempts', () => publisher.attempts >= 2, 5000, { pollMs: 5 });
    expect(gateway.status()).toMatchObject({ connected: false, lastError: 'broker away', lag: 4 });
    publisher.fail = false;
    await waitUntil('the checkpoint', () => gateway?.status().checkpoint === 4, 5000, {
      pollMs: 5,
    });
    expect(publisher.ids).toEqual([a, b]);
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps backing off while the broker is away, even while appends keep arriving', async () => {
    const publisher = new ScriptedPublisher();
    publisher.fail = true;
    await append();
    gateway = new KafkaGateway(events, reads, publisher, {
      idleMs: 20,
      minBackoffMs: 300,
      maxBackoffMs: 300,
    });
    gateway.start();
    // Writes go on, one every 10 ms, for one second: each append signals the gateway.
    const until = Date.now() + 1000;
    while (Date.now() < until) {
      await append();
      await sleep(10);
    }
    // 1 s / 300 ms of backoff: about 4 attempts, not one per append.
    expect(publisher.attempts).toBeLessThanOrEqual(6);
    expect(publisher.attempts).toBeGreaterThanOrEqual(2);
  });

  it('stops promptly in the middle of a backoff', async () => {
    const publisher = new ScriptedPublisher();
    publisher.fail = true;
    await append();
    gateway = new KafkaGateway(events, reads, publisher, { minBackoffMs: 30_000 });
    gateway.start();
    await waitUntil('a failed attempt', () => publisher.attempts > 0, 5000, { pollMs: 5 });
    const started = Date.now();
    await gateway.stop();
    gateway = undefined;
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
