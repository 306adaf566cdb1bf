import {
  isAfter,
  LOG_START,
  positionFromJson,
  positionToJson,
  type EventStore,
  type Position,
} from '../ports/event-store.port.js';
import type { ReadStore } from '../ports/read-store.port.js';

/**
 * Which event store the read store's checkpoints belong to: the id and position of the log's
 * first event, recorded beside the checkpoints the first time they are checked. A read store
 * carried over from another store (SQLite to EventStoreDB, another deployment) finds another
 * event there, or none: its positions mean nothing here.
 */
export const ORIGIN_COLLECTION = 'event_store_origin';
const ORIGIN_ID = 'origin';

/** How to start again from this store's own positions; named in every refusal. */
export const REBUILD_HINT =
  'rebuild the read models from this event store with `npm run projections -- rebuild`';

/** A checkpoint that is no position of the current event store: nothing may resume from it. */
export class ForeignCheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ForeignCheckpointError';
  }
}

export interface CheckedCheckpoint {
  readonly name: string;
  /** How to start again from this store's own positions, named in the refusal. */
  readonly wayOut: string;
}

/**
 * Checks, before anything resumes from them, that the named checkpoints are positions of this
 * event store: the recorded origin is the same event here, and each checkpoint is the position
 * of one of its events (a byte offset inside a record, or past the head of an older backup, is
 * not). Throws a ForeignCheckpointError naming the checkpoint and the way out; records the
 * origin when none is recorded yet.
 */
export async function checkCheckpoints(
  events: EventStore,
  store: ReadStore,
  checkpoints: readonly CheckedCheckpoint[],
): Promise<void> {
  await store.ensureCollection(ORIGIN_COLLECTION, []);
  const origin = await store.get(ORIGIN_COLLECTION, ORIGIN_ID);
  const written: CheckedCheckpoint[] = [];
  for (const checked of checkpoints) {
    const position = await store.checkpoint(checked.name);
    if (!isAfter(position, LOG_START)) continue;
    written.push(checked);
    if ((await events.eventAt(position)) === undefined) {
      throw new ForeignCheckpointError(
        `Checkpoint ${checked.name} (position ${String(positionToJson(position))}) is not the position of an event in this event store (a read store from another store or a newer backup): ${checked.wayOut}`,
      );
    }
  }
  if (origin !== undefined) {
    const position = originPosition(origin['position']);
    const found = position && (await events.eventAt(position));
    if (found?.id !== origin['eventId'] && written.length > 0) {
      const names = written.map((c) => c.name).join(', ');
      throw new ForeignCheckpointError(
        `Checkpoint ${names} belongs to another event store (its first event ${String(origin['eventId'])} is not at position ${String(origin['position'])} here): ${written[0]?.wayOut ?? REBUILD_HINT}`,
      );
    }
    if (found?.id === origin['eventId']) return;
  }
  await recordOrigin(events, store);
}

/** Records this event store's first event as the read store's origin (after a rebuild, too). */
export async function recordOrigin(events: EventStore, store: ReadStore): Promise<void> {
  const [first] = await events.readAll({ maxCount: 1 });
  if (!first) return;
  await store.ensureCollection(ORIGIN_COLLECTION, []);
  await store.commit({
    puts: [
      {
        collection: ORIGIN_COLLECTION,
        document: { id: ORIGIN_ID, position: positionToJson(first.position), eventId: first.id },
      },
    ],
  });
}

function originPosition(value: unknown): Position | undefined {
  try {
    return positionFromJson(value);
  } catch {
    return undefined;
  }
}
