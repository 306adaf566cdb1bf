import { performance } from 'node:perf_hooks';
import {
  StorageUnavailable,
  type StorageProblem,
} from '../event-sourcing/storage/storage-unavailable.js';

/** Something /health makes a round trip to: a store, or the broker. */
export interface ProbedComponent {
  /** As /health names it: `event store`, `read store`, `personal-data vault`, … */
  readonly name: string;
  ping(): Promise<void>;
}

/** The answer of one round trip. */
export interface ComponentHealth {
  readonly name: string;
  readonly up: boolean;
  /** How long the round trip took (up to the timeout). */
  readonly ms: number;
  /** Why it is down: the storage problem, `timeout`, or `error`; never the driver's message. */
  readonly problem?: StorageProblem | 'timeout' | 'error';
}

export interface HealthProbeOptions {
  /** A component that has not answered in this long is down. */
  readonly timeoutMs: number;
  /** Answers younger than this are reused, so /health cannot be made to hammer the stores. */
  readonly reuseMs: number;
}

/** A store answers in milliseconds; two seconds without an answer is down. */
export const HEALTH_PROBE_OPTIONS: HealthProbeOptions = { timeoutMs: 2000, reuseMs: 1000 };

/**
 * One round trip to each component, all at once, each bounded by a timeout. /health is public and
 * unauthenticated: concurrent checks share the round trips in flight, and an answer is reused for
 * `reuseMs`, so any number of requests costs each store at most one ping per interval. Timed by
 * the monotonic clock: how long a round trip took, not what time it is (tests fix the latter).
 */
export class HealthProbes {
  private inFlight: Promise<ComponentHealth[]> | undefined;
  private last: { readonly at: number; readonly answer: ComponentHealth[] } | undefined;

  constructor(
    private readonly components: readonly ProbedComponent[],
    private readonly options: HealthProbeOptions,
  ) {}

  check(): Promise<ComponentHealth[]> {
    const now = performance.now();
    if (this.last && now - this.last.at < this.options.reuseMs) {
      return Promise.resolve(this.last.answer);
    }
    this.inFlight ??= Promise.all(this.components.map((c) => this.probe(c))).then((answer) => {
      this.last = { at: performance.now(), answer };
      this.inFlight = undefined;
      return answer;
    });
    return this.inFlight;
  }

  private async probe(component: ProbedComponent): Promise<ComponentHealth> {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => {
        resolve('timeout');
      }, this.options.timeoutMs);
    });
    try {
      const answered = await Promise.race([component.ping().then(() => 'up' as const), timeout]);
      const ms = performance.now() - started;
      return answered === 'up'
        ? { name: component.name, up: true, ms }
        : { name: component.name, up: false, ms, problem: 'timeout' };
    } catch (error) {
      return {
        name: component.name,
        up: false,
        ms: performance.now() - started,
        // The stores come through the storage guard, which names their failures.
        problem: error instanceof StorageUnavailable ? error.problem : 'error',
      };
    } finally {
      clearTimeout(timer);
    }
  }
}
