import { HttpException } from '@nestjs/common';

/** The server is already producing as many of these answers as it allows: 503 with Retry-After. */
export class Busy extends HttpException {
  constructor(
    what: string,
    readonly retryAfterSeconds: number,
  ) {
    super(`The server is busy with other ${what}; retry in ${String(retryAfterSeconds)} s`, 503);
  }
}

/**
 * Caps how many of one heavy answer (a scan of the whole log, a city-wide export) run at once on
 * this replica. The next is refused at once rather than queued: a queue would hold connections
 * and memory for answers the client may have given up on.
 */
export class ConcurrencyLimit {
  private running = 0;

  constructor(
    private readonly what: string,
    private readonly max: number,
    private readonly retryAfterSeconds: number,
  ) {}

  /** Takes a slot or throws Busy; the returned function gives it back (once, however often called). */
  acquire(): () => void {
    if (this.running >= this.max) throw new Busy(this.what, this.retryAfterSeconds);
    this.running += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
    };
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}
