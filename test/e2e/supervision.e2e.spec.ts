/**
 * Supervision over real HTTP (API.md "Writes", DOMAIN.md §4): reclassification, evaluations,
 * correction notices and their resolution, party organization status, dissolution and its kinds.
 */
import { startHttpApp, TEST_TODAY, type HttpApp } from '../support/http-app.js';
import {
  createGroup,
  createSocialGroup,
  DISSOLUTION,
  dissolve,
  expectProblem,
  expectWriteAnswer,
  FUTURE,
  headPosition,
  readOrg,
  send,
  unknownId,
  write,
} from '../support/e2e-kit.js';
import { WRITE_CASES } from '../support/write-routes.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const path = (id: string, suffix: string): string => `/organizations/${id}${suffix}`;

/** A group of 上海新村居委会 that was dissolved: every write on it is 422 organization-dissolved. */
async function dissolvedGroup(): Promise<string> {
  const { id } = await createGroup(app);
  await dissolve(app, id, 'shanghaiXincunCommittee');
  return id;
}

describe('POST /organizations/{id}/reclassifications', () => {
  it('201; GET shows the new category and its label', async () => {
    const group = await createGroup(app);
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      path(group.id, '/reclassifications'),
      {
        category: 'charity',
        criteria: '民政部最新统计口径',
        reason: '主要开展助老服务',
      },
    );
    expect(expectWriteAnswer(res, 201)).toEqual({
      id: group.id,
      revision: 1,
      position: await headPosition(app),
    });
    expect(await readOrg(app, group.id)).toMatchObject({
      category: 'charity',
      labels: { category: '公益慈善类' },
    });
  });

  it('422 category-unchanged for the category it already has', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/reclassifications'), {
        category: 'culture-sports',
        criteria: '口径',
        reason: '无变化',
      }),
      422,
      { rule: 'category-unchanged', field: 'category' },
    );
  });
});

describe('POST /organizations/{id}/evaluations', () => {
  it('201 by the committee and by the street; GET shows the latest evaluation', async () => {
    const group = await createGroup(app);
    expectWriteAnswer(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/evaluations'), {
        period: '2024',
        evaluator: 'residents',
        grade: 'good',
      }),
      201,
    );
    const res = await send(app, 'tianpingStreet', 'POST', path(group.id, '/evaluations'), {
      period: '2025-Q1',
      evaluator: 'street',
      grade: 'excellent',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(2);
    expect((await readOrg(app, group.id)).latestEvaluation).toEqual({
      period: '2025-Q1',
      evaluator: 'street',
      grade: 'excellent',
      evaluatedOn: TEST_TODAY,
    });
  });

  it.each(['excellent', 'good', 'pass', 'fail'])('201 for the grade %s', async (grade) => {
    const group = await createGroup(app);
    await write(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/evaluations'), {
      period: '2025',
      evaluator: 'committee',
      grade,
    });
    expect((await readOrg(app, group.id)).latestEvaluation).toMatchObject({ grade });
  });

  it.each([
    ['the street', 'tianpingStreet', 'committee'],
    ['the committee', 'shanghaiXincunCommittee', 'street'],
  ] as const)(
    "403 evaluator-authority: %s records another body's own appraisal",
    async (_w, actor, evaluator) => {
      const group = await createGroup(app);
      expectProblem(
        await send(app, actor, 'POST', path(group.id, '/evaluations'), {
          period: '2025',
          evaluator,
          grade: 'pass',
        }),
        403,
        { rule: 'evaluator-authority' },
      );
      expect((await readOrg(app, group.id)).revision).toBe(0);
    },
  );

  it('422 organization-dissolved on a dissolved organization', async () => {
    const id = await dissolvedGroup();
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(id, '/evaluations'), {
        period: '2025',
        evaluator: 'residents',
        grade: 'excellent',
      }),
      422,
      { rule: 'organization-dissolved' },
    );
  });
});

describe('POST /organizations/{id}/correction-notices', () => {
  it('201 with a noticeId; GET lists it as open', async () => {
    const group = await createGroup(app);
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      path(group.id, '/correction-notices'),
      {
        reason: '活动噪音扰民',
      },
    );
    const answer = expectWriteAnswer(res, 201, ['noticeId']);
    const org = await readOrg(app, group.id);
    expect({ open: org.openCorrectionNotices, count: org.correctionNoticeCount }).toEqual({
      open: [answer.noticeId],
      count: 1,
    });
  });

  it('422 organization-dissolved on a dissolved organization', async () => {
    const id = await dissolvedGroup();
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(id, '/correction-notices'), {
        reason: '问题',
      }),
      422,
      { rule: 'organization-dissolved' },
    );
  });
});

describe('POST /organizations/{id}/correction-notices/{noticeId}/resolution', () => {
  it('201; GET no longer lists the notice; resolving it again is 404', async () => {
    const a = await WRITE_CASES.resolveNotice.arrange(app);
    const route = WRITE_CASES.resolveNotice.path(a);
    const res = await send(app, 'shanghaiXincunCommittee', 'POST', route, { note: '已整改' });
    expect(expectWriteAnswer(res, 201)).toEqual({
      id: a.id,
      revision: 2,
      position: await headPosition(app),
    });
    const org = await readOrg(app, a.id);
    expect({ open: org.openCorrectionNotices, count: org.correctionNoticeCount }).toEqual({
      open: [],
      count: 1,
    });
    expectProblem(await send(app, 'shanghaiXincunCommittee', 'POST', route, {}), 404, {
      rule: 'correction-notice-unknown',
    });
  });

  it('an unknown notice id is 404, a malformed one 400 naming path:noticeId', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(
        app,
        'shanghaiXincunCommittee',
        'POST',
        path(group.id, `/correction-notices/${unknownId()}/resolution`),
        {},
      ),
      404,
      { rule: 'correction-notice-unknown' },
    );
    expectProblem(
      await send(
        app,
        'shanghaiXincunCommittee',
        'POST',
        path(group.id, '/correction-notices/notice-1/resolution'),
        {},
      ),
      400,
      { field: 'path:noticeId' },
    );
  });

  it('422 organization-dissolved once the organization is dissolved', async () => {
    const a = await WRITE_CASES.resolveNotice.arrange(app);
    await dissolve(app, a.id, 'shanghaiXincunCommittee');
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', WRITE_CASES.resolveNotice.path(a), {}),
      422,
      { rule: 'organization-dissolved' },
    );
  });
});

describe('PUT /organizations/{id}/party-organization', () => {
  it('200; GET shows the status; the same status again is 200 with the same revision', async () => {
    const group = await createGroup(app);
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'PUT',
      path(group.id, '/party-organization'),
      {
        status: 'own-branch',
      },
    );
    const answer = expectWriteAnswer(res, 200);
    expect(answer.revision).toBe(1);
    expect((await readOrg(app, group.id)).partyOrganization).toBe('own-branch');
    const again = await send(
      app,
      'shanghaiXincunCommittee',
      'PUT',
      path(group.id, '/party-organization'),
      {
        status: 'own-branch',
      },
    );
    expect(expectWriteAnswer(again, 200)).toEqual(answer);
  });

  it('422 organization-dissolved on a dissolved organization', async () => {
    const id = await dissolvedGroup();
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'PUT', path(id, '/party-organization'), {
        status: 'liaison',
      }),
      422,
      { rule: 'organization-dissolved' },
    );
  });
});

describe('POST /organizations/{id}/dissolution', () => {
  it('201; GET shows the organization dissolved on that date', async () => {
    const group = await createGroup(app);
    const res = await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/dissolution'), {
      ...DISSOLUTION,
    });
    // The name reservation is released right after: the dissolution is the one before the head.
    expect(expectWriteAnswer(res, 201)).toEqual({
      id: group.id,
      revision: 1,
      position: (await headPosition(app)) - 1,
    });
    expect(await readOrg(app, group.id)).toMatchObject({
      status: 'dissolved',
      dissolvedOn: DISSOLUTION.dissolvedOn,
      dissolutionKind: 'deregistered',
    });
  });

  it('422 cleared-not-for-registered: a registered organization is not cleared (清理)', async () => {
    const org = await createSocialGroup(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(org.id, '/dissolution'), {
        ...DISSOLUTION,
        kind: 'cleared',
      }),
      422,
      { rule: 'cleared-not-for-registered', field: 'kind' },
    );
    expect(await readOrg(app, org.id)).toMatchObject({ status: 'active', revision: 0 });
    await write(app, 'xuhuiDistrict', 'POST', path(org.id, '/dissolution'), {
      ...DISSOLUTION,
      kind: 'revoked',
    });
    expect(await readOrg(app, org.id)).toMatchObject({ dissolutionKind: 'revoked' });
  });

  it('a group is cleared (清理) by its committee', async () => {
    const group = await createGroup(app);
    await write(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/dissolution'), {
      ...DISSOLUTION,
      kind: 'cleared',
    });
    expect(await readOrg(app, group.id)).toMatchObject({
      status: 'dissolved',
      dissolutionKind: 'cleared',
    });
  });

  it('201 merged into a live organization: GET names the survivor', async () => {
    const survivor = await createGroup(app);
    const group = await createGroup(app);
    await write(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/dissolution'), {
      ...DISSOLUTION,
      kind: 'merged',
      mergedInto: survivor.id,
    });
    expect(await readOrg(app, group.id)).toMatchObject({
      status: 'dissolved',
      dissolutionKind: 'merged',
      mergedInto: survivor.id,
    });
    expect((await readOrg(app, survivor.id)).status).toBe('active');
  });

  it.each<[string, (self: string) => Promise<Record<string, unknown>>]>([
    ['merged-into-required', () => Promise.resolve({ kind: 'merged' })],
    ['merge-survivor-unknown', () => Promise.resolve({ kind: 'merged', mergedInto: unknownId() })],
    [
      'merge-survivor-dissolved',
      async () => ({ kind: 'merged', mergedInto: await dissolvedGroup() }),
    ],
    ['merge-into-itself', (self) => Promise.resolve({ kind: 'merged', mergedInto: self })],
    [
      'merged-into-not-applicable',
      async () => ({ kind: 'deregistered', mergedInto: (await createGroup(app)).id }),
    ],
  ])('422 %s naming mergedInto; nothing written', async (rule, fields) => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/dissolution'), {
        ...DISSOLUTION,
        ...(await fields(group.id)),
      }),
      422,
      { rule, field: 'mergedInto' },
    );
    expect(await readOrg(app, group.id)).toMatchObject({ status: 'active', revision: 0 });
  });

  it('a registered organization is dissolved by its district bureau, not by the street', async () => {
    const org = await createSocialGroup(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(org.id, '/dissolution'), { ...DISSOLUTION }),
      403,
      { rule: 'dissolution-authority' },
    );
    await write(app, 'xuhuiDistrict', 'POST', path(org.id, '/dissolution'), { ...DISSOLUTION });
    expect((await readOrg(app, org.id)).status).toBe('dissolved');
  });

  it.each([
    ['dissolved-before-founding', { ...DISSOLUTION, reason: '错误', dissolvedOn: '2019-12-31' }],
    ['date-in-future', { ...DISSOLUTION, reason: '错误', dissolvedOn: FUTURE }],
  ])('422 %s naming dissolvedOn; nothing written', async (rule, body) => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/dissolution'), body),
      422,
      { rule, field: 'dissolvedOn' },
    );
    expect(await readOrg(app, group.id)).toMatchObject({ status: 'active', revision: 0 });
  });

  it.each([
    ['/dissolution', 'reason', { ...DISSOLUTION, reason: '   ' }],
    ['/reclassifications', 'criteria', { category: 'charity', criteria: ' ', reason: '助老' }],
    ['/correction-notices', 'reason', { reason: '  ' }],
  ])('a blank text on %s is 422 text-required naming %s', async (suffix, field, body) => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, suffix), body),
      422,
      { rule: 'text-required', field },
    );
    expect((await readOrg(app, group.id)).revision).toBe(0);
  });

  it('dissolving twice is 422 organization-dissolved', async () => {
    const id = await dissolvedGroup();
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(id, '/dissolution'), {
        ...DISSOLUTION,
      }),
      422,
      { rule: 'organization-dissolved' },
    );
  });
});
