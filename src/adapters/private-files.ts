import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The server's data is nobody else's to read: directories it creates are 0700 and files 0600,
 * whatever the umask (which only ever removes bits, so the modes are set again after creation).
 */
const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/** Creates `dir` (and missing parents) as 0700; a directory that already exists is left alone. */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  chmodSync(dir, PRIVATE_DIR);
}

/**
 * Makes a SQLite database file and its companions (`-wal`, `-shm`, `-journal`) 0600 before
 * SQLite opens it: SQLite creates a database as 0644 but gives its companions the database's own
 * mode, so a database created here first stays private with everything SQLite adds beside it.
 * Files an earlier version left readable by others are narrowed too.
 */
export function ensurePrivateDatabaseFile(file: string): void {
  ensurePrivateDir(dirname(file));
  if (!existsSync(file)) closeSync(openSync(file, 'a', PRIVATE_FILE));
  for (const path of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`])
    if (existsSync(path)) chmodSync(path, PRIVATE_FILE);
}
