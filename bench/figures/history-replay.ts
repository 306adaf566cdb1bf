import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { fold } from '../../src/event-sourcing/decider.js';
import { evolveOrganization } from '../../src/organizations/domain/organization.evolve.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import type { BenchOptions, Figure } from '../figure.js';

/**
 * Auditors' replay: organizations per second read and folded to their state, beside the raw rate
 * of reading the same streams through the event store, alternated in rounds.
 */
export async function historyReplay({ quick, dataset }: BenchOptions): Promise<Figure> {
  const file = join(dataset, 'events.sqlite');
  const db = new Database(file, { readonly: true });
  const streams = db
    .prepare<[number], string>(
      "SELECT DISTINCT stream_id FROM events WHERE stream_id LIKE 'organization-%' AND stream_id NOT LIKE 'organization-name-%' LIMIT ?",
    )
    .pluck()
    .all(quick ? 1000 : 10_000);
  db.close();
  const store = SqliteEventStore.open(file);
  let readSeconds = 0;
  let replaySeconds = 0;
  const rounds = 4;
  for (let round = 0; round < rounds; round++) {
    readSeconds += await timed(async () => {
      for (const stream of streams) await readAll(store, stream);
    });
    replaySeconds += await timed(async () => {
      for (const stream of streams) {
        fold(
          evolveOrganization,
          null,
          (await readAll(store, stream)) as unknown as OrganizationEvent[],
        );
      }
    });
  }
  await store.close();
  const value = (rounds * streams.length) / replaySeconds;
  const baselineValue = (rounds * streams.length) / readSeconds;
  const ratio = value / baselineValue;
  return {
    name: `history replay, read + fold (${streams.length.toLocaleString('en')} organizations)`,
    value,
    unit: 'organizations/s',
    baseline: 'raw stream reads of the same organizations',
    baselineValue,
    ratio,
    goal: 'ratio >= 0.5',
    met: ratio >= 0.5,
  };
}

async function readAll(store: SqliteEventStore, stream: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}
