/**
 * The SQLite personal-data access log: the access-log contract, and what the adapter API cannot
 * do either is refused by the file itself (triggers refuse every UPDATE and DELETE), in a
 * private file of its own.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlitePersonalDataAccessLog } from '../../src/adapters/sqlite/sqlite-personal-data-access-log.js';
import { SqlitePersonalDataVault } from '../../src/adapters/sqlite/sqlite-personal-data-vault.js';
import { testKek } from '../support/personal-data-kek.js';
import { personalDataAccessLogContract } from './personal-data-access-log.contract.js';

personalDataAccessLogContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sqlite-access-'));
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- a refusal becomes a rejection
    open: async () => SqlitePersonalDataAccessLog.open(join(dir, 'access.sqlite')),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('SqlitePersonalDataAccessLog', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-access-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const record = {
    at: '2026-01-15T02:00:00.000Z',
    actorId: 'committee-1',
    role: 'committee',
    jurisdiction: '310104003001',
    organizationId: 'org-1',
    route: 'GET /organizations/:id',
    fields: ['contact'],
  } as const;

  it('refuses UPDATE and DELETE from any connection, not only through the adapter', async () => {
    const file = join(dir, 'access.sqlite');
    const log = SqlitePersonalDataAccessLog.open(file);
    await log.append(record);
    const raw = new Database(file);
    try {
      expect(() =>
        raw.prepare("UPDATE personal_data_access SET actor_id = 'someone-else'").run(),
      ).toThrow(/append-only/);
      expect(() => raw.prepare('DELETE FROM personal_data_access').run()).toThrow(/append-only/);
      expect(raw.prepare('SELECT actor_id FROM personal_data_access').pluck().all()).toEqual([
        'committee-1',
      ]);
    } finally {
      raw.close();
    }
    await log.close();
    // Reopening keeps the triggers (and the record).
    const again = SqlitePersonalDataAccessLog.open(file);
    expect((await again.query({ limit: 10 })).items).toHaveLength(1);
    await again.close();
  });

  it('creates its files 0600 whatever the umask', async () => {
    const previous = process.umask(0);
    try {
      const log = SqlitePersonalDataAccessLog.open(join(dir, 'fresh.sqlite'));
      await log.append(record);
      for (const suffix of ['', '-wal', '-shm'])
        expect((statSync(join(dir, `fresh.sqlite${suffix}`)).mode & 0o777).toString(8)).toBe('600');
      await log.close();
    } finally {
      process.umask(previous);
    }
  });

  it("refuses the key vault's file, and the vault refuses the log's", async () => {
    const keys = join(dir, 'keys.sqlite');
    const vault = SqlitePersonalDataVault.open(keys, testKek());
    await vault.encrypt('org-1', { name: '王芳', phone: '13800000000' });
    await vault.close();
    expect(() => SqlitePersonalDataAccessLog.open(keys)).toThrow(/another application/);
    const access = join(dir, 'access.sqlite');
    await SqlitePersonalDataAccessLog.open(access).close();
    expect(() => SqlitePersonalDataVault.open(access, testKek())).toThrow(/another application/);
  });
});
