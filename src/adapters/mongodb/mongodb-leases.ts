import type { Collection, Db } from 'mongodb';
import { createMissingIndexes } from './missing-indexes.js';
import { DUPLICATE_KEY, hasCode } from './server-errors.js';
import { LEASES, LEASE_GENERATIONS } from '../../event-sourcing/ports/read-store-names.js';
import {
  checkHolder,
  LeaseLostError,
  type LeaseFence,
} from '../../event-sourcing/ports/lease-fence.js';

/**
 * One document per lease: the server's clock, and the generation of a lease written before
 * generations had their own documents (new generations start above it, so the generation
 * stored with a checkpoint only ever grows).
 */
interface StoredClock {
  _id: string;
  generation?: number;
  serverNow?: Date;
}

/** One generation of a lease: inserted once by the holder that took it, renewed only by it. */
interface StoredGeneration {
  /** `<lease>#<generation>`: the unique key is what lets exactly one taker win. */
  _id: string;
  lease: string;
  generation: number;
  holder: string;
  /** By the server's clock; the epoch once released. */
  expiresAt: Date;
  /** Set by its holder's release: the next acquire, even by the same holder, is a new generation. */
  released?: true;
}

/** Looks that lost a race and look again before answering (one may be our own renewal). */
const ATTEMPTS = 5;

const LATEST_FIRST = { generation: -1 } as const;

/**
 * Leases with fencing on a MongoDB-wire server, by the server's clock.
 *
 * A compare-and-set on one lease document is atomic on MongoDB but not on FerretDB 1.x, which
 * reads a matching document and writes it back in two steps: two racing takers both matched and
 * both won. Inserting a document under a unique `_id` is atomic on every such server, so each
 * generation is its own document `<lease>#<n>` and taking the lease is inserting the next one:
 * of racing takers exactly one inserts it. The holder is the latest generation's, and a fence
 * holds while its generation is the latest. A taker deletes the generations before its own, so
 * a late renewal of one of them finds nothing and answers that the lease is lost.
 */
export class MongoLeases {
  private indexed: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /** The generation now held by `holder`, or undefined when another holds an unexpired one. */
  async acquire(name: string, holder: string, ttlMs: number): Promise<number | undefined> {
    checkHolder(holder);
    await this.ensureIndex();
    const generations = this.generations();
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const clock = await this.stampServerTime(name);
      if (clock?.serverNow === undefined) continue;
      const now = clock.serverNow.getTime();
      const expiresAt = new Date(now + ttlMs);
      const latest = await this.latest(name);
      if (latest !== null && held(latest, holder)) {
        const renewed = await generations.updateOne(
          { _id: latest._id, holder, released: { $exists: false } },
          { $set: { expiresAt } },
        );
        if (renewed.matchedCount === 1) return latest.generation;
        continue;
      }
      if (latest !== null && latest.released !== true && latest.expiresAt.getTime() > now) {
        return undefined;
      }
      const generation = Math.max(latest?.generation ?? 0, clock.generation ?? 0) + 1;
      try {
        await generations.insertOne({
          _id: generationId(name, generation),
          lease: name,
          generation,
          holder,
          expiresAt,
        });
      } catch (error) {
        if (hasCode(error, DUPLICATE_KEY)) continue;
        throw error;
      }
      await generations.deleteMany({ lease: name, generation: { $lt: generation } });
      return generation;
    }
    return undefined;
  }

  /** The generation stays, released, so the next one is greater than all before. */
  async release(name: string, holder: string): Promise<void> {
    await this.generations().updateMany(
      { lease: name, holder },
      { $set: { expiresAt: new Date(0), released: true } },
    );
  }

  /** Throws LeaseLostError unless the fence's holder still holds the latest generation. */
  async check(fence: LeaseFence): Promise<void> {
    const latest = await this.latest(fence.lease);
    if (latest === null || !held(latest, fence.holder) || latest.generation !== fence.generation) {
      throw new LeaseLostError(fence);
    }
  }

  private latest(name: string): Promise<StoredGeneration | null> {
    return this.generations().findOne({ lease: name }, { sort: LATEST_FIRST });
  }

  /**
   * The server's time, stamped into the lease's clock document (created if missing): FerretDB
   * has no `$$NOW`, and a replica's own clock may run fast.
   */
  private async stampServerTime(name: string): Promise<StoredClock | null> {
    try {
      return await this.clocks().findOneAndUpdate(
        { _id: name },
        { $currentDate: { serverNow: true } },
        { upsert: true, returnDocument: 'after' },
      );
    } catch (error) {
      // Two first acquirers racing to create it: the other one did; the caller looks again.
      if (hasCode(error, DUPLICATE_KEY)) return null;
      throw error;
    }
  }

  private ensureIndex(): Promise<void> {
    this.indexed ??= createMissingIndexes(this.generations(), [
      { key: { lease: 1, generation: -1 }, name: 'lease_1_generation_-1' },
    ]).catch((error: unknown) => {
      // Tried again by the next acquire rather than remembered as failed.
      this.indexed = undefined;
      throw error;
    });
    return this.indexed;
  }

  private clocks(): Collection<StoredClock> {
    return this.db.collection<StoredClock>(LEASES);
  }

  private generations(): Collection<StoredGeneration> {
    return this.db.collection<StoredGeneration>(LEASE_GENERATIONS);
  }
}

function held(generation: StoredGeneration, holder: string): boolean {
  return generation.holder === holder && generation.released !== true;
}

function generationId(name: string, generation: number): string {
  return `${name}#${String(generation)}`;
}
