/**
 * Shared pieces of the read-side acceptance tests (issue #3): the compiled command lines run as
 * child processes (seed, projections), waiting for a spawned server to catch up, reading a
 * read-models SQLite file directly.
 *
 * Everything runs asynchronously: a test that keeps HTTP traffic going while a command line
 * runs must not block its own event loop.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { httpRequest, type Json } from '../support/http-app.js';
import { runNode, type RunResult } from '../support/run-process.js';
import { ROOT } from '../support/spawned-server.js';
import { waitUntil } from '../support/wait.js';

export const SEED_CLI = join(ROOT, 'dist', 'src', 'cli', 'seed.js');
export const PROJECTIONS_CLI = join(ROOT, 'dist', 'src', 'cli', 'projections.js');
export const DIVISIONS_FILE = join(ROOT, 'reference-data', 'shanghai-divisions-2021.json');

/** The read models (DOMAIN §5's four and the worklists), by the names the catalog and the CLI use. */
export const READ_MODELS = [
  'registry',
  'statistics',
  'funding',
  'activity_reports',
  'worklists',
] as const;

export function seedSmall(dataDir: string, seed: number): Promise<RunResult> {
  return runNode(SEED_CLI, ['--scale', 'small', '--seed', String(seed)], { DATA_DIR: dataDir });
}

export function projectionsCli(dataDir: string, ...args: string[]): Promise<RunResult> {
  return runNode(PROJECTIONS_CLI, args, { DATA_DIR: dataDir });
}

/** The head position of the log in DATA_DIR, read from the events table. */
export function headPosition(dataDir: string): number {
  const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT COALESCE(MAX(position), 0) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

export interface Health {
  readonly status: string;
  readonly eventStore: { readonly headPosition: number };
  readonly projections: ReadonlyArray<{
    readonly name: string;
    readonly collection: string;
    readonly checkpoint: number;
    readonly lag: number;
    readonly building?: unknown;
  }>;
}

export async function health(baseUrl: string): Promise<Health> {
  const res = await httpRequest(baseUrl, 'GET', '/health');
  if (res.status !== 200) throw new Error(`/health answered ${res.status}: ${res.text}`);
  return res.body as Health;
}

/** Every read model serving, at the head, nothing being built. */
export function caughtUp(h: Health, head?: number): boolean {
  const at = head ?? h.eventStore.headPosition;
  return (
    h.status === 'ok' &&
    h.eventStore.headPosition === at &&
    h.projections.length === READ_MODELS.length &&
    h.projections.every((p) => p.lag === 0 && p.checkpoint === at && p.building === undefined)
  );
}

/** Polls /health until every read model applied the head (or `head` when given). */
export async function waitCaughtUp(baseUrl: string, head?: number, timeoutMs = 30_000) {
  let last: Health | undefined;
  return waitUntil(
    () => `the read models to catch up: ${JSON.stringify(last)}`,
    async () => {
      last = await health(baseUrl);
      return caughtUp(last, head) ? last : undefined;
    },
    timeoutMs,
    { pollMs: 50 },
  );
}

/** Copies DATA_DIR's files into `to`, leaving out the read models (and their WAL files). */
export function copyWithoutReadModels(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (name.startsWith('read-models.sqlite')) continue;
    copyFileSync(join(from, name), join(to, name));
  }
}

export interface CatalogRow {
  readonly id: string;
  readonly collection: string;
  readonly rollupCollection: string;
  readonly generation: number;
}

type Docs = Map<string, Record<string, unknown>>;

/** Every active read model of a read-models file: its documents and rollups, without `_position`. */
export interface ReadModelsSnapshot {
  readonly catalog: Map<string, CatalogRow>;
  readonly checkpoints: Map<string, number>;
  readonly documents: Map<string, Docs>;
  readonly rollups: Map<string, Docs>;
}

export function readModelsFile(dataDir: string): string {
  return join(dataDir, 'read-models.sqlite');
}

/** Reads the file directly (no ReadStore): one table per collection, `(id, doc JSON)`. */
export function snapshotReadModels(dataDir: string): ReadModelsSnapshot {
  const file = readModelsFile(dataDir);
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const catalog = new Map<string, CatalogRow>();
    for (const row of db.prepare('SELECT doc FROM projection_catalog').all() as Array<{
      doc: string;
    }>) {
      const entry = JSON.parse(row.doc) as CatalogRow;
      catalog.set(entry.id, entry);
    }
    const checkpoints = new Map(
      (
        db.prepare('SELECT name, position FROM checkpoints').all() as Array<{
          name: string;
          position: number;
        }>
      ).map((r) => [r.name, r.position]),
    );
    const table = (name: string): Docs => {
      const docs: Docs = new Map();
      const rows = db.prepare(`SELECT id, doc FROM "${name}" ORDER BY id`).all() as Array<{
        id: string;
        doc: string;
      }>;
      for (const row of rows) {
        const { _position, ...doc } = JSON.parse(row.doc) as Record<string, unknown>;
        if (typeof _position !== 'number') throw new Error(`${name} ${row.id} has no _position`);
        docs.set(row.id, doc);
      }
      return docs;
    };
    const documents = new Map<string, Docs>();
    const rollups = new Map<string, Docs>();
    for (const [name, entry] of catalog) {
      documents.set(name, table(entry.collection));
      rollups.set(name, table(entry.rollupCollection));
    }
    return { catalog, checkpoints, documents, rollups };
  } finally {
    db.close();
  }
}

/**
 * The lowest checkpoint of the read models (0 before the first batch), read from the file
 * while a server writes it; undefined when the file or its tables do not exist yet.
 */
export function lowestCheckpoint(dataDir: string): number | undefined {
  const file = readModelsFile(dataDir);
  if (!existsSync(file)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 2000 });
    const rows = db
      .prepare(
        `SELECT COALESCE(c.position, 0) AS position FROM projection_catalog p
         LEFT JOIN checkpoints c ON c.name = json_extract(p.doc, '$.collection')`,
      )
      .all() as Array<{ position: number }>;
    return rows.length < READ_MODELS.length ? 0 : Math.min(...rows.map((r) => r.position));
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}

export type { Json };
