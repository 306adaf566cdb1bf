import {
  MongoClient,
  ObjectId,
  type Collection,
  type Filter,
  type MongoClientOptions,
} from 'mongodb';
import { createMissingIndexes } from './missing-indexes.js';
import { PINNED_READ_PREFERENCE } from './pinned-settings.js';
import {
  accessCursor,
  pageSize,
  parseAccessCursor,
  type AccessPage,
  type AccessQuery,
  type PersonalDataAccess,
  type PersonalDataAccessLog,
  type PersonalDataField,
  type RecordedAccess,
} from '../../event-sourcing/ports/personal-data-access-log.port.js';

interface StoredAccess {
  _id: ObjectId;
  at: string;
  actorId: string;
  role: string;
  jurisdiction: string;
  organizationId: string;
  route: string;
  fields: PersonalDataField[];
  correlationId?: string;
}

export const ACCESS_COLLECTION = 'personal_data_access';

/**
 * The access log in MongoDB, beside the personal-data keys (used whenever the vault is there):
 * every replica records into the same collection. This adapter only ever inserts and finds;
 * records are acknowledged by a majority and journaled before a read may show the data. That
 * the server refuses updates and deletes too is the database user's grants (docs/operators.md).
 */
export class MongoPersonalDataAccessLog implements PersonalDataAccessLog {
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly accesses: Collection<StoredAccess>,
  ) {}

  static async connect(
    url: string,
    dbName: string,
    options: MongoClientOptions = {},
  ): Promise<MongoPersonalDataAccessLog> {
    const client = new MongoClient(url, { appName: 'community-orgs-access-log', ...options });
    try {
      await client.connect();
      // From the primary whatever the URL says: an access just recorded is in the next list.
      const accesses = client.db(dbName).collection<StoredAccess>(ACCESS_COLLECTION, {
        readPreference: PINNED_READ_PREFERENCE,
        writeConcern: { w: 'majority', journal: true },
      });
      await createMissingIndexes(accesses, [
        { key: { at: 1, _id: 1 }, name: 'at' },
        { key: { organizationId: 1, at: 1, _id: 1 }, name: 'organization_at' },
      ]);
      return new MongoPersonalDataAccessLog(client, accesses);
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  async append(access: PersonalDataAccess): Promise<RecordedAccess> {
    const stored: StoredAccess = {
      _id: new ObjectId(),
      at: access.at,
      actorId: access.actorId,
      role: access.role,
      jurisdiction: access.jurisdiction,
      organizationId: access.organizationId,
      route: access.route,
      fields: [...access.fields],
      ...(access.correlationId !== undefined && { correlationId: access.correlationId }),
    };
    await this.accesses.insertOne(stored);
    return fromStored(stored);
  }

  async query(query: AccessQuery): Promise<AccessPage> {
    const size = pageSize(query.limit);
    const and: Array<Filter<StoredAccess>> = [];
    if (query.organizationId !== undefined) and.push({ organizationId: query.organizationId });
    if (query.from !== undefined) and.push({ at: { $gte: query.from } });
    if (query.to !== undefined) and.push({ at: { $lte: query.to } });
    if (query.after !== undefined) {
      const { at, id } = parseAccessCursor(query.after);
      and.push({ $or: [{ at: { $gt: at } }, { at, _id: { $gt: new ObjectId(id) } }] });
    }
    const found = await this.accesses
      .find(and.length > 0 ? { $and: and } : {})
      .sort({ at: 1, _id: 1 })
      .limit(size + 1)
      .toArray();
    const items = found.slice(0, size).map(fromStored);
    const last = items.at(-1);
    return { items, next: found.length > size && last ? accessCursor(last) : null };
  }

  async ping(): Promise<void> {
    await this.client.db(this.accesses.dbName).command({ ping: 1 });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }
}

function fromStored(stored: StoredAccess): RecordedAccess {
  return {
    id: stored._id.toHexString(),
    at: stored.at,
    actorId: stored.actorId,
    role: stored.role,
    jurisdiction: stored.jurisdiction,
    organizationId: stored.organizationId,
    route: stored.route,
    fields: [...stored.fields],
    ...(stored.correlationId !== undefined && { correlationId: stored.correlationId }),
  };
}
