/**
 * Unique values over real HTTP (DOMAIN.md §3): a name among the live organizations under the
 * same managing authority (a group's community, a team's street, a registered organization's
 * district, a community foundation's city), compared after NFKC without white space and
 * default-ignorable code points; a USCC city-wide; a filing number within a street. Reuse is a
 * 422 with the rule `name-taken`, `uscc-taken` or `filing-number-taken`, and races have one
 * winner.
 */
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  createTeam,
  dissolve,
  expectNoStackTrace,
  expectProblem,
  freshFilingNumber,
  freshUscc,
  groupBody,
  readOrg,
  register,
  send,
  socialGroupBody,
  teamBody,
  uniqueName,
  write,
  type ActorKey,
  type Body,
} from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const post = (actor: ActorKey, body: Body) => send(app, actor, 'POST', '/organizations', body);

/** A team of 湖南路街道 (徐汇区), registered by its street office. */
const hunanTeam = (o: Body = {}): Body =>
  teamBody({
    streetCode: PLACES.hunan,
    communityCode: PLACES.huaizhong,
    filingNumber: freshFilingNumber('XH-HN-E'),
    ...o,
  });

describe('names: unique under the same managing authority', () => {
  it('a team of another street of the same district may carry the same name; the same street may not', async () => {
    const name = uniqueName('太极拳队');
    await register(app, 'tianpingStreet', teamBody({ name }));
    expect((await post('hunanStreet', hunanTeam({ name }))).status).toBe(201);
    expectProblem(await post('tianpingStreet', teamBody({ name })), 422, {
      rule: 'name-taken',
      field: 'name',
    });
  });

  it('groups of two communities may share a name; a second one in the same community may not', async () => {
    const name = uniqueName('书画小组');
    await register(app, 'shanghaiXincunCommittee', groupBody({ name }));
    expect(
      (await post('qingyuCommittee', groupBody({ name, communityCode: PLACES.qingyu }))).status,
    ).toBe(201);
    expectProblem(await post('shanghaiXincunCommittee', groupBody({ name })), 422, {
      rule: 'name-taken',
      field: 'name',
    });
  });

  it('a name that differs only by a variation selector or white space is the same name', async () => {
    await register(app, 'tianpingStreet', teamBody({ name: '田林舞蹈队' }));
    for (const variant of ['田林舞蹈队\ufe00', '田林舞蹈队\ufe0f', ' 田林 舞蹈队']) {
      expectProblem(await post('tianpingStreet', teamBody({ name: variant })), 422, {
        rule: 'name-taken',
        field: 'name',
      });
    }
  });

  it('a team and a group under different authorities may share a name', async () => {
    const name = uniqueName('夕阳红合唱团');
    await register(app, 'tianpingStreet', teamBody({ name }));
    expect((await post('shanghaiXincunCommittee', groupBody({ name }))).status).toBe(201);
  });

  it('a promotion claims the name under the new authority and frees the old one', async () => {
    const name = uniqueName('木兰拳队');
    // A team of 天平路街道 holds the name in the street; a group of the street carries it too.
    const team = await register(app, 'tianpingStreet', teamBody({ name }));
    const group = await register(app, 'shanghaiXincunCommittee', groupBody({ name }));
    const promotion = { toTier: 'team', filingNumber: freshFilingNumber(), filedOn: '2025-02-05' };
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', `/organizations/${group.id}/promotions`, promotion),
      422,
      { rule: 'name-taken', field: 'name' },
    );
    // Once the team is dissolved, the group becomes a team under that name…
    await dissolve(app, team.id, 'tianpingStreet');
    await write(app, 'tianpingStreet', 'POST', `/organizations/${group.id}/promotions`, promotion);
    expect(await readOrg(app, group.id)).toMatchObject({ tier: 'team', name });
    // …and its community's name is free for another group, while the street's is taken.
    expect((await post('shanghaiXincunCommittee', groupBody({ name }))).status).toBe(201);
    expectProblem(await post('tianpingStreet', teamBody({ name })), 422, { rule: 'name-taken' });
  });

  it('team → registered moves the name to the district: a registered organization of that name blocks it', async () => {
    const name = uniqueName('睦邻互助会');
    const team = await register(app, 'tianpingStreet', teamBody({ name }));
    // A team of another street with the same name is under another authority: no obstacle.
    await register(app, 'hunanStreet', hunanTeam({ name }));
    const registered = await register(app, 'xuhuiDistrict', socialGroupBody({ name }));
    const promotion = {
      toTier: 'registered',
      legalForm: 'social-group',
      uscc: freshUscc('social-group'),
      registeredOn: '2025-03-01',
    };
    const promote = () =>
      send(app, 'xuhuiDistrict', 'POST', `/organizations/${team.id}/promotions`, promotion);
    expectProblem(await promote(), 422, { rule: 'name-taken', field: 'name' });
    await dissolve(app, registered.id, 'xuhuiDistrict');
    expect((await promote()).status).toBe(201);
    // The street name it left is free again; the district name is not.
    expect((await post('tianpingStreet', teamBody({ name }))).status).toBe(201);
    expectProblem(await post('xuhuiDistrict', socialGroupBody({ name })), 422, {
      rule: 'name-taken',
    });
  });
});

describe('USCC: one live organization city-wide', () => {
  // A registered organization's USCC carries its own district's code (uscc-region), so the same
  // code can only be tried again in its district; the claim itself is city-wide (310000).
  it('a USCC already held is refused (uscc-taken); once dissolved it is free again', async () => {
    const uscc = freshUscc('social-group');
    const holder = await register(app, 'xuhuiDistrict', socialGroupBody({ uscc }));
    expectProblem(await post('xuhuiDistrict', socialGroupBody({ uscc })), 422, {
      rule: 'uscc-taken',
      field: 'uscc',
    });
    await dissolve(app, holder.id, 'xuhuiDistrict');
    expect((await post('xuhuiDistrict', socialGroupBody({ uscc }))).status).toBe(201);
  });

  it('a promotion with a USCC already held is refused (uscc-taken) and leaves the team as it was', async () => {
    const uscc = freshUscc('social-service-institution');
    await register(
      app,
      'xuhuiDistrict',
      socialGroupBody({ uscc, legalForm: 'social-service-institution' }),
    );
    const team = await createTeam(app);
    const before = await readOrg(app, team.id);
    expectProblem(
      await send(app, 'xuhuiDistrict', 'POST', `/organizations/${team.id}/promotions`, {
        toTier: 'registered',
        legalForm: 'social-service-institution',
        uscc,
      }),
      422,
      { rule: 'uscc-taken', field: 'uscc' },
    );
    expect(await readOrg(app, team.id)).toEqual(before);
    // The refused promotion gave back the district name it had claimed.
    expect((await post('xuhuiDistrict', socialGroupBody({ name: before.name }))).status).toBe(201);
  });

  it('two registrations racing with the same USCC: exactly one 201 and one 422 uscc-taken', async () => {
    for (let round = 0; round < 3; round++) {
      const uscc = freshUscc('social-group');
      const answers = await Promise.all([
        post('xuhuiDistrict', socialGroupBody({ uscc })),
        post('xuhuiDistrict', socialGroupBody({ uscc })),
      ]);
      for (const res of answers) expectNoStackTrace(res.text);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 422]);
      expectProblem(
        answers.find((r) => r.status === 422)!,
        422,
        { rule: 'uscc-taken' },
      );
    }
  });

  it('ten registrations racing with the same USCC and different names: one organization holds it', async () => {
    const uscc = freshUscc('social-group');
    const bodies = Array.from({ length: 10 }, () => socialGroupBody({ uscc }));
    const answers = await Promise.all(bodies.map((body) => post('xuhuiDistrict', body)));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    for (const res of answers.filter((r) => r.status !== 201))
      expectProblem(res, 422, { rule: 'uscc-taken' });
    const winner = answers.find((r) => r.status === 201)!;
    expect((await readOrg(app, winner.body.id as string)).uscc).toBe(uscc);
    // The losers gave back the names they had claimed before losing the USCC.
    const losers = bodies.filter((_b, i) => answers[i]?.status !== 201);
    for (const body of losers)
      expect(
        (await post('xuhuiDistrict', { ...body, uscc: freshUscc('social-group') })).status,
      ).toBe(201);
  });
});

describe('filing numbers: one live team per number within a street', () => {
  it('a filing number held in the street is refused (filing-number-taken); another street may use it', async () => {
    const filingNumber = freshFilingNumber('备');
    await register(app, 'tianpingStreet', teamBody({ filingNumber }));
    expectProblem(await post('tianpingStreet', teamBody({ filingNumber })), 422, {
      rule: 'filing-number-taken',
      field: 'filingNumber',
    });
    expect((await post('hunanStreet', hunanTeam({ filingNumber }))).status).toBe(201);
  });

  it('promotion and amendment claim the new number; amendment and cancellation free the old one', async () => {
    const held = freshFilingNumber();
    await register(app, 'tianpingStreet', teamBody({ filingNumber: held }));
    const group = await register(app, 'shanghaiXincunCommittee', groupBody());
    const promote = (filingNumber: string) =>
      send(app, 'tianpingStreet', 'POST', `/organizations/${group.id}/promotions`, {
        toTier: 'team',
        filingNumber,
        filedOn: '2025-02-05',
      });
    expectProblem(await promote(held), 422, { rule: 'filing-number-taken', field: 'filingNumber' });
    const first = freshFilingNumber();
    expect((await promote(first)).status).toBe(201);

    const amend = (filingNumber: string) =>
      send(app, 'tianpingStreet', 'POST', `/organizations/${group.id}/filings`, {
        filingNumber,
        filedOn: '2025-03-01',
      });
    expectProblem(await amend(held), 422, { rule: 'filing-number-taken' });
    const second = freshFilingNumber();
    expect((await amend(second)).status).toBe(201);
    // The amended-away number is free again; the new one is held.
    expect((await post('tianpingStreet', teamBody({ filingNumber: first }))).status).toBe(201);
    expectProblem(await post('tianpingStreet', teamBody({ filingNumber: second })), 422, {
      rule: 'filing-number-taken',
    });
    await write(app, 'tianpingStreet', 'POST', `/organizations/${group.id}/filing-cancellation`, {
      reason: '年度清理：连续一年无活动',
      cancelledOn: '2025-04-01',
    });
    expect((await post('tianpingStreet', teamBody({ filingNumber: second }))).status).toBe(201);
  });
});
