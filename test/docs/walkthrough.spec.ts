/**
 * The walk-through a newcomer pastes (README.md, then docs/read-models.md and docs/auditors.md,
 * in one shell): run as a script against a server on a fresh data directory, twice in a row.
 * Every request must succeed (curl --fail-with-body), every command exit 0, and the second run
 * must write nothing (its writes carry Idempotency-Keys). Every other `sh` block of the docs is
 * marked `sh example` (it needs Docker, Kafka or a stopped server) and is not run here.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../support/run-process.js';
import { ROOT, spawnServer, type SpawnedServer } from '../support/spawned-server.js';

interface Block {
  readonly file: string;
  readonly info: string;
  readonly code: string;
}

function shellBlocks(file: string): Block[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(/^```(sh[^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    file,
    info: match[1] ?? '',
    code: match[2] ?? '',
  }));
}

/** The blocks pasted one after another: each uses what the ones before defined ($API, $ID). */
const WALK = ['README.md', 'docs/read-models.md', 'docs/auditors.md'];
const PAGES = [
  ...WALK,
  ...readdirSync(join(ROOT, 'docs'))
    .map((page) => `docs/${page}`)
    .filter((page) => !WALK.includes(page)),
];
/** Files the walk-through writes into the current folder. */
const WRITTEN = ['registry.csv', 'history.jsonl'];

const runnable = PAGES.flatMap(shellBlocks).filter((block) => block.info === 'sh');

describe('the documentation shell blocks', () => {
  it('each is either part of the walk-through or marked as an example', () => {
    expect(runnable.map((block) => block.file)).toEqual(WALK);
  });
});

describe('the walk-through, pasted twice on a fresh data directory', () => {
  let dataDir: string;
  let server: SpawnedServer;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'walkthrough-'));
    // As a newcomer runs it: no JWT_SECRET, the secret generated in DATA_DIR, which
    // `npm run token` finds the same way.
    server = await spawnServer({ dataDir, env: { JWT_SECRET: '' } });
    await server.ready;
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    for (const file of WRITTEN) rmSync(join(ROOT, file), { force: true });
  });

  const script = (): string => {
    const [first, ...rest] = runnable.map((block) => block.code);
    const walk = [first ?? '', ...rest].join('\n');
    expect(walk).toContain('API=http://127.0.0.1:3000\n');
    return [
      'set -euo pipefail',
      // A refused request fails the script; the README shows plain `curl -s`.
      'curl() { command curl --fail-with-body "$@"; }',
      walk.replace('API=http://127.0.0.1:3000\n', `API=${server.baseUrl}\n`),
    ].join('\n');
  };
  const run = () =>
    runProcess(
      'bash',
      ['-c', script()],
      { HOME: process.env.HOME ?? dataDir, DATA_DIR: dataDir },
      120_000,
    );
  const headPosition = async (): Promise<number> => {
    const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
      eventStore: { headPosition: number };
    };
    return health.eventStore.headPosition;
  };

  it('runs through the first time: every request succeeds, the history verifies', async () => {
    const first = await run();
    expect({
      stdout: first.code === 0 ? '' : first.stdout,
      code: first.code,
      stderr: first.stderr.split('\n').filter((l) => !l.startsWith('Signed with')),
    }).toEqual({
      stdout: '',
      code: 0,
      stderr: [''],
    });
    expect(first.stdout).toMatch(/intact: \d+ events, head hash [0-9a-f]{64}/);
    expect(await headPosition()).toBeGreaterThan(0);
  });

  it('runs through again with the same answers and writes nothing more', async () => {
    const before = await headPosition();
    const second = await run();
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('天平路书画小组');
    expect(await headPosition()).toBe(before);
  });
});
