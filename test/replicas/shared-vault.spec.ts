/**
 * The personal-data vault of replicas (issue #16 item 4): with READ_STORE=mongodb the keys live
 * in MongoDB, which every replica reaches. Two compiled servers on one DATA_DIR (one shared SQLite
 * event store) and one MongoDB-wire database of this run's own: a contact registered through one
 * is shown by both; erased through the other, both show it erased at once, and no key file was
 * ever written to DATA_DIR (before, each replica kept a key file of its own: a replica without the
 * key showed a live contact as erased, and an erasure deleted one replica's copy only).
 *
 * Needs MONGODB_URL (`npm run services -- start mongodb`) and `npm run build`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { ACCESS_COLLECTION } from '../../src/adapters/mongodb/mongodb-personal-data-access-log.js';
import { KEYS_COLLECTION } from '../../src/adapters/mongodb/mongodb-personal-data-vault.js';
import { CONTACT, createGroup, readOrg, send } from '../support/e2e-kit.js';
import { httpRequest, signTestToken, TEST_JWT_SECRET, type HttpApp } from '../support/http-app.js';
import { describeWithServer } from '../support/servers.js';
import { spawnServer, type SpawnedServer } from '../support/spawned-server.js';

/** A spawned replica as the e2e kit's helpers take it. */
function asApp(server: SpawnedServer, dataDir: string): HttpApp {
  return {
    baseUrl: server.baseUrl,
    dataDir,
    secret: TEST_JWT_SECRET,
    token: (role, jurisdiction, sub) =>
      signTestToken(role, jurisdiction, sub === undefined ? {} : { sub }),
    request: (method, path, options) => httpRequest(server.baseUrl, method, path, options),
    close: () => server.stop(),
  };
}

describeWithServer('mongodb', 'replicas sharing the MongoDB personal-data vault', (url) => {
  let dataDir: string;
  let dbName: string;
  let client: MongoClient;
  const servers: SpawnedServer[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'shared-vault-'));
    dbName = `vault_replicas_${randomUUID().slice(0, 8)}`;
    client = new MongoClient(url);
    await client.connect();
    for (let i = 0; i < 2; i++) {
      const server = await spawnServer({
        dataDir,
        env: { READ_STORE: 'mongodb', MONGODB_URL: url, MONGODB_DB: dbName },
      });
      servers.push(server);
      await server.ready;
    }
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await client.db(dbName).dropDatabase();
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('both show a contact; erased through one, both show it erased', async () => {
    const [a, b] = servers.map((server) => asApp(server, dataDir)) as [HttpApp, HttpApp];
    const { id } = await createGroup(a);
    for (const replica of [a, b])
      expect((await readOrg(replica, id, 'shanghaiXincunCommittee')).contact).toEqual(CONTACT);
    const keys = client.db(dbName).collection(KEYS_COLLECTION);
    expect(await keys.countDocuments({ organizationId: id })).toBe(1);
    // Both reads are in the one access log beside the keys (issue #16 item 6).
    const accesses = client.db(dbName).collection(ACCESS_COLLECTION);
    expect(await accesses.countDocuments({ organizationId: id })).toBe(2);

    const erased = await send(
      b,
      'shanghaiXincunCommittee',
      'DELETE',
      `/organizations/${id}/personal-data`,
    );
    expect(erased.status).toBe(200);
    for (const replica of [a, b]) {
      const org = await readOrg(replica, id, 'shanghaiXincunCommittee');
      expect({ contact: org.contact, erased: org.personalDataErased }).toEqual({
        contact: undefined,
        erased: true,
      });
    }
    expect(await keys.countDocuments({ organizationId: id })).toBe(0);
    expect(existsSync(join(dataDir, 'personal-data-keys.sqlite'))).toBe(false);
    expect(readdirSync(dataDir).filter((name) => name.startsWith('personal-data'))).toEqual([]);
    // Reads after the erasure showed nothing personal: nothing more recorded.
    expect(await accesses.countDocuments({ organizationId: id })).toBe(2);
  }, 30_000);
});
