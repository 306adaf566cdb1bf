import { Binary, MongoClient, type Collection, type MongoClientOptions } from 'mongodb';
import { createMissingIndexes } from './missing-indexes.js';
import { PINNED_READ_PREFERENCE } from './pinned-settings.js';
import { DUPLICATE_KEY, hasCode } from './server-errors.js';
import { ConfigError } from '../../config.js';
import { newDataKey } from '../personal-data/contact-cipher.js';
import { SealingVault, type DataKey } from '../personal-data/sealing-vault.js';
import {
  keyContext,
  KeyUnwrapError,
  type KeyEncryptionKey,
} from '../personal-data/key-encryption-key.js';

/** A data key, wrapped by the key-encryption key, under `_id` = `<organization>:<version>`. */
interface StoredKey {
  _id: string;
  organizationId: string;
  version: number;
  key: Binary;
}

/** The last key version issued to an organization: never reused, erased keys included. */
interface StoredVersion {
  _id: string;
  version: number;
}

export const KEYS_COLLECTION = 'personal_data_keys';
export const VERSIONS_COLLECTION = 'personal_data_key_versions';

/**
 * The personal-data keys in MongoDB, the store every replica reaches: a key created on one
 * replica decrypts on all, and an erasure (the key's document deleted) erases for all at once.
 * Keys are wrapped by the key-encryption key, which MongoDB never sees. No key is cached: a
 * replica must not keep decrypting with a key another one erased.
 *
 * Like the read store it needs no transactions (FerretDB lacks them). Two replicas creating an
 * organization's first key at once each take a version of their own from the counter and both
 * keys stay valid; the later one is used from then on.
 */
export class MongoPersonalDataVault extends SealingVault {
  private closed = false;

  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<StoredKey>,
    private readonly versions: Collection<StoredVersion>,
    private readonly kek: KeyEncryptionKey,
  ) {
    super();
  }

  /**
   * Connects and refuses a key-encryption key the stored keys were not wrapped with. Keys and
   * erasures are acknowledged by a majority and journaled: a contact is sealed only with a key
   * that survives a failover, and an answered erasure is not rolled back by one.
   */
  static async connect(
    url: string,
    dbName: string,
    kek: KeyEncryptionKey,
    options: MongoClientOptions = {},
  ): Promise<MongoPersonalDataVault> {
    const client = new MongoClient(url, { appName: 'community-orgs-personal-data', ...options });
    try {
      await client.connect();
      // From the primary whatever the URL says: a lagging secondary could still hand out a key
      // another replica just erased.
      const db = client.db(dbName, { readPreference: PINNED_READ_PREFERENCE });
      const writeConcern = { w: 'majority' as const, journal: true };
      const keys = db.collection<StoredKey>(KEYS_COLLECTION, { writeConcern });
      const versions = db.collection<StoredVersion>(VERSIONS_COLLECTION, { writeConcern });
      await createMissingIndexes(keys, [
        { key: { organizationId: 1, version: -1 }, name: 'organization_version' },
      ]);
      const vault = new MongoPersonalDataVault(client, keys, versions, kek);
      await vault.checkKeyEncryptionKey(url);
      return vault;
    } catch (error) {
      await client.close().catch(() => undefined);
      throw error;
    }
  }

  protected sealingKey(organizationId: string): Promise<DataKey> {
    return this.currentKey(organizationId);
  }

  protected async openingKey(organizationId: string, version: number): Promise<Buffer | null> {
    const stored = await this.keys.findOne({ _id: keyId(organizationId, version) });
    return stored === null ? null : this.unwrap(stored);
  }

  /** Deletes every key of the organization; resolves once a majority has the deletion. */
  async erase(organizationId: string): Promise<void> {
    await this.keys.deleteMany({ organizationId });
  }

  async ping(): Promise<void> {
    await this.client.db(this.keys.dbName).command({ ping: 1 });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /** The newest key of the organization, or a new one with a version never issued before. */
  private async currentKey(organizationId: string): Promise<{ version: number; key: Buffer }> {
    const [last] = await this.keys
      .find({ organizationId })
      .sort({ version: -1 })
      .limit(1)
      .toArray();
    if (last !== undefined) return { version: last.version, key: this.unwrap(last) };
    const version = await this.nextVersion(organizationId);
    const key = newDataKey();
    await this.keys.insertOne({
      _id: keyId(organizationId, version),
      organizationId,
      version,
      key: new Binary(this.kek.wrap(key, keyContext(organizationId, version))),
    });
    return { version, key };
  }

  private async nextVersion(organizationId: string): Promise<number> {
    const bump = () =>
      this.versions.findOneAndUpdate(
        { _id: organizationId },
        { $inc: { version: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
    let counter: StoredVersion | null;
    try {
      counter = await bump();
    } catch (error) {
      // Two first upserts at once: one inserted, the other now finds the document.
      if (!hasCode(error, DUPLICATE_KEY)) throw error;
      counter = await bump();
    }
    if (counter === null) throw new Error(`No key version for ${organizationId}`);
    return counter.version;
  }

  private unwrap(stored: StoredKey): Buffer {
    return this.kek.unwrap(
      Buffer.from(stored.key.buffer),
      keyContext(stored.organizationId, stored.version),
    );
  }

  private async checkKeyEncryptionKey(url: string): Promise<void> {
    const sample = await this.keys.findOne({});
    if (sample === null) return;
    try {
      this.unwrap(sample);
    } catch (error) {
      if (!(error instanceof KeyUnwrapError)) throw error;
      const where = url.replace(/\/\/[^@/]*@/, '//');
      throw new ConfigError([
        `PERSONAL_DATA_KEK does not unwrap the keys in ${where} (${KEYS_COLLECTION}): it is not the key they were wrapped with`,
      ]);
    }
  }
}

function keyId(organizationId: string, version: number): string {
  return `${organizationId}:${String(version)}`;
}
