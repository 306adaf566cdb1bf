import type { SealedValue } from '../../organizations/domain/organization.types.js';
import type {
  Contact,
  PersonalDataVault,
} from '../../event-sourcing/ports/personal-data-vault.port.js';
import { openValue, sealValue } from './contact-cipher.js';

/** An organization's data key and its version. */
export interface DataKey {
  readonly version: number;
  readonly key: Buffer;
}

/**
 * What every vault does with its keys, whichever store keeps them: seals with the current key,
 * opens with the key of each value's version (fetched once per version), 'erased' without it.
 */
export abstract class SealingVault implements PersonalDataVault {
  /** The organization's current key, created (and durable) if it has none. */
  protected abstract sealingKey(organizationId: string): Promise<DataKey>;
  /** The organization's key of that version, unwrapped; null once erased (or never issued). */
  protected abstract openingKey(organizationId: string, version: number): Promise<Buffer | null>;

  abstract erase(organizationId: string): Promise<void>;
  abstract ping(): Promise<void>;
  abstract close(): Promise<void>;

  async seal(organizationId: string, values: readonly object[]): Promise<SealedValue[]> {
    if (values.length === 0) return [];
    const { version, key } = await this.sealingKey(organizationId);
    return values.map((value) => sealValue(key, version, value));
  }

  async open<T extends object>(
    organizationId: string,
    sealed: readonly SealedValue[],
  ): Promise<(T | 'erased')[]> {
    const keys = new Map<number, Buffer | null>();
    for (const { keyVersion } of sealed) {
      if (!keys.has(keyVersion))
        keys.set(keyVersion, await this.openingKey(organizationId, keyVersion));
    }
    return sealed.map((value) => {
      const key = keys.get(value.keyVersion);
      return key ? (openValue(key, value) as T) : 'erased';
    });
  }

  async encrypt(organizationId: string, contact: Contact): Promise<SealedValue> {
    const [sealed] = await this.seal(organizationId, [contact]);
    if (!sealed) throw new Error('nothing sealed');
    return sealed;
  }

  async decrypt(organizationId: string, contact: SealedValue): Promise<Contact | 'erased'> {
    const [opened] = await this.open<Contact>(organizationId, [contact]);
    return opened ?? 'erased';
  }
}
