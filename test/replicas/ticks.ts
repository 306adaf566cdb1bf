/** A projection small enough to count on: the fake the runner and read-store tests share. */
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../src/event-sourcing/ports/event-store.port.js';
import type {
  Projection,
  ProjectionDocument,
} from '../../src/event-sourcing/projection/projection.js';

export interface Tally extends ProjectionDocument {
  readonly n: number;
}

/** One document per stream counting its events; the rollup `all` sums them. */
export const ticks: Projection<Tally> = {
  name: 'ticks',
  version: 1,
  handles: ['Ticked'],
  indexes: [],
  ids: (event) => [event.streamId],
  evolve: (doc, _event, context) => ({ id: context.id, n: (doc?.n ?? 0) + 1 }),
  rollup: (doc) => [{ id: 'all', key: 'ticks', amount: doc.n }],
};

/** `count` Ticked events, spread round-robin over the streams tick-0 … tick-(streams - 1). */
export async function appendTicks(
  events: EventStore,
  count: number,
  streams: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    await events.appendToStream(
      `tick-${String(i % streams)}`,
      [{ id: randomUUID(), type: 'Ticked', data: {}, metadata: {} }],
      'any',
    );
  }
}
