import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection, MongoServerError } from 'mongodb';
import {
  createMissingIndexes,
  IndexBuildTimedOut,
} from '../../src/adapters/mongodb/missing-indexes.js';
import {
  mongoClientOptions,
  type MongoSettings,
} from '../../src/adapters/mongodb/mongodb-client-options.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const defaults: MongoSettings = loadConfig({});
const dir = mkdtempSync(join(tmpdir(), 'mongo-options-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('MongoDB client options from the configuration', () => {
  it('passes the pool size and the timeout, and no TLS or credentials by default', () => {
    expect(defaults.MONGODB_MAX_POOL_SIZE).toBe(20);
    expect(defaults.MONGODB_TIMEOUT_MS).toBe(15_000);
    expect(mongoClientOptions(defaults)).toEqual({
      maxPoolSize: 20,
      connectTimeoutMS: 15_000,
      serverSelectionTimeoutMS: 15_000,
    });
  });

  it('turns TLS on with a CA file or a client certificate', () => {
    const ca = file('ca.pem', 'ca');
    const cert = file('client.pem', 'cert');
    expect(
      mongoClientOptions({ ...defaults, MONGODB_TLS_CA_FILE: ca, MONGODB_TLS_CERT_KEY_FILE: cert }),
    ).toMatchObject({ tls: true, tlsCAFile: ca, tlsCertificateKeyFile: cert });
  });

  it('reads the password from its file, without the final newline', () => {
    const password = file('password', 's3cret pass\n');
    expect(
      mongoClientOptions({
        ...defaults,
        MONGODB_USERNAME: 'registry',
        MONGODB_PASSWORD_FILE: password,
      }).auth,
    ).toEqual({ username: 'registry', password: 's3cret pass' });
  });

  it('names a file it cannot read, or an empty password', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => mongoClientOptions({ ...defaults, MONGODB_TLS_CA_FILE: missing })).toThrow(
      new ConfigError([`MONGODB_TLS_CA_FILE ${missing} cannot be read (ENOENT)`]),
    );
    const empty = file('empty', '\n');
    expect(() =>
      mongoClientOptions({ ...defaults, MONGODB_USERNAME: 'u', MONGODB_PASSWORD_FILE: empty }),
    ).toThrow(/MONGODB_PASSWORD_FILE .* is empty/);
  });

  it('wants the user and the password file together', () => {
    expect(() => loadConfig({ MONGODB_USERNAME: 'registry' })).toThrow(
      /MONGODB_USERNAME and MONGODB_PASSWORD_FILE go together/,
    );
    expect(() => loadConfig({ MONGODB_TIMEOUT_MS: '0' })).toThrow(/MONGODB_TIMEOUT_MS/);
  });
});

describe('index builds', () => {
  /** A collection whose server stops every index build at its time limit. */
  function slowCollection(seen: unknown[]): Collection {
    const collection = Object.create(Collection.prototype) as Collection;
    Object.defineProperties(collection, {
      collectionName: { value: 'registry_v3_g1' },
      listIndexes: { value: () => ({ toArray: () => Promise.resolve([{ name: '_id_' }]) }) },
      createIndexes: {
        value: (_indexes: unknown, options: unknown) => {
          seen.push(options);
          return Promise.reject(
            new MongoServerError({ code: 50, errmsg: 'operation exceeded time limit' }),
          );
        },
      },
    });
    return collection;
  }

  it('sends the time limit and says which index the server stopped', async () => {
    const seen: unknown[] = [];
    const build = createMissingIndexes(
      slowCollection(seen),
      [{ key: { name: 1, _id: 1 }, name: 'name,id' }],
      { timeoutMs: 1000 },
    );
    await expect(build).rejects.toThrow(IndexBuildTimedOut);
    await expect(build).rejects.toThrow(
      /index name,id of registry_v3_g1 took longer than 1000 ms .*MONGODB_INDEX_BUILD_TIMEOUT_MS/,
    );
    expect(seen[0]).toEqual({ maxTimeMS: 1000 });
  });
});
