/**
 * Where the test MongoDB-wire server (FerretDB on SQLite, `npm run services`) keeps a database:
 * `<db>.sqlite` and its `-wal` and `-shm` under its data directory, which
 * scripts/services/services.mjs puts at ${XDG_RUNTIME_DIR:-/tmp}/community-orgs-services/mongodb/data
 * (FERRETDB_DATA_DIR names another). Undefined when that directory is not there: a real MongoDB,
 * or a FerretDB started elsewhere.
 */
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function ferretDbDataDir(): string | undefined {
  const dir =
    process.env.FERRETDB_DATA_DIR ??
    join(process.env.XDG_RUNTIME_DIR ?? tmpdir(), 'community-orgs-services', 'mongodb', 'data');
  return existsSync(dir) ? dir : undefined;
}

/** The files FerretDB keeps the database `dbName` in (none before its first write). */
export function ferretDbFiles(dataDir: string, dbName: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name === `${dbName}.sqlite` || name.startsWith(`${dbName}.sqlite-`))
    .map((name) => join(dataDir, name));
}
