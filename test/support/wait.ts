/** Waiting in tests: a plain pause, and polling until something holds, with a named timeout. */

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

export interface WaitOptions {
  /** The pause between two probes (10 ms). */
  readonly pollMs?: number;
  /**
   * Ask again when the probe throws (a server still starting or restarting), instead of failing
   * at once; the last error is named if the wait times out.
   */
  readonly retryErrors?: boolean;
}

/**
 * Polls `probe` until it answers something other than `false` or `undefined`, and returns that
 * answer. Past `timeoutMs` it fails naming `what` it waited for (a function is asked at that
 * moment, so the message can show the last state seen).
 */
export async function waitUntil<T>(
  what: string | (() => string),
  probe: () => T | Promise<T>,
  timeoutMs = 5000,
  { pollMs = 10, retryErrors = false }: WaitOptions = {},
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== false && value !== undefined) return value as Exclude<T, false | undefined>;
    } catch (error) {
      if (!retryErrors) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) {
      const waitedFor = typeof what === 'string' ? what : what();
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${waitedFor}${why}`);
    }
    await sleep(pollMs);
  }
}
