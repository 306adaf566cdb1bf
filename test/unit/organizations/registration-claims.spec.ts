/**
 * A registration and the reservation of its name are one append (the embedded store's
 * multi-stream transaction): a registration refused at the append leaves no reservation behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/sqlite/sqlite-event-store.js';
import { SqlitePersonalDataVault } from '../../../src/adapters/sqlite/sqlite-personal-data-vault.js';
import { KeyEncryptionKey } from '../../../src/adapters/personal-data/key-encryption-key.js';
import { loadConfig } from '../../../src/config.js';
import { loadDivisions } from '../../../src/divisions/load-divisions.js';
import type { CommandContext } from '../../../src/event-sourcing/command-context.js';
import { organizationDecider } from '../../../src/organizations/domain/organization.decider.js';
import { CLAIM_STREAM_PREFIX } from '../../../src/organizations/domain/stream-names.js';
import { OrganizationWriter } from '../../../src/organizations/organization-writer.js';
import { policyFromConfig } from '../../../src/organizations/policy-from-config.js';
import { newId, systemClock } from '../../../src/system.js';

const KEK = KeyEncryptionKey.fromBase64(Buffer.alloc(32, 7).toString('base64'));

const group = (name: string) => ({
  name,
  category: 'culture-sports' as const,
  tier: 'group' as const,
  districtCode: '310104',
  streetCode: '310104003',
  communityCode: '310104003001',
  foundedOn: '2024-03-01',
  founders: [{ kind: 'unit' as const, name: '徐汇区某单位' }],
});

describe('registration and its name reservation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'registration-claims-'));
  const store = SqliteEventStore.open(join(dir, 'events.sqlite'));
  if (!KEK) throw new Error('no key');
  const vault = SqlitePersonalDataVault.open(join(dir, 'keys.sqlite'), KEK);
  const decider = organizationDecider(policyFromConfig(loadConfig({}), loadDivisions()));
  const writer = new OrganizationWriter(store, decider, systemClock, vault, newId);
  const context = (key: string): CommandContext => ({
    actor: { id: 'committee-1', role: 'committee', jurisdiction: '310104003001' },
    commandId: newId(),
    correlationId: newId(),
    idempotency: { key, requestHash: key },
  });

  afterAll(async () => {
    await store.close();
    await vault.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('given two registrations of one organization racing with different names, when the second append is refused, then only the winner holds a reservation', async () => {
    const outcomes = await Promise.allSettled([
      writer.register(group('天平书画小组'), context('same-key')),
      writer.register(group('天平合唱小组'), context('same-key')),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const log = await store.readAll({ maxCount: 100 });
    const reservations = log.filter((e) => e.streamId.startsWith(CLAIM_STREAM_PREFIX));
    const registrations = log.filter((e) => e.type === 'OrganizationRegistered');
    expect(registrations).toHaveLength(1);
    expect(reservations).toHaveLength(1);
    // One transaction: the reservation directly before the registration.
    expect(log.indexOf(registrations[0] as (typeof log)[number])).toBe(
      log.indexOf(reservations[0] as (typeof log)[number]) + 1,
    );
  });
});
