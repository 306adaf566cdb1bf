import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptedContact } from '../../organizations/domain/organization.types.js';
import type { Contact } from '../../event-sourcing/ports/personal-data-vault.port.js';

/** A fresh per-organization data key (AES-256). */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** AES-256-GCM: base64 of IV (12) ‖ tag (16) ‖ the contact as JSON. */
export function sealContact(key: Buffer, version: number, contact: Contact): EncryptedContact {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(contact), 'utf8'), cipher.final()]);
  const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  return { keyVersion: version, ciphertext };
}

export function openContact(key: Buffer, contact: EncryptedContact): Contact {
  const raw = Buffer.from(contact.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as Contact;
}
