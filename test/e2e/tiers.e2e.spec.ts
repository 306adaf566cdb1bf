/**
 * Filings, filing cancellations, promotions and demotions over real HTTP (API.md "Writes",
 * DOMAIN.md §3 tiers and §4).
 */
import { BAD_USCC, PLACES, USCC } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  createGroup,
  createSocialGroup,
  createTeam,
  expectProblem,
  expectWriteAnswer,
  freshUscc,
  FUTURE,
  headPosition,
  readOrg,
  send,
  write,
} from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const path = (id: string, suffix: string): string => `/organizations/${id}${suffix}`;

describe('POST /organizations/{id}/filings', () => {
  it('on a filed team amends the filing: 201, ETag, and GET shows the new filing', async () => {
    const team = await createTeam(app);
    expect(team.revision).toBe(1); // OrganizationRegistered + OrganizationFiled
    const res = await send(app, 'tianpingStreet', 'POST', path(team.id, '/filings'), {
      filingNumber: 'XH-TP-2025-077',
      filedOn: '2025-01-10',
    });
    const answer = expectWriteAnswer(res, 201);
    // After the amendment, the old number's release (its reservation stream) is the head.
    const head = await headPosition(app);
    expect(answer).toEqual({ id: team.id, revision: 2, position: head - 1 });
    const org = await readOrg(app, team.id);
    expect(org.filing).toEqual({ number: 'XH-TP-2025-077', filedOn: '2025-01-10' });
    expect(org.revision).toBe(2);
  });

  it('files a team that has no filing (a registered organization demoted to a team)', async () => {
    const registered = await createSocialGroup(app, { communityCode: PLACES.shanghaiXincun });
    await write(app, 'xuhuiDistrict', 'POST', path(registered.id, '/demotions'), {
      toTier: 'team',
      reason: '不再符合登记条件',
    });
    const before = await readOrg(app, registered.id);
    expect(before.tier).toBe('team');
    expect(before.filing).toBeUndefined();
    const res = await send(app, 'tianpingStreet', 'POST', path(registered.id, '/filings'), {
      filingNumber: 'XH-TP-2025-100',
      filedOn: '2025-02-01',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(2);
    expect((await readOrg(app, registered.id)).filing).toEqual({
      number: 'XH-TP-2025-100',
      filedOn: '2025-02-01',
    });
  });

  it('the same filing again changes nothing: 200 with the same revision', async () => {
    const team = await createTeam(app, { filingNumber: 'XH-TP-2024-555', filedOn: '2024-05-20' });
    const res = await send(app, 'tianpingStreet', 'POST', path(team.id, '/filings'), {
      filingNumber: 'XH-TP-2024-555',
      filedOn: '2024-05-20',
    });
    expect(expectWriteAnswer(res, 200).revision).toBe(team.revision);
  });

  it('422 filing-requires-team on a group, 422 date-in-future for a future date', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(group.id, '/filings'), {
        filingNumber: 'XH-TP-2025-001',
        filedOn: '2025-01-10',
      }),
      422,
      { rule: 'filing-requires-team' },
    );
    const team = await createTeam(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(team.id, '/filings'), {
        filingNumber: 'XH-TP-2025-001',
        filedOn: FUTURE,
      }),
      422,
      { rule: 'date-in-future', field: 'filedOn' },
    );
    expect((await readOrg(app, team.id)).revision).toBe(team.revision);
  });
});

describe('POST /organizations/{id}/filing-cancellation', () => {
  it('cancels the filing and demotes the team to a group (two events)', async () => {
    const team = await createTeam(app);
    const res = await send(app, 'tianpingStreet', 'POST', path(team.id, '/filing-cancellation'), {
      reason: '年度清理：连续一年无活动',
      cancelledOn: '2025-01-10',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(3);
    const org = await readOrg(app, team.id);
    expect(org.tier).toBe('group');
    expect(org.filing).toBeUndefined();
  });

  it('422 filing-not-in-force on a group', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(group.id, '/filing-cancellation'), {
        reason: '清理',
        cancelledOn: '2025-01-10',
      }),
      422,
      { rule: 'filing-not-in-force' },
    );
  });
});

describe('POST /organizations/{id}/promotions', () => {
  it('group → team by the street with a filing: OrganizationFiled + TierPromoted', async () => {
    const group = await createGroup(app);
    const res = await send(app, 'tianpingStreet', 'POST', path(group.id, '/promotions'), {
      toTier: 'team',
      filingNumber: 'XH-TP-2025-010',
      filedOn: '2025-02-05',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(2);
    const org = await readOrg(app, group.id);
    expect(org).toMatchObject({
      tier: 'team',
      filing: { number: 'XH-TP-2025-010', filedOn: '2025-02-05' },
      labels: { tier: '群众活动团队' },
    });
  });

  it("team → registered by the district with a valid USCC of the district's region", async () => {
    for (const [legalForm, uscc] of [
      ['social-service-institution', freshUscc('social-service-institution')],
      ['social-group', freshUscc('social-group')],
    ] as const) {
      const team = await createTeam(app);
      const res = await send(app, 'xuhuiDistrict', 'POST', path(team.id, '/promotions'), {
        toTier: 'registered',
        legalForm,
        uscc,
        registeredOn: '2025-03-01',
      });
      expect(expectWriteAnswer(res, 201).revision).toBe(2);
      const org = await readOrg(app, team.id);
      expect(org).toMatchObject({ tier: 'registered', legalForm, uscc });
      expect(org.filing).toBeUndefined();
    }
  });

  it.each([
    ['a retired code of another district (310108 闸北区, now 静安区)', USCC.retiredZhabei],
    ['the national region 100000', USCC.socialGroupNational],
  ])('team → registered with a USCC of %s is 422 uscc-region', async (_w, uscc) => {
    const team = await createTeam(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(team.id, '/promotions'), {
        toTier: 'registered',
        legalForm: 'social-group',
        uscc,
        registeredOn: '2025-03-01',
      }),
      422,
      { rule: 'uscc-region', field: 'uscc' },
    );
    expect((await readOrg(app, team.id)).tier).toBe('team');
  });

  it('team → registered by the street is 403 promotion-authority', async () => {
    const team = await createTeam(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(team.id, '/promotions'), {
        toTier: 'registered',
        legalForm: 'social-group',
        uscc: freshUscc('social-group'),
      }),
      403,
      { rule: 'promotion-authority' },
    );
  });

  it.each([
    ['uscc-invalid', BAD_USCC.wrongCheckCharacter, 'social-group'],
    ['uscc-invalid', BAD_USCC.wrongOrganizationCodeCheck, 'social-group'],
    ['uscc-not-civil-affairs', BAD_USCC.notCivilAffairs, 'social-group'],
    ['uscc-region', BAD_USCC.beijingRegion, 'social-group'],
    ['uscc-legal-form-mismatch', USCC.socialGroupXuhui, 'social-service-institution'],
  ])('422 %s for USCC %s as %s; nothing written', async (rule, uscc, legalForm) => {
    const team = await createTeam(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(team.id, '/promotions'), {
        toTier: 'registered',
        legalForm,
        uscc,
      }),
      422,
      { rule, field: 'uscc' },
    );
    expect((await readOrg(app, team.id)).tier).toBe('team');
  });

  it('group → registered directly by the district (tiers are not a ladder): one TierPromoted, no filing', async () => {
    const group = await createGroup(app);
    const uscc = freshUscc('social-group');
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(group.id, '/promotions'), {
        toTier: 'registered',
        legalForm: 'social-group',
        uscc,
      }),
      403,
      { rule: 'promotion-authority' },
    );
    const res = await send(app, 'xuhuiDistrict', 'POST', path(group.id, '/promotions'), {
      toTier: 'registered',
      legalForm: 'social-group',
      uscc,
      registeredOn: '2025-03-01',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(1);
    const org = await readOrg(app, group.id);
    expect(org).toMatchObject({
      tier: 'registered',
      legalForm: 'social-group',
      uscc,
      registeredOn: '2025-03-01',
      recordedOn: null,
      filedOn: null,
      tierSince: '2025-03-01',
      activityScope: 'community',
      community: { code: PLACES.shanghaiXincun },
    });
    expect(org.filing).toBeUndefined();
    const history = await send(app, 'auditor', 'GET', path(group.id, '/history'));
    expect((history.body as { type: string }[]).map((e) => e.type)).toEqual([
      'OrganizationRegistered',
      'TierPromoted',
    ]);
  });

  it('422 date-before-founding for a promotion dated before the organization was founded', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(group.id, '/promotions'), {
        toTier: 'registered',
        legalForm: 'social-group',
        uscc: freshUscc('social-group'),
        registeredOn: '2019-01-01',
      }),
      422,
      { rule: 'date-before-founding', field: 'registeredOn' },
    );
    expect((await readOrg(app, group.id)).revision).toBe(0);
  });

  it('422 promotion-one-step, already-top-tier, filing-number-required, date-in-future', async () => {
    const group = await createGroup(app);
    const team = await createTeam(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(team.id, '/promotions'), { toTier: 'team' }),
      422,
      { rule: 'promotion-one-step', field: 'toTier' },
    );
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(group.id, '/promotions'), { toTier: 'team' }),
      422,
      { rule: 'filing-number-required', field: 'filingNumber' },
    );
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(group.id, '/promotions'), {
        toTier: 'team',
        filingNumber: 'XH-TP-2025-010',
        filedOn: FUTURE,
      }),
      422,
      { rule: 'date-in-future', field: 'filedOn' },
    );
    const registered = await createSocialGroup(app);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', path(registered.id, '/promotions'), {
        toTier: 'registered',
      }),
      422,
      { rule: 'already-top-tier' },
    );
    expect((await readOrg(app, group.id)).revision).toBe(0);
  });
});

describe('POST /organizations/{id}/demotions', () => {
  it('team → group by the street cancels the filing (FilingCancelled + TierDemoted)', async () => {
    const team = await createTeam(app);
    const res = await send(app, 'tianpingStreet', 'POST', path(team.id, '/demotions'), {
      toTier: 'group',
      reason: '规模缩小',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(3);
    const org = await readOrg(app, team.id);
    expect(org.tier).toBe('group');
    expect(org.filing).toBeUndefined();
  });

  it('registered → team by the district drops USCC and legal form', async () => {
    const registered = await createSocialGroup(app, { communityCode: PLACES.shanghaiXincun });
    const res = await send(app, 'xuhuiDistrict', 'POST', path(registered.id, '/demotions'), {
      toTier: 'team',
      reason: '不再符合登记条件',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(1);
    const org = await readOrg(app, registered.id);
    expect(org.tier).toBe('team');
    expect(org.uscc).toBeUndefined();
    expect(org.legalForm).toBeUndefined();
  });

  // Every registration names a base community now; only older events lack one (the decider
  // refuses their demotion to a team, test/unit). A unit without a real community has none to name.
  it('registered → team at a unit whose only community is a placeholder: based at the unit', async () => {
    const registered = await createSocialGroup(app, {
      streetCode: PLACES.caohejing,
      communityCode: undefined,
    });
    const res = await send(app, 'xuhuiDistrict', 'POST', path(registered.id, '/demotions'), {
      toTier: 'team',
      reason: '不再符合登记条件',
    });
    expect(expectWriteAnswer(res, 201).revision).toBe(1);
    const org = await readOrg(app, registered.id);
    expect({ tier: org.tier, community: org.community }).toEqual({ tier: 'team', community: null });
  });

  it('422 demotion-one-step upwards or below the lowest tier', async () => {
    const team = await createTeam(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', path(team.id, '/demotions'), {
        toTier: 'registered',
        reason: '错误',
      }),
      422,
      { rule: 'demotion-one-step', field: 'toTier' },
    );
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', path(group.id, '/demotions'), {
        toTier: 'group',
        reason: '错误',
      }),
      422,
      { rule: 'demotion-one-step' },
    );
  });
});
