/**
 * Looks for what is left of an erased personal-data key in files: the key itself, the key as a
 * vault wrapped it, either in base64 (how a JSON store keeps binary), and any stretch of bytes
 * that opens the contact it sealed, as the key (32 bytes) or as a wrapped key unwrapped with the
 * key-encryption key (60 bytes): what someone holding the files, and perhaps the KEK, could try.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openContact } from '../../src/adapters/personal-data/contact-cipher.js';
import type { KeyEncryptionKey } from '../../src/adapters/personal-data/key-encryption-key.js';
import type { EncryptedContact } from '../../src/organizations/domain/organization.types.js';

/** Every regular file under `dir`, at any depth. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() ? [path] : [];
  });
}

export interface ErasedKey {
  readonly key: Buffer;
  /** As the vault stored it, when it stored it wrapped. */
  readonly wrapped?: Buffer;
}

/** `file: what` for each file holding the key or its wrapped form, raw or in base64. */
export function keyCopies(files: readonly string[], erased: ErasedKey): string[] {
  const needles: Array<[string, Buffer]> = [
    ['key', erased.key],
    ['key in base64', Buffer.from(erased.key.toString('base64'))],
  ];
  if (erased.wrapped)
    needles.push(
      ['wrapped key', erased.wrapped],
      ['wrapped key in base64', Buffer.from(erased.wrapped.toString('base64'))],
    );
  return files.flatMap((file) => {
    const bytes = readFileSync(file);
    return needles
      .filter(([, needle]) => bytes.includes(needle))
      .map(([what]) => `${file}: ${what}`);
  });
}

function opens(key: Buffer, sealed: EncryptedContact): boolean {
  try {
    openContact(key, sealed);
    return true;
  } catch {
    return false;
  }
}

/**
 * `file@offset` of every stretch of the files that opens `sealed`: each 32-byte window as the
 * key, and, given the KEK, each 60-byte window as a wrapped key (unwrapped for `context`).
 */
export function windowsThatOpen(
  files: readonly string[],
  sealed: EncryptedContact,
  unwrapWith?: { readonly kek: KeyEncryptionKey; readonly context: string },
): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (statSync(file).size === 0) continue;
    const bytes = readFileSync(file);
    for (let at = 0; at + 32 <= bytes.length; at++) {
      if (opens(bytes.subarray(at, at + 32), sealed)) found.push(`${file}@${String(at)}`);
      if (unwrapWith && at + 60 <= bytes.length) {
        let key: Buffer;
        try {
          key = unwrapWith.kek.unwrap(bytes.subarray(at, at + 60), unwrapWith.context);
        } catch {
          continue;
        }
        if (opens(key, sealed)) found.push(`${file}@${String(at)} (wrapped)`);
      }
    }
  }
  return found;
}
