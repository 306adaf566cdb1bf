import type { RecordedEvent } from '../event-sourcing/ports/event-store.port.js';

export type PointInTime = { readonly asOf: string } | { readonly revision: number };

/** End of a Shanghai calendar day, as an instant: `asOf` compares with the recorded time. */
export function endOfShanghaiDay(date: string): number {
  return Date.parse(`${date}T23:59:59.999+08:00`);
}

/** The events of a stream that had been recorded by that point, in order. */
export function eventsUntil(events: readonly RecordedEvent[], point: PointInTime): RecordedEvent[] {
  if ('revision' in point) return events.filter((e) => e.revision <= point.revision);
  const limit = endOfShanghaiDay(point.asOf);
  return events.filter((e) => Date.parse(String(e.metadata['recordedAt'])) <= limit);
}
