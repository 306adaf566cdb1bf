import { positionFromJson } from '../../../src/event-sourcing/ports/event-store.port.js';
/**
 * A small harness for the pure projections: a log that gives domain events positions and
 * revisions, a fold that feeds them through `ids` / `reads` / `evolve` as the runner does (one
 * document at a time, other documents visible through `context.get`), a tally of the rollup
 * contributions of the folded documents. The events themselves: test/support/events.ts.
 */
import type {
  Contribution,
  ProjectedEvent,
  Projection,
  ProjectionDocument,
} from '../../../src/event-sourcing/projection/projection.js';
import {
  EVENT_SCHEMA_VERSIONS,
  type OrganizationEvent,
} from '../../../src/organizations/domain/organization.events.js';

/** Gives each appended domain event the next global position and its stream's next revision. */
export class EventLog {
  readonly events: ProjectedEvent[] = [];
  private readonly revisions = new Map<string, number>();

  append(...events: OrganizationEvent[]): ProjectedEvent[] {
    return events.map((event) => {
      const streamId = `organization-${event.data.organizationId}`;
      const revision = (this.revisions.get(streamId) ?? -1) + 1;
      this.revisions.set(streamId, revision);
      const projected: ProjectedEvent = {
        type: event.type,
        data: event.data,
        streamId,
        revision,
        position: positionFromJson(this.events.length + 1),
        schemaVersion: EVENT_SCHEMA_VERSIONS[event.type],
        recordedAt: `2024-06-15T00:00:${String(this.events.length % 60).padStart(2, '0')}.000Z`,
      };
      this.events.push(projected);
      return projected;
    });
  }
}

/** Projected events for a standalone list of domain events (positions 1, 2, …). */
export function logOf(...events: OrganizationEvent[]): ProjectedEvent[] {
  return new EventLog().append(...events);
}

/**
 * Folds events through a projection the way the runner does, without storage: only handled
 * types, each touched document evolved in `ids` order, `context.get` answering the others.
 */
export function fold<Doc extends ProjectionDocument>(
  projection: Projection<Doc>,
  events: readonly ProjectedEvent[],
  start: ReadonlyMap<string, Doc> = new Map(),
): Map<string, Doc> {
  const docs = new Map(start);
  for (const event of events) {
    if (!projection.handles.includes(event.type)) continue;
    for (const id of projection.ids(event)) {
      const next = projection.evolve(docs.get(id) ?? null, event, {
        id,
        get: (other) => docs.get(other) ?? null,
      });
      if (next === null) docs.delete(id);
      else docs.set(id, next);
    }
  }
  return docs;
}

/** The rollup documents' counters as the contributions of these documents add up. */
export function tally<Doc extends ProjectionDocument>(
  projection: Projection<Doc>,
  docs: Iterable<Doc>,
): Record<string, Record<string, number>> {
  const rollups: Record<string, Record<string, number>> = {};
  for (const doc of docs) {
    for (const c of projection.rollup?.(doc) ?? []) {
      const counts = (rollups[c.id] ??= {});
      counts[c.key] = (counts[c.key] ?? 0) + c.amount;
      if (counts[c.key] === 0) Reflect.deleteProperty(counts, c.key);
    }
  }
  return rollups;
}

/** Contributions in a stable order, for exact comparisons. */
export function sorted(contributions: readonly Contribution[]): Contribution[] {
  return [...contributions].sort((a, b) =>
    a.id === b.id ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.id < b.id ? -1 : 1,
  );
}
