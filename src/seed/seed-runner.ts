/**
 * Runs a seed plan through the real command path (OrganizationWriter: decider, unique claims,
 * hash chain, event store) with a clock the seed moves to each command's business day.
 *
 * Every command carries the idempotency key `seed-<seed>-<scale>-<n>`, so a command sent again
 * gets its first answer instead of writing twice, and registrations get the same organization id
 * (the writer derives it from the actor and the key). A rerun resumes at the last command of the
 * plan found in the log and sends it again; `from: 'start'` sends every command again instead.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { ensurePrivateDatabaseFile } from '../adapters/private-files.js';
import { SqliteEventStore } from '../adapters/sqlite/sqlite-event-store.js';
import { SqlitePersonalDataVault } from '../adapters/sqlite/sqlite-personal-data-vault.js';
import { canonicalJson } from '../event-sourcing/canonical-json.js';
import { DomainError } from '../event-sourcing/domain-error.js';
import type { CommandContext } from '../event-sourcing/command-context.js';
import type { CommandAnswer } from '../organizations/command-answer.js';
import { organizationDecider } from '../organizations/domain/organization.decider.js';
import type { OrganizationPolicy } from '../organizations/domain/organization.policy.js';
import { idempotentId } from '../event-sourcing/commands/idempotency.js';
import { newId } from '../system.js';
import { OrganizationWriter } from '../organizations/organization-writer.js';
import type { Clock } from '../event-sourcing/clock.js';
import type { EventStore, Position } from '../event-sourcing/ports/event-store.port.js';
import type { PersonalDataVault } from '../event-sourcing/ports/personal-data-vault.port.js';
import {
  commandAt,
  commandUuid,
  idempotencyKey,
  type PlannedCommand,
  type PlannedOrganization,
  type SeedPlan,
  type StepKind,
} from './seed-plan.js';

/** A clock the seed sets: the writer's "today" is the business day of the command it runs. */
export class SeedClock implements Clock {
  private instant = new Date(0);

  set(instant: Date): void {
    this.instant = instant;
  }

  now(): Date {
    return this.instant;
  }
}

/**
 * Groups commands into one transaction per store: what a group wrote is committed together at
 * its end, or not at all when the process dies first.
 */
export interface SeedTransactions {
  begin(): void;
  commit(): void;
  rollback(): void;
}

/** The stores and the writer a seed runs against. */
export interface SeedTarget {
  readonly store: EventStore;
  readonly vault: PersonalDataVault;
  readonly writer: OrganizationWriter;
  readonly clock: SeedClock;
  readonly transactions: SeedTransactions;
  close(): Promise<void>;
}

/**
 * Estimated bytes of the streams the writer keeps folded: every organization of a city
 * (~73,600), which a seed touches again and again in date order, is charged about 600 MB. With
 * the server's default, most commands would re-read and re-fold their stream.
 */
const STREAM_CACHE_BYTES = 2 * 1024 ** 3;
/** Enough page cache for the event store's indexes at city scale (~200 MB). */
const EVENT_STORE_CACHE_MIB = 256;

/**
 * Opens the event store of DATA_DIR (the file the server uses) and writes through it with
 * `vault`, which the seed then owns (closes); the CLI opens it with openPersonalDataVault, as the
 * server does. The store runs with synchronous=NORMAL (so should an embedded vault): FULL fsyncs
 * on every commit, and what NORMAL may lose (the last commits, on a power loss or OS crash only)
 * a seed recovers by being run again. Process crashes and interruptions lose nothing committed
 * either way.
 */
export function openSeedTarget(
  dataDir: string,
  policy: OrganizationPolicy,
  vault: PersonalDataVault,
): SeedTarget {
  const file = join(dataDir, 'events.sqlite');
  ensurePrivateDatabaseFile(file);
  const store = SqliteEventStore.open(file, {
    synchronous: 'NORMAL',
    cacheSizeMiB: EVENT_STORE_CACHE_MIB,
  });
  // Only the embedded vault has batches; another commits each key at once, before its events.
  const batches = vault instanceof SqlitePersonalDataVault ? vault : undefined;
  const clock = new SeedClock();
  const writer = new OrganizationWriter(store, organizationDecider(policy), clock, vault, newId, {
    streamCacheBytes: STREAM_CACHE_BYTES,
  });
  const transactions: SeedTransactions = {
    begin: () => {
      batches?.beginBatch();
      try {
        store.beginBatch();
      } catch (error) {
        batches?.rollbackBatch();
        throw error;
      }
    },
    // The keys first: a crash between the two commits leaves a key no event uses yet (the rerun
    // takes it up), never an event sealed with a key that was lost.
    commit: () => {
      try {
        batches?.commitBatch();
      } catch (error) {
        store.rollbackBatch();
        throw error;
      }
      store.commitBatch();
    },
    rollback: () => {
      try {
        if (store.batchOpen) store.rollbackBatch();
      } finally {
        batches?.rollbackBatch();
      }
    },
  };
  return {
    store,
    vault,
    writer,
    clock,
    transactions,
    close: async () => {
      // An open group is dropped (closing rolls it back), as a crash would drop it.
      await store.close();
      await vault.close();
    },
  };
}

export interface SeedRunOptions {
  /** `resume` (default): continue from the last command of this plan in the log; `start`: send all. */
  readonly from?: 'resume' | 'start';
  /** Stop after sending this many commands (tests simulate an interruption with it). */
  readonly stopAfter?: number;
  /** Asked before each command: true stops the run after the command in flight (SIGINT). */
  readonly shouldStop?: () => boolean;
  /** After each command: the number of commands of the plan done so far, and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A command a domain rule refused: a bug of the plan. */
export interface RefusedCommand {
  readonly n: number;
  readonly key: string;
  readonly step: StepKind;
  readonly organization: string;
  readonly rule: string;
  readonly message: string;
}

export interface SeedRunResult {
  readonly scale: string;
  readonly seed: number;
  /** Commands and organizations of the whole plan. */
  readonly commands: number;
  readonly organizations: number;
  /** Organizations whose registration is done (all of them once complete). */
  readonly registered: number;
  /** The command this run started at (0, or where the previous run stopped). */
  readonly startedAt: number;
  /** The first command not done yet (= commands once complete). */
  readonly next: number;
  readonly complete: boolean;
  /** Commands sent in this run, and those answered from an earlier try. */
  readonly sent: number;
  readonly replayed: number;
  readonly refused: readonly RefusedCommand[];
  /**
   * Events this run appended (claim reservations included; null where the store cannot count
   * them cheaply, as on EventStoreDB), and the log's head position after.
   */
  readonly eventsWritten: number | null;
  readonly headPosition: Position;
  readonly seconds: number;
}

/** How far back from the head a resume looks for the plan's last command. */
const RESUME_SCAN_EVENTS = 100_000;
const RESUME_PAGE = 1_000;
const YIELD_EVERY = 200;
/**
 * Commands per transaction. One commit per command was most of the seed's time; past a few
 * thousand the gain is small while an interrupted run has more to redo.
 */
export const SEED_GROUP_COMMANDS = 2_000;

export async function runSeed(
  plan: SeedPlan,
  target: SeedTarget,
  options: SeedRunOptions = {},
): Promise<SeedRunResult> {
  const started = process.hrtime.bigint();
  const { store, writer, clock, transactions } = target;
  const total = plan.steps.length;
  const startedAt = options.from === 'start' ? 0 : await resumePoint(plan, store);
  const headBefore = await store.headPosition();
  const ids = new Map<number, string>();
  const refused: RefusedCommand[] = [];
  let sent = 0;
  let replayed = 0;
  let next = startedAt;

  const organizationId = (command: PlannedCommand): string => {
    const org = command.organization;
    let id = ids.get(org.index);
    if (id === undefined) ids.set(org.index, (id = seededOrganizationId(plan, org)));
    return id;
  };

  // Commands run in groups of SEED_GROUP_COMMANDS, each one transaction per store. Interruption-safe:
  // a stop request ends the group after the command in flight and commits it; a crash or a kill
  // loses only the open group, and a rerun resumes after the last command committed.
  let inGroup = 0;
  try {
    for (let n = startedAt; n < total; n++) {
      if (options.shouldStop?.() || (options.stopAfter !== undefined && sent >= options.stopAfter))
        break;
      if (inGroup === 0) transactions.begin();
      inGroup++;
      const command = commandAt(plan, n);
      clock.set(command.at);
      const id = commandUuid(plan, n);
      const context: CommandContext = {
        actor: command.actor,
        commandId: id,
        correlationId: id,
        idempotency: { key: command.key, requestHash: requestHash(command) },
      };
      try {
        const answer = await send(command, context, organizationId(command), writer);
        if (answer.replayed) replayed++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        refused.push({
          n,
          key: command.key,
          step: command.step.kind,
          organization: command.organization.name,
          rule: error.rule,
          message: error.message,
        });
      }
      sent++;
      next = n + 1;
      if (inGroup >= SEED_GROUP_COMMANDS) {
        transactions.commit();
        inGroup = 0;
      }
      options.onProgress?.(next, total);
      // The stores answer synchronously, so the loop never reaches the event loop by itself: let
      // it run now and then, or a SIGINT handler (and anything else queued) would wait for the end.
      if (sent % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (inGroup > 0) transactions.commit();
  } catch (error) {
    // An unexpected failure (not a refused command): drop the open group, as a crash would.
    if (inGroup > 0) transactions.rollback();
    throw error;
  }

  const headPosition = await store.headPosition();
  return {
    scale: plan.scale,
    seed: plan.seed,
    commands: total,
    organizations: plan.organizations.length,
    registered: plan.organizations.filter((o) => o.registrationStep < next).length,
    startedAt,
    next,
    complete: next >= total,
    sent,
    replayed,
    refused,
    eventsWritten: await store.countBetween(headBefore, headPosition),
    headPosition,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
}

async function send(
  command: PlannedCommand,
  context: CommandContext,
  organizationId: string,
  writer: OrganizationWriter,
): Promise<CommandAnswer> {
  const { command: seed } = command;
  if (seed.kind === 'register') {
    const answer = await writer.register(seed.payload, context);
    if (answer.id !== organizationId) {
      throw new Error(
        `registration ${command.key} got id ${answer.id}, expected ${organizationId}: the writer ` +
          'no longer derives registration ids from (actor, idempotency key) as seed-runner.ts assumes',
      );
    }
    return answer;
  }
  return writer.change(organizationId, seed.payload, context);
}

/** What makes two sends "the same request" for the writer's idempotency check. */
function requestHash(command: PlannedCommand): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        seed: command.command.kind,
        actor: command.actor.id,
        payload: command.command.payload,
      }),
    )
    .digest('hex');
}

/** The id of a planned organization: the one the writer gives its keyed registration. */
export function seededOrganizationId(plan: SeedPlan, org: PlannedOrganization): string {
  const registration = commandAt(plan, org.registrationStep);
  return idempotentId(registration.actor.id, registration.key);
}

/**
 * Where a rerun starts: the last command of this plan found near the head of the log (sent again:
 * it may have been cut between its claims and its registration), or 0. The log is read
 * backwards from the head, page after page, each from the last position seen: positions are
 * never counted back from (on EventStoreDB they are byte offsets).
 */
async function resumePoint(plan: SeedPlan, store: EventStore): Promise<number> {
  const prefix = idempotencyKey(plan, 0).slice(0, -1);
  let before: Position | undefined;
  for (let scanned = 0; scanned < RESUME_SCAN_EVENTS;) {
    const page = await store.readAll({
      direction: 'backwards',
      fromPosition: before,
      maxCount: RESUME_PAGE,
    });
    for (const event of page) {
      const key = event.metadata['idempotencyKey'];
      if (typeof key === 'string' && key.startsWith(prefix)) {
        const n = Number(key.slice(prefix.length));
        if (Number.isSafeInteger(n)) return Math.min(n, plan.steps.length);
      }
    }
    const last = page.at(-1);
    if (last === undefined || page.length < RESUME_PAGE) break;
    scanned += page.length;
    before = last.position;
  }
  return 0;
}
