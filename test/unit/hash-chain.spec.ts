import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/event-sourcing/canonical-json.js';
import {
  GENESIS_HASH,
  eventHash,
  type ChainedEventInput,
} from '../../src/event-sourcing/hash-chain.js';

const event: ChainedEventInput = {
  type: 'OrganizationRegistered',
  data: { organizationId: 'org-1', name: '上海新村书画小组', tier: 'group' },
  metadata: {
    eventId: 'e-1',
    userId: 'u-shxc',
    role: 'committee',
    recordedAt: '2024-06-15T08:00:00.000Z',
    prevHash: GENESIS_HASH,
  },
  revision: 0,
};

describe('eventHash', () => {
  it('chains from the genesis hash of 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('is sha256(prevHash ‖ canonical JSON of type, data, metadata and revision), in hex', () => {
    const expected = createHash('sha256')
      .update(GENESIS_HASH)
      .update(
        canonicalJson({
          type: event.type,
          data: event.data,
          metadata: event.metadata,
          revision: event.revision,
        }),
      )
      .digest('hex');
    expect(eventHash(GENESIS_HASH, event)).toBe(expected);
    expect(eventHash(GENESIS_HASH, event)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is deterministic', () => {
    expect(eventHash(GENESIS_HASH, event)).toBe(eventHash(GENESIS_HASH, { ...event }));
  });

  it('does not depend on key order in data or metadata', () => {
    const reordered: ChainedEventInput = {
      revision: 0,
      metadata: {
        prevHash: GENESIS_HASH,
        recordedAt: '2024-06-15T08:00:00.000Z',
        role: 'committee',
        userId: 'u-shxc',
        eventId: 'e-1',
      },
      data: { tier: 'group', name: '上海新村书画小组', organizationId: 'org-1' },
      type: 'OrganizationRegistered',
    };
    expect(eventHash(GENESIS_HASH, reordered)).toBe(eventHash(GENESIS_HASH, event));
  });

  it('ignores the hash key of the metadata (the hash does not hash itself)', () => {
    const withHash = { ...event, metadata: { ...event.metadata, hash: 'f'.repeat(64) } };
    const otherHash = { ...event, metadata: { ...event.metadata, hash: 'anything' } };
    expect(eventHash(GENESIS_HASH, withHash)).toBe(eventHash(GENESIS_HASH, event));
    expect(eventHash(GENESIS_HASH, otherHash)).toBe(eventHash(GENESIS_HASH, event));
  });

  it.each<[string, ChainedEventInput]>([
    ['the type', { ...event, type: 'OrganizationFiled' }],
    ['a data value', { ...event, data: { ...(event.data as object), name: '上海新村书画组' } }],
    [
      'a nested data value',
      { ...event, data: { ...(event.data as object), founders: [{ name: 'a' }] } },
    ],
    ['a data key added', { ...event, data: { ...(event.data as object), extra: null } }],
    ['a metadata value', { ...event, metadata: { ...event.metadata, userId: 'u-other' } }],
    ['a metadata key added', { ...event, metadata: { ...event.metadata, causationId: 'c-1' } }],
    [
      'the prevHash inside the metadata',
      { ...event, metadata: { ...event.metadata, prevHash: '1'.repeat(64) } },
    ],
    ['the revision', { ...event, revision: 1 }],
  ])('changes when %s changes', (_w, changed) => {
    expect(eventHash(GENESIS_HASH, changed)).not.toBe(eventHash(GENESIS_HASH, event));
  });

  it('changes when the previous hash it chains to changes', () => {
    expect(eventHash('1'.repeat(64), event)).not.toBe(eventHash(GENESIS_HASH, event));
  });

  it('makes every later hash of a stream change when an earlier event is altered', () => {
    const chain = (events: readonly ChainedEventInput[]): string[] => {
      const hashes: string[] = [];
      let prev = GENESIS_HASH;
      for (const e of events) {
        prev = eventHash(prev, { ...e, metadata: { ...e.metadata, prevHash: prev } });
        hashes.push(prev);
      }
      return hashes;
    };
    const stream = [0, 1, 2].map((revision) => ({ ...event, revision }));
    const altered = stream.map((e, i) =>
      i === 0 ? { ...e, data: { ...(e.data as object), name: '篡改' } } : e,
    );
    const original = chain(stream);
    const tampered = chain(altered);
    expect(new Set(original).size).toBe(3);
    for (let i = 0; i < 3; i++) expect(tampered[i]).not.toBe(original[i]);
  });
});
