/**
 * One organization's whole life over real HTTP: registered as a group by its committee, filed
 * and promoted to a team by its street, promoted to a registered organization by its district
 * with a valid USCC, funded, reporting, evaluated, supervised, dissolved; then every write is
 * refused 422 and nothing moves.
 */
import { randomUUID } from 'node:crypto';
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import {
  activityBody,
  CONTACT,
  expectProblem,
  expectWriteAnswer,
  freshUscc,
  fundingBody,
  groupBody,
  readOrg,
  send,
  type ActorKey,
  type Body,
} from '../support/e2e-kit.js';
import { WRITE_ROUTES } from '../support/write-routes.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

describe('the lifecycle of one organization', () => {
  const uscc = freshUscc('social-service-institution');
  let id = '';
  let openNotice = '';

  /** Runs one step, checks its answer and that GET shows the same revision and ETag. */
  async function step(
    actor: ActorKey,
    method: string,
    suffix: string,
    body: Body | undefined,
    status: 200 | 201,
    revision: number,
    extras: readonly string[] = [],
  ): Promise<Record<string, Json>> {
    const res = await send(app, actor, method, `/organizations/${id}${suffix}`, body);
    const answer = expectWriteAnswer(res, status, extras);
    expect({ id: answer.id, revision: answer.revision }).toEqual({ id, revision });
    const got = await send(app, 'auditor', 'GET', `/organizations/${id}`);
    expect({ revision: got.body.revision, etag: got.headers.get('etag') }).toEqual({
      revision,
      etag: `"${String(revision)}"`,
    });
    return answer;
  }

  it('registers a group, promotes it to a team, then to a registered organization', async () => {
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody({ name: '上海新村睦邻互助社' }),
    );
    expect(res.status).toBe(201);
    id = res.body.id;
    expect(res.body.revision).toBe(0);

    await step(
      'tianpingStreet',
      'POST',
      '/promotions',
      { toTier: 'team', filingNumber: 'XH-TP-2025-031', filedOn: '2025-01-06' },
      201,
      2,
    );
    expect(await readOrg(app, id)).toMatchObject({
      tier: 'team',
      filing: { number: 'XH-TP-2025-031' },
    });

    await step(
      'xuhuiDistrict',
      'POST',
      '/promotions',
      {
        toTier: 'registered',
        legalForm: 'social-service-institution',
        uscc,
        registeredOn: '2025-02-10',
      },
      201,
      3,
    );
    const org = await readOrg(app, id);
    expect(org).toMatchObject({
      tier: 'registered',
      legalForm: 'social-service-institution',
      uscc,
    });
    expect(org.filing).toBeUndefined();
  });

  it('is funded, reports an activity, is evaluated and supervised by the levels above it', async () => {
    const self = await step(
      'tianpingStreet',
      'POST',
      '/fundings',
      fundingBody({ amountFen: 1_000_000 }),
      201,
      4,
      ['grantId'],
    );
    const lottery = await step(
      'xuhuiDistrict',
      'POST',
      '/fundings',
      fundingBody({
        channel: 'welfare-lottery',
        purpose: 'elderly',
        amountFen: 500_000,
        funder: { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui },
      }),
      201,
      5,
      ['grantId'],
    );
    expect(self.grantId).not.toBe(lottery.grantId);

    const report = await step(
      'xuhuiDistrict',
      'POST',
      '/activity-reports',
      activityBody({ participants: 150 }),
      201,
      6,
      ['reportId', 'level'],
    );
    expect(report.level).toBe('street');

    await step(
      'shanghaiXincunCommittee',
      'POST',
      '/evaluations',
      { period: '2025-H1', evaluator: 'residents', grade: 'good' },
      201,
      7,
    );
    await step(
      'tianpingStreet',
      'POST',
      '/evaluations',
      { period: '2025-H1', evaluator: 'street', grade: 'excellent' },
      201,
      8,
    );

    const resolved = await step(
      'xuhuiDistrict',
      'POST',
      '/correction-notices',
      { reason: '财务公开不及时' },
      201,
      9,
      ['noticeId'],
    );
    const open = await step(
      'xuhuiDistrict',
      'POST',
      '/correction-notices',
      { reason: '活动台账不全' },
      201,
      10,
      ['noticeId'],
    );
    openNotice = open.noticeId as string;
    await step(
      'xuhuiDistrict',
      'POST',
      `/correction-notices/${String(resolved.noticeId)}/resolution`,
      { note: '已整改' },
      201,
      11,
    );
    await step('xuhuiDistrict', 'PUT', '/party-organization', { status: 'joint-branch' }, 200, 12);
    await step(
      'xuhuiDistrict',
      'POST',
      '/reclassifications',
      { category: 'charity', criteria: '民政部统计口径', reason: '以助老服务为主' },
      201,
      13,
    );

    const org = await readOrg(app, id, 'xuhuiDistrict');
    expect(org).toMatchObject({
      status: 'active',
      category: 'charity',
      fundingTotalFen: 1_500_000,
      grantCount: 2,
      activityReportCount: 1,
      latestEvaluation: { period: '2025-H1', evaluator: 'street', grade: 'excellent' },
      openCorrectionNotices: [openNotice],
      correctionNoticeCount: 2,
      partyOrganization: 'joint-branch',
      contact: CONTACT,
    });
  });

  it('is dissolved by its district bureau', async () => {
    await step(
      'xuhuiDistrict',
      'POST',
      '/dissolution',
      {
        reason: '连续两年未参加年度检查，依法撤销登记',
        dissolvedOn: '2025-09-30',
        kind: 'revoked',
      },
      201,
      14,
    );
    expect(await readOrg(app, id)).toMatchObject({
      status: 'dissolved',
      dissolvedOn: '2025-09-30',
      dissolutionKind: 'revoked',
    });
  });

  /** Who would manage each write on this (registered, 徐汇区) organization. */
  const actorFor = (name: string): ActorKey =>
    /filing|evaluations/.test(name) ? 'tianpingStreet' : 'xuhuiDistrict';

  // Erasing personal data stays possible after dissolution (PIPL); it runs last, below.
  const refusedAfterDissolution = WRITE_ROUTES.filter(
    (r) => !/personal-data/.test(r.path({ id: 'x', noticeId: 'y' })),
  );

  it.each(refusedAfterDissolution.map((r) => [r.name, r] as const))(
    'after dissolution %s is 422 organization-dissolved and nothing moves',
    async (_name, route) => {
      // Well-formed ids for the incubation routes (no such base or incubation).
      const a = { id, noticeId: openNotice, baseId: randomUUID(), incubationId: randomUUID() };
      const res = await send(
        app,
        actorFor(route.name),
        route.method,
        route.path(a),
        route.body?.(a),
      );
      expectProblem(res, 422, { rule: 'organization-dissolved' });
      const org = await readOrg(app, id);
      expect({ revision: org.revision, status: org.status }).toEqual({
        revision: 14,
        status: 'dissolved',
      });
    },
  );

  it('after dissolution its personal data can still be erased (PIPL)', async () => {
    const res = await send(app, 'xuhuiDistrict', 'DELETE', `/organizations/${id}/personal-data`);
    expect(res.status).toBe(200);
    const org = await readOrg(app, id);
    expect({
      status: org.status,
      personalDataErased: org.personalDataErased,
      contact: org.contact,
    }).toEqual({
      status: 'dissolved',
      personalDataErased: true,
      contact: undefined,
    });
  });

  it('a demotion of the dissolved organization is refused too, and it stays readable', async () => {
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', `/organizations/${id}/demotions`, {
        toTier: 'team',
        reason: '错误',
      }),
      422,
      { rule: 'organization-dissolved' },
    );
    for (const actor of [
      'shanghaiXincunCommittee',
      'tianpingStreet',
      'xuhuiDistrict',
      'city',
      'auditor',
    ] as const) {
      expect((await send(app, actor, 'GET', `/organizations/${id}`)).status).toBe(200);
    }
  });
});
