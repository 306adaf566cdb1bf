#!/usr/bin/env node
// A consumer of the Shanghai community organization registry's Kafka topic, in one file with
// kafkajs as its only dependency: copy it, `npm install kafkajs`, and run
//
//   KAFKA_BROKERS=127.0.0.1:9092 node consumer.mjs [--from-beginning] [--group ID]
//
// It prints one line per event: position, CloudEvents type, organization id, a short summary.
// The topic's contract (headers, key, one JSON Schema per event type) is the registry's
// contracts/asyncapi.json. What a consumer must know:
//   - key = organization id: one organization's events arrive in order (its `revision` header
//     counts 0, 1, 2, …); events of different organizations may interleave.
//   - delivery is at least once: an event may come again, identical, with the same `ce_id`.
//   - `ce_type` = cn.shanghai.community-orgs.<EventType>.v<N>: switch on it, and skip (or park)
//     versions you do not know yet.

import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';

const { values } = parseArgs({
  options: {
    'from-beginning': { type: 'boolean', default: false },
    group: { type: 'string' },
  },
});
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const topic = process.env.KAFKA_TOPIC ?? 'community-orgs.events';
const groupId = values.group ?? `community-orgs-example-${hostname()}-${process.pid}-${Date.now()}`;

// Ids already handled, the oldest forgotten first (a Set keeps insertion order). This only
// catches redeliveries it still remembers and forgets all on restart: a real consumer stores
// the processed ce_id with its own writes, in the same transaction (a unique key), so each
// event is applied exactly once even across crashes.
const seen = new Set();
const SEEN_CAPACITY = 100_000;
function firstTime(id) {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > SEEN_CAPACITY) seen.delete(seen.values().next().value);
  return true;
}

const header = (message, name) => message.headers?.[name]?.toString() ?? '';

function summary(type, value) {
  switch (type) {
    case 'OrganizationRegistered':
      return `${value.name} (${value.tier}, ${value.category})`;
    case 'FundingGranted':
      return `¥${(value.amountFen / 100).toFixed(2)} via ${value.channel}`;
    case 'ActivityReported':
      return `${value.title}, ${value.participants} participants`;
    case 'TierPromoted':
    case 'TierDemoted':
      return `${value.fromTier} → ${value.toTier}`;
    case 'OrganizationDissolved':
      return `dissolved on ${value.dissolvedOn}`;
    case 'ContactUpdated':
      return 'contact changed (personal data: not published)';
    default:
      return `fields: ${Object.keys(value)
        .filter((k) => k !== 'organizationId')
        .join(', ')}`;
  }
}

const kafka = new Kafka({ clientId: 'community-orgs-example', brokers, logLevel: logLevel.ERROR });
const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
let events = 0;
let repeats = 0;

let stopping = false;
async function stop() {
  if (stopping) process.exit(130);
  stopping = true;
  await consumer.disconnect(); // leaves the group, commits what was handled
  console.error(`\nstopped: ${events} events, ${repeats} redeliveries skipped`);
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: values['from-beginning'] });
console.error(`reading ${topic} on ${brokers.join(',')} as group ${groupId}`);
await consumer.run({
  eachMessage: async ({ message }) => {
    const id = header(message, 'ce_id');
    if (!firstTime(id)) {
      repeats += 1;
      return;
    }
    const ceType = header(message, 'ce_type');
    const type = /\.([A-Za-z]+)\.v\d+$/.exec(ceType)?.[1] ?? ceType;
    const value = JSON.parse(message.value?.toString() ?? '{}');
    const position = header(message, 'position');
    const subject = header(message, 'ce_subject');
    console.log(`${position.padStart(8)}  ${ceType}  ${subject}  ${summary(type, value)}`);
    events += 1;
  },
});
