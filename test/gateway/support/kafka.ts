/**
 * What the tests against the real broker share: the broker from KAFKA_BROKERS (missing: a
 * failure in CI, a loud skip elsewhere), a reader of a whole topic, and checks on what was read.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { describeWithServer } from '../../support/servers.js';
import type { WireMessage } from './contract.js';

/** The suite with the brokers of KAFKA_BROKERS; without them, test/support/servers.ts's rule. */
export function describeWithKafka(title: string, suite: (brokers: string[]) => void): void {
  describeWithServer('kafka', title, (brokers) => {
    suite(brokers.split(',').map((b) => b.trim()));
  });
}

/** A topic of its own for every test file, so runs and files never see each other's messages. */
export const uniqueTopic = (name: string): string => `test-${name}-${randomUUID()}`;

/** A record as read, with where it was. */
export interface ReadMessage extends WireMessage {
  readonly partition: number;
  readonly offset: string;
}

export function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    decoded[name] = Array.isArray(value)
      ? value.map((v) => v.toString()).join(',')
      : value.toString();
  }
  return decoded;
}

export interface ReadOptions {
  /** Read until this holds of everything read so far. */
  readonly until: (messages: readonly ReadMessage[]) => boolean;
  readonly timeoutMs?: number;
}

/**
 * Reads the topic from the beginning with a consumer group of its own until `until` holds, and
 * answers everything read, in the order of each partition.
 */
export async function readTopic(
  brokers: readonly string[],
  topic: string,
  { until, timeoutMs = 30_000 }: ReadOptions,
): Promise<ReadMessage[]> {
  const kafka = new Kafka({
    clientId: 'gateway-tests-reader',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({
    groupId: `gateway-tests-${randomUUID()}`,
    allowAutoTopicCreation: false,
  });
  const messages: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new Error(`read ${messages.length} messages of ${topic} in ${timeoutMs} ms, not enough`),
        );
      }, timeoutMs);
      let settled = false;
      consumer
        .run({
          // eslint-disable-next-line @typescript-eslint/require-await -- the API takes a promise
          eachMessage: async ({ partition, message }) => {
            messages.push({
              partition,
              offset: message.offset,
              key: message.key?.toString() ?? null,
              value: message.value?.toString() ?? null,
              headers: decodeHeaders(message.headers),
            });
            if (!settled && until(messages)) {
              settled = true;
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}

/** How many records the topic holds now (all partitions). */
export async function topicRecordCount(brokers: readonly string[], topic: string): Promise<number> {
  const admin = new Kafka({
    clientId: 'gateway-tests-admin',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Removes a test's topic from the shared broker (best effort). */
export async function deleteTopic(brokers: readonly string[], topic: string): Promise<void> {
  const admin = new Kafka({
    clientId: 'gateway-tests-admin',
    brokers: [...brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 },
  }).admin();
  try {
    await admin.connect();
    await admin.deleteTopics({ topics: [topic], timeout: 5000 });
  } catch {
    // already gone, or the broker is: nothing to clean
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Every record the topic holds now: call it once the gateway has caught up. */
export async function readWholeTopic(
  brokers: readonly string[],
  topic: string,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const total = await topicRecordCount(brokers, topic);
  return readTopic(brokers, topic, { until: (read) => read.length >= total, timeoutMs });
}

/** True once every id was read at least once. */
export const sawAll =
  (ids: ReadonlySet<string>) =>
  (messages: readonly ReadMessage[]): boolean => {
    const seen = new Set(messages.map((m) => m.headers.ce_id));
    for (const id of ids) if (!seen.has(id)) return false;
    return true;
  };

/**
 * Per organization (key), the revisions of the first copy of each event in topic order: a
 * gap-free, in-order delivery gives 0, 1, 2, … for every key. Also answers the problems found:
 * copies of one ce_id that differ, and keys whose first copies are not consecutive from 0.
 */
export function orderProblems(messages: readonly ReadMessage[]): string[] {
  const problems: string[] = [];
  const firstCopy = new Map<string, ReadMessage>();
  const revisionsByKey = new Map<string, number[]>();
  // Topic order within a partition is offset order; one key lives in one partition.
  const sorted = [...messages].sort((a, b) =>
    a.partition !== b.partition
      ? a.partition - b.partition
      : Number(BigInt(a.offset) - BigInt(b.offset)),
  );
  for (const message of sorted) {
    const id = message.headers.ce_id ?? '';
    const earlier = firstCopy.get(id);
    if (earlier) {
      if (
        earlier.key !== message.key ||
        earlier.value !== message.value ||
        JSON.stringify(earlier.headers) !== JSON.stringify(message.headers)
      ) {
        problems.push(`two different messages carry ce_id ${id}`);
      }
      continue;
    }
    firstCopy.set(id, message);
    const key = message.key ?? '';
    const list = revisionsByKey.get(key) ?? [];
    list.push(Number(message.headers.revision));
    revisionsByKey.set(key, list);
  }
  for (const [key, revisions] of revisionsByKey) {
    const expected = revisions.map((_, i) => i);
    if (JSON.stringify(revisions) !== JSON.stringify(expected)) {
      problems.push(`organization ${key}: revisions ${revisions.join(',')} (expected 0..n-1)`);
    }
  }
  return problems;
}

/** How many copies of each ce_id were read. */
export function copiesById(messages: readonly ReadMessage[]): Map<string, number> {
  const copies = new Map<string, number>();
  for (const m of messages) {
    const id = m.headers.ce_id ?? '';
    copies.set(id, (copies.get(id) ?? 0) + 1);
  }
  return copies;
}
