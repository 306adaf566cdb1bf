import { positionFromJson } from '../../src/event-sourcing/ports/event-store.port.js';
/**
 * An erasure over HTTP erases for good (issue #16 item 4): once DELETE …/personal-data answered,
 * no file under DATA_DIR holds the organization's key, raw or wrapped, and no stretch of the
 * vault's files opens the contact stored in the event log, as a key nor as a wrapped key
 * unwrapped with the key-encryption key. And the server's files are its own: DATA_DIR 0700,
 * every file in it 0600, whatever the umask.
 *
 * Resident founders' names are personal data like the contact (issue #16 item 5): sealed with the
 * same key, shown only to the levels the organization belongs to, never to auditors, the public
 * registry or Kafka, and after the erasure no route returns them: state, time travel, history and
 * its exports, registry, statistics (unchanged) and the integration events.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openContact, openValue } from '../../src/adapters/personal-data/contact-cipher.js';
import { keyContext } from '../../src/adapters/personal-data/key-encryption-key.js';
import { readFileSync } from 'node:fs';
import type { RecordedEvent } from '../../src/event-sourcing/ports/event-store.port.js';
import { toIntegrationMessage } from '../../src/gateway/integration-event.js';
import type {
  EncryptedContact,
  SealedValue,
} from '../../src/organizations/domain/organization.types.js';
import {
  CONTACT,
  createGroup,
  headPosition,
  readOrg,
  send,
  write,
  type ActorKey,
} from '../support/e2e-kit.js';
import { TEST_TODAY, startHttpApp, type HttpApp } from '../support/http-app.js';
import { ContractValidator } from '../gateway/support/contract.js';
import type { EventRow } from '../audit/audit-kit.js';
import { filesUnder, keyCopies, windowsThatOpen } from '../support/key-residue.js';
import { testKek } from '../support/personal-data-kek.js';

let parent: string;
/** A DATA_DIR the server creates itself (under the most permissive umask). */
let dataDir: string;
let app: HttpApp;
beforeAll(async () => {
  parent = mkdtempSync(join(tmpdir(), 'erasure-e2e-'));
  dataDir = join(parent, 'data');
  const umask = process.umask(0);
  try {
    app = await startHttpApp({ env: { DATA_DIR: dataDir } });
  } finally {
    process.umask(umask);
  }
});
afterAll(async () => {
  await app.close();
  rmSync(parent, { recursive: true, force: true });
});

function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(join(dataDir, file), { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The contact as the event log stores it (sealed). */
const storedContact = (id: string): EncryptedContact =>
  readOnly('events.sqlite', (db) => {
    const row = db
      .prepare<[string], { data: string }>(
        "SELECT data FROM events WHERE stream_id = ? AND type = 'OrganizationRegistered'",
      )
      .get(`organization-${id}`);
    return (JSON.parse(row?.data ?? '{}') as { contact: EncryptedContact }).contact;
  });

/** The organization's key as the vault stored it (wrapped), and the key itself. */
const storedKey = (id: string, version: number): { wrapped: Buffer; key: Buffer } =>
  readOnly('personal-data-keys.sqlite', (db) => {
    const row = db
      .prepare<[string, number], { key: Buffer | null }>(
        'SELECT key FROM organization_keys WHERE organization_id = ? AND version = ?',
      )
      .get(id, version);
    if (!row?.key) throw new Error(`no key for ${id}`);
    return { wrapped: row.key, key: testKek().unwrap(row.key, keyContext(id, version)) };
  });

describe('DELETE /organizations/{id}/personal-data', () => {
  it('leaves no copy of the key in DATA_DIR, and nothing in the vault files opens the contact', async () => {
    const { id } = await createGroup(app);
    for (let n = 0; n < 5; n++) await createGroup(app, { name: `邻里互助小组${String(n)}` });
    const sealed = storedContact(id);
    const erased = storedKey(id, sealed.keyVersion);
    expect(openContact(erased.key, sealed)).toEqual(CONTACT);
    expect(keyCopies(filesUnder(dataDir), erased)).not.toEqual([]);

    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'DELETE',
      `/organizations/${id}/personal-data`,
    );
    expect(res.status).toBe(200);
    expect((await readOrg(app, id, 'shanghaiXincunCommittee')).contact).toBeUndefined();

    const files = filesUnder(dataDir);
    expect(keyCopies(files, erased)).toEqual([]);
    const vaultFiles = files.filter((file) => basename(file).startsWith('personal-data-keys.'));
    expect(vaultFiles.map((file) => basename(file)).sort()).toEqual([
      'personal-data-keys.sqlite',
      'personal-data-keys.sqlite-shm',
      'personal-data-keys.sqlite-wal',
    ]);
    expect(
      windowsThatOpen(vaultFiles, sealed, {
        kek: testKek(),
        context: keyContext(id, sealed.keyVersion),
      }),
    ).toEqual([]);
  });

  it('DATA_DIR is 0700 and every file in it 0600, created under umask 0', () => {
    expect((statSync(dataDir).mode & 0o777).toString(8)).toBe('700');
    const modes = filesUnder(dataDir).map(
      (file) => `${basename(file)} ${(statSync(file).mode & 0o777).toString(8)}`,
    );
    expect(modes.length).toBeGreaterThanOrEqual(6);
    expect(modes.filter((mode) => !mode.endsWith(' 600'))).toEqual([]);
  });
});

const RESIDENTS = ['创始居民周', '创始居民吴'] as const;
const UNIT = '天平路社区文化活动中心';
const FOUNDERS = [
  { kind: 'resident', name: RESIDENTS[0] },
  { kind: 'unit', name: UNIT },
  { kind: 'resident', name: RESIDENTS[1] },
];
/** The levels the group belongs to: they see its personal data. */
const OWN_LEVELS: readonly ActorKey[] = [
  'shanghaiXincunCommittee',
  'tianpingStreet',
  'xuhuiDistrict',
  'city',
];

/** The organization's stored events, as the Kafka gateway reads them from the log. */
const storedEvents = (id: string): RecordedEvent[] =>
  readOnly('events.sqlite', (db) =>
    db
      .prepare<[string], EventRow>(
        'SELECT position, id, stream_id, revision, type, data, metadata FROM events WHERE stream_id = ? ORDER BY revision',
      )
      .all(`organization-${id}`)
      .map((row) => ({
        position: positionFromJson(row.position),
        id: row.id,
        streamId: row.stream_id,
        revision: row.revision,
        type: row.type,
        data: JSON.parse(row.data) as unknown,
        metadata: JSON.parse(row.metadata) as Record<string, unknown>,
      })),
  );

type Route = 'public' | 'state' | 'history';

/**
 * Every answer about the organization, as text, by route: the public reads (registry, its CSV,
 * statistics) and what the Kafka gateway publishes for it; with an actor, its state, time travel,
 * and history with its exports.
 */
async function everyRoute(
  id: string,
  actor: ActorKey | undefined,
  routes: readonly Route[] = ['public', 'state', 'history'],
): Promise<string[]> {
  const at = String(await headPosition(app));
  const org = `/organizations/${id}`;
  const paths = {
    public: [
      `/registry/${id}?minPosition=${at}`,
      `/registry?minPosition=${at}&pageSize=100`,
      `/registry.csv?minPosition=${at}`,
      `/statistics/overview?minPosition=${at}`,
    ],
    state: [org, `${org}/state?revision=0`, `${org}/state?asOf=${TEST_TODAY}`],
    history: [`${org}/history`, `${org}/history?format=jsonl`, `${org}/history?format=csv`],
  };
  const answers: string[] = [];
  for (const route of routes) {
    if (route !== 'public' && actor === undefined) continue;
    for (const path of paths[route]) {
      const res = await send(app, actor, 'GET', path);
      expect([path, res.status]).toEqual([path, 200]);
      answers.push(res.text);
    }
  }
  if (!routes.includes('public')) return answers;
  const validator = new ContractValidator();
  for (const event of storedEvents(id)) {
    const message = toIntegrationMessage(event);
    expect(validator.problems(message)).toEqual([]);
    answers.push(message.value);
  }
  return answers;
}

const founderViews = async (id: string, actor: ActorKey): Promise<unknown> => ({
  current: (await readOrg(app, id, actor)).founders,
  revision0: (await send(app, actor, 'GET', `/organizations/${id}/state?revision=0`)).body.founders,
  asOf: (await send(app, actor, 'GET', `/organizations/${id}/state?asOf=${TEST_TODAY}`)).body
    .founders,
});

describe("resident founders' names (issue #16 item 5)", () => {
  let id: string;
  let sealed: SealedValue[];
  let statisticsBefore: unknown;
  beforeAll(async () => {
    ({ id } = await createGroup(app, { founders: FOUNDERS }));
    const registered = storedEvents(id)[0]?.data as {
      founders: { kind: string; name?: string; sealedName?: SealedValue }[];
    };
    sealed = registered.founders.flatMap((f) => (f.sealedName ? [f.sealedName] : []));
    statisticsBefore = (
      await send(
        app,
        undefined,
        'GET',
        `/statistics/overview?minPosition=${String(await headPosition(app))}`,
      )
    ).body;
  });

  it("the log holds a resident's name sealed with the contact's key, a unit's name plain", () => {
    const registered = storedEvents(id)[0];
    expect(registered?.metadata['schemaVersion']).toBe(3);
    expect(registered?.data).toMatchObject({
      founders: [
        { kind: 'resident', sealedName: { keyVersion: 1, ciphertext: expect.any(String) } },
        { kind: 'unit', name: UNIT },
        { kind: 'resident', sealedName: { keyVersion: 1, ciphertext: expect.any(String) } },
      ],
    });
    const contact = (registered?.data as { contact: EncryptedContact }).contact;
    const { key } = storedKey(id, contact.keyVersion);
    expect(sealed.map((s) => openValue(key, s))).toEqual(RESIDENTS.map((name) => ({ name })));
    // No file under DATA_DIR holds a resident's name in plaintext.
    for (const file of filesUnder(dataDir)) {
      const bytes = readFileSync(file);
      for (const name of RESIDENTS) expect([file, bytes.includes(name)]).toEqual([file, false]);
    }
  });

  it('before the erasure: the levels the group belongs to see the names, in state and time travel', async () => {
    for (const actor of OWN_LEVELS) {
      const expected = FOUNDERS;
      expect(await founderViews(id, actor)).toEqual({
        current: expected,
        revision0: expected,
        asOf: expected,
      });
    }
  });

  it('before the erasure: not the auditor, the public registry, the history or Kafka', async () => {
    const byKind = [{ kind: 'resident' }, { kind: 'unit', name: UNIT }, { kind: 'resident' }];
    expect(await founderViews(id, 'auditor')).toEqual({
      current: byKind,
      revision0: byKind,
      asOf: byKind,
    });
    const answers = [
      ...(await everyRoute(id, 'auditor')),
      ...(await everyRoute(id, undefined)),
      // The history is the log as stored: sealed names, for its own levels too.
      ...(await everyRoute(id, 'shanghaiXincunCommittee', ['history'])),
    ];
    for (const name of RESIDENTS) expect(answers.filter((a) => a.includes(name))).toEqual([]);
  });

  it('after the erasure: no route returns a name, to anyone; the statistics stay the same', async () => {
    await write(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${id}/personal-data`);
    const erased = [
      { kind: 'resident', nameErased: true },
      { kind: 'unit', name: UNIT },
      { kind: 'resident', nameErased: true },
    ];
    for (const actor of [...OWN_LEVELS, 'auditor'] as const) {
      expect(await founderViews(id, actor)).toEqual({
        current: erased,
        // Before the erasure for the auditor still by kind only: it never saw them.
        revision0:
          actor === 'auditor' ? [{ kind: 'resident' }, erased[1], { kind: 'resident' }] : erased,
        asOf: erased,
      });
      const answers = await everyRoute(id, actor);
      for (const name of RESIDENTS) expect(answers.filter((a) => a.includes(name))).toEqual([]);
    }
    for (const name of RESIDENTS) {
      expect((await everyRoute(id, undefined)).filter((a) => a.includes(name))).toEqual([]);
    }
    expect(
      (
        await send(
          app,
          undefined,
          'GET',
          `/statistics/overview?minPosition=${String(await headPosition(app))}`,
        )
      ).body,
    ).toEqual(statisticsBefore);
    // The names sealed in the log open with no key left in DATA_DIR.
    const vaultFiles = filesUnder(dataDir).filter((file) =>
      basename(file).startsWith('personal-data-keys.'),
    );
    const [name] = sealed;
    if (!name) throw new Error('no sealed name');
    expect(
      windowsThatOpen(vaultFiles, name, {
        kek: testKek(),
        context: keyContext(id, name.keyVersion),
      }),
    ).toEqual([]);
  });
});
