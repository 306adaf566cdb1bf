/**
 * Support platforms and incubation over real HTTP (API.md "Writes" and "Reads", DOMAIN.md §4–§5):
 * roles assigned and revoked by the district bureau, an incubation entered and ended by the
 * base's street, and what the registry, its CSV, the history and the statistics show of them.
 */
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import {
  createGroup,
  createSocialGroup,
  expectProblem,
  expectWriteAnswer,
  send,
  write,
} from '../support/e2e-kit.js';

let app: HttpApp;
let last = 0;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const { tianping, hunan, xuhui, weifang } = PLACES;

async function ok(path: string): Promise<Json> {
  const separator = path.includes('?') ? '&' : '?';
  const res = await app.request('GET', `${path}${separator}minPosition=${last}`);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body;
}

const track = (body: Json): Json => {
  last = Math.max(last, body.position as number);
  return body;
};

describe('support-platform roles', () => {
  let federation: string;

  beforeAll(async () => {
    federation = (await createSocialGroup(app)).id;
  });

  it('the district bureau assigns a role with its streets: 201, shown in the registry and the CSV', async () => {
    const res = await send(
      app,
      'xuhuiDistrict',
      'POST',
      `/organizations/${federation}/support-roles`,
      {
        role: 'federation',
        streets: [hunan, tianping],
      },
    );
    track(expectWriteAnswer(res, 201));
    expect((await ok(`/registry/${federation}`)).supportRoles).toEqual([
      { role: 'federation', streets: [tianping, hunan] },
    ]);
    const csv = (await app.request('GET', `/registry.csv?minPosition=${last}`)).text;
    expect(csv).toContain(`federation:${tianping} ${hunan}`);
  });

  it('the same assignment again answers 200 and writes nothing', async () => {
    const res = await send(
      app,
      'xuhuiDistrict',
      'POST',
      `/organizations/${federation}/support-roles`,
      {
        role: 'federation',
        streets: [tianping, hunan],
      },
    );
    expect(res.status).toBe(200);
  });

  it('refuses a street of another district (422) and a group (422)', async () => {
    const outside = await send(
      app,
      'xuhuiDistrict',
      'POST',
      `/organizations/${federation}/support-roles`,
      {
        role: 'service-centre',
        streets: [weifang],
      },
    );
    expectProblem(outside, 422, { rule: 'street-outside-district' });
    const group = await createGroup(app);
    const notRegistered = await send(
      app,
      'xuhuiDistrict',
      'POST',
      `/organizations/${group.id}/support-roles`,
      {
        role: 'service-centre',
        streets: [tianping],
      },
    );
    expectProblem(notRegistered, 422, { rule: 'support-role-requires-registered' });
  });

  it('an unknown role in the path is a 400 naming it', async () => {
    const res = await send(
      app,
      'xuhuiDistrict',
      'DELETE',
      `/organizations/${federation}/support-roles/hub`,
    );
    expectProblem(res, 400, { field: 'path:role' });
  });

  it('GET /statistics/platforms shows per street which kinds it has and lacks', async () => {
    const coverage = await ok(`/statistics/platforms?district=${xuhui}`);
    const streets = coverage.streets as Json[];
    const street = (code: string): Json => streets.find((s: Json) => s.code === code) ?? {};
    expect(street(tianping).platforms).toEqual({
      federation: 1,
      'service-centre': 0,
      'incubation-base': 0,
      'social-work-station': 0,
    });
    expect(street(hunan).missing).toEqual([
      'service-centre',
      'incubation-base',
      'social-work-station',
    ]);
    expect(coverage.summary.covered.federation).toBe(2);
    expect(coverage.summary.streets).toBe((coverage.streets as Json[]).length);
    expect(coverage.districts).toHaveLength(1);
    const city = await ok('/statistics/platforms');
    expect(city.summary.covered.federation).toBe(2);
    expect(city.districts.length).toBeGreaterThan(10);
  });

  it('the district bureau revokes it: the registry and the coverage no longer show it', async () => {
    const res = await send(
      app,
      'xuhuiDistrict',
      'DELETE',
      `/organizations/${federation}/support-roles/federation`,
    );
    track(expectWriteAnswer(res, 200));
    expect((await ok(`/registry/${federation}`)).supportRoles).toEqual([]);
    const coverage = await ok(`/statistics/platforms?district=${xuhui}`);
    expect(coverage.summary.covered.federation).toBe(0);
  });
});

describe('incubation', () => {
  let base: string;
  let org: string;
  let incubationId: string;

  beforeAll(async () => {
    base = (await createSocialGroup(app)).id;
    track(
      (
        await write(app, 'xuhuiDistrict', 'POST', `/organizations/${base}/support-roles`, {
          role: 'incubation-base',
          streets: [tianping],
        })
      ).body,
    );
    org = (await createGroup(app)).id;
  });

  it('refuses a base without the incubation-base role (422)', async () => {
    const other = (await createSocialGroup(app)).id;
    const res = await send(app, 'tianpingStreet', 'POST', `/organizations/${org}/incubations`, {
      baseId: other,
      enteredOn: '2024-11-10',
    });
    expectProblem(res, 422, { rule: 'incubation-base-role' });
  });

  it("the base's street records the entry: 201 with incubationId; the registry shows the base", async () => {
    const res = await send(app, 'tianpingStreet', 'POST', `/organizations/${org}/incubations`, {
      baseId: base,
      enteredOn: '2024-11-10',
    });
    const answer = track(expectWriteAnswer(res, 201, ['incubationId']));
    incubationId = answer.incubationId as string;
    expect(incubationId).toMatch(UUID);
    expect((await ok(`/registry/${org}`)).incubation).toEqual({
      baseId: base,
      since: '2024-11-10',
    });
  });

  it('another street may not end it (403); an unknown incubation is 404', async () => {
    const path = `/organizations/${org}/incubations/${incubationId}/end`;
    expectProblem(
      await send(app, 'hunanStreet', 'POST', path, { outcome: 'graduated', endedOn: '2025-06-30' }),
      403,
      { rule: 'incubation-authority' },
    );
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', `/organizations/${org}/incubations/${org}/end`, {
        outcome: 'graduated',
        endedOn: '2025-06-30',
      }),
      404,
      { rule: 'incubation-unknown' },
    );
  });

  it('it graduates: history, registry and GET /statistics/incubation by base and year', async () => {
    const res = await send(
      app,
      'xuhuiDistrict',
      'POST',
      `/organizations/${org}/incubations/${incubationId}/end`,
      {
        outcome: 'graduated',
        endedOn: '2025-06-30',
      },
    );
    track(expectWriteAnswer(res, 201));
    expect((await ok(`/registry/${org}`)).incubation).toBeNull();
    const history = await send(app, 'auditor', 'GET', `/organizations/${org}/history`);
    expect((history.body as { type: string }[]).map((e) => e.type)).toEqual([
      'OrganizationRegistered',
      'IncubationEntered',
      'IncubationEnded',
    ]);
    const all = await ok(`/statistics/incubation?district=${xuhui}`);
    expect(all.bases).toEqual([
      {
        baseId: base,
        incubated: 1,
        graduated: 1,
        years: [
          { year: '2024', incubated: 1, graduated: 0 },
          { year: '2025', incubated: 0, graduated: 1 },
        ],
      },
    ]);
    const in2024 = await ok(`/statistics/incubation?district=${xuhui}&year=2024`);
    expect(in2024.bases).toEqual([
      {
        baseId: base,
        incubated: 1,
        graduated: 0,
        years: [{ year: '2024', incubated: 1, graduated: 0 }],
      },
    ]);
    expect((await ok('/statistics/incubation?year=2025')).bases[0].graduated).toBe(1);
  });

  it('a bad year or district is a 400', async () => {
    expectProblem(await app.request('GET', '/statistics/incubation?year=25'), 400, {});
    expectProblem(await app.request('GET', '/statistics/incubation?district=999999'), 400, {});
  });
});
