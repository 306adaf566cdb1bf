/**
 * Changes over an organization's life over real HTTP (API.md "Writes", DOMAIN.md §4): rename
 * (the old name freed, the new one unique in its scope), a move across districts (the receiving
 * level records it and manages afterwards; every read model re-homes it), supervisory unit and
 * size facts; and the receipt of a routed activity report by the level it was routed to.
 */
import { PLACES } from '../support/fixtures.js';
import { projectionsCli } from '../read-side/read-side-kit.js';
import { waitUntil } from '../support/wait.js';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import {
  activityBody,
  createGroup,
  createSocialGroup,
  createTeam,
  expectProblem,
  expectWriteAnswer,
  groupBody,
  send,
  uniqueName,
  unknownId,
  write,
} from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

/** A public read once the read models applied `position`. */
async function read(path: string, position: number): Promise<Json> {
  const sep = path.includes('?') ? '&' : '?';
  const res = await send(app, undefined, 'GET', `${path}${sep}minPosition=${String(position)}`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('POST /organizations/{id}/renaming', () => {
  it('renames; the registry shows it; the old name is free and the new one taken', async () => {
    const oldName = uniqueName('上海新村书画小组');
    const newName = uniqueName('上海新村翰墨社');
    const group = await createGroup(app, { name: oldName });
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      `/organizations/${group.id}/renaming`,
      { name: newName, renamedOn: '2025-03-01' },
    );
    const answer = expectWriteAnswer(res, 201);
    expect((await read(`/registry/${group.id}`, answer.position)).name).toBe(newName);
    // The old name is free again in the community; the new one is not.
    await createGroup(app, { name: oldName });
    const taken = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody({ name: newName }),
    );
    expectProblem(taken, 422, { rule: 'name-taken' });
    const other = await createGroup(app);
    const clash = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      `/organizations/${other.id}/renaming`,
      { name: newName, renamedOn: '2025-03-01' },
    );
    expectProblem(clash, 422, { rule: 'name-taken' });
  });
});

describe('POST /organizations/{id}/move across districts', () => {
  const TO_WEIFANG = {
    districtCode: PLACES.pudong,
    streetCode: PLACES.weifang,
    communityCode: PLACES.weifangYicun,
    movedOn: '2025-04-01',
  };

  it('the receiving street records it and manages it afterwards; every read model re-homes it', async () => {
    const team = await createTeam(app);
    // The totals once the team is counted (the runner may not have projected it yet).
    const before = await read('/statistics/overview?district=310115', team.position);
    const xuhuiBefore = await read('/statistics/overview?district=310104', team.position);
    const fromOld = await send(
      app,
      'tianpingStreet',
      'POST',
      `/organizations/${team.id}/move`,
      TO_WEIFANG,
    );
    expectProblem(fromOld, 403, { rule: 'move-authority' });
    const res = await send(
      app,
      'weifangStreet',
      'POST',
      `/organizations/${team.id}/move`,
      TO_WEIFANG,
    );
    const { position } = expectWriteAnswer(res, 201);

    expect(await read(`/registry/${team.id}`, position)).toMatchObject({
      districtCode: PLACES.pudong,
      districtName: '浦东新区',
      streetCode: PLACES.weifang,
      communityCode: PLACES.weifangYicun,
    });
    const xuhuiList = await read(
      `/registry?district=310104&q=${encodeURIComponent('舞蹈队')}&pageSize=100`,
      position,
    );
    expect((xuhuiList.items as Json[]).map((i): unknown => i.id)).not.toContain(team.id);
    const pudong = await read('/statistics/overview?district=310115', position);
    const xuhui = await read('/statistics/overview?district=310104', position);
    expect(pudong.total).toBe((before.total as number) + 1);
    expect(xuhui.total).toBe((xuhuiBefore.total as number) - 1);

    // The old street no longer manages it; the new one does.
    const profile = { members: 40, volunteers: 8, venue: '潍坊一村活动室' };
    expectProblem(
      await send(app, 'tianpingStreet', 'PUT', `/organizations/${team.id}/profile`, profile),
      403,
    );
    const updated = await write(
      app,
      'weifangStreet',
      'PUT',
      `/organizations/${team.id}/profile`,
      profile,
    );
    expect((await read(`/registry/${team.id}`, updated.body.position as number)).profile).toEqual(
      profile,
    );
  });

  it('a rebuild of every read model after the move agrees with the live ones (projections rebuild, then verify)', async () => {
    const team = await createTeam(app);
    const moved = await write(app, 'weifangStreet', 'POST', `/organizations/${team.id}/move`, {
      ...TO_WEIFANG,
      communityCode: PLACES.weifangYicun,
    });
    await read(`/registry/${team.id}`, moved.body.position as number);
    const rebuilt = await projectionsCli(app.dataDir, 'rebuild');
    expect({ code: rebuilt.code, out: rebuilt.stdout + rebuilt.stderr }).toEqual({
      code: 0,
      out: expect.stringContaining('registry: now serving') as unknown,
    });
    const verified = await projectionsCli(app.dataDir, 'verify');
    expect({ code: verified.code, out: verified.stdout }).toEqual({
      code: 0,
      out: expect.stringMatching(/verify: ok, .*0 different/) as unknown,
    });
    // The rebuilt generations serve it under its new district, and nowhere under the old one.
    await waitUntil(
      'the server to serve the rebuilt registry',
      async () =>
        (await send(app, undefined, 'GET', `/registry/${team.id}`)).body?.districtCode ===
        PLACES.pudong,
      10_000,
      { pollMs: 100 },
    );
    const xuhuiList = await read(
      `/registry?district=310104&q=${encodeURIComponent('舞蹈队')}&pageSize=100`,
      0,
    );
    expect((xuhuiList.items as Json[]).map((i): unknown => i.id)).not.toContain(team.id);
  }, 60_000);

  it('a registered organization cannot leave the district its USCC names (422 uscc-region)', async () => {
    const { id } = await createSocialGroup(app);
    const res = await send(app, 'pudongDistrict', 'POST', `/organizations/${id}/move`, TO_WEIFANG);
    expectProblem(res, 422, { rule: 'uscc-region' });
  });
});

describe('PUT /organizations/{id}/supervisory-unit', () => {
  it('changes the unit the registry shows; the same again answers 200 and writes nothing', async () => {
    const group = await createGroup(app);
    const path = `/organizations/${group.id}/supervisory-unit`;
    const first = expectWriteAnswer(
      await send(app, 'shanghaiXincunCommittee', 'PUT', path, { unit: '徐汇区文化和旅游局' }),
      200,
    );
    const again = expectWriteAnswer(
      await send(app, 'shanghaiXincunCommittee', 'PUT', path, { unit: '徐汇区文化和旅游局' }),
      200,
    );
    expect(again.revision).toBe(first.revision);
    expect((await read(`/registry/${group.id}`, first.position)).supervisoryUnit).toBe(
      '徐汇区文化和旅游局',
    );
  });
});

describe('POST /activity-reports/{reportId}/acknowledgement', () => {
  async function streetReport(): Promise<{ id: string; reportId: string; position: number }> {
    const group = await createGroup(app);
    const res = await write(
      app,
      'shanghaiXincunCommittee',
      'POST',
      `/organizations/${group.id}/activity-reports`,
      activityBody({ participants: 300 }),
    );
    return {
      id: group.id,
      reportId: res.body.reportId as string,
      position: res.body.position as number,
    };
  }
  const ack = (reportId: string) => `/activity-reports/${reportId}/acknowledgement`;

  it('the street it was routed to acknowledges it, once; the list shows the receipt', async () => {
    const { id, reportId, position } = await streetReport();
    const listPath = `/activity-reports?street=${PLACES.tianping}&level=street&pageSize=100`;
    const listed = await read(`${listPath}&receipt=waiting&on=2026-01-20`, position);
    const waiting = (listed.items as Json[]).find((r) => r.id === `report:${reportId}`);
    expect(waiting?.receipt).toEqual({ status: 'waiting', waitingDays: 5 });

    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', ack(reportId), {
        acknowledgedOn: '2026-01-15',
      }),
      403,
      {
        rule: 'acknowledgement-authority',
      },
    );
    expectProblem(
      await send(app, undefined, 'POST', ack(reportId), { acknowledgedOn: '2026-01-15' }),
      401,
    );
    const res = await send(
      app,
      'tianpingStreet',
      'POST',
      ack(reportId),
      { acknowledgedOn: '2026-01-15' },
      {
        'idempotency-key': `ack-${reportId}`,
      },
    );
    const answer = expectWriteAnswer(res, 201);
    expect(answer.id).toBe(id);
    const retry = await send(
      app,
      'tianpingStreet',
      'POST',
      ack(reportId),
      { acknowledgedOn: '2026-01-15' },
      {
        'idempotency-key': `ack-${reportId}`,
      },
    );
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', ack(reportId), { acknowledgedOn: '2026-01-15' }),
      409,
      {
        rule: 'report-already-acknowledged',
      },
    );

    const after = await read(`${listPath}&receipt=acknowledged`, answer.position);
    const received = (after.items as Json[]).find((r) => r.id === `report:${reportId}`);
    expect(received?.receipt).toEqual({ status: 'acknowledged', acknowledgedOn: '2026-01-15' });
  });

  it('an unknown report is 404, a malformed id or date 400, a stale If-Match 409', async () => {
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', ack(unknownId()), { acknowledgedOn: '2026-01-15' }),
      404,
    );
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', ack('report-1'), { acknowledgedOn: '2026-01-15' }),
      400,
      {
        field: 'path:reportId',
      },
    );
    const { reportId } = await streetReport();
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', ack(reportId), { acknowledgedOn: '2026-02-30' }),
      400,
      {
        field: 'acknowledgedOn',
      },
    );
    expectProblem(
      await send(
        app,
        'tianpingStreet',
        'POST',
        ack(reportId),
        { acknowledgedOn: '2026-01-15' },
        { 'if-match': '"0"' },
      ),
      409,
    );
  });
});
