/**
 * The container image starts: the files the Dockerfile's final stage copies (its COPY lines),
 * assembled in a temporary folder, with the image's environment, serve /health and the
 * dashboard at /. A file the server reads at run time but the image lacks fails here (the
 * dashboard once did), without needing Docker.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../bench/free-port.js';
import { waitUntil } from '../support/wait.js';
import { ROOT } from '../support/spawned-server.js';

interface Runtime {
  /** Paths under /app, each from the repository (or the build stage, which the build made here). */
  readonly copies: string[];
  readonly env: Record<string, string>;
  readonly command: string[];
}

/** The final stage of the Dockerfile: what it copies into /app, its ENV and its CMD. */
function finalStage(): Runtime {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const stage = text.slice(text.lastIndexOf('\nFROM '));
  const copies = [...stage.matchAll(/^COPY (?:--from=\w+ )?(?:\/app\/)?(\S+) (\S+)$/gm)].map(
    (m) => m[1] ?? '',
  );
  const env: Record<string, string> = {};
  for (const line of stage.match(/^ENV .*$/gm) ?? [])
    for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g))
      env[key ?? ''] = value ?? '';
  const cmd = /^CMD (\[.*\])$/m.exec(stage)?.[1] ?? '[]';
  return { copies, env, command: JSON.parse(cmd) as string[] };
}

describe('the Dockerfile runtime layout', () => {
  let app: string;
  let data: string;
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGKILL');
    rmSync(app, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it('copies what the server reads and starts with the image environment: /health and / answer', async () => {
    const runtime = finalStage();
    expect(runtime.copies).toEqual(expect.arrayContaining(['dist', 'node_modules', 'dashboard']));
    expect(runtime.env['NODE_ENV']).toBe('production');
    app = mkdtempSync(join(tmpdir(), 'image-app-'));
    data = mkdtempSync(join(tmpdir(), 'image-data-'));
    for (const path of runtime.copies) {
      // node_modules is large: linked, not copied (the image prunes dev dependencies on top).
      if (path === 'node_modules') symlinkSync(join(ROOT, path), join(app, path));
      else cpSync(join(ROOT, path), join(app, path), { recursive: true });
    }
    const port = await freePort();
    const [command, ...args] = runtime.command;
    expect(command).toBe('node');
    server = spawn(process.execPath, args, {
      cwd: app,
      env: {
        PATH: process.env.PATH ?? '',
        ...runtime.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: data,
        // Production takes its tokens from an OpenID Connect provider (found on first use).
        OIDC_ISSUER: 'https://login.example.gov.cn',
        OIDC_AUDIENCE: 'community-orgs-registry',
        PERSONAL_DATA_KEK: randomBytes(32).toString('base64'),
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    server.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    const base = `http://127.0.0.1:${String(port)}`;
    await waitUntil(
      `the image's server to answer /health (output: ${output})`,
      async () => (await fetch(`${base}/health`).catch(() => undefined))?.status === 200,
      20_000,
    );
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  }, 30_000);
});
