import type {
  EncryptedContact,
  SealedValue,
} from '../../organizations/domain/organization.types.js';

export interface Contact {
  readonly name: string;
  readonly phone: string;
}

/**
 * Keeps the per-organization keys that personal data in events is encrypted with, outside the
 * event log: erasing deletes the keys, which makes every stored copy unreadable (crypto-shredding).
 * Every piece of personal data of an organization (its contact, its resident founders' names) is
 * sealed with the same key, so one erasure erases them all.
 */
export interface PersonalDataVault {
  /**
   * Seals small JSON objects with the organization's current key (created if it has none, or
   * none since an erasure), in order; resolves once that key is durable.
   */
  seal(organizationId: string, values: readonly object[]): Promise<SealedValue[]>;
  /** The sealed values in order, each its plaintext or 'erased' when its key is gone. */
  open<T extends object>(
    organizationId: string,
    sealed: readonly SealedValue[],
  ): Promise<(T | 'erased')[]>;
  /** seal of one contact. */
  encrypt(organizationId: string, contact: Contact): Promise<EncryptedContact>;
  /** open of one contact: the plaintext, or 'erased' when the key is gone. */
  decrypt(organizationId: string, contact: EncryptedContact): Promise<Contact | 'erased'>;
  erase(organizationId: string): Promise<void>;
  /**
   * A cheap round trip to where the data lives (the server, or the file), for /health: resolves
   * once it answered, rejects as the other operations do.
   */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export const PERSONAL_DATA_VAULT = Symbol('PersonalDataVault');
