/**
 * Shared pieces of the audit tests: the compiled audit CLI and the standalone verifier run as
 * child processes, a raw SQLite connection for tampering with the event store behind the
 * application's back, an in-process OrganizationWriter on a controllable clock, and an
 * independent implementation of the published hash rule (DESIGN §5) for forging hashes.
 */
import Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { openTestVault } from '../support/personal-data-kek.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import type { CommandContext } from '../../src/event-sourcing/command-context.js';
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import { OrganizationWriter } from '../../src/organizations/organization-writer.js';
import type { Actor } from '../../src/organizations/domain/organization.types.js';
import { DEFAULT_ACTIVITY_LEVEL_THRESHOLDS } from '../../src/organizations/domain/rules/activity-level.js';
import type { Clock } from '../../src/event-sourcing/clock.js';
import { runProcess, type RunResult } from '../support/run-process.js';
import { ROOT } from '../support/spawned-server.js';

export type { RunResult };

export const AUDIT_CLI = join(ROOT, 'dist', 'src', 'cli', 'audit.js');
export const VERIFY_HISTORY = join(ROOT, 'tools', 'verify-history.mjs');

export function requireCompiledCli(): void {
  if (!existsSync(AUDIT_CLI)) {
    throw new Error(`${AUDIT_CLI} is missing: run \`npm run build\` before these tests`);
  }
}

// ---------------------------------------------------------------------------------------------
// Child processes

/** Runs a command to its end, collecting its output; the CLIs log nothing. */
export function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<RunResult> {
  return runProcess(command, args, { LOG_LEVEL: 'silent', ...env }, timeoutMs);
}

/** `node dist/src/cli/audit.js ARGS` on a data directory. */
export function auditCli(dataDir: string, args: readonly string[]): Promise<RunResult> {
  return run(process.execPath, [AUDIT_CLI, ...args], { DATA_DIR: dataDir });
}

/** `node tools/verify-history.mjs FILE`. */
export function verifyHistoryFile(file: string): Promise<RunResult> {
  return run(process.execPath, [VERIFY_HISTORY, file]);
}

/** The JSON the CLI prints for `verify --org` (everything before its one-line summary). */
export function parseOrgVerify(stdout: string): {
  json: Record<string, unknown> & {
    ok: boolean;
    checked: number;
    firstBroken?: { revision: number; position: number; reason: string; detail: string };
  };
  summary: string;
} {
  const lines = stdout.trimEnd().split('\n');
  const summary = lines.pop() ?? '';
  return { json: JSON.parse(lines.join('\n')), summary };
}

// ---------------------------------------------------------------------------------------------
// The raw event store, behind the application's back

export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
}

/** A separate better-sqlite3 connection to the event store file: what an intruder would use. */
export function openRawStore(dataDir: string): Database.Database {
  const db = new Database(join(dataDir, 'events.sqlite'), { timeout: 5000 });
  db.pragma('busy_timeout = 5000');
  return db;
}

export function rawRow(db: Database.Database, streamId: string, revision: number): EventRow {
  const row = db
    .prepare<[string, number], EventRow>(
      'SELECT * FROM events WHERE stream_id = ? AND revision = ?',
    )
    .get(streamId, revision);
  if (!row) throw new Error(`no event ${streamId}@${revision}`);
  return row;
}

export function rawStream(db: Database.Database, streamId: string): EventRow[] {
  return db
    .prepare<[string], EventRow>('SELECT * FROM events WHERE stream_id = ? ORDER BY revision')
    .all(streamId);
}

// ---------------------------------------------------------------------------------------------
// The hash rule, re-implemented from DESIGN §5 (shares no code with src)

/** Canonical JSON: keys sorted, no insignificant whitespace, undefined members dropped. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    return text ?? 'null';
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
    .join(',')}}`;
}

/** sha256(prevHash ‖ canonical {type, data, metadata without hash, revision}). */
export function chainHash(
  prevHash: string,
  event: { type: string; data: unknown; metadata: Record<string, unknown>; revision: number },
): string {
  const { hash: _hash, ...metadata } = event.metadata;
  return createHash('sha256')
    .update(prevHash)
    .update(canonical({ type: event.type, data: event.data, metadata, revision: event.revision }))
    .digest('hex');
}

// ---------------------------------------------------------------------------------------------
// JSON Lines files

/** One line of an exported history (GET …/history?format=jsonl, `audit export`). */
export interface Line {
  streamId?: string;
  revision: number;
  position: number;
  eventId?: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  prevHash?: unknown;
  hash?: unknown;
}

export function readJsonl(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Line);
}

export function writeJsonl(file: string, lines: readonly Line[]): void {
  writeFileSync(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''));
}

// ---------------------------------------------------------------------------------------------
// The write side in-process, on a clock the test moves

export class SteppingClock implements Clock {
  constructor(private instant: number) {}
  now(): Date {
    return new Date(this.instant);
  }
  set(iso: string): void {
    this.instant = Date.parse(iso);
  }
  advance(ms: number): void {
    this.instant += ms;
  }
}

export interface InProcessWriter {
  readonly writer: OrganizationWriter;
  readonly store: SqliteEventStore;
  context(actor: Actor): CommandContext;
  close(): Promise<void>;
}

/**
 * The real write path (load, decide, envelope with the hash chain, append) outside Nest, on the
 * same files the application uses in DATA_DIR, as bench/figures/command-throughput.ts builds it.
 */
export function openWriter(
  dataDir: string,
  clock: Clock,
  synchronous: 'FULL' | 'NORMAL' = 'NORMAL',
): InProcessWriter {
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'), { synchronous });
  const vault = openTestVault(dataDir);
  const decider = organizationDecider({
    divisions: loadDivisions(),
    activityLevels: DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
    teamsInSpecialUnits: true,
    governmentPurchaseRequiresRegistered: true,
    maxGrantFen: 1_000_000_000,
  });
  return {
    writer: new OrganizationWriter(store, decider, clock, vault, randomUUID),
    store,
    context: (actor) => ({ actor, commandId: randomUUID(), correlationId: randomUUID() }),
    async close() {
      await store.close();
      await vault.close();
    },
  };
}
