import {
  isAfter,
  LOG_START,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '../ports/event-store.port.js';

/**
 * How far a checkpoint trails the head of the log, the same on every store: in events where the
 * store counts them cheaply (null where it cannot, as on EventStoreDB, whose positions are byte
 * offsets), and in seconds between the recorded times of the head's event and the checkpoint's.
 */
export interface Lag {
  readonly events: number | null;
  readonly seconds: number | null;
}

export const NO_LAG: Lag = { events: 0, seconds: 0 };

/** Recorded times kept per position: an event's never changes, and lag asks the same few often. */
const CACHED_TIMES = 256;

/** Measures lags against one event store, remembering the recorded times it looked up. */
export class LagMeter {
  private readonly times = new Map<Position, number | null>();

  constructor(private readonly events: EventStore) {}

  async measure(checkpoint: Position, head: Position): Promise<Lag> {
    if (!isAfter(head, checkpoint)) return NO_LAG;
    const [events, headTime, checkpointTime] = await Promise.all([
      this.events.countBetween(checkpoint, head),
      this.recordedTime(head),
      this.recordedTime(checkpoint),
    ]);
    return { events, seconds: secondsBetween(checkpointTime, headTime) };
  }

  /** When the event at a position was recorded (ms); for `LOG_START`, the log's first event. */
  async recordedTime(position: Position): Promise<number | null> {
    const known = this.times.get(position);
    if (known !== undefined) return known;
    const event = isAfter(position, LOG_START)
      ? await this.events.eventAt(position)
      : (await this.events.readAll({ maxCount: 1 }))[0];
    const time = event ? recordedTimeOf(event) : null;
    // The start's first event is absent from an empty log and appears later: not remembered.
    if (event) {
      if (this.times.size >= CACHED_TIMES) this.times.clear();
      this.times.set(position, time);
    }
    return time;
  }
}

/** The time an event's envelope says it was recorded (ms), null when it carries none. */
export function recordedTimeOf(event: Pick<RecordedEvent, 'metadata'>): number | null {
  const recordedAt = event.metadata['recordedAt'];
  const time = typeof recordedAt === 'string' ? Date.parse(recordedAt) : NaN;
  return Number.isNaN(time) ? null : time;
}

/** Seconds from one recorded time to a later one, never negative; null when either is unknown. */
export function secondsBetween(from: number | null, to: number | null): number | null {
  if (from === null || to === null) return null;
  return Math.max(0, to - from) / 1000;
}
