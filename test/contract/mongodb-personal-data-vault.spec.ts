/**
 * The MongoDB key vault (issue #16 item 4), against the MongoDB-wire server at MONGODB_URL
 * (`npm run services -- start mongodb`: FerretDB on SQLite), each test in a database of its own,
 * dropped afterwards: the vault contract (two vaults on one database are two replicas), the keys
 * stored only wrapped, and what an erasure leaves in what the server stored.
 */
import { randomUUID } from 'node:crypto';
import { Binary, BSON, MongoClient, type Db } from 'mongodb';
import {
  KEYS_COLLECTION,
  MongoPersonalDataVault,
} from '../../src/adapters/mongodb/mongodb-personal-data-vault.js';
import { keyContext } from '../../src/adapters/personal-data/key-encryption-key.js';
import type { Contact } from '../../src/event-sourcing/ports/personal-data-vault.port.js';
import { ferretDbDataDir, ferretDbFiles } from '../support/ferretdb-files.js';
import { keyCopies, windowsThatOpen } from '../support/key-residue.js';
import { testKek } from '../support/personal-data-kek.js';
import { describeWithServer } from '../support/servers.js';
import { personalDataVaultContract } from './personal-data-vault.contract.js';

const contact: Contact = { name: '王芳', phone: '13800000000' };
const newDbName = (): string => `vault_${randomUUID().slice(0, 8)}`;

describeWithServer('mongodb', 'the MongoDB personal-data vault', (url) => {
  let raw: MongoClient;
  beforeAll(async () => {
    raw = new MongoClient(url);
    await raw.connect();
  });
  afterAll(async () => {
    await raw.close();
  });

  personalDataVaultContract('mongodb', () => {
    const name = newDbName();
    return Promise.resolve({
      open: (kek = testKek()) => MongoPersonalDataVault.connect(url, name, kek),
      cleanup: async () => {
        await raw.db(name).dropDatabase();
      },
    });
  });

  describe('MongoPersonalDataVault', () => {
    let name: string;
    let db: Db;
    let vault: MongoPersonalDataVault;
    beforeEach(async () => {
      name = newDbName();
      db = raw.db(name);
      vault = await MongoPersonalDataVault.connect(url, name, testKek());
    });
    afterEach(async () => {
      await vault.close();
      await db.dropDatabase();
    });

    /** The stored document of a key, and the key it wraps. */
    async function storedKey(organizationId: string, version = 1) {
      const stored = await db
        .collection<{ _id: string; key: Binary }>(KEYS_COLLECTION)
        .findOne({ _id: `${organizationId}:${String(version)}` });
      if (stored === null) return undefined;
      const wrapped = Buffer.from(stored.key.buffer);
      return { wrapped, key: testKek().unwrap(wrapped, keyContext(organizationId, version)) };
    }

    it('stores keys only wrapped, and deletes their documents when erasing', async () => {
      const sealed = await vault.encrypt('org-1', contact);
      const stored = await storedKey('org-1');
      expect(stored?.wrapped).toHaveLength(60);
      expect(await vault.decrypt('org-1', sealed)).toEqual(contact);
      await vault.erase('org-1');
      expect(await storedKey('org-1')).toBeUndefined();
      expect(await db.collection(KEYS_COLLECTION).countDocuments({ organizationId: 'org-1' })).toBe(
        0,
      );
    });

    it('leaves no copy of the key, raw or wrapped, in what the database holds', async () => {
      const sealed = await vault.encrypt('org-1', contact);
      await vault.encrypt('org-2', contact);
      const erased = await storedKey('org-1');
      if (!erased) throw new Error('no key stored');
      await vault.erase('org-1');
      // Every document as BSON: what a dump or a backup of the database taken now would hold.
      const dump: Buffer[] = [];
      for (const { name: collection } of await db.listCollections().toArray())
        for (const document of await db.collection(collection).find().toArray())
          dump.push(Buffer.from(BSON.serialize(document)));
      const held = Buffer.concat(dump);
      expect(held.length).toBeGreaterThan(0);
      expect(held.includes(erased.key)).toBe(false);
      expect(held.includes(erased.wrapped)).toBe(false);
      expect(await vault.decrypt('org-1', sealed)).toBe('erased');
    });

    // FerretDB keeps a deleted document's bytes in its SQLite write-ahead log until they are
    // overwritten (as MongoDB's WiredTiger reuses, without zeroing, the space of deleted
    // documents): the wrapped key may stay there, which only the key-encryption key, never given
    // to the server, unwraps (docs/operators.md, "Erasure and backups"). What must never be
    // there is the key itself.
    const ferretDir = ferretDbDataDir();
    (ferretDir ? it : it.skip)(
      "in FerretDB's files: never the key itself, and no stretch of them opens the contact as a key",
      async () => {
        const sealed = await vault.encrypt('org-1', contact);
        const erased = await storedKey('org-1');
        if (!erased || !ferretDir) throw new Error('no key stored');
        await vault.erase('org-1');
        const files = ferretDbFiles(ferretDir, name);
        expect(files.length).toBeGreaterThan(0);
        expect(keyCopies(files, { key: erased.key })).toEqual([]);
        expect(windowsThatOpen(files, sealed)).toEqual([]);
      },
    );
  });
});
