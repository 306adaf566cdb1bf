import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { OutgoingMessage, Publisher } from '../../event-sourcing/ports/publisher.port.js';

export interface KafkaPublisherOptions {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly clientId?: string;
  /** Created when missing; more partitions spread organizations, each keeps its order. */
  readonly partitions?: number;
}

/**
 * An idempotent kafkajs producer (acks from all in-sync replicas, broker-side deduplication of
 * retried batches), so a retried send neither loses nor reorders one organization's events.
 */
export class KafkaPublisher implements Publisher {
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

  private connected = false;

  /** Connects and creates the topic when missing. Safe to call again after a failure. */
  async connect(): Promise<void> {
    if (this.connected) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = await admin.listTopics();
      if (!topics.includes(this.options.topic)) {
        await admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: this.options.topic, numPartitions: this.options.partitions ?? 3 }],
        });
      }
    } finally {
      await admin.disconnect();
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

  async close(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }
}
