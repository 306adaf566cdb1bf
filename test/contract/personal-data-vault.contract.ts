/**
 * What every personal-data vault does, whichever store keeps its keys: run by the SQLite and the
 * MongoDB vault specs. `open` opens another vault on the same storage (another connection,
 * process or replica), with the test key-encryption key unless given another.
 */
import { ConfigError } from '../../src/config.js';
import { KeyEncryptionKey } from '../../src/adapters/personal-data/key-encryption-key.js';
import type {
  Contact,
  PersonalDataVault,
} from '../../src/event-sourcing/ports/personal-data-vault.port.js';

export interface VaultStorage {
  open(kek?: KeyEncryptionKey): Promise<PersonalDataVault>;
  cleanup(): Promise<void>;
}

const contact: Contact = { name: '王芳', phone: '13800000000' };

export function personalDataVaultContract(
  name: string,
  storage: () => Promise<VaultStorage>,
): void {
  describe(`personal-data vault contract (${name})`, () => {
    let store: VaultStorage;
    let vault: PersonalDataVault;
    let other: PersonalDataVault;

    beforeEach(async () => {
      store = await storage();
      vault = await store.open();
      other = await store.open();
    });

    afterEach(async () => {
      await vault.close();
      await other.close();
      await store.cleanup();
    });

    it('decrypts with the current key everywhere, and takes a new key version after an erasure', async () => {
      const sealed = await vault.encrypt('org-1', contact);
      expect(sealed.keyVersion).toBe(1);
      expect(await other.decrypt('org-1', sealed)).toEqual(contact);
      expect((await other.encrypt('org-1', contact)).keyVersion).toBe(1);

      await vault.erase('org-1');
      expect(await other.decrypt('org-1', sealed)).toBe('erased');
      expect(await vault.decrypt('org-1', sealed)).toBe('erased');
      const resealed = await other.encrypt('org-1', contact);
      expect(resealed.keyVersion).toBe(2);
      expect(await vault.decrypt('org-1', resealed)).toEqual(contact);
      expect(await vault.decrypt('org-1', sealed)).toBe('erased');
    });

    it("seals a contact and founders' names with one key, opens them in order, erases them together", async () => {
      const values = [contact, { name: '王阿姨' }, { name: '李老师' }];
      const sealed = await vault.seal('org-1', values);
      expect(sealed.map((s) => s.keyVersion)).toEqual([1, 1, 1]);
      expect(new Set(sealed.map((s) => s.ciphertext)).size).toBe(3);
      expect(sealed.map((s) => s.ciphertext).join()).not.toContain('王阿姨');
      expect(await other.open('org-1', sealed)).toEqual(values);
      expect(await other.decrypt('org-1', sealed[0]!)).toEqual(contact);
      expect(await vault.seal('org-1', [])).toEqual([]);
      expect(await vault.open('org-1', [])).toEqual([]);

      await other.erase('org-1');
      expect(await vault.open('org-1', sealed)).toEqual(['erased', 'erased', 'erased']);
      // A contact given after the erasure takes a new key; the names sealed before stay erased.
      const [later] = await vault.seal('org-1', [contact]);
      expect(later?.keyVersion).toBe(2);
      expect(await other.open('org-1', [sealed[1]!, later!])).toEqual(['erased', contact]);
    });

    it('erases one organization only', async () => {
      const first = await vault.encrypt('org-1', contact);
      const second = await vault.encrypt('org-2', contact);
      await other.erase('org-1');
      expect(await vault.decrypt('org-1', first)).toBe('erased');
      expect(await vault.decrypt('org-2', second)).toEqual(contact);
    });

    it('refuses to open with a key-encryption key the stored keys were not wrapped with', async () => {
      await vault.encrypt('org-1', contact);
      const stranger = KeyEncryptionKey.fromBase64(Buffer.alloc(32, 7).toString('base64'));
      if (!stranger) throw new Error('not a key');
      await expect(store.open(stranger)).rejects.toThrow(ConfigError);
      await expect(store.open(stranger)).rejects.toThrow(/not the key they were wrapped with/);
    });
  });
}
