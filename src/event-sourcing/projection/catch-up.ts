import {
  earliestOf,
  isAfter,
  isAtOrAfter,
  LOG_START,
  type EventStore,
  type Position,
} from '../ports/event-store.port.js';
import { recordedTimeOf } from '../positions/lag.js';
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
  readonly until?: Position;
  /**
   * After each commit: the position committed, the events it covered, and when its last event
   * was recorded (ms, null when unknown).
   */
  readonly onBatch?: (position: Position, events: number, recordedAt: number | null) => void;
  /** After each batch is folded (committed or not), with the events folded so far: progress. */
  readonly onFolded?: (position: Position, eventsFolded: number) => void;
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
): Promise<Position> {
  const workspaces = targets.map(
    (target) =>
      new ProjectionWorkspace(store, target, {
        fresh: options.fresh,
        maxCached: options.maxCached,
      }),
  );
  const checkpoints = new Map<string, Position>();
  for (const target of targets)
    checkpoints.set(target.collection, await store.checkpoint(target.collection));
  const commitEvery = options.commitEvery ?? options.batchSize;
  let committed = earliestOf(checkpoints.values());
  let folded = committed;
  let foldedAt: number | null = null;
  let pending = 0;
  let foldedTotal = 0;

  const commit = async (): Promise<void> => {
    if (!isAfter(folded, committed)) return;
    const { fence } = options;
    const unit: {
      puts: NonNullable<UnitOfWork['puts']>[number][];
      deletes: NonNullable<UnitOfWork['deletes']>[number][];
      checkpoints: Record<string, Position>;
      fence?: LeaseFence;
    } = { puts: [], deletes: [], checkpoints: {}, ...(fence && { fence }) };
    for (const workspace of workspaces) {
      const name = workspace.target.collection;
      // A target already past this point (it was ahead of the others) has nothing to write.
      if (isAtOrAfter(checkpoints.get(name) ?? LOG_START, folded)) continue;
      const writes = workspace.flush();
      unit.puts.push(...writes.puts);
      unit.deletes.push(...writes.deletes);
      unit.checkpoints[name] = folded;
    }
    await store.commit(unit);
    for (const name of Object.keys(unit.checkpoints)) checkpoints.set(name, folded);
    committed = folded;
    options.onBatch?.(committed, pending, foldedAt);
    pending = 0;
  };

  for (;;) {
    if (options.stopped?.()) break;
    if (options.beforeBatch && !(await options.beforeBatch())) {
      for (const workspace of workspaces) workspace.discard();
      return committed;
    }
    // Up to `until`: a page that goes past it is cut there (positions are compared, never
    // subtracted: the distance between two says nothing about the events between them).
    const until = options.until;
    if (until !== undefined && isAtOrAfter(folded, until)) break;
    const read = await events.readAll({ fromPosition: folded, maxCount: options.batchSize });
    const page =
      until === undefined ? read : read.filter((event) => isAtOrAfter(until, event.position));
    if (page.length === 0) break;
    const projected = page.map(toProjectedEvent);
    const lastEvent = page[page.length - 1];
    const last = lastEvent?.position ?? folded;
    for (const workspace of workspaces) {
      const from = checkpoints.get(workspace.target.collection) ?? LOG_START;
      if (isAtOrAfter(from, last)) continue;
      await workspace.fold(
        isAtOrAfter(folded, from)
          ? projected
          : projected.filter((event) => isAfter(event.position, from)),
      );
    }
    folded = last;
    foldedAt = lastEvent ? recordedTimeOf(lastEvent) : foldedAt;
    pending += page.length;
    foldedTotal += page.length;
    if (pending >= commitEvery) await commit();
    options.onFolded?.(folded, foldedTotal);
    if (page.length < read.length) break;
  }
  await commit();
  return committed;
}
