/**
 * The MongoDB personal-data access log (issue #16 item 6), against the MongoDB-wire server at
 * MONGODB_URL (`npm run services -- start mongodb`), each test in a database of its own, dropped
 * afterwards: the access-log contract (two logs on one database are two replicas), and the
 * records stored beside the vault's keys.
 */
import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import {
  ACCESS_COLLECTION,
  MongoPersonalDataAccessLog,
} from '../../src/adapters/mongodb/mongodb-personal-data-access-log.js';
import { MongoPersonalDataVault } from '../../src/adapters/mongodb/mongodb-personal-data-vault.js';
import { testKek } from '../support/personal-data-kek.js';
import { describeWithServer } from '../support/servers.js';
import { personalDataAccessLogContract } from './personal-data-access-log.contract.js';

const newDbName = (): string => `access_${randomUUID().slice(0, 8)}`;

describeWithServer('mongodb', 'the MongoDB personal-data access log', (url) => {
  let raw: MongoClient;
  beforeAll(async () => {
    raw = new MongoClient(url);
    await raw.connect();
  });
  afterAll(async () => {
    await raw.close();
  });

  personalDataAccessLogContract('mongodb', () => {
    const name = newDbName();
    return Promise.resolve({
      open: () => MongoPersonalDataAccessLog.connect(url, name),
      cleanup: async () => {
        await raw.db(name).dropDatabase();
      },
    });
  });

  it("keeps its records in the vault's database, in a collection of their own", async () => {
    const name = newDbName();
    const vault = await MongoPersonalDataVault.connect(url, name, testKek());
    const log = await MongoPersonalDataAccessLog.connect(url, name);
    try {
      await vault.encrypt('org-1', { name: '王芳', phone: '13800000000' });
      await log.append({
        at: '2026-01-15T02:00:00.000Z',
        actorId: 'committee-1',
        role: 'committee',
        jurisdiction: '310104003001',
        organizationId: 'org-1',
        route: 'GET /organizations/:id',
        fields: ['contact'],
      });
      await vault.erase('org-1');
      const stored = await raw.db(name).collection(ACCESS_COLLECTION).find().toArray();
      expect(stored).toEqual([
        expect.objectContaining({ organizationId: 'org-1', actorId: 'committee-1' }),
      ]);
      // No personal data in the record itself: who read, not what was read.
      expect(JSON.stringify(stored)).not.toContain('王芳');
    } finally {
      await log.close();
      await vault.close();
      await raw.db(name).dropDatabase();
    }
  });
});
