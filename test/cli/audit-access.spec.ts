/**
 * `npm run audit -- access`: the personal-data access log exported from the command line, as
 * JSON Lines or CSV, by organization and Shanghai days, the same records the HTTP export gives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlitePersonalDataAccessLog } from '../../src/adapters/sqlite/sqlite-personal-data-access-log.js';
import { runNode } from '../support/run-process.js';
import { requireCompiledServer, ROOT } from '../support/spawned-server.js';

const AUDIT = join(ROOT, 'dist', 'src', 'cli', 'audit.js');
const ORG = '0b7c6a7e-1c1e-4d6f-9a55-3f1f7e0c2a11';
const OTHER = '5d0c1e0a-2b3c-4d5e-8f90-a1b2c3d4e5f6';

let dataDir: string;
beforeAll(async () => {
  requireCompiledServer();
  dataDir = mkdtempSync(join(tmpdir(), 'audit-access-'));
  const log = SqlitePersonalDataAccessLog.open(join(dataDir, 'personal-data-access.sqlite'));
  const base = {
    actorId: 'u-shxc',
    role: 'committee',
    jurisdiction: '310104003001',
    route: 'GET /organizations/:id',
    fields: ['contact'],
  } as const;
  await log.append({ ...base, at: '2026-02-01T02:00:00.000Z', organizationId: ORG });
  await log.append({ ...base, at: '2026-02-02T16:30:00.000Z', organizationId: ORG });
  await log.append({ ...base, at: '2026-02-01T03:00:00.000Z', organizationId: OTHER });
  await log.append({
    ...base,
    actorId: '@SUM(1+1)',
    at: '2026-02-03T02:00:00.000Z',
    organizationId: ORG,
  });
  await log.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const audit = (args: string[]) => runNode(AUDIT, ['access', ...args], { DATA_DIR: dataDir });

it('exports JSON Lines by organization and Shanghai days, both included', async () => {
  const run = await audit([
    '--format',
    'jsonl',
    '--org',
    ORG,
    '--from',
    '2026-02-01',
    '--to',
    '2026-02-02',
  ]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = run.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { at: string; organizationId: string });
  // 16:30 UTC on 2 Feb is 3 Feb in Shanghai: outside the range.
  expect(lines.map((l) => [l.at, l.organizationId])).toEqual([['2026-02-01T02:00:00.000Z', ORG]]);
});

it('exports CSV to a file, every cell safe to open in a spreadsheet', async () => {
  const out = join(dataDir, 'access.csv');
  const run = await audit(['--format', 'csv', '--out', out]);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  const rows = readFileSync(out, 'utf8')
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n');
  expect(rows[0]).toBe('at,actorId,role,jurisdiction,organizationId,route,fields,correlationId,id');
  expect(rows).toHaveLength(5);
  expect(rows[4]).toMatch(/^2026-02-03T02:00:00.000Z,'@SUM\(1\+1\),committee,/);
});

it.each([
  [['--format', 'xml'], 'access needs --format jsonl or csv'],
  [['--format', 'csv', '--from', '2026-02-30'], '--from is a day YYYY-MM-DD'],
  [['--format', 'csv', '--from', '2026-02-03', '--to', '2026-02-02'], '--to must not be before'],
  [['--format', 'csv', '--org', 'nope'], '--org must be an organization id'],
])('bad usage %j: the reason and the usage, exit 2', async (args, reason) => {
  const run = await audit(args);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain(reason);
  expect(run.stderr).toContain('Usage');
});
