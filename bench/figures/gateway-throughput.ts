import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaPublisher } from '../../src/adapters/kafka/kafka-publisher.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqliteReadStore } from '../../src/adapters/sqlite/sqlite-read-store.js';
import { isIntegrationEvent, toIntegrationMessage } from '../../src/gateway/integration-event.js';
import { GATEWAY_CHECKPOINT, KafkaGateway } from '../../src/gateway/kafka-gateway.js';
import {
  isAfter,
  isAtOrAfter,
  LOG_START,
} from '../../src/event-sourcing/ports/event-store.port.js';
import type { BenchOptions, Figure } from '../figure.js';

/** The most events either side publishes. */
const WINDOW = 60_000;

/**
 * The Kafka gateway: events per second from the stored log to acknowledged Kafka writes, beside
 * a bare idempotent kafkajs producer sending the same messages in batches of the same size.
 * Needs a broker (KAFKA_BROKERS, e.g. from `npm run services -- start kafka`). On a large dataset
 * both publish only the last WINDOW events (the gateway starts from a checkpoint just before
 * them), which keeps the run to about a minute and the messages held in memory bounded.
 */
export async function gatewayThroughput({ workDir, dataset }: BenchOptions): Promise<Figure[]> {
  const brokers = process.env['KAFKA_BROKERS'];
  if (!brokers) {
    process.stderr.write(
      'gateway throughput: KAFKA_BROKERS is not set, figure left out (npm run services -- start kafka)\n',
    );
    return [];
  }
  const events = SqliteEventStore.open(join(dataset, 'events.sqlite'));
  const head = await events.headPosition();
  // The last WINDOW events: the one before them is where the gateway starts.
  const window = await events.readAll({ direction: 'backwards', maxCount: WINDOW + 1 });
  const from = window.length > WINDOW ? (window.at(-1)?.position ?? LOG_START) : LOG_START;
  const messages = window
    .slice(0, WINDOW)
    .reverse()
    .filter(isIntegrationEvent)
    .map(toIntegrationMessage);
  const batch = 500;
  const kafka = new Kafka({
    clientId: 'bench-bare',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const bareTopic = `bench-bare-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: bareTopic, numPartitions: 3 }],
  });
  await admin.disconnect();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let start = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i += batch) {
    await producer.send({
      topic: bareTopic,
      acks: -1,
      messages: messages
        .slice(i, i + batch)
        .map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
    });
  }
  const baselineValue = messages.length / (Number(process.hrtime.bigint() - start) / 1e9);
  await producer.disconnect();

  const store = SqliteReadStore.open(join(workDir, 'read-models.sqlite'));
  await store.commit({ checkpoints: { [GATEWAY_CHECKPOINT]: from } });
  const gateway = new KafkaGateway(
    events,
    store,
    KafkaPublisher.create({ brokers: brokers.split(','), topic: `bench-gateway-${randomUUID()}` }),
    { batchSize: batch, idleMs: 50 },
  );
  start = process.hrtime.bigint();
  gateway.start();
  while (!isAtOrAfter(await store.checkpoint(GATEWAY_CHECKPOINT), head))
    await new Promise((r) => setTimeout(r, 20));
  const value = messages.length / (Number(process.hrtime.bigint() - start) / 1e9);
  await gateway.stop();
  await store.close();
  await events.close();
  const ratio = value / baselineValue;
  return [
    {
      name: `Kafka gateway, log to acknowledged writes (${messages.length.toLocaleString('en')} events${isAfter(from, LOG_START) ? ', the last of the log' : ''})`,
      value,
      unit: 'events/s',
      baseline: 'bare idempotent kafkajs producer, same messages and batch size',
      baselineValue,
      ratio,
      goal: 'ratio >= 0.5',
      met: ratio >= 0.5,
    },
  ];
}
