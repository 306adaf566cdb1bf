/**
 * The SQLite key vault, and its batches: the seed creates tens of thousands of keys and commits
 * them per group of commands, before the events that use them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqlitePersonalDataVault } from '../../src/adapters/sqlite/sqlite-personal-data-vault.js';
import type { Contact } from '../../src/event-sourcing/ports/personal-data-vault.port.js';

const contact: Contact = { name: '王芳', phone: '13800000000' };

describe('SqlitePersonalDataVault', () => {
  let dir: string;
  let file: string;
  let vault: SqlitePersonalDataVault;
  let other: SqlitePersonalDataVault;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-vault-'));
    file = join(dir, 'keys.sqlite');
    vault = SqlitePersonalDataVault.open(file);
    other = SqlitePersonalDataVault.open(file);
  });

  afterEach(async () => {
    await vault.close();
    await other.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('decrypts with the current key, and a new key version after an erasure', async () => {
    const sealed = await vault.encrypt('org-1', contact);
    expect(sealed.keyVersion).toBe(1);
    expect(await other.decrypt('org-1', sealed)).toEqual(contact);
    expect((await vault.encrypt('org-1', contact)).keyVersion).toBe(1);

    await vault.erase('org-1');
    expect(await other.decrypt('org-1', sealed)).toBe('erased');
    const resealed = await vault.encrypt('org-1', contact);
    expect(resealed.keyVersion).toBe(2);
    expect(await other.decrypt('org-1', resealed)).toEqual(contact);
  });

  it('keeps the keys of a batch to itself until committed', async () => {
    vault.beginBatch();
    const sealed = await vault.encrypt('org-1', contact);
    expect(await vault.decrypt('org-1', sealed)).toEqual(contact);
    expect(await other.decrypt('org-1', sealed)).toBe('erased');
    vault.commitBatch();
    expect(await other.decrypt('org-1', sealed)).toEqual(contact);
  });

  it('drops the keys and erasures of a rolled-back batch', async () => {
    const kept = await vault.encrypt('org-1', contact);
    vault.beginBatch();
    await vault.erase('org-1');
    const dropped = await vault.encrypt('org-2', contact);
    vault.rollbackBatch();
    expect(await other.decrypt('org-1', kept)).toEqual(contact);
    expect(await other.decrypt('org-2', dropped)).toBe('erased');
    expect((await vault.encrypt('org-1', contact)).keyVersion).toBe(1);
  });

  it('refuses a batch inside a batch, and a commit without one', () => {
    vault.beginBatch();
    expect(() => {
      vault.beginBatch();
    }).toThrow(/already open/);
    vault.commitBatch();
    expect(() => {
      vault.commitBatch();
    }).toThrow(/No batch/);
  });
});
