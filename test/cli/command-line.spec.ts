/**
 * The command line a newcomer meets first: `--help` on every command prints its usage and exits
 * 0; bad usage, a missing file, a bad variable and a taken port each answer in one clear line,
 * not a stack trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runNode } from '../support/run-process.js';
import { COMPILED_MAIN, ROOT, startServer } from '../support/spawned-server.js';

const cli = (name: string): string => join(ROOT, 'dist', 'src', 'cli', `${name}.js`);
const COMMANDS = ['token', 'projections', 'seed', 'audit', 'consume', 'claims'] as const;

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'cli-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('every command answers --help with its usage, exit 0', () => {
  it.each(COMMANDS)('npm run %s -- --help', async (name) => {
    for (const flag of ['--help', '-h']) {
      const run = await runNode(cli(name), [flag], { DATA_DIR: dataDir });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Usage/);
    }
  });

  it.each(COMMANDS)(
    'npm run %s -- --bogus is bad usage: the reason and the usage, exit 2',
    async (name) => {
      const run = await runNode(cli(name), ['--bogus'], { DATA_DIR: dataDir });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("Unknown option '--bogus'");
      expect(run.stderr).toContain('Usage');
    },
  );
});

describe('failures a newcomer meets answer in one line', () => {
  it('the standalone verifier given a missing file: one line, exit 2', async () => {
    const run = await runNode(join(ROOT, 'tools', 'verify-history.mjs'), ['history.jsonl']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringContaining('history.jsonl: no such file'),
    ]);
  });

  it('a bad variable is one message per variable, not one per constraint', async () => {
    const run = await runNode(COMPILED_MAIN, [], {
      DATA_DIR: dataDir,
      PORT: 'abc',
      LEASE_SECONDS: 'x',
    });
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  - PORT="abc": PORT must be an integer number',
      '  - LEASE_SECONDS="x": LEASE_SECONDS must be an integer number',
    ]);
  });

  it('a second server on a taken port exits 1 saying so, without a stack trace', async () => {
    const first = await startServer(dataDir);
    try {
      const port = new URL(first.baseUrl).port;
      const second = await runNode(COMPILED_MAIN, [], {
        DATA_DIR: join(dataDir, 'second'),
        PORT: port,
      });
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`Cannot listen on 127.0.0.1:${port}: the port is taken`);
      expect(second.stderr).not.toMatch(/^\s+at /m);
    } finally {
      await first.stop();
    }
  });
});
