/**
 * Every read of personal data is recorded (DOMAIN §7, issue #16 item 6): who, when, which
 * organization, which route; only reads that showed personal data; the city auditors list and
 * export the record, nobody else; and no record, no personal data: a read whose record cannot be
 * kept answers 503 and shows nothing.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Clock } from '../../src/event-sourcing/clock.js';
import {
  CONTACT,
  createGroup,
  expectNoStackTrace,
  expectProblem,
  readOrg,
  send,
  write,
} from '../support/e2e-kit.js';
import { ACTORS } from '../support/fixtures.js';
import { startHttpApp, TEST_CLOCK, type HttpApp, type Json } from '../support/http-app.js';

/** The server's clock, moved by the tests (it starts at TEST_CLOCK). */
let now = TEST_CLOCK.now();
const clock: Clock = { now: () => now };

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp({ clock });
});
afterAll(async () => {
  await app.close();
});
beforeEach(() => {
  now = TEST_CLOCK.now();
});

const ROUTE = 'GET /organizations/:id';

/** The access log as the city auditor lists it (one page, as many as `limit`). */
async function accesses(query: Record<string, string> = {}): Promise<Json> {
  const res = await send(
    app,
    'auditor',
    'GET',
    `/audit/personal-data-access?${new URLSearchParams({ limit: '1000', ...query }).toString()}`,
  );
  expect({ status: res.status, text: res.text }).toEqual({ status: 200, text: expect.any(String) });
  return res.body;
}

const recordsOf = async (organization: string): Promise<Json[]> =>
  (await accesses({ organization })).items as Json[];

describe('reads of GET /organizations/{id}', () => {
  it('a committee reading its group’s contact leaves one record: who, when, which organization, which route', async () => {
    const { id } = await createGroup(app);
    expect(await recordsOf(id)).toEqual([]);
    now = new Date('2026-01-16T03:04:05.678Z');
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'GET',
      `/organizations/${id}`,
      undefined,
      {
        'x-correlation-id': 'desk-42',
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.contact).toEqual(CONTACT);
    const committee = ACTORS.shanghaiXincunCommittee;
    expect(await recordsOf(id)).toEqual([
      {
        id: expect.any(String),
        at: '2026-01-16T03:04:05.678Z',
        actorId: committee.id,
        role: 'committee',
        jurisdiction: committee.jurisdiction,
        organizationId: id,
        route: ROUTE,
        fields: ['contact', 'founders'],
        correlationId: 'desk-42',
      },
    ]);
    // Each read is one more record, by whoever read it; a malformed correlation id is left out.
    await send(app, 'xuhuiDistrict', 'GET', `/organizations/${id}`, undefined, {
      'x-correlation-id': '=cmd()',
    });
    const records = await recordsOf(id);
    expect(records).toHaveLength(2);
    expect(records[1]).toEqual(
      expect.objectContaining({ actorId: ACTORS.xuhuiDistrict.id, role: 'district' }),
    );
    expect(records[1]).not.toHaveProperty('correlationId');
  });

  it('reads that show no personal data leave none: the auditor, no contact, an erased one, a refusal', async () => {
    const { id } = await createGroup(app);
    const before = (await accesses()).items.length as number;

    const asAuditor = await readOrg(app, id, 'auditor');
    expect(asAuditor.contact).toBeUndefined();
    const { id: bare } = await createGroup(app, {
      contact: undefined,
      founders: [{ kind: 'unit', name: '天平路社区文化活动中心' }],
    });
    expect((await readOrg(app, bare, 'shanghaiXincunCommittee')).contact).toBeUndefined();
    // Another community's committee, an unknown id, no token: refused, nothing shown.
    expect((await send(app, 'qingyuCommittee', 'GET', `/organizations/${id}`)).status).toBe(403);
    expect((await send(app, undefined, 'GET', `/organizations/${id}`)).status).toBe(401);
    // After erasure the contact reads as erased: nothing personal shown, nothing recorded.
    await write(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${id}/personal-data`);
    const erased = await readOrg(app, id, 'shanghaiXincunCommittee');
    expect(JSON.stringify(erased)).not.toContain(CONTACT.phone);

    expect((await accesses()).items).toHaveLength(before);
  });

  it("a resident founder's name is recorded as `founders`, without a contact as with one", async () => {
    const { id } = await createGroup(app, { contact: undefined });
    const read = await readOrg(app, id, 'shanghaiXincunCommittee');
    expect(read.founders).toEqual([{ kind: 'resident', name: '王阿姨' }]);
    expect((await recordsOf(id)).map((r): unknown => r.fields)).toEqual([['founders']]);
  });
});

describe('reads of GET /organizations/{id}/state (time travel)', () => {
  it("a resident founder's name shown as it was is recorded; the auditor's read and reads after the erasure are not", async () => {
    const { id } = await createGroup(app);
    const state = await send(app, 'xuhuiDistrict', 'GET', `/organizations/${id}/state?revision=0`);
    expect(state.status).toBe(200);
    expect(state.body.founders).toEqual([{ kind: 'resident', name: '王阿姨' }]);
    expect(state.body.contact).toBeUndefined();
    expect(await recordsOf(id)).toEqual([
      expect.objectContaining({
        actorId: ACTORS.xuhuiDistrict.id,
        route: 'GET /organizations/:id/state',
        fields: ['founders'],
      }),
    ]);
    const byAuditor = await send(app, 'auditor', 'GET', `/organizations/${id}/state?revision=0`);
    expect(byAuditor.body.founders).toEqual([{ kind: 'resident' }]);
    await write(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${id}/personal-data`);
    const after = await send(app, 'xuhuiDistrict', 'GET', `/organizations/${id}/state?revision=0`);
    expect(after.body.founders).toEqual([{ kind: 'resident', nameErased: true }]);
    expect(await recordsOf(id)).toHaveLength(1);
  });
});

describe('GET /audit/personal-data-access', () => {
  it('lists by organization and by Shanghai days, both ends included, page by page', async () => {
    const { id: first } = await createGroup(app);
    const { id: second } = await createGroup(app);
    const readAt = async (id: string, instant: string): Promise<void> => {
      now = new Date(instant);
      await readOrg(app, id, 'shanghaiXincunCommittee');
    };
    await readAt(first, '2026-02-01T02:00:00.000Z'); // 1 Feb 10:00 in Shanghai
    await readAt(second, '2026-02-01T03:00:00.000Z');
    await readAt(first, '2026-02-02T16:30:00.000Z'); // 3 Feb 00:30 in Shanghai
    await readAt(first, '2026-02-05T15:59:59.999Z'); // 5 Feb 23:59:59.999 in Shanghai

    const ats = (body: Json): string[] => (body.items as Json[]).map((r) => r.at as string);
    // 16:30 UTC on 2 Feb is already 3 Feb in Shanghai.
    expect(
      ats(await accesses({ organization: first, from: '2026-02-02', to: '2026-02-02' })),
    ).toEqual([]);
    expect(
      ats(await accesses({ organization: first, from: '2026-02-01', to: '2026-02-01' })),
    ).toEqual(['2026-02-01T02:00:00.000Z']);
    expect(ats(await accesses({ organization: first, from: '2026-02-03' }))).toEqual([
      '2026-02-02T16:30:00.000Z',
      '2026-02-05T15:59:59.999Z',
    ]);
    expect(
      ats(await accesses({ organization: first, to: '2026-02-04', from: '2026-02-01' })),
    ).toEqual(['2026-02-01T02:00:00.000Z', '2026-02-02T16:30:00.000Z']);
    expect(ats(await accesses({ from: '2026-02-01', to: '2026-02-01' }))).toEqual([
      '2026-02-01T02:00:00.000Z',
      '2026-02-01T03:00:00.000Z',
    ]);
    // The organization in upper case is the same organization.
    expect(ats(await accesses({ organization: first.toUpperCase(), from: '2026-02-05' }))).toEqual([
      '2026-02-05T15:59:59.999Z',
    ]);

    // Pages of one, following `next`, walk the same records.
    const walked: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const page = await accesses({
        organization: first,
        limit: '1',
        ...(after !== undefined && { after }),
      });
      walked.push(...ats(page));
      if (page.next === null) break;
      after = page.next as string;
    }
    expect(walked).toEqual([
      '2026-02-01T02:00:00.000Z',
      '2026-02-02T16:30:00.000Z',
      '2026-02-05T15:59:59.999Z',
    ]);
  });

  it('exports as JSON Lines and as CSV', async () => {
    const { id } = await createGroup(app);
    await readOrg(app, id, 'shanghaiXincunCommittee');
    await readOrg(app, id, 'tianpingStreet');
    // A subject a spreadsheet would run as a formula (an identity provider's, not ours).
    const committee = ACTORS.shanghaiXincunCommittee;
    const formula = await app.token(committee.role, committee.jurisdiction, '=1+2');
    expect((await app.request('GET', `/organizations/${id}`, { token: formula })).status).toBe(200);
    const token = { organization: id };

    const jsonl = await send(
      app,
      'auditor',
      'GET',
      `/audit/personal-data-access?${new URLSearchParams({ ...token, format: 'jsonl' }).toString()}`,
    );
    expect(jsonl.status).toBe(200);
    expect(jsonl.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = jsonl.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { actorId: string });
    expect(lines.map((l) => l.actorId)).toEqual([
      ACTORS.shanghaiXincunCommittee.id,
      ACTORS.tianpingStreet.id,
      '=1+2',
    ]);

    const csv = await send(
      app,
      'auditor',
      'GET',
      `/audit/personal-data-access?${new URLSearchParams({ ...token, format: 'csv' }).toString()}`,
    );
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(
      'at,actorId,role,jurisdiction,organizationId,route,fields,correlationId,id',
    );
    expect(rows).toHaveLength(4);
    expect(rows[3]).toMatch(/^[^,]+,'=1\+2,committee,/);
    expect(rows[1]).toContain(
      `,committee,${ACTORS.shanghaiXincunCommittee.jurisdiction},${id},${ROUTE},contact founders,`,
    );
    // Nothing personal in the log itself.
    expect(jsonl.text + csv.text).not.toContain(CONTACT.phone);
    expect(jsonl.text + csv.text).not.toContain(CONTACT.name);
  });

  it('is for the city auditors only: a district auditor and every other role get 403', async () => {
    const districtAuditor = await app.token('auditor', '310104', 'u-xuhui-auditor');
    const refused = await app.request('GET', '/audit/personal-data-access', {
      token: districtAuditor,
    });
    expectProblem(refused, 403, { rule: 'city-auditor-only' });
    for (const actor of [
      'city',
      'xuhuiDistrict',
      'tianpingStreet',
      'shanghaiXincunCommittee',
    ] as const)
      expectProblem(await send(app, actor, 'GET', '/audit/personal-data-access'), 403, {
        rule: 'city-auditor-only',
      });
    expectProblem(await send(app, undefined, 'GET', '/audit/personal-data-access'), 401);
  });

  it.each([
    ['from=2026-02-30', 'query:from'],
    ['to=yesterday', 'query:to'],
    ['from=2026-02-03&to=2026-02-02', 'query:to'],
    ['organization=not-a-uuid', 'query:organization'],
    ['limit=0', 'query:limit'],
    ['limit=1001', 'query:limit'],
    ['format=xml', 'query:format'],
    ['after=%25%25', 'query:after'],
    ['after=1768442400000.12', 'query:after'],
  ])('400 naming the field for %s', async (query, field) => {
    const res = await send(app, 'auditor', 'GET', `/audit/personal-data-access?${query}`);
    expectProblem(res, 400, { field });
  });

  it('cannot be changed over HTTP', async () => {
    const before = (await accesses()).items.length as number;
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await send(app, 'auditor', method, '/audit/personal-data-access', {});
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    expect((await accesses()).items).toHaveLength(before);
  });
});

describe('no record, no personal data', () => {
  it('a read whose record cannot be kept answers 503 with Retry-After and shows nothing', async () => {
    const { id } = await createGroup(app);
    const before = (await recordsOf(id)).length;
    // Another connection holds the access log's write lock past the busy timeout.
    const other = new Database(join(app.dataDir, 'personal-data-access.sqlite'));
    try {
      other.prepare('BEGIN IMMEDIATE').run();
      const res = await send(app, 'shanghaiXincunCommittee', 'GET', `/organizations/${id}`);
      expectProblem(res, 503);
      expect(res.headers.get('retry-after')).toBe('1');
      expect(res.text).not.toContain(CONTACT.phone);
      expect(res.text).not.toContain(CONTACT.name);
      expectNoStackTrace(res.text);
      // The auditor's read shows nothing personal, so it needs no record and still works.
      expect((await send(app, 'auditor', 'GET', `/organizations/${id}`)).status).toBe(200);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect((await readOrg(app, id, 'shanghaiXincunCommittee')).contact).toEqual(CONTACT);
    expect(await recordsOf(id)).toHaveLength(before + 1);
  });
});
