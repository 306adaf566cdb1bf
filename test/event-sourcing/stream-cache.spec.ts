/**
 * The stream cache bounded by bytes: each stream is charged the JSON of the events folded into
 * it plus STREAM_ENTRY_BYTES; the least recently used streams go once the total passes the
 * budget, a stream bigger than the whole budget is not kept, and a stream that grows is charged
 * its new size. Whether a load was warm shows in the revision it read from.
 */
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { STREAM_ENTRY_BYTES, StreamCache } from '../../src/event-sourcing/commands/stream-cache.js';
import type {
  EventStore,
  ReadStreamOptions,
} from '../../src/event-sourcing/ports/event-store.port.js';

interface Padded {
  readonly type: 'Padded';
  readonly data: { readonly pad: string };
}

/** `{"pad":"…"}` of `bytes` characters in all. */
const padded = (bytes: number): { pad: string } => ({
  pad: 'x'.repeat(bytes - '{"pad":""}'.length),
});

/** Each stream's cost: its events' JSON plus the entry's own. */
const charged = (...events: number[]): number =>
  STREAM_ENTRY_BYTES + events.reduce((sum, bytes) => sum + bytes, 0);

describe('the stream cache, bounded by bytes', () => {
  let inner: SqliteEventStore;
  let reads: Array<{ streamId: string; fromRevision: number }>;
  let store: EventStore;
  let ids: number;

  beforeEach(() => {
    inner = SqliteEventStore.open(':memory:');
    reads = [];
    ids = 0;
    // The store, noting from which revision each stream is read: 0 is a cold load.
    store = Object.assign(Object.create(inner) as EventStore, {
      readStream: (streamId: string, options?: ReadStreamOptions) => {
        reads.push({ streamId, fromRevision: options?.fromRevision ?? 0 });
        return inner.readStream(streamId, options);
      },
    });
  });

  afterEach(async () => {
    await inner.close();
  });

  /** Appends events of these sizes to the stream, as another writer would. */
  async function append(streamId: string, ...sizes: number[]): Promise<void> {
    let expected: number | 'any' = 'any';
    for (const size of sizes) {
      const event = { id: `e-${String(++ids)}`, type: 'Padded', data: padded(size), metadata: {} };
      await inner.appendToStream(streamId, [event], expected);
      expected = 'any';
    }
  }

  const cache = (budget: number): StreamCache<number, Padded> =>
    new StreamCache<number, Padded>(store, (count) => count + 1, 0, budget);

  /** Loads the streams in order; answers which were read whole (cold). */
  async function coldLoads(streams: StreamCache<number, Padded>, ...ids: string[]) {
    reads.length = 0;
    for (const id of ids) await streams.load(id);
    return reads.filter((read) => read.fromRevision === 0).map((read) => read.streamId);
  }

  it('charges each stream its events and evicts the least recently used beyond the budget', async () => {
    await append('a', 100, 100);
    await append('b', 300);
    await append('c', 200);
    const streams = cache(charged(100, 100) + charged(300) + charged(200) - 1);
    expect(await coldLoads(streams, 'a', 'b')).toEqual(['a', 'b']);
    expect(streams.stats()).toMatchObject({
      bytes: charged(100, 100) + charged(300),
      entries: 2,
      evictions: 0,
    });
    // a was used last but for b: c pushes the total over the budget, and a (least recent) goes.
    expect(await coldLoads(streams, 'b', 'c')).toEqual(['c']);
    expect(streams.stats()).toMatchObject({
      bytes: charged(300) + charged(200),
      entries: 2,
      evictions: 1,
    });
    expect(await coldLoads(streams, 'c', 'b')).toEqual([]);
    // Now c was used before b: a, read again, pushes c out.
    expect(await coldLoads(streams, 'a')).toEqual(['a']);
    expect(await coldLoads(streams, 'b')).toEqual([]);
    expect(await coldLoads(streams, 'c')).toEqual(['c']);
    expect(streams.stats()).toMatchObject({ entries: 2, evictions: 3 });
    expect(streams.stats().bytes).toBeLessThanOrEqual(streams.stats().budgetBytes);
  });

  it('keeps many small streams or a few big ones within the same budget', async () => {
    const budget = 10 * charged(50);
    for (let n = 0; n < 30; n++) await append(`small-${String(n)}`, 50);
    await append('big', 3 * charged(50));
    const streams = cache(budget);
    for (let n = 0; n < 30; n++) await streams.load(`small-${String(n)}`);
    expect(streams.stats()).toMatchObject({ bytes: budget, entries: 10, evictions: 20 });
    await streams.load('big');
    // The big stream takes the room of four small ones.
    expect(streams.stats().entries).toBe(7);
    expect(streams.stats().bytes).toBeLessThanOrEqual(budget);
    expect(await coldLoads(streams, 'small-29', 'small-23')).toEqual(['small-23']);
  });

  it('does not keep a stream bigger than the whole budget, and drops what it held of it', async () => {
    await append('small', 100);
    await append('huge', 100);
    const streams = cache(charged(100) + charged(100) + 50);
    await streams.load('small');
    await streams.load('huge');
    expect(streams.stats().entries).toBe(2);
    // It grows past the budget: the next load answers it folded, but the cache lets it go.
    await append('huge', charged(100) * 2);
    expect((await streams.load('huge')).state).toBe(2);
    expect(streams.stats()).toMatchObject({ bytes: charged(100), entries: 1 });
    expect(await coldLoads(streams, 'huge', 'small')).toEqual(['huge']);
    expect((await streams.load('huge')).state).toBe(2);
  });

  it('charges a stream again as it grows, by what was folded in', async () => {
    await append('a', 100);
    await append('b', 100);
    const streams = cache(charged(100) + charged(100, 200));
    await streams.load('a');
    await streams.load('b');
    expect(streams.stats().bytes).toBe(2 * charged(100));
    // Another writer's append is read from the cached tip on, and charged.
    await append('b', 200);
    expect(await coldLoads(streams, 'b')).toEqual([]);
    expect(reads).toEqual([{ streamId: 'b', fromRevision: 1 }]);
    expect(streams.stats()).toMatchObject({ bytes: charged(100) + charged(100, 200), entries: 2 });
    // Past the budget: a, the least recently used, goes; b stays whole.
    await append('b', 10);
    await streams.load('b');
    expect(streams.stats()).toMatchObject({ bytes: charged(100, 200, 10), entries: 1 });
    expect(streams.stats().evictions).toBe(1);
  });

  it('charges an append it remembers as a read would', async () => {
    await append('a', 100);
    const streams = cache(1_000_000);
    const base = await streams.load('a');
    const event = { id: 'e-new', type: 'Padded', data: padded(300), metadata: {} };
    const result = await inner.appendToStream('a', [event], 0);
    streams.remember('a', base, [event], result);
    expect(streams.stats().bytes).toBe(charged(100, 300));
    expect(await coldLoads(streams, 'a')).toEqual([]);
    expect((await streams.load('a')).state).toBe(2);
  });
});
