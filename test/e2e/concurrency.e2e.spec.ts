/**
 * Races over real HTTP: one name registered 20 times at once in one street gives exactly one
 * team (DOMAIN.md §3: unique among the live organizations under the same authority), never a 500;
 * concurrent writes on one organization lose nothing, and If-Match lets exactly one win.
 */
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp, type HttpResponse } from '../support/http-app.js';
import {
  dissolve,
  expectNoStackTrace,
  expectProblem,
  fundingBody,
  groupBody,
  headPosition,
  readOrg,
  send,
  teamBody,
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

/** 20 different teams of 天平路街道 (two communities, own filing numbers) that carry the same name. */
function contenders(name: string): [ActorKey, Body][] {
  return Array.from({ length: 20 }, (_, i): [ActorKey, Body] => {
    const founders = [{ kind: 'resident', name: `居民${String(i)}` }];
    const communityCode = i % 2 === 0 ? PLACES.shanghaiXincun : PLACES.qingyu;
    return ['tianpingStreet', teamBody({ name, founders, communityCode })];
  });
}

/** Sends every registration at once; checks that exactly one won and the others were refused. */
async function race(name: string): Promise<{ winner: HttpResponse; written: number }> {
  const before = await headPosition(app);
  const answers = await Promise.all(
    contenders(name).map(([actor, body]) => send(app, actor, 'POST', '/organizations', body)),
  );
  for (const res of answers) {
    expect(res.status).toBeLessThan(500);
    expectNoStackTrace(res.text);
  }
  const statuses = answers.map((r) => r.status);
  expect(statuses.filter((s) => s !== 201 && s !== 409 && s !== 422)).toEqual([]);
  expect(statuses.filter((s) => s === 201)).toEqual([201]);
  const winners = answers.filter((r) => r.status === 201);
  for (const res of answers.filter((r) => r.status !== 201)) {
    expectProblem(res, res.status, {
      rule: res.status === 422 ? 'name-taken' : undefined,
    });
  }
  const winner = winners[0]!;
  return { winner, written: (await headPosition(app)) - before };
}

describe('20 parallel registrations of one name in one street', () => {
  const name = '天平社区同心合唱团';
  let holder = '';

  it('give exactly one 201, the rest 422 name-taken or 409, and one organization', async () => {
    const { winner, written } = await race(name);
    holder = winner.body.id;
    const org = await readOrg(app, holder);
    expect({ name: org.name, status: org.status }).toEqual({ name, status: 'active' });
    // Two claims (name, filing number) plus the winner's own events (revision + 1), nothing
    // from the losers (refused at the name, their first claim).
    expect(written).toBe(2 + (winner.body.revision as number) + 1);
  });

  it('another street, or a group of a community, may use the same name', async () => {
    const hunanTeam = teamBody({
      name,
      streetCode: PLACES.hunan,
      communityCode: PLACES.huaizhong,
    });
    expect((await send(app, 'hunanStreet', 'POST', '/organizations', hunanTeam)).status).toBe(201);
    const group = groupBody({ name });
    expect(
      (await send(app, 'shanghaiXincunCommittee', 'POST', '/organizations', group)).status,
    ).toBe(201);
  });

  it('while the holder lives the name stays taken; once it is dissolved the name is free again', async () => {
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', '/organizations', teamBody({ name })),
      422,
      { rule: 'name-taken', field: 'name' },
    );
    await dissolve(app, holder, 'tianpingStreet');
    // The name is free again, and a new race again has exactly one winner.
    const { winner } = await race(name);
    expect(winner.body.id).not.toBe(holder);
    expect((await readOrg(app, winner.body.id as string)).status).toBe('active');
  });
});

describe('concurrent writes on one organization', () => {
  it('20 parallel grants without If-Match: each 201 lands exactly once, never a 500', async () => {
    const { body } = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody(),
    );
    const id = body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(
          app,
          'tianpingStreet',
          'POST',
          `/organizations/${id}/fundings`,
          fundingBody({ amountFen: 1000 + i }),
        ),
      ),
    );
    const accepted = answers.filter((r) => r.status === 201);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expectProblem(res, 409, { rule: 'concurrent-write' });
    }
    const org = await readOrg(app, id);
    const sum = answers.reduce((total, r, i) => total + (r.status === 201 ? 1000 + i : 0), 0);
    expect({ total: org.fundingTotalFen, grants: org.grantCount }).toEqual({
      total: sum,
      grants: accepted.length,
    });
    expect(new Set(accepted.map((r) => r.body.revision as number)).size).toBe(accepted.length);
    expect(accepted.length).toBeGreaterThan(0);
  });

  it('10 parallel writes with the same If-Match: exactly one 201, the others 409 stale-revision', async () => {
    const { body } = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody(),
    );
    const id = body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send(
          app,
          'tianpingStreet',
          'POST',
          `/organizations/${id}/fundings`,
          fundingBody({ amountFen: 500 + i }),
          {
            'if-match': '"0"',
          },
        ),
      ),
    );
    const accepted = answers.filter((r) => r.status === 201);
    expect(accepted.length).toBe(1);
    for (const res of answers.filter((r) => r.status !== 201)) {
      expectProblem(res, 409, { rule: 'stale-revision' });
    }
    const org = await readOrg(app, id);
    expect({ revision: org.revision, grants: org.grantCount }).toEqual({ revision: 1, grants: 1 });
  });
});
