/**
 * The AsyncAPI 3.0 document of the registry's Kafka topic: one channel (the topic), one message
 * per event type with its CloudEvents 1.0 binary-mode headers, the organization id as key, and
 * the value described by the JSON Schema files beside it (`schemas/<EventType>.v<N>.json`).
 */
import type { OrganizationEventType } from '../../organizations/domain/organization.events.js';
import { CE_SOURCE, ceType } from '../integration-event.js';
import {
  EVENT_CONTRACTS,
  ORGANIZATION_EVENT_TYPES,
  publishedVersion,
  schemaFileName,
  type JsonSchema,
} from './event-schemas.js';

/** The topic's default name (`KAFKA_TOPIC`, src/config.ts). */
export const DEFAULT_TOPIC = 'community-orgs.events';
/** Partitions the gateway creates the topic with (src/adapters/kafka/kafka-publisher.ts). */
export const DEFAULT_PARTITIONS = 3;
export const CHANNEL = 'organizationEvents';
/** The version of the contract: the major follows breaking changes of any message. */
export const CONTRACT_VERSION = '1.0.0';
/** How the payloads are written: JSON Schema draft 2020-12 (a format AsyncAPI allows by name). */
export const PAYLOAD_SCHEMA_FORMAT = 'application/schema+json;version=draft-2020-12';
const KAFKA_BINDING_VERSION = '0.5.0';

/** The id of an event type's message in the document, e.g. `OrganizationRegistered.v1`. */
export const messageId = (type: string, version = publishedVersion(type)): string =>
  `${type}.v${version}`;

const DESCRIPTION = `Every event stored on an organization's stream, in the order of the stream, for downstream systems.

- **Key**: the organization id (a UUID). All events of one organization go to one partition, in order.
- **Headers**: CloudEvents 1.0 in Kafka binary mode (\`ce_specversion\`, \`ce_id\`, \`ce_source\`, \`ce_type\`, \`ce_subject\`, \`ce_time\`, \`content-type\`), plus \`position\` (global position in the registry's log) and \`revision\` (the event's number in its organization's stream, from 0).
- **Value**: the event's data as JSON, described per event type by a JSON Schema (draft 2020-12). \`ce_type\` names the event type and the version of its schema: \`cn.shanghai.community-orgs.<EventType>.v<N>\`.
- **Delivery is at least once**: after a crash or a broker outage an event may come again, identical, with the same \`ce_id\`. Deduplicate by \`ce_id\`, keeping processed ids with your own writes.
- **No personal data** (PIPL, 个人信息保护法): contacts (names, phones) and founders' names are never published; founders appear by kind only.
- Name reservations and other internal streams are not published.
- The topic name is configurable (\`KAFKA_TOPIC\`, default \`${DEFAULT_TOPIC}\`).`;

function headersSchema(type: OrganizationEventType): JsonSchema {
  const versioned = ceType(type, publishedVersion(type));
  return {
    type: 'object',
    description:
      'Kafka record headers (UTF-8 strings): CloudEvents 1.0 binary content mode (Kafka protocol binding), plus position and revision.',
    additionalProperties: false,
    required: [
      'ce_specversion',
      'ce_id',
      'ce_source',
      'ce_type',
      'ce_subject',
      'ce_time',
      'content-type',
      'position',
      'revision',
    ],
    properties: {
      ce_specversion: { type: 'string', const: '1.0', description: 'CloudEvents version.' },
      ce_id: {
        type: 'string',
        format: 'uuid',
        description:
          'The event id: unique per event, the same on every redelivery. Deduplicate on it.',
      },
      ce_source: { type: 'string', const: CE_SOURCE, description: 'The registry.' },
      ce_type: {
        type: 'string',
        const: versioned,
        description: `The event type and its schema version: the value follows ${schemaFileName(type)}.`,
      },
      ce_subject: {
        type: 'string',
        format: 'uuid',
        description: 'The organization id (the same as the key).',
      },
      ce_time: {
        type: 'string',
        format: 'date-time',
        description: 'When the registry recorded the event (RFC 3339, UTC).',
      },
      'content-type': {
        type: 'string',
        const: 'application/json',
        description: 'CloudEvents datacontenttype of the value.',
      },
      position: {
        type: 'string',
        pattern: '^[1-9][0-9]*$',
        description:
          "Global position of the event in the registry's log (a decimal integer): increases with every event of every organization.",
      },
      revision: {
        type: 'string',
        pattern: '^(0|[1-9][0-9]*)$',
        description:
          "The event's revision in its organization's stream (a decimal integer from 0): per key, consecutive and increasing.",
      },
    },
  };
}

const ORGANIZATION_ID_KEY: JsonSchema = {
  type: 'string',
  format: 'uuid',
  description: 'The message key: the organization id, also in ce_subject.',
};

function message(type: OrganizationEventType): JsonSchema {
  const { summary } = EVENT_CONTRACTS[type];
  return {
    name: type,
    title: `${type} v${publishedVersion(type)}`,
    summary,
    contentType: 'application/json',
    headers: headersSchema(type),
    payload: {
      schemaFormat: PAYLOAD_SCHEMA_FORMAT,
      schema: { $ref: `./schemas/${schemaFileName(type)}` },
    },
    bindings: {
      kafka: {
        // Inline: the binding's `key` is oneOf(Reference, Schema), which a $ref matches twice.
        key: ORGANIZATION_ID_KEY,
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/** The whole AsyncAPI document (plain JSON data). */
export function asyncApiDocument(): JsonSchema {
  const ids = ORGANIZATION_EVENT_TYPES.map((type) => messageId(type));
  return {
    asyncapi: '3.0.0',
    id: 'urn:community-orgs:registry',
    info: {
      title: 'Shanghai community social organizations registry: integration events',
      version: CONTRACT_VERSION,
      description: DESCRIPTION,
      license: { name: 'MIT' },
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description:
          'The broker `npm run services -- start kafka` starts for development; the registry reads its brokers from KAFKA_BROKERS.',
      },
    },
    channels: {
      [CHANNEL]: {
        address: DEFAULT_TOPIC,
        title: 'Organization events',
        description:
          "One topic for every organization's events, keyed by organization id. Its name is configurable (KAFKA_TOPIC).",
        messages: Object.fromEntries(
          ids.map((id) => [id, { $ref: `#/components/messages/${id}` }]),
        ),
        bindings: {
          kafka: {
            topic: DEFAULT_TOPIC,
            partitions: DEFAULT_PARTITIONS,
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
      },
    },
    operations: {
      publishOrganizationEvents: {
        action: 'send',
        channel: { $ref: `#/channels/${CHANNEL}` },
        title: 'Publish organization events',
        summary:
          'The registry publishes every stored organization event, at least once, in per-organization order.',
        messages: ids.map((id) => ({ $ref: `#/channels/${CHANNEL}/messages/${id}` })),
      },
    },
    components: {
      messages: Object.fromEntries(
        ORGANIZATION_EVENT_TYPES.map((type) => [messageId(type), message(type)]),
      ),
    },
  };
}
