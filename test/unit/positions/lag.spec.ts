import { SqliteEventStore } from '../../../src/adapters/sqlite/sqlite-event-store.js';
import {
  LOG_START,
  type EventStore,
  type Position,
} from '../../../src/event-sourcing/ports/event-store.port.js';
import { LagMeter, NO_LAG } from '../../../src/event-sourcing/positions/lag.js';

const at = (iso: string) => ({
  id: crypto.randomUUID(),
  type: 'Happened',
  data: {},
  metadata: { recordedAt: iso },
});

async function logOf(store: EventStore, times: readonly string[]): Promise<Position[]> {
  const positions: Position[] = [];
  for (const [i, iso] of times.entries()) {
    const result = await store.appendToStream(`s-${String(i % 2)}`, [at(iso)], 'any');
    positions.push(result.position);
  }
  return positions;
}

describe('lag: events and seconds behind, the same on every store', () => {
  let store: SqliteEventStore;

  beforeEach(() => {
    store = SqliteEventStore.open(':memory:');
  });

  afterEach(async () => {
    await store.close();
  });

  it('counts events and seconds between a checkpoint and the head', async () => {
    const [first, second, , head] = await logOf(store, [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:10.000Z',
      '2026-01-01T00:00:20.000Z',
      '2026-01-01T00:01:40.500Z',
    ]);
    const meter = new LagMeter(store);
    expect(await meter.measure(second!, head!)).toEqual({ events: 2, seconds: 90.5 });
    expect(await meter.measure(first!, head!)).toEqual({ events: 3, seconds: 100.5 });
    expect(await meter.measure(head!, head!)).toEqual(NO_LAG);
  });

  it('dates a checkpoint never written by the first event of the log', async () => {
    const [, , head] = await logOf(store, [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:01.000Z',
      '2026-01-01T00:00:03.000Z',
    ]);
    expect(await new LagMeter(store).measure(LOG_START, head!)).toEqual({
      events: 3,
      seconds: 3,
    });
  });

  it('leaves events null where the store cannot count them, and still gives seconds', async () => {
    const [checkpoint, head] = await logOf(store, [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:30.000Z',
    ]);
    // As on EventStoreDB: counting would read every event in between.
    const uncounting: EventStore = Object.assign(Object.create(store) as EventStore, {
      countBetween: () => Promise.resolve(null),
    });
    expect(await new LagMeter(uncounting).measure(checkpoint!, head!)).toEqual({
      events: null,
      seconds: 30,
    });
  });

  it('gives no seconds for events that carry no recorded time', async () => {
    const first = await store.appendToStream(
      's',
      [{ id: crypto.randomUUID(), type: 'T', data: {}, metadata: {} }],
      'no_stream',
    );
    const [head] = await logOf(store, ['2026-01-01T00:00:00.000Z']);
    const lag = await new LagMeter(store).measure(first.position, head!);
    expect(lag).toEqual({ events: 1, seconds: null });
  });
});
