/**
 * `npm run consume [-- --from-beginning] [--group ID]`: a small consumer of the registry's topic,
 * for downstream teams to copy (examples/consumer.mjs is the same in one plain-JS file). It reads
 * with kafkajs, skips redeliveries by `ce_id`, and prints one line per event:
 *
 *   <position>  <ce_type>  <subject>  <summary>
 *
 * The contract of the topic is contracts/asyncapi.json with a JSON Schema per event type.
 */
import { hostname } from 'node:os';
import { commandLine, usageError } from './command-line.js';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';

const USAGE = `Usage: npm run consume [-- --from-beginning] [--group ID]

Reads the registry's events from Kafka and prints one line per event:
position, CloudEvents type, organization id and a short summary.
  --from-beginning  start at the oldest event kept on the topic (only when the group has no
                    committed offset yet), instead of the events that arrive from now on
  --group ID        consumer group: offsets are committed, so a restart goes on where it stopped
                    (default: a new group for every run)
Environment: KAFKA_BROKERS (127.0.0.1:9092), KAFKA_TOPIC (community-orgs.events).
Ctrl-C stops cleanly.`;

/**
 * Ids of the events already handled, the oldest forgotten first. Kafka delivers at least once:
 * after a registry crash or a broker outage an event may come again, with the same `ce_id`.
 * An in-memory set only catches the redeliveries it still remembers, and forgets everything
 * on restart; a real consumer keeps the processed ids with its own writes, in the same
 * transaction (a unique key on ce_id), so an event is applied once whatever happens.
 */
class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  /** True the first time an id is seen (and remembers it), false for a repeat. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) {
      // Refresh: a repeated id is recent again.
      this.ids.delete(id);
      this.ids.add(id);
      return false;
    }
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}

const header = (headers: IHeaders | undefined, name: string): string => {
  const value = headers?.[name];
  if (value === undefined) return '';
  return Array.isArray(value) ? value.map(String).join(',') : value.toString();
};

const yuan = (fen: unknown): string =>
  typeof fen === 'number' ? `¥${(fen / 100).toFixed(2)}` : '¥?';

/** A few words on the event, from its public value. */
function summary(ceType: string, value: Record<string, unknown>): string {
  const type = /\.([A-Za-z]+)\.v\d+$/.exec(ceType)?.[1] ?? ceType;
  const v = (name: string): string => {
    const field = value[name];
    return typeof field === 'string' || typeof field === 'number' ? String(field) : '';
  };
  switch (type) {
    case 'OrganizationRegistered':
      return `${v('name')} (${v('tier')}, ${v('category')}) in ${v('communityCode') || v('streetCode')}`;
    case 'OrganizationFiled':
      return `filed as ${v('filingNumber')} on ${v('filedOn')}`;
    case 'FilingAmended':
      return `filing ${v('previousFilingNumber')} → ${v('filingNumber')}`;
    case 'FilingCancelled':
      return `filing ${v('filingNumber')} cancelled: ${v('reason')}`;
    case 'TierPromoted':
    case 'TierDemoted':
      return `${v('fromTier')} → ${v('toTier')}`;
    case 'ActivityReported':
      return `${v('title')}, ${v('participants')} participants, to the ${v('level')} level`;
    case 'FundingGranted':
      return `${yuan(value.amountFen)} via ${v('channel')} (${v('programme')})`;
    case 'OrganizationReclassified':
      return `${v('fromCategory')} → ${v('toCategory')}`;
    case 'EvaluationRecorded':
      return `grade ${v('grade')} for ${v('period')} by ${v('evaluator')}`;
    case 'CorrectionNoticeIssued':
      return `notice: ${v('reason')}`;
    case 'CorrectionNoticeResolved':
      return `notice resolved${v('note') ? `: ${v('note')}` : ''}`;
    case 'PartyOrganizationChanged':
      return `party organization ${v('from')} → ${v('to')}`;
    case 'ContactUpdated':
      return 'contact changed (not published)';
    case 'PersonalDataErased':
      return `personal data erased on ${v('erasedOn')}`;
    case 'OrganizationDissolved':
      return `dissolved (${v('kind')}${v('mergedInto') ? ` into ${v('mergedInto')}` : ''}) on ${v('dissolvedOn')}: ${v('reason')}`;
    default:
      return `${Object.keys(value).length} fields`;
  }
}

async function main(): Promise<void> {
  const { values } = commandLine(USAGE, {
    options: {
      'from-beginning': { type: 'boolean', default: false },
      group: { type: 'string' },
    },
  });
  if (values.group?.trim() === '') usageError(USAGE, '--group needs an id');
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim());
  const topic = process.env.KAFKA_TOPIC ?? 'community-orgs.events';
  const groupId =
    values.group ?? `community-orgs-consume-${hostname()}-${process.pid}-${Date.now()}`;

  const kafka = new Kafka({
    clientId: 'community-orgs-consume',
    brokers,
    logLevel: logLevel.ERROR,
    // One short line per problem on stderr (kafkajs retries by itself; an outage shows here).
    logCreator:
      () =>
      ({ log }) => {
        const cause = log.error === undefined ? '' : ` (${String(log.error)})`;
        process.stderr.write(`kafka: ${log.message}${cause}\n`);
      },
  });
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const seen = new RecentIds();
  let printed = 0;
  let repeats = 0;

  // Ctrl-C (or SIGTERM): leave the group and commit what was handled, then exit 0.
  let stopping = false;
  const stop = (): void => {
    if (stopping) process.exit(130); // a second Ctrl-C: quit now
    stopping = true;
    consumer
      .disconnect()
      .then(() => {
        process.stderr.write(`\nstopped: ${printed} events, ${repeats} redeliveries skipped\n`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: values['from-beginning'] });
  process.stderr.write(`reading ${topic} on ${brokers.join(',')} as group ${groupId}\n`);
  await consumer.run({
    // eslint-disable-next-line @typescript-eslint/require-await -- printing is synchronous
    eachMessage: async ({ message }) => {
      const id = header(message.headers, 'ce_id');
      if (id !== '' && !seen.firstTime(id)) {
        repeats += 1;
        return;
      }
      const ceType = header(message.headers, 'ce_type');
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(message.value?.toString() ?? '{}') as Record<string, unknown>;
      } catch {
        value = {};
      }
      const line = [
        header(message.headers, 'position').padStart(8),
        ceType,
        header(message.headers, 'ce_subject') || (message.key?.toString() ?? ''),
        summary(ceType, value),
      ].join('  ');
      process.stdout.write(`${line}\n`);
      printed += 1;
    },
  });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const topic = process.env.KAFKA_TOPIC ?? 'community-orgs.events';
  console.error(
    /does not host this topic-partition/.test(message)
      ? `topic ${topic} does not exist (yet): the registry creates it when it first publishes (PUBLISHER=kafka)`
      : message,
  );
  process.exit(1);
});
