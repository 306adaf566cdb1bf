/**
 * The officials' worklists over real HTTP (issue #19 item 2, API.md `GET /worklists/{name}`):
 * each list for a committee, a street, a district and the city, scoped to the caller's place,
 * paged, measured from `?on=` (default today in Shanghai, 2026-01-15 on the test clock), gone
 * from the list once acted on, and never naming a contact or a founder.
 */
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  CONTACT,
  createGroup,
  createSocialGroup,
  createTeam,
  expectProblem,
  register,
  groupBody,
  send,
  write,
  type ActorKey,
} from '../support/e2e-kit.js';

let app: HttpApp;
/** The last write's position: every read waits for it. */
let position = 0;

async function act(actor: ActorKey, path: string, body: Record<string, unknown> = {}) {
  const res = await write(app, actor, 'POST', path, body);
  position = Math.max(position, res.body.position as number);
  return res.body as Record<string, unknown>;
}

interface WorklistPage {
  readonly items: ReadonlyArray<Record<string, unknown> & { readonly organizationId: string }>;
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly on: string;
}

async function list(actor: ActorKey, name: string, query = ''): Promise<WorklistPage> {
  const res = await send(app, actor, 'GET', `/worklists/${name}?minPosition=${position}${query}`);
  expect(res.status).toBe(200);
  expect(res.text).not.toMatch(new RegExp(`${CONTACT.name}|${CONTACT.phone}|李老师`));
  return res.body as WorklistPage;
}

/** The organizations on a list, by id, in page order. */
const ids = async (actor: ActorKey, name: string, query = ''): Promise<string[]> =>
  (await list(actor, name, query)).items.map((i) => i.organizationId);

const ids_ = {} as Record<
  'quietGroup' | 'busyGroup' | 'team' | 'registered' | 'reported' | 'hunanGroup' | 'pudongGroup',
  string
>;
const reports = {} as Record<'community' | 'street' | 'district', string>;
let noticeId = '';

beforeAll(async () => {
  app = await startHttpApp();
  // 上海新村 (天平路街道, 徐汇区): a group quiet since 2024, one that reported this month.
  ids_.quietGroup = (await createGroup(app, { recordedOn: '2024-01-10' })).id;
  ids_.busyGroup = (await createGroup(app, { recordedOn: '2025-06-01' })).id;
  // A team filed 2024-05-20 that never reported.
  ids_.team = (await createTeam(app)).id;
  // A social group registered 2021, graded 2021-03-15 (valid through 2026-03-14), no report for 2025.
  ids_.registered = (await createSocialGroup(app, { registeredOn: '2021-01-10' })).id;
  // One of 湖南路街道 (the same district) that reported its 2025 year.
  ids_.reported = (
    await createSocialGroup(app, {
      registeredOn: '2022-01-10',
      streetCode: PLACES.hunan,
      communityCode: PLACES.huaizhong,
    })
  ).id;
  ids_.hunanGroup = (
    await register(
      app,
      'huaizhongCommittee',
      groupBody({
        streetCode: PLACES.hunan,
        communityCode: PLACES.huaizhong,
        recordedOn: '2025-12-01',
      }),
    )
  ).id;
  ids_.pudongGroup = (
    await register(
      app,
      'weifangYicunCommittee',
      groupBody({
        districtCode: PLACES.pudong,
        streetCode: PLACES.weifang,
        communityCode: PLACES.weifangYicun,
        recordedOn: '2023-05-01',
      }),
    )
  ).id;

  const org = (id: string, suffix: string): string => `/organizations/${id}${suffix}`;
  noticeId = String(
    (
      await act('shanghaiXincunCommittee', org(ids_.quietGroup, '/correction-notices'), {
        reason: '活动台账不全',
      })
    )['noticeId'],
  );
  const activity = (participants: number) => ({
    title: '邻里节',
    kind: 'culture',
    startsOn: '2026-01-03',
    endsOn: '2026-01-03',
    communityCode: PLACES.shanghaiXincun,
    participants,
  });
  for (const [level, participants] of [
    ['community', 60],
    ['street', 150],
    ['district', 600],
  ] as const) {
    const answer = await act(
      'shanghaiXincunCommittee',
      org(ids_.busyGroup, '/activity-reports'),
      activity(participants),
    );
    expect(answer['level']).toBe(level);
    reports[level] = String(answer['reportId']);
  }
  await act('xuhuiDistrict', org(ids_.registered, '/grades'), {
    grade: '3A',
    awardedOn: '2021-03-15',
  });
  await act('xuhuiDistrict', org(ids_.registered, '/abnormal-listing'), {
    reason: '未按时报送年度工作报告',
    listedOn: '2025-12-01',
  });
  await act('xuhuiDistrict', org(ids_.reported, '/annual-reports'), {
    year: 2025,
    members: 30,
    incomeFen: 0,
    expenditureFen: 0,
    activities: 4,
    recordedOn: '2026-01-10',
  });
});
afterAll(async () => {
  await app.close();
});

describe('GET /worklists/{name} for each level', () => {
  it('open-notices: the notice, its reason and days open, to the community, street, district and city', async () => {
    const page = await list('shanghaiXincunCommittee', 'open-notices');
    expect(page).toMatchObject({ total: 1, page: 1, pageSize: 20, on: '2026-01-15' });
    expect(page.items).toEqual([
      {
        organizationId: ids_.quietGroup,
        name: expect.any(String),
        tier: 'group',
        districtCode: PLACES.xuhui,
        streetCode: PLACES.tianping,
        communityCode: PLACES.shanghaiXincun,
        openSince: '2026-01-15',
        daysOpen: 0,
        notices: [{ noticeId, reason: '活动台账不全', issuedOn: '2026-01-15', daysOpen: 0 }],
      },
    ]);
    expect((await list('tianpingStreet', 'open-notices', '&on=2026-02-14')).items[0]).toMatchObject(
      { daysOpen: 30 },
    );
    for (const actor of ['xuhuiDistrict', 'city'] as const)
      expect(await ids(actor, 'open-notices')).toEqual([ids_.quietGroup]);
    for (const actor of ['qingyuCommittee', 'hunanStreet', 'pudongDistrict'] as const)
      expect(await ids(actor, 'open-notices')).toEqual([]);
  });

  it('unacknowledged-reports: each level sees the reports routed to it; the city all of them', async () => {
    const report = async (actor: ActorKey) =>
      (await list(actor, 'unacknowledged-reports')).items.map((r) => r['reportId']);
    const committee = await list(
      'shanghaiXincunCommittee',
      'unacknowledged-reports',
      '&on=2026-01-20',
    );
    expect(committee.items).toEqual([
      {
        organizationId: ids_.busyGroup,
        name: expect.any(String),
        tier: 'group',
        districtCode: PLACES.xuhui,
        streetCode: PLACES.tianping,
        communityCode: PLACES.shanghaiXincun,
        reportId: reports.community,
        title: '邻里节',
        level: 'community',
        startsOn: '2026-01-03',
        endsOn: '2026-01-03',
        participants: 60,
        reportedOn: '2026-01-15',
        waitingDays: 5,
      },
    ]);
    expect(await report('tianpingStreet')).toEqual([reports.street]);
    expect(await report('xuhuiDistrict')).toEqual([reports.district]);
    expect((await report('city')).sort()).toEqual(Object.values(reports).sort());
    expect(await report('hunanStreet')).toEqual([]);
    expect(await report('qingyuCommittee')).toEqual([]);
  });

  it('inactive-teams: groups and teams quiet for INACTIVE_MONTHS (12) months, oldest first', async () => {
    expect(await ids('shanghaiXincunCommittee', 'inactive-teams')).toEqual([
      ids_.quietGroup,
      ids_.team,
    ]);
    expect(await ids('tianpingStreet', 'inactive-teams')).toEqual([ids_.quietGroup, ids_.team]);
    expect(await ids('xuhuiDistrict', 'inactive-teams')).toEqual([ids_.quietGroup, ids_.team]);
    expect(await ids('city', 'inactive-teams')).toEqual([
      ids_.pudongGroup,
      ids_.quietGroup,
      ids_.team,
    ]);
    // A year on, the group that reported in 2026-01 is not yet quiet; the 湖南路 one is.
    expect(await ids('xuhuiDistrict', 'inactive-teams', '&on=2026-12-20')).toEqual([
      ids_.quietGroup,
      ids_.team,
      ids_.hunanGroup,
    ]);
    const [team] = (await list('tianpingStreet', 'inactive-teams', '&pageSize=1&page=2')).items;
    expect(team).toMatchObject({
      organizationId: ids_.team,
      tier: 'team',
      lastReportedOn: null,
      quietSince: '2024-05-20',
      daysQuiet: 605,
    });
    const busy = await list('shanghaiXincunCommittee', 'inactive-teams', '&on=2027-01-15');
    expect(busy.items.map((i) => i.organizationId)).toContain(ids_.busyGroup);
  });

  it('missing-annual-reports: registered organizations without last year’s report', async () => {
    const page = await list('xuhuiDistrict', 'missing-annual-reports');
    expect(page.items).toEqual([
      {
        organizationId: ids_.registered,
        name: expect.any(String),
        tier: 'registered',
        districtCode: PLACES.xuhui,
        streetCode: PLACES.tianping,
        communityCode: PLACES.shanghaiXincun,
        year: 2025,
        lastAnnualReportYear: null,
        registeredOn: '2021-01-10',
        dueOn: '2026-06-30',
        overdue: false,
      },
    ]);
    expect(await ids('shanghaiXincunCommittee', 'missing-annual-reports')).toEqual([
      ids_.registered,
    ]);
    expect(await ids('hunanStreet', 'missing-annual-reports')).toEqual([]);
    // Asked in 2027, the 2026 reports are missing for both.
    expect((await list('city', 'missing-annual-reports', '&on=2027-07-01')).total).toBe(2);
  });

  it('expiring-grades: grades whose last valid day is within 90 days', async () => {
    const page = await list('tianpingStreet', 'expiring-grades');
    expect(page.items).toEqual([
      expect.objectContaining({
        organizationId: ids_.registered,
        grade: '3A',
        validUntil: '2026-03-14',
        daysLeft: 58,
      }),
    ]);
    expect(await ids('city', 'expiring-grades', '&on=2025-12-13')).toEqual([]);
    expect(await ids('city', 'expiring-grades', '&on=2025-12-14')).toEqual([ids_.registered]);
    expect(await ids('city', 'expiring-grades', '&on=2026-03-15')).toEqual([]);
    expect(await ids('huaizhongCommittee', 'expiring-grades')).toEqual([]);
  });

  it('abnormal: organizations on the abnormal-activity list, with when and why', async () => {
    expect((await list('shanghaiXincunCommittee', 'abnormal')).items).toEqual([
      expect.objectContaining({
        organizationId: ids_.registered,
        listedOn: '2025-12-01',
        reason: '未按时报送年度工作报告',
        daysListed: 45,
      }),
    ]);
    expect(await ids('pudongDistrict', 'abnormal')).toEqual([]);
  });

  it('GET /worklists counts every list for the caller', async () => {
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'GET',
      `/worklists?minPosition=${position}`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      on: '2026-01-15',
      scope: { level: 'community', code: PLACES.shanghaiXincun },
      counts: {
        'open-notices': 1,
        'unacknowledged-reports': 1,
        'inactive-teams': 2,
        'missing-annual-reports': 1,
        'expiring-grades': 1,
        abnormal: 1,
      },
    });
    const city = await send(app, 'city', 'GET', `/worklists?minPosition=${position}`);
    expect(city.body.counts).toMatchObject({ 'unacknowledged-reports': 3, 'inactive-teams': 3 });
  });

  it('acting takes an item off its list', async () => {
    await act('shanghaiXincunCommittee', `/activity-reports/${reports.community}/acknowledgement`, {
      acknowledgedOn: '2026-01-15',
    });
    await act(
      'shanghaiXincunCommittee',
      `/organizations/${ids_.quietGroup}/correction-notices/${noticeId}/resolution`,
      { note: '已补齐' },
    );
    await act('xuhuiDistrict', `/organizations/${ids_.registered}/abnormal-clearance`, {
      clearedOn: '2026-01-15',
    });
    await act('tianpingStreet', `/organizations/${ids_.team}/dissolution`, {
      reason: '长期不活动',
      dissolvedOn: '2026-01-15',
      kind: 'cleared',
    });
    expect(await ids('shanghaiXincunCommittee', 'unacknowledged-reports')).toEqual([]);
    expect(await ids('tianpingStreet', 'open-notices')).toEqual([]);
    expect(await ids('xuhuiDistrict', 'abnormal')).toEqual([]);
    expect(await ids('tianpingStreet', 'inactive-teams')).toEqual([ids_.quietGroup]);
  });
});

describe('GET /worklists refusals', () => {
  it('401 without a token; 403 for auditors', async () => {
    expectProblem(await send(app, undefined, 'GET', '/worklists/open-notices'), 401);
    expectProblem(await send(app, undefined, 'GET', '/worklists'), 401);
    expectProblem(await send(app, 'auditor', 'GET', '/worklists/abnormal'), 403);
    expectProblem(await send(app, 'xuhuiAuditor', 'GET', '/worklists'), 403);
  });

  it('404 for an unknown list; 400 for a bad date or page size', async () => {
    expectProblem(await send(app, 'city', 'GET', '/worklists/everything'), 404, {
      rule: 'worklist-unknown',
    });
    expectProblem(await send(app, 'city', 'GET', '/worklists/abnormal?on=2026-02-30'), 400);
    expectProblem(await send(app, 'city', 'GET', '/worklists/abnormal?pageSize=101'), 400);
    expectProblem(await send(app, 'city', 'GET', '/worklists/abnormal?page=0'), 400);
    expectProblem(await send(app, 'city', 'GET', '/worklists?on=yesterday'), 400);
    expectProblem(await send(app, 'city', 'GET', '/worklists/abnormal?colour=red'), 400);
  });
});
