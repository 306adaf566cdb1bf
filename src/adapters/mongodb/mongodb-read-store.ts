import {
  MongoBulkWriteError,
  MongoClient,
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Filter as MongoFilter,
  type MongoClientOptions,
} from 'mongodb';
import { createMissingIndexes } from './missing-indexes.js';
import { MongoLeases } from './mongodb-leases.js';
import {
  PINNED_READ_CONCERN,
  PINNED_READ_PREFERENCE,
  pinnedWriteConcern,
} from './pinned-settings.js';
import { DUPLICATE_KEY, hasCode, NAMESPACE_EXISTS, NAMESPACE_NOT_FOUND } from './server-errors.js';
import {
  CHECKPOINTS,
  checkCollection,
  checkField,
  collectionNameProblem,
} from '../../event-sourcing/ports/read-store-names.js';
import { indexKeys, indexName } from '../../event-sourcing/ports/read-store-indexes.js';
import { LeaseLostError, type LeaseFence } from '../../event-sourcing/ports/lease-fence.js';
import type {
  Condition,
  Document,
  Filter,
  IndexSpec,
  Query,
  ReadStore,
  UnitOfWork,
} from '../../event-sourcing/ports/read-store.port.js';
import {
  type Position,
  positionFromJson,
  positionToJson,
} from '../../event-sourcing/ports/event-store.port.js';

/**
 * What a read-store document looks like in MongoDB: the document itself, `id` included, under
 * `_id` = its id. `_id` is the primary key (and its index); `id` stays so that a document
 * read back is exactly the one written, with its fields in their order.
 */
interface StoredDocument {
  _id: string;
  id: string;
  [field: string]: unknown;
}

interface StoredCheckpoint {
  _id: string;
  position: number;
  /** The lease and generation of the fenced writer that last moved it, if any. */
  lease?: string;
  generation?: number;
}

/** Ids per `$in` list of getMany. */
const GET_MANY_CHUNK = 1000;

const CHECKPOINTS_COLLECTION = CHECKPOINTS;
/** The field in which projections keep the last position applied to a document. */
const POSITION_FIELD = '_position';

const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** How long the fields a collection's indexes name are trusted before they are listed again. */
const INDEXED_FIELDS_TTL_MS = 60_000;

export interface MongoReadStoreOptions {
  /** To the driver: TLS, credentials, pool size, timeouts. They win over the URL's. */
  readonly client?: MongoClientOptions;
  /** How long a majority may take to acknowledge a write before it fails (wtimeout). */
  readonly writeTimeoutMs?: number;
  /** The longest the server may build one index before it stops it (maxTimeMS). */
  readonly indexBuildTimeoutMs?: number;
}

/**
 * The read store in a MongoDB database: a collection per read-store collection, each document
 * stored under `_id` = its id, filters translated to query operators, and the checkpoints as
 * `{ _id: name, position }` documents of a `checkpoints` collection.
 *
 * It needs no transactions, sessions or change streams, so it also runs on MongoDB-wire servers
 * that lack them (FerretDB) and on a standalone mongod. The price: a commit is not atomic. It
 * writes the documents first and the checkpoints last, so that a failure in between leaves the
 * documents ahead of their checkpoint, never behind it; see `commit`.
 */
export class MongoReadStore implements ReadStore {
  private closed = false;
  /**
   * The fields each collection's indexes name, listed from the server (a replica that serves
   * queries did not ensure the collections itself): they hold scalars (see IndexSpec).
   */
  private readonly indexedFields = new Map<
    string,
    { readonly fields: Promise<ReadonlySet<string>>; readonly until: number }
  >();

  private readonly leases: MongoLeases;

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly indexBuildTimeoutMs: number | undefined,
  ) {
    this.leases = new MongoLeases(db);
  }

  /**
   * Connects to the server at `url` and uses the database `dbName`, reading majority-acknowledged
   * data from the primary and writing with a majority write concern whatever the URL says (see
   * pinned-settings.ts). The client options go to the driver (TLS, credentials, pool size,
   * timeouts) and win over the URL's.
   */
  static async connect(
    url: string,
    dbName: string,
    options: MongoReadStoreOptions = {},
  ): Promise<MongoReadStore> {
    const client = new MongoClient(url, {
      appName: 'community-orgs-read-store',
      ...options.client,
    });
    try {
      await client.connect();
      // Database-level settings win over the client's, which the URL sets.
      const db = client.db(dbName, {
        readPreference: PINNED_READ_PREFERENCE,
        readConcern: PINNED_READ_CONCERN,
        writeConcern: pinnedWriteConcern(options.writeTimeoutMs),
      });
      return new MongoReadStore(client, db, options.indexBuildTimeoutMs);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  async ensureCollection(collection: string, indexes: readonly IndexSpec[]): Promise<void> {
    // Everything is validated before anything is created.
    const specs = indexes.map((spec) => indexSpec(collection, spec));
    const db = this.open();
    try {
      await db.createCollection(checkCollection(collection));
    } catch (error) {
      if (!hasCode(error, NAMESPACE_EXISTS)) throw error;
    }
    // Listed again at the next query: the new indexes may name more fields.
    this.indexedFields.delete(collection);
    // The `_id` index always exists, and serves either direction: an index on `id` alone
    // would only repeat it.
    const wanted = specs.filter((spec) => !(spec.key.size === 1 && spec.key.has('_id')));
    if (wanted.length === 0) return;
    await createMissingIndexes(
      db.collection(collection),
      wanted.map((spec) => ({ key: Object.fromEntries(spec.key), name: spec.name })),
      { timeoutMs: this.indexBuildTimeoutMs },
    );
    this.indexedFields.delete(collection);
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    const stored = await this.documents(collection).findOne({ _id: id });
    return stored === null ? undefined : fromStored(stored);
  }

  async getMany(collection: string, ids: readonly string[]): Promise<Map<string, Document>> {
    const documents = this.documents(collection);
    const found = new Map<string, Document>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += GET_MANY_CHUNK) {
      const chunk = unique.slice(start, start + GET_MANY_CHUNK);
      for (const stored of await documents.find({ _id: { $in: chunk } }).toArray()) {
        found.set(stored._id, fromStored(stored));
      }
    }
    return found;
  }

  async find(collection: string, query: Query = {}): Promise<Document[]> {
    const documents = this.documents(collection);
    const filter = mongoFilter(query.filter, await this.scalarFields(collection, query.filter));
    const sort = mongoSort(query.sort);
    const skip = nonNegative('skip', query.skip);
    const limit = nonNegative('limit', query.limit);
    // A MongoDB cursor reads limit(0) as "no limit"; the port means "nothing".
    if (limit === 0) return [];
    const cursor = documents.find(filter, {
      sort,
      ...(skip === undefined ? {} : { skip }),
      ...(limit === undefined ? {} : { limit }),
    });
    return (await cursor.toArray()).map(fromStored);
  }

  async count(collection: string, filter?: Filter): Promise<number> {
    const documents = this.documents(collection);
    const query = mongoFilter(filter, await this.scalarFields(collection, filter));
    // Without a condition the planner would read every document; hinted, the `_id` index alone
    // is counted.
    const empty = Object.keys(query).length === 0;
    return documents.countDocuments(query, empty ? { hint: { _id: 1 } } : {});
  }

  /**
   * Writes the documents, then the checkpoints, without a transaction:
   *
   * 1. For each collection, one ordered `bulkWrite`: the puts (`replaceOne` upserts, the last
   *    put of an id in the unit winning), then the deletes (`deleteOne`).
   * 2. Only once every collection is written, the checkpoints (`replaceOne` upserts).
   *
   * A crash or error between the two (or within the first) leaves documents ahead of their
   * checkpoint: the events up to the old checkpoint are replayed. Projections tolerate that
   * because every document remembers the last position applied to it (`_position`) and a
   * replay skips the events a document already applied. The opposite order could move a
   * checkpoint past documents never written, which nothing would ever repair.
   *
   * Besides, a put of a document carrying a numeric `_position` never overwrites a stored
   * document with an equal or higher `_position` (a slower, concurrent or replaying writer):
   * the upsert's filter then matches nothing, its insert collides on `_id`, and that
   * duplicate-key error means "a newer version is already stored" and is ignored. Documents
   * without `_position` are plain upserts.
   *
   * A malformed unit (bad names, ids, positions, or a document JSON cannot hold) is refused
   * before anything is written.
   */
  async commit(unit: UnitOfWork): Promise<void> {
    const db = this.open();
    const batches = writeBatches(unit);
    const checkpoints = checkpointWrites(unit.checkpoints);
    const { fence } = unit;

    // Fenced (see `acquireLease`): checked before the documents and again before the
    // checkpoints, which also carry the generation that moved them.
    if (fence) await this.leases.check(fence);
    // Without transactions the order is the guarantee: collections one after the other, in the
    // order the unit first names them, then the checkpoints. The projection runner names its
    // rollups first: a crash after them but before the documents replays the batch, the rollups
    // skip the events they already counted (their position) and the documents catch up; the
    // reverse order would lose counts, since documents that applied an event skip it on replay.
    for (const [collection, operations] of batches) {
      await writeDocuments(db.collection<StoredDocument>(collection), operations);
    }

    if (checkpoints.length === 0) return;
    if (fence) await this.leases.check(fence);
    // Independent of each other once the documents are written.
    await Promise.all(
      checkpoints.map(([name, position]) =>
        moveCheckpoint(this.checkpoints(), name, position, fence),
      ),
    );
  }

  async checkpoint(name: string): Promise<Position> {
    const stored = await this.checkpoints().findOne({ _id: name });
    return positionFromJson(stored?.position ?? 0);
  }

  async deleteCheckpoint(name: string): Promise<void> {
    await this.checkpoints().deleteOne({ _id: name });
  }

  async dropCollection(collection: string): Promise<void> {
    // Its indexes go with it.
    const documents = this.documents(collection);
    this.indexedFields.delete(collection);
    try {
      await documents.drop();
    } catch (error) {
      // Servers before MongoDB 7 answer "ns not found" for a collection that does not exist.
      if (!hasCode(error, NAMESPACE_NOT_FOUND)) throw error;
    }
  }

  /**
   * Expiry by the server's clock, not the replicas' (`nowMs` is ignored): a replica whose clock
   * runs fast cannot take a lease early. See MongoLeases for why each generation is a document.
   */
  async acquireLease(
    name: string,
    holder: string,
    ttlMs: number,
    _nowMs: number,
  ): Promise<number | undefined> {
    return this.leases.acquire(name, holder, ttlMs);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    await this.leases.release(name, holder);
  }

  async listCollections(): Promise<string[]> {
    const listed = await this.open()
      .listCollections({}, { nameOnly: true, authorizedCollections: true })
      .toArray();
    return listed
      .map((collection) => collection.name)
      .filter((name) => collectionNameProblem(name) === undefined)
      .sort();
  }

  async ping(): Promise<void> {
    await this.open().command({ ping: 1 });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /** The database, or a plain error once the store is closed. */
  private open(): Db {
    if (this.closed) throw new Error('The MongoDB read store is closed');
    return this.db;
  }

  private documents(collection: string): Collection<StoredDocument> {
    checkCollection(collection);
    return this.open().collection<StoredDocument>(collection);
  }

  /**
   * The fields of `filter` that the collection's indexes name, so hold scalars: their
   * conditions need no guard against arrays. Listed once a minute at most, per collection.
   */
  private async scalarFields(
    collection: string,
    filter: Filter | undefined,
  ): Promise<ReadonlySet<string>> {
    const fields = Object.keys(filter ?? {}).filter((field) => field !== 'id');
    if (fields.length === 0) return new Set();
    const now = Date.now();
    let cached = this.indexedFields.get(collection);
    if (cached === undefined || cached.until <= now) {
      cached = { fields: this.listIndexedFields(collection), until: now + INDEXED_FIELDS_TTL_MS };
      this.indexedFields.set(collection, cached);
    }
    const entry = cached;
    try {
      return await entry.fields;
    } catch (error) {
      // Not remembered: the next query asks again.
      if (this.indexedFields.get(collection) === entry) this.indexedFields.delete(collection);
      throw error;
    }
  }

  private async listIndexedFields(collection: string): Promise<ReadonlySet<string>> {
    let listed: ReadonlyArray<{ key?: unknown }>;
    try {
      listed = (await this.documents(collection).listIndexes().toArray()) as ReadonlyArray<{
        key?: unknown;
      }>;
    } catch (error) {
      // A collection that does not exist has no indexes (and no documents).
      if (hasCode(error, NAMESPACE_NOT_FOUND)) return new Set();
      throw error;
    }
    const fields = new Set<string>();
    for (const { key } of listed) {
      if (isPlainObject(key)) for (const path of Object.keys(key)) fields.add(path);
    }
    return fields;
  }

  private checkpoints(): Collection<StoredCheckpoint> {
    return this.open().collection<StoredCheckpoint>(CHECKPOINTS_COLLECTION);
  }
}

type DocumentWrite = AnyBulkWriteOperation<StoredDocument>;

interface Write {
  readonly operation: DocumentWrite;
  /** Guarded by `_position`: a duplicate-key error means a newer version is stored. */
  readonly guarded: boolean;
}

/**
 * The unit's document writes by collection, validated and converted up front so that a
 * malformed unit writes nothing. Puts come before deletes, as on SQLite.
 */
function writeBatches(unit: UnitOfWork): Map<string, Write[]> {
  const puts = new Map<string, Map<string, StoredDocument>>();
  for (const { collection, document } of unit.puts ?? []) {
    checkCollection(collection);
    const id: unknown = document.id;
    if (typeof id !== 'string') {
      throw new TypeError(`A document put into ${collection} has no string id`);
    }
    const byId = puts.get(collection) ?? new Map<string, StoredDocument>();
    // The last put of an id wins: delete first, so that the map keeps the order of last puts.
    byId.delete(id);
    byId.set(id, toStored(collection, document));
    puts.set(collection, byId);
  }
  // By id: the position of its last delete in the unit (undefined: unguarded).
  const deletes = new Map<string, Map<string, number | undefined>>();
  for (const { collection, id, position: guard } of unit.deletes ?? []) {
    const position = guard === undefined ? undefined : positionToJson(guard);
    checkCollection(collection);
    if (typeof id !== 'string') throw new TypeError(`A delete from ${collection} has no string id`);
    if (position !== undefined) checkPosition(`The delete of ${id} from ${collection}`, position);
    const ids = deletes.get(collection) ?? new Map<string, number | undefined>();
    ids.set(id, position);
    deletes.set(collection, ids);
  }

  const batches = new Map<string, Write[]>();
  for (const [collection, byId] of puts) {
    batches.set(collection, [...byId.values()].map(putWrite));
  }
  for (const [collection, ids] of deletes) {
    const writes = batches.get(collection) ?? [];
    for (const [id, position] of ids) writes.push(deleteWrite(id, position));
    batches.set(collection, writes);
  }
  return batches;
}

function putWrite(stored: StoredDocument): Write {
  const position = stored[POSITION_FIELD];
  if (typeof position !== 'number') {
    return {
      operation: { replaceOne: { filter: { _id: stored._id }, replacement: stored, upsert: true } },
      guarded: false,
    };
  }
  // Matches a stored version that is older or has no numeric position (`$not` rather than
  // `$lt`, so that a missing position counts as older); with no stored version, it inserts.
  const filter = {
    _id: stored._id,
    [POSITION_FIELD]: { $not: { $gte: position } },
  } as MongoFilter<StoredDocument>;
  return {
    operation: { replaceOne: { filter, replacement: stored, upsert: true } },
    guarded: true,
  };
}

/** A delete with a position removes only an older version (or one without `_position`). */
function deleteWrite(id: string, position: number | undefined): Write {
  const filter =
    position === undefined
      ? { _id: id }
      : ({
          _id: id,
          [POSITION_FIELD]: { $not: { $gte: position } },
        } as MongoFilter<StoredDocument>);
  return { operation: { deleteOne: { filter } }, guarded: false };
}

/**
 * Runs the writes in order. A duplicate key on `_id` is what a guarded put answers when a
 * newer version is stored: it is skipped and the writes after it run. An ordered bulk stops at
 * its first error, and the error's index may be lower than the failed write's (FerretDB
 * answers 0): resuming after that index writes some again, which the upserts and deletes
 * allow, and never skips one.
 */
async function writeDocuments(
  collection: Collection<StoredDocument>,
  writes: readonly Write[],
): Promise<void> {
  let start = 0;
  while (start < writes.length) {
    const rest = writes.slice(start);
    try {
      await collection.bulkWrite(
        rest.map((write) => write.operation),
        { ordered: true },
      );
      return;
    } catch (error) {
      const index = guardConflict(error, rest);
      if (index === undefined) throw error;
      start += index + 1;
    }
  }
}

/** The index of the write to skip, when the error is a guarded put finding a newer version. */
function guardConflict(error: unknown, writes: readonly Write[]): number | undefined {
  if (!(error instanceof MongoBulkWriteError) || error.writeConcernError) return undefined;
  const writeErrors = [error.writeErrors].flat();
  const first = writeErrors[0];
  if (writeErrors.length !== 1 || first === undefined || first.code !== DUPLICATE_KEY) {
    return undefined;
  }
  // The read-store collections have no unique index but `_id`, and an upsert by `_id` alone
  // (unguarded) is retried by the server: the duplicate comes from a guarded put at or after
  // the reported index.
  const index = first.index;
  if (!Number.isSafeInteger(index) || index < 0 || index >= writes.length) return undefined;
  return writes.slice(index).some((write) => write.guarded) ? index : undefined;
}

function checkpointWrites(checkpoints: UnitOfWork['checkpoints']): Array<[string, number]> {
  const writes = Object.entries(checkpoints ?? {}).map(([name, position]): [string, number] => [
    name,
    positionToJson(position),
  ]);
  for (const [name, position] of writes) checkPosition(`Checkpoint ${name}`, position);
  return writes;
}

function checkPosition(what: string, position: number): void {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${String(position)}`);
  }
}

/**
 * Moves a checkpoint forward only, and, for a fenced writer, only if no newer generation of its
 * lease moved it. The upsert matches a stored checkpoint below `position` (of no newer
 * generation); otherwise its insert collides on `_id`: the checkpoint stays. That is no error
 * when it is already at or past `position` (a late or replaying writer), and the fenced
 * writer's LeaseLostError when a newer generation moved it.
 */
async function moveCheckpoint(
  checkpoints: Collection<StoredCheckpoint>,
  name: string,
  position: number,
  fence: LeaseFence | undefined,
): Promise<void> {
  const filter: MongoFilter<StoredCheckpoint> = { _id: name, position: { $lt: position } };
  const set: Partial<StoredCheckpoint> = { position };
  if (fence) {
    filter.$or = [
      { lease: { $ne: fence.lease } },
      { generation: { $not: { $gt: fence.generation } } },
    ];
    set.lease = fence.lease;
    set.generation = fence.generation;
  }
  try {
    await checkpoints.updateOne(filter, { $set: set }, { upsert: true });
  } catch (error) {
    if (!hasCode(error, DUPLICATE_KEY)) throw error;
    // Which guard refused it (a duplicate on another unique index is a real error).
    const stored = await checkpoints.findOne({ _id: name });
    if (stored === null) throw error;
    if (fence && stored.lease === fence.lease && (stored.generation ?? 0) > fence.generation) {
      throw new LeaseLostError(fence);
    }
    if (stored.position < position) throw error;
  }
}

/** Stamps the server's time into the lease document, creating it if missing, and answers it. */
/**
 * The document as JSON would hold it (as the SQLite adapter stores it: `toJSON` applied,
 * `undefined` left out, no bigint), under `_id` = its id.
 */
function toStored(collection: string, document: Document): StoredDocument {
  const problem = `Document ${document.id} of ${collection} cannot be stored as JSON`;
  let json: string | undefined;
  try {
    // Undefined for a value JSON skips, such as what a toJSON method may answer.
    json = stringify(document);
  } catch (error) {
    throw new TypeError(problem, { cause: error });
  }
  const parsed: unknown = json === undefined ? undefined : JSON.parse(json);
  if (!isPlainObject(parsed) || typeof parsed['id'] !== 'string') throw new TypeError(problem);
  if (Object.hasOwn(parsed, '_id')) {
    throw new TypeError(
      `Document ${document.id} of ${collection} has a field _id, which MongoDB keeps for the id`,
    );
  }
  return { _id: parsed['id'], ...parsed } as StoredDocument;
}

/** JSON.stringify, typed as it behaves: undefined for a value JSON cannot hold. */
const stringify = JSON.stringify as (value: unknown) => string | undefined;

function fromStored(stored: StoredDocument): Document {
  const { _id, ...document } = stored;
  return typeof document.id === 'string' ? document : { ...document, id: _id };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The field's path in the stored document: the id is `_id`, the primary key. */
function fieldPath(field: string): string {
  return checkField(field) === 'id' ? '_id' : field;
}

interface MongoIndex {
  /** Paths in key order (`id` as `_id`), each with its direction. */
  readonly key: ReadonlyMap<string, 1 | -1>;
  /** From the port's keys (see indexName): distinct specs get distinct names. */
  readonly name: string;
}

function indexSpec(collection: string, spec: IndexSpec): MongoIndex {
  checkCollection(collection);
  const keys = indexKeys(collection, spec);
  const key = new Map<string, 1 | -1>();
  // `id` and `_id` are one path: the first place wins, as for a field named twice.
  for (const { field, direction } of keys) {
    const path = fieldPath(field);
    if (!key.has(path)) key.set(path, direction);
  }
  return { key, name: indexName(keys) };
}

/** Sort fields in order, then `_id` ascending to break ties (unless the sort has it already). */
function mongoSort(sort: Query['sort']): Map<string, 1 | -1> {
  const order = new Map<string, 1 | -1>();
  for (const [field, given] of sort ?? []) {
    const path = fieldPath(field);
    // Checked at run time: a caller without types may pass anything.
    const direction: number = given;
    if (direction !== 1 && direction !== -1) {
      throw new RangeError(`A sort direction is 1 or -1, got ${String(direction)}`);
    }
    // A repeated field changes nothing: the first occurrence already ordered by it.
    if (!order.has(path)) order.set(path, direction);
  }
  if (!order.has('_id')) order.set('_id', 1);
  return order;
}

function nonNegative(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

type Clause = Record<string, unknown>;

/**
 * The port's filter as a MongoDB query: the conditions of all fields AND-ed.
 *
 * MongoDB already compares values of one type bracket only (numbers with numbers, strings with
 * strings, booleans with booleans), matches a missing field with null, and treats `$ne` as
 * null-safe, as the port wants. It differs on arrays: it matches a condition against each
 * element of an array, so `{ v: 42 }` would match `[42]`. The port compares whole values (an
 * array equals no scalar), so every positive condition on a field that may hold an array also
 * requires "not an array", and `$ne` accepts arrays. `_id` is a string, and the `scalars`
 * (fields an index names) hold no arrays: they need neither, which lets a count be answered
 * from an index alone instead of reading every matching document to check its type.
 */
function mongoFilter(
  filter: Filter | undefined,
  scalars: ReadonlySet<string> = new Set(),
): MongoFilter<StoredDocument> {
  const clauses: Clause[] = [];
  for (const [field, condition] of Object.entries(filter ?? {})) {
    clauses.push(...conditionClauses(field, condition, scalars.has(field)));
  }
  if (clauses.length === 0) return {};
  return (clauses.length === 1 ? clauses[0] : { $and: clauses }) as MongoFilter<StoredDocument>;
}

function conditionClauses(field: string, condition: Condition, holdsScalars: boolean): Clause[] {
  const path = fieldPath(field);
  const value: unknown = condition;
  if (value === undefined) throw new TypeError(`The condition on ${field} is undefined`);
  const neverArray = path === '_id' || holdsScalars;
  const notArray = neverArray ? {} : { $not: { $type: 'array' } };

  if (value === null || typeof value !== 'object') {
    // Equality with null also matches a missing field, in MongoDB as in the port.
    return [{ [path]: { $eq: scalar(field, value), ...notArray } }];
  }
  if (Array.isArray(value)) {
    throw new TypeError(`The condition on ${field} is an array: use { $in: [...] }`);
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) {
    // A Date, say, has no own keys: read as operators it would match everything.
    throw new TypeError(
      `A filter on ${field} cannot compare with ${describeValue(value)}: filters take strings, ` +
        'finite numbers, booleans and null (dates as ISO strings)',
    );
  }

  const positive: Record<string, unknown> = {};
  const regexes: string[] = [];
  const clauses: Clause[] = [];
  // An operator given as undefined is absent, as optional bounds of a range often are.
  for (const [operator, operand] of Object.entries(value as Record<string, unknown>)) {
    if (operand === undefined) continue;
    if (operator === '$in') {
      if (!Array.isArray(operand)) throw new TypeError(`$in on ${field} needs an array`);
      // A null in the list also matches a missing field, in MongoDB as in the port.
      positive['$in'] = (operand as unknown[]).map((item) => scalar(field, item));
    } else if (operator === '$ne') {
      const ne = { [path]: { $ne: scalar(field, operand) } };
      clauses.push(neverArray ? ne : { $or: [ne, { [path]: { $type: 'array' } }] });
    } else if (RANGE_OPERATORS.has(operator)) {
      const bound = scalar(field, operand);
      if (bound === null) {
        throw new RangeError(
          `${operator} on ${field} needs a string, number or boolean: null has no order`,
        );
      }
      // Type-bracketed by MongoDB itself: { $gt: 5 } matches numbers only.
      positive[operator] = bound;
    } else if (operator === '$contains') {
      // A regular expression matches strings only; the text is escaped to be taken literally.
      regexes.push(escapeRegex(text(field, operator, operand)));
    } else if (operator === '$prefix') {
      // Anchored and case-sensitive: MongoDB serves it with an index's bounds.
      regexes.push(`^${escapeRegex(text(field, operator, operand))}`);
    } else {
      throw new Error(`Unknown operator ${operator} in the condition on ${field}`);
    }
  }
  const [firstRegex, ...otherRegexes] = regexes;
  if (firstRegex !== undefined) positive['$regex'] = firstRegex;
  if (Object.keys(positive).length > 0) clauses.unshift({ [path]: { ...positive, ...notArray } });
  for (const regex of otherRegexes) clauses.push({ [path]: { $regex: regex, ...notArray } });
  return clauses;
}

/** The characters a regular expression gives a meaning, each escaped with a backslash. */
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|]/g;

/**
 * Text as a regular expression matching it literally, in PCRE (MongoDB) and RE2 (FerretDB)
 * alike: special characters escaped, NUL written as `\x00` (a pattern may not hold it).
 */
function escapeRegex(value: string): string {
  return value.replace(REGEX_SPECIAL, '\\$&').replaceAll('\u0000', '\\x00');
}

/** A filter value as MongoDB compares it. */
function scalar(field: string, value: unknown): string | number | boolean | null {
  if (value === null || typeof value === 'string') return value;
  if (field === 'id') {
    throw new TypeError(
      `id is a string, so a filter cannot compare it with ${describeValue(value)}`,
    );
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  throw new TypeError(
    `A filter on ${field} cannot compare with ${describeValue(value)}: filters take strings, ` +
      'finite numbers, booleans and null (dates as ISO strings)',
  );
}

function text(field: string, operator: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError(`${operator} on ${field} needs a string, got ${describeValue(value)}`);
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'number') return String(value);
  return typeof value;
}
