import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SealedValue } from '../../organizations/domain/organization.types.js';
import type { Contact } from '../../event-sourcing/ports/personal-data-vault.port.js';

/** A fresh per-organization data key (AES-256). */
export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** AES-256-GCM: base64 of IV (12) ‖ tag (16) ‖ the value as JSON. */
export function sealValue(key: Buffer, version: number, value: object): SealedValue {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  const ciphertext = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  return { keyVersion: version, ciphertext };
}

/** The value sealed by sealValue; throws when the key is not the one it was sealed with. */
export function openValue(key: Buffer, sealed: SealedValue): unknown {
  const raw = Buffer.from(sealed.ciphertext, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString(
    'utf8',
  );
  return JSON.parse(text) as unknown;
}

export const sealContact = (key: Buffer, version: number, contact: Contact): SealedValue =>
  sealValue(key, version, contact);

export const openContact = (key: Buffer, contact: SealedValue): Contact =>
  openValue(key, contact) as Contact;
