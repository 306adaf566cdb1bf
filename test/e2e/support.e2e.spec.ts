/**
 * Major activity reports and funding grants over real HTTP (API.md "Writes", DOMAIN.md §4):
 * report levels by size, the funder's place and the welfare-lottery rules, money only in integer fen.
 */
import { FUNDERS, PLACES, USCC } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  activityBody,
  createGroup,
  createSocialGroup,
  expectProblem,
  expectWriteAnswer,
  FUTURE,
  fundingBody,
  headPosition,
  readOrg,
  send,
} from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const reports = (id: string): string => `/organizations/${id}/activity-reports`;
const fundings = (id: string): string => `/organizations/${id}/fundings`;
const CITY_BUREAU = FUNDERS.city;
const XUHUI_BUREAU = FUNDERS.xuhui;
const TIANPING_OFFICE = FUNDERS.tianping;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('POST /organizations/{id}/activity-reports', () => {
  it.each([
    [60, 'community'],
    [99, 'community'],
    [100, 'street'],
    [499, 'street'],
    [500, 'district'],
  ])('%i participants: 201 with reportId and level %s; GET counts the report', async (n, level) => {
    const group = await createGroup(app);
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      reports(group.id),
      activityBody({ participants: n }),
    );
    const answer = expectWriteAnswer(res, 201, ['reportId', 'level']);
    expect(answer).toEqual({
      id: group.id,
      revision: 1,
      position: await headPosition(app),
      reportId: expect.stringMatching(UUID),
      level,
    });
    expect((await readOrg(app, group.id)).activityReportCount).toBe(1);
  });

  it('the registered organization reports through its district bureau (other communities of the district)', async () => {
    const org = await createSocialGroup(app);
    const res = await send(
      app,
      'xuhuiDistrict',
      'POST',
      reports(org.id),
      activityBody({ communityCode: PLACES.huaizhong, participants: 800 }),
    );
    expect(expectWriteAnswer(res, 201, ['reportId', 'level']).level).toBe('district');
  });

  it.each([
    ['activity-dates', 'endsOn', { startsOn: '2025-04-02', endsOn: '2025-04-01' }],
    ['activity-outside-district', 'communityCode', { communityCode: PLACES.weifangYicun }],
    ['community-unknown', 'communityCode', { communityCode: '310104003999' }],
  ])('422 %s (field %s); nothing written', async (rule, field, override) => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'shanghaiXincunCommittee', 'POST', reports(group.id), activityBody(override)),
      422,
      { rule, field },
    );
    expect((await readOrg(app, group.id)).activityReportCount).toBe(0);
  });

  it('400 for an impossible start date 2025-02-30', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(
        app,
        'shanghaiXincunCommittee',
        'POST',
        reports(group.id),
        activityBody({ startsOn: '2025-02-30' }),
      ),
      400,
      { field: 'startsOn' },
    );
  });
});

describe('POST /organizations/{id}/fundings', () => {
  it('201 with a grantId; GET sums the grants in fen', async () => {
    const group = await createGroup(app);
    const first = expectWriteAnswer(
      await send(app, 'tianpingStreet', 'POST', fundings(group.id), fundingBody()),
      201,
      ['grantId'],
    );
    expect(first).toEqual({
      id: group.id,
      revision: 1,
      position: await headPosition(app),
      grantId: expect.stringMatching(UUID),
    });
    // A district funder over an organization of its district, and the city bureau.
    const second = expectWriteAnswer(
      await send(
        app,
        'xuhuiDistrict',
        'POST',
        fundings(group.id),
        fundingBody({
          amountFen: 1,
          channel: 'subsidy',
          funder: { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui },
        }),
      ),
      201,
      ['grantId'],
    );
    const third = expectWriteAnswer(
      await send(
        app,
        'city',
        'POST',
        fundings(group.id),
        fundingBody({ amountFen: 99_999, channel: 'other', funder: CITY_BUREAU }),
      ),
      201,
      ['grantId'],
    );
    expect(new Set([first.grantId, second.grantId, third.grantId]).size).toBe(3);
    const org = await readOrg(app, group.id);
    expect({ total: org.fundingTotalFen, count: org.grantCount, revision: org.revision }).toEqual({
      total: 1_250_000 + 1 + 99_999,
      count: 3,
      revision: 3,
    });
  });

  it.each(['elderly', 'disability', 'orphans', 'hardship'])(
    'a welfare-lottery grant for %s is accepted',
    async (purpose) => {
      const group = await createGroup(app);
      expectWriteAnswer(
        await send(
          app,
          'tianpingStreet',
          'POST',
          fundings(group.id),
          fundingBody({ channel: 'welfare-lottery', purpose, funder: XUHUI_BUREAU }),
        ),
        201,
        ['grantId'],
      );
    },
  );

  it('a welfare-lottery grant for other-welfare with a description is 201 and disclosed with it', async () => {
    const group = await createGroup(app);
    const answer = expectWriteAnswer(
      await send(
        app,
        'tianpingStreet',
        'POST',
        fundings(group.id),
        fundingBody({
          channel: 'welfare-lottery',
          funder: XUHUI_BUREAU,
          purpose: 'other-welfare',
          purposeDescription: '助医：困难家庭就医陪护',
        }),
      ),
      201,
      ['grantId'],
    );
    const page = await app.request(
      'GET',
      `/fundings?organization=${group.id}&minPosition=${String(answer.position)}`,
    );
    expect(page.status).toBe(200);
    expect((page.body as { items: unknown[] }).items).toEqual([
      expect.objectContaining({
        purpose: 'other-welfare',
        purposeDescription: '助医：困难家庭就医陪护',
        funderLevel: 'district',
        funderCode: PLACES.xuhui,
      }),
    ]);
  });

  it.each([
    [
      'other-welfare without a description',
      { purpose: 'other-welfare' },
      'purpose-description-required',
      'purposeDescription',
    ],
    [
      'a description with elderly',
      { purpose: 'elderly', purposeDescription: '助医' },
      'purpose-description-not-applicable',
      'purposeDescription',
    ],
    [
      'a street funder',
      { purpose: 'elderly', funder: TIANPING_OFFICE },
      'welfare-lottery-funder',
      'funder.level',
    ],
  ])('a welfare-lottery grant with %s is 422 %s', async (_label, extra, rule, field) => {
    const group = await createGroup(app);
    expectProblem(
      await send(
        app,
        'tianpingStreet',
        'POST',
        fundings(group.id),
        fundingBody({ channel: 'welfare-lottery', funder: XUHUI_BUREAU, ...extra }),
      ),
      422,
      { rule, field },
    );
    expect((await readOrg(app, group.id)).fundingTotalFen).toBe(0);
  });

  it.each([
    [
      "another district's bureau",
      'tianpingStreet',
      { name: '浦东新区民政局', level: 'district', code: PLACES.pudong },
    ],
    [
      'another street of its district',
      'tianpingStreet',
      { name: '湖南路街道办事处', level: 'street', code: PLACES.hunan },
    ],
    ['one of its streets (below it)', 'xuhuiDistrict', TIANPING_OFFICE],
  ] as const)(
    'a grant recorded with %s as funder is 422 funder-place; nothing written',
    async (_label, actor, funder) => {
      const group = await createGroup(app);
      expectProblem(
        await send(app, actor, 'POST', fundings(group.id), fundingBody({ funder })),
        422,
        { rule: 'funder-place', field: 'funder.code' },
      );
      expect((await readOrg(app, group.id)).fundingTotalFen).toBe(0);
    },
  );

  it('a foundation funder is named by a civil-affairs USCC of a foundation (422 funder-uscc)', async () => {
    const group = await createGroup(app);
    const foundation = (code: string) =>
      fundingBody({
        channel: 'community-foundation',
        funder: { name: '上海市徐汇区天平社区基金会', level: 'foundation', code },
      });
    expectProblem(
      await send(
        app,
        'tianpingStreet',
        'POST',
        fundings(group.id),
        foundation(USCC.socialGroupXuhui),
      ),
      422,
      { rule: 'funder-uscc', field: 'funder.code' },
    );
    expectWriteAnswer(
      await send(
        app,
        'tianpingStreet',
        'POST',
        fundings(group.id),
        foundation(USCC.foundationCity),
      ),
      201,
      ['grantId'],
    );
  });

  it.each([
    ['education', { purpose: 'education' }],
    ['no purpose', {}],
  ])('a welfare-lottery grant with %s is 422 welfare-lottery-purpose', async (_label, extra) => {
    const group = await createGroup(app);
    expectProblem(
      await send(
        app,
        'tianpingStreet',
        'POST',
        fundings(group.id),
        fundingBody({ channel: 'welfare-lottery', funder: XUHUI_BUREAU, ...extra }),
      ),
      422,
      { rule: 'welfare-lottery-purpose', field: 'purpose' },
    );
    expect((await readOrg(app, group.id)).fundingTotalFen).toBe(0);
  });

  it('government purchase needs a registered organization (422 on a group, 201 on a registered one)', async () => {
    const group = await createGroup(app);
    expectProblem(
      await send(
        app,
        'tianpingStreet',
        'POST',
        fundings(group.id),
        fundingBody({ channel: 'government-purchase' }),
      ),
      422,
      { rule: 'government-purchase-requires-registered' },
    );
    const registered = await createSocialGroup(app);
    expectWriteAnswer(
      await send(
        app,
        'xuhuiDistrict',
        'POST',
        fundings(registered.id),
        fundingBody({ channel: 'government-purchase', funder: XUHUI_BUREAU }),
      ),
      201,
      ['grantId'],
    );
  });

  it.each([
    ['amount-too-large', 'amountFen', { amountFen: 1_000_000_001 }],
    ['amount-positive-integer', 'amountFen', { amountFen: 2 ** 53 + 2 }],
    ['date-in-future', 'grantedOn', { grantedOn: FUTURE }],
  ])('422 %s (field %s)', async (rule, field, override) => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', fundings(group.id), fundingBody(override)),
      422,
      { rule, field },
    );
    expect((await readOrg(app, group.id)).grantCount).toBe(0);
  });

  it.each([
    ['1.5', 1.5],
    ['1e-3', 0.001],
    ['"12500"', '12500'],
    ['null', null],
    ['true', true],
    ['[100]', [100]],
    ['{"fen":100}', { fen: 100 }],
  ])('money only in integer fen: amountFen %s is 400', async (_label, amountFen) => {
    const group = await createGroup(app);
    expectProblem(
      await send(app, 'tianpingStreet', 'POST', fundings(group.id), fundingBody({ amountFen })),
      400,
      { field: 'amountFen' },
    );
    expect((await readOrg(app, group.id)).fundingTotalFen).toBe(0);
  });

  it('the raw JSON number 1.50 and 1e2 are read as numbers: 400 and 201', async () => {
    const group = await createGroup(app);
    const token = await app.token('street', PLACES.tianping, 'u-tianping');
    const raw = (amount: string): string =>
      JSON.stringify(fundingBody({ amountFen: 0 })).replace(
        '"amountFen":0',
        `"amountFen":${amount}`,
      );
    const headers = { 'content-type': 'application/json' };
    expectProblem(
      await app.request('POST', fundings(group.id), { token, rawBody: raw('1.50'), headers }),
      400,
      { field: 'amountFen' },
    );
    expectWriteAnswer(
      await app.request('POST', fundings(group.id), { token, rawBody: raw('1e2'), headers }),
      201,
      ['grantId'],
    );
    expect((await readOrg(app, group.id)).fundingTotalFen).toBe(100);
  });
});
