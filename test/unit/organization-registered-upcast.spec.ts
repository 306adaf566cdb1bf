import { positionFromJson } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * OrganizationRegistered v1 → v2 (issue #13, items 2 and 9). v1 had `registeredOn` for every tier:
 * the Shanghai date the record was entered. Stored v1 events are never rewritten; read, they come
 * out in the v2 shape everywhere: a registered organization keeps `registeredOn`, a group's becomes
 * `recordedOn`, a team's is dropped (its OrganizationFiled dates it), and the activity scope is the
 * tier's default. Written through the real store with schema version 1 in the metadata, then read
 * back by the decider's fold, the registry and statistics projections and the Kafka gateway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryProjection } from '../../projections/registry.projection.js';
import { statisticsProjection } from '../../projections/statistics.projection.js';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { EMPTY_TIP, envelope } from '../../src/event-sourcing/event-envelope.js';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import { toProjectedEvent } from '../../src/event-sourcing/projection/projection-batch.js';
import { toIntegrationMessage } from '../../src/gateway/integration-event.js';
import { evolveOrganization } from '../../src/organizations/domain/organization.evolve.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { OrganizationState } from '../../src/organizations/domain/organization.state.js';
import { ContractValidator } from '../gateway/support/contract.js';
import { fold } from './projections/projection-harness.js';
import { divisions, PLACES, USCC } from '../support/fixtures.js';

const GROUP = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a11';
const TEAM = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a12';
const REGISTERED = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a13';
/** 2021-03-01 02:00 in Shanghai is still 2021-02-28 in UTC: the recorded date is Shanghai's. */
const RECORDED_AT = new Date('2021-02-28T18:00:00.000Z');

/** v1 data: `registeredOn` (the recorded date) for every tier, no activity scope. */
const v1 = (organizationId: string, extra: Record<string, unknown>): Record<string, unknown> => ({
  organizationId,
  name: '上海新村书画小组',
  category: 'culture-sports',
  districtCode: PLACES.xuhui,
  streetCode: PLACES.tianping,
  communityCode: PLACES.shanghaiXincun,
  foundedOn: '2019-05-01',
  registeredOn: '2021-03-01',
  founders: [{ kind: 'resident', name: '王阿姨' }],
  ...extra,
});

const STREAMS: Record<string, { type: string; data: Record<string, unknown> }[]> = {
  [GROUP]: [{ type: 'OrganizationRegistered', data: v1(GROUP, { tier: 'group' }) }],
  [TEAM]: [
    { type: 'OrganizationRegistered', data: v1(TEAM, { tier: 'team', name: '夕阳红舞蹈队' }) },
    {
      type: 'OrganizationFiled',
      data: { organizationId: TEAM, filingNumber: 'XH-TP-2021-001', filedOn: '2021-02-15' },
    },
  ],
  [REGISTERED]: [
    {
      type: 'OrganizationRegistered',
      data: v1(REGISTERED, {
        tier: 'registered',
        name: '徐汇区天平社区睦邻协会',
        legalForm: 'social-group',
        uscc: USCC.socialGroupXuhui,
      }),
    },
  ],
};

describe('a stored v1 OrganizationRegistered reads as v2 everywhere', () => {
  let dir: string;
  let store: SqliteEventStore;
  const stored = new Map<string, RecordedEvent[]>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'upcast-'));
    store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    let n = 0;
    for (const [id, events] of Object.entries(STREAMS)) {
      const context = {
        actor: { id: 'u', role: 'committee', jurisdiction: PLACES.shanghaiXincun },
        commandId: `c-${id}`,
        correlationId: `c-${id}`,
      };
      const newEvents = envelope(
        events,
        EMPTY_TIP,
        context,
        'Register',
        RECORDED_AT,
        1,
        () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      );
      await store.appendToStream(`organization-${id}`, newEvents, 'no_stream');
      const read: RecordedEvent[] = [];
      for await (const e of store.readStream(`organization-${id}`)) read.push(e);
      stored.set(id, read);
    }
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = (id: string): RecordedEvent[] => stored.get(id) ?? [];
  const state = (id: string): OrganizationState =>
    events(id).reduce<OrganizationState>(
      (s, e) => evolveOrganization(s, e as unknown as OrganizationEvent),
      null,
    );

  it('the store keeps them as written: version 1, data untouched', () => {
    for (const id of [GROUP, TEAM, REGISTERED]) {
      expect(events(id)[0]?.metadata['schemaVersion']).toBe(1);
      expect(events(id)[0]?.data).toMatchObject({ registeredOn: '2021-03-01' });
    }
  });

  it('in the decider state: the registered keeps registeredOn, the group gets recordedOn, the team its filing date', () => {
    expect(state(REGISTERED)).toMatchObject({
      registeredOn: '2021-03-01',
      tierSince: '2021-03-01',
      activityScope: 'district',
    });
    expect(state(GROUP)).toMatchObject({
      recordedOn: '2021-03-01',
      tierSince: '2021-03-01',
      activityScope: 'community',
    });
    expect(state(GROUP)?.registeredOn).toBeUndefined();
    expect(state(TEAM)).toMatchObject({
      tierSince: '2021-02-15',
      filing: { filedOn: '2021-02-15' },
      activityScope: 'street',
    });
    expect(state(TEAM)?.registeredOn).toBeUndefined();
    expect(state(TEAM)?.recordedOn).toBeUndefined();
  });

  it('in the registry: each date under its own field, null where it does not apply', () => {
    const registry = fold(
      registryProjection(divisions),
      [GROUP, TEAM, REGISTERED].flatMap((id) => events(id).map(toProjectedEvent)),
    );
    const dates = (id: string) => {
      const e = registry.get(id);
      return e && [e.registeredOn, e.filedOn, e.recordedOn, e.tierSince, e.activityScope];
    };
    expect(dates(REGISTERED)).toEqual(['2021-03-01', null, null, '2021-03-01', 'district']);
    expect(dates(GROUP)).toEqual([null, null, '2021-03-01', '2021-03-01', 'community']);
    expect(dates(TEAM)).toEqual([null, '2021-02-15', null, '2021-02-15', 'street']);
  });

  it('in the statistics: the team registers in the month of its filing', () => {
    const docs = fold(statisticsProjection(divisions), events(TEAM).map(toProjectedEvent));
    expect(docs.get(TEAM)?.registeredMonth).toBe('2021-02');
  });

  it('on Kafka: published as v2, in the v2 shape, valid against the v2 contract', () => {
    const validator = new ContractValidator();
    const values = new Map<string, Record<string, unknown>>();
    for (const id of [GROUP, TEAM, REGISTERED]) {
      const message = toIntegrationMessage(events(id)[0]!);
      expect(message.headers.ce_type).toBe('cn.shanghai.community-orgs.OrganizationRegistered.v2');
      expect(validator.problems(message)).toEqual([]);
      values.set(id, JSON.parse(message.value) as Record<string, unknown>);
    }
    expect(values.get(REGISTERED)).toMatchObject({
      registeredOn: '2021-03-01',
      activityScope: 'district',
    });
    expect(values.get(GROUP)).toMatchObject({
      recordedOn: '2021-03-01',
      activityScope: 'community',
    });
    expect(values.get(GROUP)).not.toHaveProperty('registeredOn');
    expect(values.get(TEAM)).toMatchObject({ activityScope: 'street' });
    expect(values.get(TEAM)).not.toHaveProperty('registeredOn');
    expect(values.get(TEAM)).not.toHaveProperty('recordedOn');
  });
});

describe('a registration event without its business date falls back to the recorded Shanghai date', () => {
  it('the registry dates a registered organization and a group by the day it was entered, in Shanghai', () => {
    const at = '2021-02-28T18:00:00.000Z'; // 2021-03-01 in Shanghai
    const projected = (id: string, tier: string) => ({
      type: 'OrganizationRegistered',
      data: { ...v1(id, { tier }), registeredOn: undefined },
      streamId: `organization-${id}`,
      revision: 0,
      position: positionFromJson(1),
      recordedAt: at,
      schemaVersion: 2,
    });
    const registry = fold(registryProjection(divisions), [
      projected(REGISTERED, 'registered'),
      projected(GROUP, 'group'),
    ]);
    expect(registry.get(REGISTERED)).toMatchObject({
      registeredOn: '2021-03-01',
      tierSince: '2021-03-01',
    });
    expect(registry.get(GROUP)).toMatchObject({
      recordedOn: '2021-03-01',
      tierSince: '2021-03-01',
    });
  });
});

/**
 * OrganizationRegistered v2 → v3 (issue #16 item 5). v3 seals a resident founder's name; a stored
 * v2 event holds it in plaintext and is never rewritten: read, the name is `plaintextName`, a
 * name the log keeps and no erasure can remove from it. A unit's name stays `name`.
 */
describe('a stored v2 OrganizationRegistered reads as v3: resident names marked as plaintext', () => {
  const ID = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a21';
  const v2 = {
    ...v1(ID, { tier: 'group' }),
    registeredOn: undefined,
    recordedOn: '2021-03-01',
    activityScope: 'community',
    founders: [
      { kind: 'resident', name: '王阿姨' },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ],
  };
  const stored = (
    type: string,
    data: Record<string, unknown>,
    revision: number,
  ): RecordedEvent => ({
    id: `00000000-0000-4000-8000-0000000001${String(revision).padStart(2, '0')}`,
    streamId: `organization-${ID}`,
    revision,
    position: positionFromJson(revision + 1),
    type,
    data,
    metadata: {
      schemaVersion: type === 'OrganizationRegistered' ? 2 : 1,
      recordedAt: RECORDED_AT.toISOString(),
    },
  });
  const registered = stored('OrganizationRegistered', v2, 0);
  const erased = stored('PersonalDataErased', { organizationId: ID, erasedOn: '2024-01-01' }, 1);
  const folded = (events: RecordedEvent[]): OrganizationState =>
    events.reduce<OrganizationState>(
      (s, e) => evolveOrganization(s, e as unknown as OrganizationEvent),
      null,
    );

  it("in the decider state: the resident's name as plaintextName, the unit's as name", () => {
    expect(folded([registered])?.founders).toEqual([
      { kind: 'resident', plaintextName: '王阿姨' },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ]);
  });

  it('after an erasure the state no longer holds it, though the stored event still does', () => {
    expect(folded([registered, erased])?.founders).toEqual([
      { kind: 'resident', nameErased: true },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ]);
    expect((registered.data as typeof v2).founders).toContainEqual({
      kind: 'resident',
      name: '王阿姨',
    });
  });

  it('on Kafka: still OrganizationRegistered v2, founders by kind only, valid against the contract', () => {
    const message = toIntegrationMessage(registered);
    expect(message.headers.ce_type).toBe('cn.shanghai.community-orgs.OrganizationRegistered.v2');
    expect(new ContractValidator().problems(message)).toEqual([]);
    expect((JSON.parse(message.value) as { founders: unknown }).founders).toEqual([
      { kind: 'resident' },
      { kind: 'unit' },
    ]);
    expect(message.value).not.toContain('王阿姨');
  });

  it('in the registry and the statistics: no name, the same figures as a v3 registration', () => {
    const v3 = {
      ...registered,
      data: {
        ...v2,
        founders: [
          { kind: 'resident', sealedName: { keyVersion: 1, ciphertext: 'AA==' } },
          v2.founders[1],
        ],
      },
      metadata: { ...registered.metadata, schemaVersion: 3 },
    };
    const registry = fold(registryProjection(divisions), [registered].map(toProjectedEvent));
    expect(JSON.stringify([...registry.values()])).not.toContain('王阿姨');
    expect(registry).toEqual(fold(registryProjection(divisions), [v3].map(toProjectedEvent)));
    expect(fold(statisticsProjection(divisions), [registered].map(toProjectedEvent))).toEqual(
      fold(statisticsProjection(divisions), [v3].map(toProjectedEvent)),
    );
  });
});
