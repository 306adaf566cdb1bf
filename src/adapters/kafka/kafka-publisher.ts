import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import type { OutgoingMessage, Publisher } from '../../event-sourcing/ports/publisher.port.js';
import { settledWithin, within } from '../../event-sourcing/workers/deadline.js';

export interface KafkaPublisherOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId?: string;
  /** Created when missing; more partitions spread organizations, each keeps its order. */
  readonly partitions?: number;
  /** How long one request may wait for the broker's answer (default 5 s; kafkajs: 30 s). */
  readonly requestTimeoutMs?: number;
}

/** A TCP connection that does not open in this time is a broker away. */
const CONNECTION_TIMEOUT_MS = 3000;
const REQUEST_TIMEOUT_MS = 5000;
/** close() waits this long for each client to disconnect; the process may be stopping. */
const DISCONNECT_WAIT_MS = 1500;

/**
 * An idempotent kafkajs producer (acks from all in-sync replicas, broker-side deduplication of
 * retried batches), so a retried send neither loses nor reorders one organization's events.
 */
export class KafkaPublisher implements Publisher {
  /** The admin client of connect() while it runs, and of probe(): closed by close(). */
  private admin: Admin | undefined;
  private connected = false;

  private constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly options: KafkaPublisherOptions,
  ) {}

  static create(options: KafkaPublisherOptions): KafkaPublisher {
    const kafka = new Kafka({
      clientId: options.clientId ?? 'community-org-registry',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      // kafkajs' default (30 s) would hold a round, and a shutdown, on a broker that accepts
      // connections but never answers.
      requestTimeout: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      // The gateway retries whole batches with its own backoff; keep kafkajs' own retries short.
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 },
    });
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
    });
    return new KafkaPublisher(kafka, producer, options);
  }

  /** Connects and creates the topic when missing. Safe to call again after a failure. */
  async connect(): Promise<void> {
    if (this.connected) return;
    const admin = await this.connectedAdmin();
    const topics = await admin.listTopics();
    if (!topics.includes(this.options.topic)) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: this.options.topic, numPartitions: this.options.partitions ?? 3 }],
      });
    }
    await this.producer.connect();
    this.connected = true;
  }

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    await this.producer.send({
      topic: this.options.topic,
      acks: -1,
      messages: messages.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers } })),
    });
  }

  /**
   * A round trip to the cluster (its metadata), failing after `timeoutMs`: what /health shows
   * while there is nothing to publish, rather than the memory of the last send.
   */
  async probe(timeoutMs: number): Promise<void> {
    const admin = await within(this.connectedAdmin(), timeoutMs, 'Kafka connection');
    try {
      await within(admin.describeCluster(), timeoutMs, 'Kafka describeCluster');
    } catch (error) {
      // A half-open connection would answer nothing next time either: start afresh.
      await this.dropAdmin();
      throw error;
    }
  }

  /** Disconnects, never waiting on an unresponsive broker longer than a few seconds. */
  async close(): Promise<void> {
    this.connected = false;
    await Promise.all([
      this.dropAdmin(),
      settledWithin(this.producer.disconnect(), DISCONNECT_WAIT_MS),
    ]);
  }

  private async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    const admin = this.kafka.admin();
    this.admin = admin;
    try {
      await admin.connect();
    } catch (error) {
      await this.dropAdmin();
      throw error;
    }
    return admin;
  }

  private async dropAdmin(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await settledWithin(admin.disconnect(), DISCONNECT_WAIT_MS);
  }
}
