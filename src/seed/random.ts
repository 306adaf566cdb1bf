import { createHash } from 'node:crypto';

/**
 * A small seeded PRNG (sfc32, public domain, by Chris Doty-Humphrey) so that a seed plan is a pure
 * function of its inputs: never Math.random, never the clock.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a >>> 0;
    this.b = b >>> 0;
    this.c = c >>> 0;
    this.d = d >>> 0;
    // Mix the state so nearby seeds do not start with related outputs.
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** A generator seeded by any text (e.g. `plan:1:city`): the seed is its SHA-256. */
  static fromText(text: string): Random {
    const digest = createHash('sha256').update(text).digest();
    return new Random(
      digest.readUInt32LE(0),
      digest.readUInt32LE(4),
      digest.readUInt32LE(8),
      digest.readUInt32LE(12),
    );
  }

  /** A cheap generator seeded by up to three 32-bit numbers, e.g. drawn from another generator. */
  static fromNumbers(a: number, b = 0, c = 0): Random {
    return new Random(0x9e3779b9 ^ b, 0x243f6a88 ^ c, 0xb7e15162, a);
  }

  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** A key drawn with the given relative weights. */
  weighted<K extends string>(weights: Weights<K>): K {
    const x = this.next() * weights.total;
    const { keys, cumulative } = weights;
    for (let i = 0; i < keys.length - 1; i++) {
      if (x < (cumulative[i] ?? 0)) return keys[i] as K;
    }
    return keys[keys.length - 1] as K;
  }

  /** Poisson-distributed count (Knuth; means here stay small). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gaussian()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Standard normal (Box–Muller). */
  gaussian(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-uniform in [min, max]: small amounts common, large ones rare but present. */
  logUniform(min: number, max: number): number {
    return Math.exp(Math.log(min) + this.next() * (Math.log(max) - Math.log(min)));
  }
}

/** Relative weights of keys, prepared once for drawing (keys keep their order: deterministic). */
export class Weights<K extends string> {
  readonly keys: readonly K[];
  readonly cumulative: readonly number[];
  readonly total: number;

  constructor(weights: Readonly<Partial<Record<K, number>>>) {
    const keys: K[] = [];
    const cumulative: number[] = [];
    let total = 0;
    for (const [key, weight] of Object.entries(weights) as [K, number | undefined][]) {
      if (weight === undefined || weight <= 0) continue;
      total += weight;
      keys.push(key);
      cumulative.push(total);
    }
    if (keys.length === 0) throw new RangeError('weights without a positive weight');
    this.keys = keys;
    this.cumulative = cumulative;
    this.total = total;
  }

  /** The same weights without some keys. */
  without(...excluded: readonly K[]): Weights<K> {
    const kept: Partial<Record<K, number>> = {};
    let previous = 0;
    this.keys.forEach((key, i) => {
      const cumulative = this.cumulative[i] ?? previous;
      if (!excluded.includes(key)) kept[key] = cumulative - previous;
      previous = cumulative;
    });
    return new Weights(kept);
  }
}
