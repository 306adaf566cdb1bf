import type { EventStore } from '../ports/event-store.port.js';
import type { LeaseFence } from '../ports/lease-fence.js';
import type { ReadStore, UnitOfWork } from '../ports/read-store.port.js';
import { toProjectedEvent } from './projection-batch.js';
import type { ProjectionTarget } from './projection-target.js';
import { ProjectionWorkspace } from './projection-workspace.js';

export interface CatchUpOptions {
  /** Events read from the log at a time. */
  readonly batchSize: number;
  /**
   * Events folded between two commits (default: `batchSize`). Larger units write a hot document
   * once for many events; progress is reported per commit.
   */
  readonly commitEvery?: number;
  /**
   * The targets were created empty for this catch-up and nobody else writes them (rebuild,
   * verify): documents never written are not looked up.
   */
  readonly fresh?: boolean;
  /** Clean documents each target keeps in memory between commits (default: none). */
  readonly maxCached?: number;
  /** Stop after this position (verify rebuilds exactly up to the live checkpoint). */
  readonly until?: number;
  /** After each commit: the position committed and the events it covered. */
  readonly onBatch?: (position: number, events: number) => void;
  /** After each batch is folded (committed or not): for progress on long runs. */
  readonly onFolded?: (position: number) => void;
  /** Asked before each batch; answering true commits what is folded and stops. */
  readonly stopped?: () => boolean;
  /**
   * Awaited before each batch (e.g. to renew a lease); answering false stops at once and
   * drops what was folded but not committed.
   */
  readonly beforeBatch?: () => Promise<boolean>;
  /**
   * The lease generation every commit is conditional on (the one a leased runner's round
   * started under): a commit refused because the lease was taken over throws LeaseLostError.
   */
  readonly fence?: LeaseFence | undefined;
}

/**
 * Reads the log from the lowest checkpoint of the targets in batches, folds each batch through
 * every target that has not applied it yet, and commits documents and checkpoints together.
 * Answers the position committed.
 */
export async function catchUp(
  events: EventStore,
  store: ReadStore,
  targets: readonly ProjectionTarget[],
  options: CatchUpOptions,
): Promise<number> {
  const workspaces = targets.map(
    (target) =>
      new ProjectionWorkspace(store, target, {
        fresh: options.fresh,
        maxCached: options.maxCached,
      }),
  );
  const checkpoints = new Map<string, number>();
  for (const target of targets)
    checkpoints.set(target.collection, await store.checkpoint(target.collection));
  const commitEvery = options.commitEvery ?? options.batchSize;
  let committed = Math.min(...checkpoints.values());
  let folded = committed;
  let pending = 0;

  const commit = async (): Promise<void> => {
    if (folded === committed) return;
    const { fence } = options;
    const unit: {
      puts: NonNullable<UnitOfWork['puts']>[number][];
      deletes: NonNullable<UnitOfWork['deletes']>[number][];
      checkpoints: Record<string, number>;
      fence?: LeaseFence;
    } = { puts: [], deletes: [], checkpoints: {}, ...(fence && { fence }) };
    for (const workspace of workspaces) {
      const name = workspace.target.collection;
      // A target already past this point (it was ahead of the others) has nothing to write.
      if ((checkpoints.get(name) ?? 0) >= folded) continue;
      const writes = workspace.flush();
      unit.puts.push(...writes.puts);
      unit.deletes.push(...writes.deletes);
      unit.checkpoints[name] = folded;
    }
    await store.commit(unit);
    for (const name of Object.keys(unit.checkpoints)) checkpoints.set(name, folded);
    committed = folded;
    options.onBatch?.(committed, pending);
    pending = 0;
  };

  for (;;) {
    if (options.stopped?.()) break;
    if (options.beforeBatch && !(await options.beforeBatch())) {
      for (const workspace of workspaces) workspace.discard();
      return committed;
    }
    const limit =
      options.until === undefined
        ? options.batchSize
        : Math.min(options.batchSize, options.until - folded);
    const page = limit <= 0 ? [] : await events.readAll({ fromPosition: folded, maxCount: limit });
    if (page.length === 0) break;
    const projected = page.map(toProjectedEvent);
    const last = projected[projected.length - 1]?.position ?? folded;
    for (const workspace of workspaces) {
      const from = checkpoints.get(workspace.target.collection) ?? 0;
      if (from >= last) continue;
      await workspace.fold(
        from <= folded ? projected : projected.filter((event) => event.position > from),
      );
    }
    folded = last;
    pending += page.length;
    if (pending >= commitEvery) await commit();
    options.onFolded?.(folded);
  }
  await commit();
  return committed;
}
