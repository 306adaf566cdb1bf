/** Runs a command line (a compiled CLI, a fixture script) to its end, collecting its output. */
import { spawn } from 'node:child_process';
import { TEST_PERSONAL_DATA_KEK } from './personal-data-kek.js';
import { ROOT } from './spawned-server.js';

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `command args` in the project folder with a minimal environment (PATH, NODE_ENV=test, the
 * test key-encryption key) plus `env`, without blocking this process; killed and refused if it outlasts `timeoutMs`.
 */
export function runProcess(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  timeoutMs = 60_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in ${String(timeoutMs)} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `node script args`. */
export function runNode(
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  timeoutMs?: number,
): Promise<RunResult> {
  return runProcess(process.execPath, [script, ...args], env, timeoutMs);
}
