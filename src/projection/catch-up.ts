import type { EventStore } from '../ports/event-store.port.js';
import type { ReadStore, UnitOfWork } from '../ports/read-store.port.js';
import { projectBatch, toProjectedEvent, type ProjectionTarget } from './projection-batch.js';

export interface CatchUpOptions {
  readonly batchSize: number;
  /** Stop after this position (verify rebuilds exactly up to the live checkpoint). */
  readonly until?: number;
  readonly onBatch?: (position: number, events: number) => void;
  /** Asked before each batch; answering true stops the catch-up. */
  readonly stopped?: () => boolean;
  /** Awaited before each batch (e.g. to renew a lease); answering false stops the catch-up. */
  readonly beforeBatch?: () => Promise<boolean>;
}

/**
 * Reads the log from the lowest checkpoint of the targets in batches, folds each batch through
 * every target that has not applied it yet, and commits documents and checkpoints together.
 * Answers the position reached.
 */
export async function catchUp(
  events: EventStore,
  store: ReadStore,
  targets: readonly ProjectionTarget[],
  options: CatchUpOptions,
): Promise<number> {
  const checkpoints = new Map<string, number>();
  for (const target of targets)
    checkpoints.set(target.collection, await store.checkpoint(target.collection));
  let position = Math.min(...checkpoints.values());
  for (;;) {
    if (options.stopped?.()) return position;
    if (options.beforeBatch && !(await options.beforeBatch())) return position;
    const limit =
      options.until === undefined
        ? options.batchSize
        : Math.min(options.batchSize, options.until - position);
    const page =
      limit <= 0 ? [] : await events.readAll({ fromPosition: position, maxCount: limit });
    if (page.length === 0) return position;
    const projected = page.map(toProjectedEvent);
    const last = projected[projected.length - 1]?.position ?? position;
    const unit: {
      puts: NonNullable<UnitOfWork['puts']>[number][];
      deletes: NonNullable<UnitOfWork['deletes']>[number][];
      checkpoints: Record<string, number>;
    } = { puts: [], deletes: [], checkpoints: {} };
    for (const target of targets) {
      const from = checkpoints.get(target.collection) ?? 0;
      if (from >= last) continue;
      const writes = await projectBatch(
        store,
        target,
        projected.filter((event) => event.position > from),
      );
      unit.puts.push(...writes.puts);
      unit.deletes.push(...writes.deletes);
      unit.checkpoints[target.collection] = last;
    }
    await store.commit(unit);
    for (const name of Object.keys(unit.checkpoints)) checkpoints.set(name, last);
    position = last;
    options.onBatch?.(position, page.length);
  }
}
