import type { EncryptedContact } from '../../organizations/domain/organization.types.js';

export interface Contact {
  readonly name: string;
  readonly phone: string;
}

/**
 * Keeps the per-organization keys that personal data in events is encrypted with, outside the
 * event log: erasing deletes the keys, which makes every stored copy unreadable (crypto-shredding).
 */
export interface PersonalDataVault {
  encrypt(organizationId: string, contact: Contact): Promise<EncryptedContact>;
  /** The plaintext, or 'erased' when the key is gone. */
  decrypt(organizationId: string, contact: EncryptedContact): Promise<Contact | 'erased'>;
  erase(organizationId: string): Promise<void>;
  close(): Promise<void>;
}

export const PERSONAL_DATA_VAULT = Symbol('PersonalDataVault');
