import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A wrapped key did not authenticate: the key-encryption key is not the one it was wrapped with. */
export class KeyUnwrapError extends Error {
  constructor(context: string) {
    super(
      `The personal-data key ${context} does not unwrap with this key-encryption key: ` +
        'PERSONAL_DATA_KEK (or PERSONAL_DATA_KEK_FILE) is not the key the vault was written with',
    );
    this.name = 'KeyUnwrapError';
  }
}

/**
 * The key-encryption key (KEK) that wraps every per-organization data key before a vault stores
 * it, so that the vault's files (or documents) alone unlock nothing: the KEK is kept apart from
 * them. AES-256-GCM with the key's place (organization and version) as additional data, so a
 * wrapped key moved to another row does not unwrap.
 */
export class KeyEncryptionKey {
  private constructor(private readonly key: Buffer) {}

  /** 32 bytes, as base64 (`openssl rand -base64 32`); undefined when it is anything else. */
  static fromBase64(text: string): KeyEncryptionKey | undefined {
    const trimmed = text.trim();
    if (!/^[A-Za-z0-9+/]{43}=$/.test(trimmed)) return undefined;
    const key = Buffer.from(trimmed, 'base64');
    return key.length === KEY_BYTES ? new KeyEncryptionKey(key) : undefined;
  }

  /** IV ‖ tag ‖ wrapped key (60 bytes for a 32-byte key). */
  wrap(dataKey: Buffer, context: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  unwrap(wrapped: Buffer, context: string): Buffer {
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, wrapped.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new KeyUnwrapError(context);
    }
  }
}

/** What a data key is bound to when wrapped: its organization and version. */
export function keyContext(organizationId: string, version: number): string {
  return `${organizationId}#${String(version)}`;
}
