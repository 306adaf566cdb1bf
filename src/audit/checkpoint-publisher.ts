import type { Clock } from '../event-sourcing/clock.js';
import type {
  CheckpointStore,
  LogTree,
  SignedCheckpoint,
} from '../event-sourcing/ports/log-tree.port.js';
import { checkpointText } from './merkle/checkpoint.js';
import { consistencyProof, verifyConsistency } from './merkle/proofs.js';
import { signNote, type NoteSigner } from './merkle/signed-note.js';
import { treeRoot } from './merkle/subtrees.js';

/** When a new checkpoint is due: after so many events, or so long after the last if any came. */
export interface CheckpointPolicy {
  readonly everyEvents: number;
  readonly everySeconds: number;
}

/** The tree no longer extends the last checkpoint (a restored backup, a rewritten log). */
export class InconsistentLogError extends Error {
  constructor(
    readonly checkpoint: SignedCheckpoint,
    readonly treeSize: number,
  ) {
    super(
      `The log's tree (${String(treeSize)} leaves) does not extend the checkpoint signed at size ` +
        `${String(checkpoint.size)}: no checkpoint is signed until that is resolved`,
    );
    this.name = 'InconsistentLogError';
  }
}

/**
 * Signs checkpoints of the log's tree (C2SP tlog-checkpoint as a signed note) and keeps them.
 * The first one whatever the size, so that there is always one to answer; later ones when due.
 * Never one that does not extend the last: a log must not sign two checkpoints that no
 * consistency proof joins, so each is checked against the last by a proof before it is signed.
 */
export class CheckpointPublisher {
  constructor(
    private readonly tree: LogTree,
    private readonly checkpoints: CheckpointStore,
    private readonly signer: NoteSigner,
    private readonly clock: Clock,
    private readonly policy: CheckpointPolicy,
  ) {}

  /** Signs and keeps a checkpoint of the tree now if one is due; answers it, or undefined. */
  async publishIfDue(): Promise<SignedCheckpoint | undefined> {
    const last = await this.checkpoints.latest();
    const size = await this.tree.size();
    const now = this.clock.now();
    if (last !== undefined && !this.due(last, size, now)) return undefined;
    return this.publish(last, now);
  }

  private due(last: SignedCheckpoint, size: number, now: Date): boolean {
    if (size < last.size) return true; // to be refused below, loudly
    if (size - last.size >= this.policy.everyEvents) return true;
    const elapsed = now.getTime() - Date.parse(last.signedAt);
    return size > last.size && elapsed >= this.policy.everySeconds * 1000;
  }

  private async publish(last: SignedCheckpoint | undefined, now: Date): Promise<SignedCheckpoint> {
    const head = await this.tree.read((nodes, size) => {
      const root = treeRoot(nodes, size);
      const extendsLast =
        last === undefined ||
        (last.size <= size &&
          verifyConsistency(
            last.size,
            size,
            last.root,
            root,
            consistencyProof(nodes, last.size, size),
          ));
      return { size, root, extendsLast };
    });
    if (last !== undefined && !head.extendsLast) throw new InconsistentLogError(last, head.size);
    const text = checkpointText({ origin: this.signer.name, size: head.size, root: head.root });
    const checkpoint: SignedCheckpoint = {
      size: head.size,
      root: head.root,
      note: signNote(text, this.signer),
      signedAt: now.toISOString(),
    };
    await this.checkpoints.add(checkpoint);
    return checkpoint;
  }
}
