import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { LogTreeHandle } from '../adapters/stores.js';
import type { Clock } from '../event-sourcing/clock.js';
import type { EventStore } from '../event-sourcing/ports/event-store.port.js';
import type { LogTree, SignedCheckpoint } from '../event-sourcing/ports/log-tree.port.js';
import { CheckpointPublisher, type CheckpointPolicy } from './checkpoint-publisher.js';
import type { NoteSigner } from './merkle/signed-note.js';

/** How often the publisher looks whether a checkpoint is due (a size and a row: cheap). */
const TICK_MS = 1000;

/**
 * The log's tree and checkpoints in the server: on EventStoreDB it follows $all into the side
 * store; everywhere it signs a checkpoint when due (see CheckpointPublisher) and answers the
 * latest and the history. Failures are said on stderr and tried again at the next tick.
 */
export class LogCheckpoints implements OnModuleInit, OnModuleDestroy {
  private readonly publisher: CheckpointPublisher;
  private timer: NodeJS.Timeout | undefined;
  private following: { close(): Promise<void> } | undefined;
  private publishing: Promise<void> | undefined;
  private lastProblem: string | undefined;

  constructor(
    private readonly handle: LogTreeHandle,
    private readonly store: EventStore,
    signer: NoteSigner,
    clock: Clock,
    policy: CheckpointPolicy,
  ) {
    this.publisher = new CheckpointPublisher(
      handle.tree,
      handle.checkpoints,
      signer,
      clock,
      policy,
    );
  }

  onModuleInit(): void {
    // Not awaited: catching a side store up with a long log must not hold the server's start.
    this.publishing = this.start();
    this.timer = setInterval(() => {
      this.publishing ??= this.tick().finally(() => {
        this.publishing = undefined;
      });
    }, TICK_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.publishing;
    await this.following?.close();
    await this.handle.close();
  }

  /** The tree the checkpoints sign, for proofs over it. */
  get tree(): LogTree {
    return this.handle.tree;
  }

  latest(): Promise<SignedCheckpoint | undefined> {
    return this.handle.checkpoints.latest();
  }

  list(fromSize: number, limit: number): Promise<SignedCheckpoint[]> {
    return this.handle.checkpoints.list(fromSize, limit);
  }

  /** Signs a checkpoint now if one is due (tests call it rather than wait for the timer). */
  async publishIfDue(): Promise<SignedCheckpoint | undefined> {
    return this.publisher.publishIfDue();
  }

  private async start(): Promise<void> {
    try {
      this.following = await this.handle.follow(this.store, (error) => {
        this.report(error);
      });
    } catch (error) {
      this.report(error);
    }
    await this.tick();
    this.publishing = undefined;
  }

  private async tick(): Promise<void> {
    try {
      await this.publisher.publishIfDue();
      this.lastProblem = undefined;
    } catch (error) {
      this.report(error);
    }
  }

  /** Said once until it changes, not every second. */
  private report(error: unknown): void {
    const problem = error instanceof Error ? error.message : String(error);
    if (problem === this.lastProblem) return;
    this.lastProblem = problem;
    console.error(`log checkpoints: ${problem}`);
  }
}
