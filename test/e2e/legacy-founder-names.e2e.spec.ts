import { positionFromJson } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * Resident founders' names stored in plaintext before OrganizationRegistered v3 (issue #16 item
 * 5). The log is immutable: such a name stays in the stored event (and so in the history and its
 * exports, which are the log as stored and verify against its hashes) and no erasure can remove
 * it. Lifted on read (`plaintextName`), it is shown like a sealed name — to the levels the
 * organization belongs to, never to the auditor, the registry or Kafka — and, once the
 * organization's personal data is erased, by none of the reads: state, time travel, registry.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { EMPTY_TIP, envelope } from '../../src/event-sourcing/event-envelope.js';
import type { HistoryEntry } from '../../src/audit/audit.service.js';
import { toIntegrationMessage } from '../../src/gateway/integration-event.js';
import { headPosition, readOrg, send, write, type ActorKey } from '../support/e2e-kit.js';
import { ACTORS, PLACES } from '../support/fixtures.js';
import { TEST_TODAY, startHttpApp, type HttpApp } from '../support/http-app.js';

const ID = '0b4e3f1c-6a52-4c1e-9c43-2b1f2f6d9a31';
const RESIDENT = '旧居民郑';
const UNIT = '天平路社区文化活动中心';

let parent: string;
let app: HttpApp;
beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'legacy-founders-'));
  const dataDir = join(parent, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'));
  const context = {
    actor: ACTORS.shanghaiXincunCommittee,
    commandId: 'c-legacy',
    correlationId: 'c-legacy',
  };
  // As a registration was stored in v2: every founder's name in plaintext, no contact.
  const v2 = {
    type: 'OrganizationRegistered',
    data: {
      organizationId: ID,
      name: '上海新村旧时书画小组',
      category: 'culture-sports',
      tier: 'group',
      districtCode: PLACES.xuhui,
      streetCode: PLACES.tianping,
      communityCode: PLACES.shanghaiXincun,
      foundedOn: '2019-05-01',
      recordedOn: '2021-03-01',
      activityScope: 'community',
      founders: [
        { kind: 'resident', name: RESIDENT },
        { kind: 'unit', name: UNIT },
      ],
    },
  };
  const events = envelope(
    [v2],
    EMPTY_TIP,
    context,
    'RegisterOrganization',
    new Date('2021-03-01T02:00:00Z'),
    2,
    () => '00000000-0000-4000-8000-000000000031',
  );
  await store.appendToStream(`organization-${ID}`, events, 'no_stream');
  await store.close();
  app = await startHttpApp({ env: { DATA_DIR: dataDir } });
});
afterAll(async () => {
  await app.close();
  rmSync(parent, { recursive: true, force: true });
});

const views = async (actor: ActorKey): Promise<unknown> => ({
  current: (await readOrg(app, ID, actor)).founders,
  revision0: (await send(app, actor, 'GET', `/organizations/${ID}/state?revision=0`)).body.founders,
  asOf: (await send(app, actor, 'GET', `/organizations/${ID}/state?asOf=${TEST_TODAY}`)).body
    .founders,
});

async function publicAnswers(): Promise<string[]> {
  const at = String(await headPosition(app));
  const answers: string[] = [];
  for (const path of [`/registry/${ID}`, '/registry', '/registry.csv']) {
    const res = await send(app, undefined, 'GET', `${path}?minPosition=${at}`);
    expect([path, res.status]).toEqual([path, 200]);
    answers.push(res.text);
  }
  return answers;
}

describe('a resident founder stored in plaintext (v2), lifted on read', () => {
  it("is shown to the group's own levels, in state and time travel", async () => {
    const named = [
      { kind: 'resident', name: RESIDENT },
      { kind: 'unit', name: UNIT },
    ];
    for (const actor of ['shanghaiXincunCommittee', 'tianpingStreet', 'city'] as const)
      expect(await views(actor)).toEqual({ current: named, revision0: named, asOf: named });
  });

  it('is not shown to the auditor, the registry or Kafka', async () => {
    const byKind = [{ kind: 'resident' }, { kind: 'unit', name: UNIT }];
    expect(await views('auditor')).toEqual({ current: byKind, revision0: byKind, asOf: byKind });
    expect((await publicAnswers()).filter((a) => a.includes(RESIDENT))).toEqual([]);
    const history = await send(app, 'auditor', 'GET', `/organizations/${ID}/history`);
    const [entry] = history.body as HistoryEntry[];
    if (!entry) throw new Error('no history');
    const { eventId, prevHash: _prev, hash: _hash, ...event } = entry;
    const message = toIntegrationMessage({
      ...event,
      id: eventId,
      position: positionFromJson(event.position),
    });
    expect(message.headers.ce_type).toMatch(/OrganizationRegistered\.v2$/);
    expect(message.value).not.toContain(RESIDENT);
  });

  it('after the erasure no read shows it; the history still holds the log as stored', async () => {
    await write(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${ID}/personal-data`);
    const erased = [
      { kind: 'resident', nameErased: true },
      { kind: 'unit', name: UNIT },
    ];
    for (const actor of ['shanghaiXincunCommittee', 'tianpingStreet', 'city'] as const) {
      expect(await views(actor)).toEqual({ current: erased, revision0: erased, asOf: erased });
      const org = await readOrg(app, ID, actor);
      expect(JSON.stringify(org)).not.toContain(RESIDENT);
    }
    expect((await publicAnswers()).filter((a) => a.includes(RESIDENT))).toEqual([]);
    // The immutable log: the v2 event is unchanged, so its name cannot be erased from it.
    const history = await send(app, 'auditor', 'GET', `/organizations/${ID}/history`);
    expect(history.body[0].metadata.schemaVersion).toBe(2);
    expect(history.body[0].data.founders[0]).toEqual({ kind: 'resident', name: RESIDENT });
  });
});
