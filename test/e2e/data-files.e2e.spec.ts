/**
 * A damaged or foreign store file stops the compiled server at start with one clear line on
 * stderr (which file, what is wrong, what to do), a non-zero exit and no stack trace; and the
 * foreign file is left as it was. Needs `npm run build` (dist/src/main.js).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectNoStackTrace } from '../support/e2e-kit.js';
import { TEST_JWT_SECRET } from '../support/http-app.js';
import { runNode } from '../support/run-process.js';
import { COMPILED_MAIN, requireCompiledServer, startServer } from '../support/spawned-server.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'community-orgs-files-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  requireCompiledServer();
});

async function start(
  dir: string,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const result = await runNode(
    COMPILED_MAIN,
    [],
    { DATA_DIR: dir, JWT_SECRET: TEST_JWT_SECRET, PORT: '0', LOG_LEVEL: 'warn' },
    30_000,
  );
  return { code: result.code, signal: result.signal, stderr: result.stderr };
}

function expectOneClearLine(stderr: string, file: string, what: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(what);
  expectNoStackTrace(stderr.replaceAll(file, 'FILE'));
}

/** A real event log, written by the server, then stopped. */
async function realLog(): Promise<string> {
  const dir = dataDir();
  const server = await startServer(dir);
  await server.stop();
  return dir;
}

it('refuses an event log whose header is damaged', async () => {
  const dir = await realLog();
  const file = join(dir, 'events.sqlite');
  const bytes = readFileSync(file);
  bytes.fill(0x5a, 0, 100); // the header: magic string, page size, counters
  writeFileSync(file, bytes);
  const { code, stderr } = await start(dir);
  expect(code).toBe(1);
  expectOneClearLine(stderr, file, /event log: .*not a SQLite database, or it is damaged.*backup/);
});

it('refuses a text file in place of the event log', async () => {
  const dir = dataDir();
  const file = join(dir, 'events.sqlite');
  writeFileSync(file, 'name,phone\n王阿姨,13812345678\n');
  const { code, signal, stderr } = await start(dir);
  expect({ code, signal, stderr: code === 1 ? '' : stderr }).toEqual({
    code: 1,
    signal: null,
    stderr: '',
  });
  expectOneClearLine(stderr, file, /not a SQLite database/);
  expect(readFileSync(file, 'utf8')).toBe('name,phone\n王阿姨,13812345678\n');
});

it("refuses another application's SQLite database, and leaves it untouched", async () => {
  const dir = dataDir();
  const file = join(dir, 'events.sqlite');
  const foreign = new Database(file);
  foreign.exec(
    "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org')",
  );
  foreign.close();
  const before = readFileSync(file);
  const { code, stderr } = await start(dir);
  expect(code).toBe(1);
  expectOneClearLine(stderr, file, /another application's SQLite database \(tables moz_places\)/);
  expect(readFileSync(file).equals(before)).toBe(true);
});

it('refuses a SQLite file marked by another application, as the read models', async () => {
  const dir = dataDir();
  const file = join(dir, 'read-models.sqlite');
  const foreign = new Database(file);
  foreign.pragma('application_id = 1234');
  foreign.exec('CREATE TABLE checkpoints (name TEXT)');
  foreign.close();
  const { code, stderr } = await start(dir);
  expect(code).toBe(1);
  expectOneClearLine(
    stderr,
    file,
    /another application \(application id 1234\).*rebuilt from the event log/,
  );
});
