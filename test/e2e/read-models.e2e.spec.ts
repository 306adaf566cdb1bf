/**
 * The public read models over real HTTP (API.md "Reads", DOMAIN §5): organizations written
 * through the command routes, then read back with `?minPosition=` so each read sees the writes.
 * Exact counts; bad parameters are 400 problems naming the field; no personal data anywhere.
 */
import { PLACES, divisions } from '../support/fixtures.js';
import { startHttpApp, type HttpApp, type HttpResponse, type Json } from '../support/http-app.js';
import {
  expectNoStackTrace,
  expectProblem,
  freshUscc,
  unknownId,
  write,
  type ActorKey,
  type Body,
} from '../support/e2e-kit.js';
import { waitUntil } from '../support/wait.js';

/** Business "today" of the server: every registration is dated 2025-07-15. */
const TODAY = '2025-07-15';
const clock = { now: () => new Date(`${TODAY}T04:00:00.000Z`) };

let app: HttpApp;
/** Global position of the last write of the scenario. */
let last = 0;
const ids: Record<string, string> = {};

/** Personal data written with the organizations: never in any public answer. */
const PERSONAL = [
  '13900000001',
  '13900000002',
  '13900000003',
  '13900000004',
  '联系人甲',
  '联系人乙',
  '联系人丙',
  '联系人丁',
  '创始居民赵',
  '创始居民钱',
];
const publicTexts: string[] = [];

/** A public GET (no token) that must not leak personal data. */
async function read(path: string): Promise<HttpResponse> {
  const res = await app.request('GET', path);
  publicTexts.push(res.text);
  expectNoStackTrace(res.text);
  for (const secret of PERSONAL) expect(res.text).not.toContain(secret);
  expect(res.status).not.toBe(500);
  return res;
}

/** A public GET that must answer 200 with JSON, after the scenario's last write. */
async function ok(path: string): Promise<Json> {
  const separator = path.includes('?') ? '&' : '?';
  const res = await read(`${path}${separator}minPosition=${last}`);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/json/);
  return res.body;
}

async function mutate(actor: ActorKey, method: string, path: string, body?: Body): Promise<Json> {
  const res = await write(app, actor, method, path, body);
  last = Math.max(last, res.body.position as number);
  return res.body;
}

async function registerOrg(key: string, actor: ActorKey, body: Body): Promise<void> {
  const answer = await mutate(actor, 'POST', '/organizations', {
    foundedOn: '2020-03-01',
    founders: [{ kind: 'resident', name: '创始居民赵' }],
    ...body,
  });
  ids[key] = answer.id as string;
}

const contact = (i: number, name: string): Body => ({
  contact: { name, phone: `1390000000${i}` },
});

const NAMES = {
  g1: '上海新村书画小组',
  g2: '庆余助老小组',
  t1: '天平路夕阳红舞蹈队',
  s1: '徐汇区天平社区睦邻协会',
  h1: '淮中编织小组',
  sp: '漕河泾园区羽毛球队',
  p1: '潍坊一村书画小组',
  c1: '城桥村腰鼓小组',
} as const;

beforeAll(async () => {
  app = await startHttpApp({ clock });
  const xuhuiGroup = { districtCode: PLACES.xuhui, streetCode: PLACES.tianping, tier: 'group' };
  // 徐汇区 天平路街道
  await registerOrg('g1', 'shanghaiXincunCommittee', {
    ...xuhuiGroup,
    name: NAMES.g1,
    category: 'culture-sports',
    communityCode: PLACES.shanghaiXincun,
    ...contact(1, '联系人甲'),
  });
  await registerOrg('g2', 'qingyuCommittee', {
    ...xuhuiGroup,
    name: NAMES.g2,
    category: 'charity',
    communityCode: PLACES.qingyu,
    founders: [{ kind: 'resident', name: '创始居民钱' }],
  });
  await registerOrg('t1', 'tianpingStreet', {
    ...xuhuiGroup,
    name: NAMES.t1,
    category: 'culture-sports',
    tier: 'team',
    filingNumber: 'XH-TP-2025-001',
    filedOn: '2025-07-01',
    communityCode: PLACES.shanghaiXincun,
    ...contact(2, '联系人乙'),
  });
  await registerOrg('s1', 'xuhuiDistrict', {
    name: NAMES.s1,
    category: 'community-affairs',
    tier: 'registered',
    legalForm: 'social-group',
    uscc: freshUscc('social-group'),
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.qingyu,
    supervisoryUnit: '天平路街道办事处',
    founders: [{ kind: 'unit', name: '天平路街道社区服务中心' }],
    ...contact(3, '联系人丙'),
  });
  // 徐汇区 湖南路街道 (dissolved at the end) and the 漕河泾 development zone (special unit)
  await registerOrg('h1', 'huaizhongCommittee', {
    name: NAMES.h1,
    category: 'life-service',
    tier: 'group',
    districtCode: PLACES.xuhui,
    streetCode: PLACES.hunan,
    communityCode: PLACES.huaizhong,
    ...contact(4, '联系人丁'),
  });
  await registerOrg('sp', 'caohejingOffice', {
    name: NAMES.sp,
    category: 'culture-sports',
    tier: 'team',
    filingNumber: 'XH-CHJ-2025-001',
    filedOn: '2025-07-01',
    districtCode: PLACES.xuhui,
    // 漕河泾's only community is a placeholder: the team is based at the unit itself.
    streetCode: PLACES.caohejing,
  });
  // 浦东新区 and 崇明区 (a rural community)
  await registerOrg('p1', 'weifangYicunCommittee', {
    name: NAMES.p1,
    category: 'culture-sports',
    tier: 'group',
    districtCode: PLACES.pudong,
    streetCode: PLACES.weifang,
    communityCode: PLACES.weifangYicun,
  });
  await registerOrg('c1', 'chengqiaoVillageCommittee', {
    name: NAMES.c1,
    category: 'culture-sports',
    tier: 'group',
    districtCode: PLACES.chongming,
    streetCode: PLACES.chengqiao,
    communityCode: PLACES.chengqiaoVillage,
  });

  // Promotions: 庆余助老小组 group → team (filed 2025-04-20) → registered (2025-07-01).
  await mutate('tianpingStreet', 'POST', `/organizations/${ids['g2']}/promotions`, {
    toTier: 'team',
    filingNumber: 'XH-TP-2025-002',
    filedOn: '2025-04-20',
  });
  await mutate('xuhuiDistrict', 'POST', `/organizations/${ids['g2']}/promotions`, {
    toTier: 'registered',
    legalForm: 'social-service-institution',
    uscc: freshUscc('social-service-institution'),
    registeredOn: '2025-07-01',
  });
  await mutate('weifangYicunCommittee', 'POST', `/organizations/${ids['p1']}/reclassifications`, {
    category: 'life-service',
    criteria: '民政部社区社会组织最新统计口径',
    reason: '主要开展便民服务',
  });
  await mutate('xuhuiDistrict', 'PUT', `/organizations/${ids['s1']}/party-organization`, {
    status: 'own-branch',
  });
  await mutate('tianpingStreet', 'PUT', `/organizations/${ids['t1']}/party-organization`, {
    status: 'liaison',
  });
  await mutate('shanghaiXincunCommittee', 'POST', `/organizations/${ids['g1']}/evaluations`, {
    period: '2024',
    evaluator: 'committee',
    grade: 'excellent',
  });

  // Funding: channels and years.
  const street = { name: '天平路街道办事处', level: 'street', code: PLACES.tianping };
  const xuhuiBureau = { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui };
  await mutate('tianpingStreet', 'POST', `/organizations/${ids['g1']}/fundings`, {
    channel: 'self-governance-fund',
    amountFen: 1_000_000,
    grantedOn: '2024-03-03',
    funder: street,
    programme: '2024年社区自治项目',
  });
  await mutate('city', 'POST', `/organizations/${ids['g1']}/fundings`, {
    channel: 'welfare-lottery',
    amountFen: 500_000,
    grantedOn: '2025-02-02',
    funder: { name: '上海市民政局', level: 'city', code: PLACES.city },
    programme: '福彩公益金助老项目',
    purpose: 'elderly',
  });
  await mutate('xuhuiDistrict', 'POST', `/organizations/${ids['t1']}/fundings`, {
    channel: 'venture-philanthropy',
    amountFen: 2_000_000,
    grantedOn: '2025-03-03',
    funder: xuhuiBureau,
    programme: '徐汇区公益创投大赛',
  });
  await mutate('xuhuiDistrict', 'POST', `/organizations/${ids['g2']}/fundings`, {
    channel: 'government-purchase',
    amountFen: 3_000_000,
    grantedOn: '2025-07-05',
    funder: xuhuiBureau,
    programme: '为老服务购买项目',
  });
  await mutate('pudongDistrict', 'POST', `/organizations/${ids['p1']}/fundings`, {
    channel: 'subsidy',
    amountFen: 400_000,
    grantedOn: '2025-01-15',
    funder: { name: '浦东新区民政局', level: 'district', code: PLACES.pudong },
    programme: '社区社会组织扶持补贴',
  });
  await mutate('hunanStreet', 'POST', `/organizations/${ids['h1']}/fundings`, {
    channel: 'self-governance-fund',
    amountFen: 100_000,
    grantedOn: '2025-05-05',
    funder: { name: '湖南路街道办事处', level: 'street', code: PLACES.hunan },
    programme: '2025年社区自治项目',
  });

  // Activity reports of each level.
  const report = (o: Body): Body => ({ title: '社区活动', kind: 'culture', ...o });
  const g1Report = await mutate(
    'shanghaiXincunCommittee',
    'POST',
    `/organizations/${ids['g1']}/activity-reports`,
    report({
      title: '书画义卖',
      startsOn: '2025-04-01',
      endsOn: '2025-04-01',
      communityCode: PLACES.shanghaiXincun,
      participants: 60,
    }),
  );
  expect(g1Report.level).toBe('community');
  const t1Report = await mutate(
    'tianpingStreet',
    'POST',
    `/organizations/${ids['t1']}/activity-reports`,
    report({
      title: '广场舞展演',
      startsOn: '2025-05-10',
      endsOn: '2025-05-11',
      communityCode: PLACES.qingyu,
      participants: 150,
    }),
  );
  expect(t1Report.level).toBe('street');
  const s1Report = await mutate(
    'xuhuiDistrict',
    'POST',
    `/organizations/${ids['s1']}/activity-reports`,
    report({
      title: '邻里节',
      kind: 'public-service',
      startsOn: '2025-05-20',
      endsOn: '2025-05-20',
      communityCode: PLACES.huaizhong,
      participants: 800,
    }),
  );
  expect(s1Report.level).toBe('district');
  await mutate(
    'weifangYicunCommittee',
    'POST',
    `/organizations/${ids['p1']}/activity-reports`,
    report({
      title: '便民修补',
      kind: 'volunteer-service',
      startsOn: '2025-06-01',
      endsOn: '2025-06-01',
      communityCode: PLACES.weifangYicun,
      participants: 30,
    }),
  );

  // The last write: 淮中编织小组 is dissolved.
  await mutate('huaizhongCommittee', 'POST', `/organizations/${ids['h1']}/dissolution`, {
    reason: '连续两年未开展活动，定期清理',
    dissolvedOn: '2025-06-30',
    kind: 'cleared',
  });
});

afterAll(async () => {
  await app.close();
});

type Row = Record<string, unknown>;
/** JSON items as records, so their fields read as unknown rather than any. */
const rows = (list: Json): Row[] => list as Row[];
const names = (page: Json): string[] => rows(page.items).map((i) => i.name as string);
const sortedNames = (list: readonly string[]): string[] =>
  [...list].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

// ---------------------------------------------------------------------------------------------

describe('GET /registry', () => {
  it('lists every organization in name order with paging totals', async () => {
    const page = await ok('/registry');
    expect({ total: page.total, page: page.page, pageSize: page.pageSize }).toEqual({
      total: 8,
      page: 1,
      pageSize: 20,
    });
    expect(names(page)).toEqual(sortedNames(Object.values(NAMES)));
  });

  it('pages of 3: 3 + 3 + 2 records, together the whole list, and an empty page after', async () => {
    const pages = [];
    for (const n of [1, 2, 3, 4]) pages.push(await ok(`/registry?pageSize=3&page=${n}`));
    expect(
      pages.map((p: Json): unknown[] => [p.total, p.page, p.pageSize, p.items.length]),
    ).toEqual([
      [8, 1, 3, 3],
      [8, 2, 3, 3],
      [8, 3, 3, 2],
      [8, 4, 3, 0],
    ]);
    expect(pages.flatMap(names)).toEqual(sortedNames(Object.values(NAMES)));
  });

  it.each([
    ['district=310104', [NAMES.g1, NAMES.g2, NAMES.t1, NAMES.s1, NAMES.h1, NAMES.sp]],
    ['district=310115', [NAMES.p1]],
    ['district=310101', []],
    ['street=310104003', [NAMES.g1, NAMES.g2, NAMES.t1, NAMES.s1]],
    ['street=310104501', [NAMES.sp]],
    ['district=310104&street=310104004', [NAMES.h1]],
    ['community=310104003001', [NAMES.g1, NAMES.t1]],
    ['community=310151101201', [NAMES.c1]],
    ['category=culture-sports', [NAMES.g1, NAMES.t1, NAMES.sp, NAMES.c1]],
    ['category=life-service', [NAMES.h1, NAMES.p1]],
    ['category=charity', [NAMES.g2]],
    ['tier=registered', [NAMES.g2, NAMES.s1]],
    ['tier=team', [NAMES.t1, NAMES.sp]],
    ['tier=group', [NAMES.g1, NAMES.h1, NAMES.p1, NAMES.c1]],
    ['status=dissolved', [NAMES.h1]],
    ['status=active', [NAMES.g1, NAMES.g2, NAMES.t1, NAMES.s1, NAMES.sp, NAMES.p1, NAMES.c1]],
    ['q=书画', [NAMES.g1, NAMES.p1]],
    [`q=${encodeURIComponent('书画')}&district=310115`, [NAMES.p1]],
    ['district=310104&tier=team&category=culture-sports', [NAMES.t1, NAMES.sp]],
    ['q=不存在的名称', []],
  ])('?%s', async (query, expected) => {
    const page = await ok(`/registry?${query}`);
    expect({ total: page.total, names: names(page) }).toEqual({
      total: expected.length,
      names: sortedNames(expected),
    });
  });

  it('records are public: the documented fields only, no contact, founders or bookkeeping', async () => {
    const page = await ok('/registry?pageSize=100');
    for (const item of page.items as Json[]) {
      expect(Object.keys(item as object).sort()).toEqual(
        [
          'activityCount',
          'category',
          'communityCode',
          'communityName',
          'districtCode',
          'districtName',
          'dissolutionKind',
          'dissolvedOn',
          'filingNumber',
          'foundedOn',
          'fundingByYear',
          'fundingTotalFen',
          'grantCount',
          'id',
          'incubation',
          'latestEvaluation',
          'legalForm',
          'mergedInto',
          'name',
          'partyOrganization',
          'registeredOn',
          'filedOn',
          'recordedOn',
          'tierSince',
          'activityScope',
          'status',
          'streetCode',
          'streetName',
          'supervisoryUnit',
          'supportRoles',
          'tier',
          'uscc',
          'annualReport',
          'grade',
          'abnormal',
          'profile',
        ].sort(),
      );
    }
  });
});

describe('GET /registry/{id}', () => {
  it('one public record with everything the organization went through', async () => {
    await ok('/registry');
    const g1 = await ok(`/registry/${ids['g1']}`);
    expect(g1).toEqual({
      id: ids['g1'],
      name: NAMES.g1,
      category: 'culture-sports',
      tier: 'group',
      legalForm: null,
      uscc: null,
      filingNumber: null,
      districtCode: PLACES.xuhui,
      districtName: '徐汇区',
      streetCode: PLACES.tianping,
      streetName: '天平路街道',
      communityCode: PLACES.shanghaiXincun,
      communityName: '上海新村居委会',
      status: 'active',
      foundedOn: '2020-03-01',
      // A group: the date its committee recorded it, no registration or filing date.
      registeredOn: null,
      filedOn: null,
      recordedOn: TODAY,
      tierSince: TODAY,
      activityScope: 'community',
      dissolvedOn: null,
      dissolutionKind: null,
      mergedInto: null,
      supervisoryUnit: null,
      partyOrganization: 'none',
      fundingByYear: { '2024': 1_000_000, '2025': 500_000 },
      fundingTotalFen: 1_500_000,
      grantCount: 2,
      activityCount: 1,
      latestEvaluation: { period: '2024', grade: 'excellent' },
      annualReport: null,
      grade: null,
      abnormal: null,
      profile: null,
      supportRoles: [],
      incubation: null,
    });
  });

  it('a promoted, a dissolved and a party-organized record', async () => {
    expect(await ok(`/registry/${ids['g2']}`)).toMatchObject({
      tier: 'registered',
      legalForm: 'social-service-institution',
      uscc: expect.stringMatching(/^52310104/),
      filingNumber: null,
      // Registered by promotion: the promotion's date is its registration date.
      registeredOn: '2025-07-01',
      filedOn: null,
      recordedOn: null,
      tierSince: '2025-07-01',
      fundingByYear: { '2025': 3_000_000 },
    });
    expect(await ok(`/registry/${ids['h1']}`)).toMatchObject({
      status: 'dissolved',
      dissolvedOn: '2025-06-30',
      dissolutionKind: 'cleared',
      mergedInto: null,
      grantCount: 1,
    });
    expect(await ok(`/registry/${ids['s1']}`)).toMatchObject({
      partyOrganization: 'own-branch',
      communityCode: PLACES.qingyu,
      communityName: '庆余居委会',
      supervisoryUnit: '天平路街道办事处',
      activityCount: 1,
    });
    expect(await ok(`/registry/${ids['t1']}`)).toMatchObject({
      filingNumber: 'XH-TP-2025-001',
      partyOrganization: 'liaison',
    });
  });

  it('404 for an unknown id', async () => {
    expectProblem(await read(`/registry/${unknownId()}`), 404);
  });

  it.each(['not-a-uuid', '12345', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'])(
    '400 for the malformed id %s',
    async (id) => {
      expectProblem(await read(`/registry/${id}`), 400, { field: 'path:id' });
    },
  );

  it('?minPosition with the position a write answered shows that write (read your writes)', async () => {
    // An evaluation touches the registry only, so the other figures of this file hold.
    const answer = await mutate(
      'chengqiaoVillageCommittee',
      'POST',
      `/organizations/${ids['c1']}/evaluations`,
      { period: '2025', evaluator: 'residents', grade: 'good' },
    );
    const [single, list] = await Promise.all([
      read(`/registry/${ids['c1']}?minPosition=${answer.position}`),
      read(`/registry?community=${PLACES.chengqiaoVillage}&minPosition=${answer.position}`),
    ]);
    const latest = { period: '2025', grade: 'good' };
    expect({ status: list.status, latest: list.body.items?.[0]?.latestEvaluation }).toEqual({
      status: 200,
      latest,
    });
    expect({ status: single.status, latest: single.body.latestEvaluation }).toEqual({
      status: 200,
      latest,
    });
  });
});

describe('GET /registry.csv', () => {
  it('BOM, Chinese header row, CRLF, one line per record, no personal data', async () => {
    const res = await read(`/registry.csv?minPosition=${last}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = new Uint8Array(await (await fetch(`${app.baseUrl}/registry.csv`)).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = res.text.replace(/^\uFEFF/, '');
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(lines[0]).toBe(
      '名称,类别,层级,组织形式,统一社会信用代码,备案编号,区,街镇,社区,活动范围,状态,成立日期,登记日期,备案日期,记录日期,现层级起始日期,注销日期,合并至组织编号,资助总额（分）,重大活动报告数,最近评估等级,年报年度,年报是否按时,评估等级,等级有效期至,列入异常名录日期,列入异常名录原因,支持平台角色,孵化基地组织编号,入驻孵化日期,组织编号',
    );
    expect(lines).toHaveLength(1 + 8);
    const rows = lines.slice(1).map((line) => line.split(','));
    expect(rows.map((r) => r[0])).toEqual(sortedNames(Object.values(NAMES)));
    const g1 = rows.find((r) => r[0] === NAMES.g1);
    expect(g1).toEqual([
      NAMES.g1,
      '文体活动类',
      '社区活动小组',
      '',
      '',
      '',
      '徐汇区',
      '天平路街道',
      '上海新村居委会',
      '社区',
      '正常',
      '2020-03-01',
      '',
      '',
      TODAY,
      TODAY,
      '',
      '',
      '1500000',
      '1',
      '优秀',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      ids['g1'],
    ]);
    const h1 = rows.find((r) => r[0] === NAMES.h1);
    expect(h1?.[10]).toBe('已清理');
    expect(h1?.[16]).toBe('2025-06-30');
    // Each business date under its own column, empty where it does not apply to the tier.
    const dates = (name: string) => {
      const r = rows.find((x) => x[0] === name);
      return r && { scope: r[9], dates: r.slice(11, 16) };
    };
    expect(dates(NAMES.t1)).toEqual({
      scope: '街镇',
      dates: ['2020-03-01', '', '2025-07-01', '', '2025-07-01'],
    });
    expect(dates(NAMES.g2)).toEqual({
      scope: '社区',
      dates: ['2020-03-01', '2025-07-01', '', '', '2025-07-01'],
    });
    expect(dates(NAMES.s1)).toEqual({
      scope: '区',
      dates: ['2020-03-01', TODAY, '', '', TODAY],
    });
  });

  it('takes the registry filters', async () => {
    const res = await read(`/registry.csv?district=310104&tier=team&minPosition=${last}`);
    expect(res.status).toBe(200);
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter((l) => l.length > 0);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(sortedNames([NAMES.t1, NAMES.sp]));
  });

  it('refuses bad filters with a 400 problem', async () => {
    expectProblem(await read('/registry.csv?tier=big'), 400, { field: 'query:tier' });
    expectProblem(await read('/registry.csv?page=2'), 400);
  });
});

describe('GET /statistics/overview', () => {
  const empty = { group: 0, team: 0, registered: 0 };

  it('the city: active counts by category × tier, party coverage, special units', async () => {
    const body = await ok('/statistics/overview');
    expect(body).toEqual({
      place: { code: '310000', name: '上海市', level: 'city' },
      total: 7,
      byCategoryAndTier: {
        charity: { ...empty, registered: 1 },
        'life-service': { ...empty, group: 1 },
        'community-affairs': { ...empty, registered: 1 },
        'culture-sports': { ...empty, group: 2, team: 2 },
      },
      byCategory: { charity: 1, 'life-service': 1, 'community-affairs': 1, 'culture-sports': 4 },
      byTier: { group: 3, team: 2, registered: 2 },
      partyOrganization: {
        none: 5,
        'own-branch': 1,
        'joint-branch': 0,
        liaison: 1,
        instructor: 0,
      },
      // 组织覆盖 is the branch alone; 工作覆盖 adds the liaison.
      partyCoverage: {
        organizational: { count: 1, share: 0.143 },
        work: { count: 2, share: 0.286 },
      },
      inSpecialUnits: 1,
    });
  });

  it('a district, a street, a community, a special unit and an emptied street', async () => {
    const xuhui = await ok('/statistics/overview?district=310104');
    expect({
      place: xuhui.place,
      total: xuhui.total,
      byTier: xuhui.byTier,
      sp: xuhui.inSpecialUnits,
    }).toEqual({
      place: { code: '310104', name: '徐汇区', level: 'district' },
      total: 5,
      byTier: { group: 1, team: 2, registered: 2 },
      sp: 1,
    });
    const tianping = await ok('/statistics/overview?street=310104003');
    expect({
      place: tianping.place,
      total: tianping.total,
      byCategory: tianping.byCategory,
    }).toEqual({
      place: { code: '310104003', name: '天平路街道', level: 'street' },
      total: 4,
      byCategory: { charity: 1, 'life-service': 0, 'community-affairs': 1, 'culture-sports': 2 },
    });
    const community = await ok(
      '/statistics/overview?district=310104&street=310104003&community=310104003001',
    );
    expect({
      place: community.place,
      total: community.total,
      matrix: community.byCategoryAndTier['culture-sports'],
    }).toEqual({
      place: { code: '310104003001', name: '上海新村居委会', level: 'community' },
      total: 2,
      matrix: { group: 1, team: 1, registered: 0 },
    });
    const qingyu = await ok('/statistics/overview?community=310104003002');
    expect(qingyu.byCategoryAndTier.charity).toEqual({ group: 0, team: 0, registered: 1 });
    const special = await ok('/statistics/overview?street=310104501');
    expect({ total: special.total, inSpecialUnits: special.inSpecialUnits }).toEqual({
      total: 1,
      inSpecialUnits: 1,
    });
    // 淮中编织小组 was the only one of 湖南路街道, and it is dissolved.
    const hunan = await ok('/statistics/overview?street=310104004');
    expect({
      total: hunan.total,
      byTier: hunan.byTier,
      coverage: hunan.partyCoverage,
    }).toEqual({
      total: 0,
      byTier: { group: 0, team: 0, registered: 0 },
      coverage: { organizational: { count: 0, share: 0 }, work: { count: 0, share: 0 } },
    });
    const chongming = await ok('/statistics/overview?district=310151');
    expect(chongming.byCategoryAndTier['culture-sports']).toEqual({
      group: 1,
      team: 0,
      registered: 0,
    });
  });
});

describe('GET /statistics/targets', () => {
  /** The real communities of a district: placeholders count in no denominator (DOMAIN §2). */
  const communitiesOf = (district: string) =>
    divisions.data.communities.filter(
      (c) => c.street.startsWith(district) && c.placeholder !== true,
    );

  it('Xuhui: averages per urban community and the communities below target, furthest first', async () => {
    const body = await ok('/statistics/targets?district=310104&pageSize=500');
    const urban = communitiesOf('310104').filter((c) => c.kind === 'urban');
    expect(body.urban).toEqual({
      communities: urban.length,
      organizations: 4,
      average: Math.round((4 / urban.length) * 1000) / 1000,
      target: 12,
      met: false,
      belowTarget: urban.length,
    });
    expect(body.rural).toEqual({
      communities: 0,
      organizations: 0,
      average: 0,
      target: 7,
      met: false,
      belowTarget: 0,
    });
    // The registered 睦邻协会 counts in its base community (庆余); the 漕河泾 team in none.
    const counted: Record<string, number> = {
      [PLACES.shanghaiXincun]: 2,
      [PLACES.qingyu]: 2,
    };
    const expectedOrder = urban
      .map((c) => ({ code: c.code, shortfall: 12 - (counted[c.code] ?? 0) }))
      .sort((a, b) => b.shortfall - a.shortfall || (a.code < b.code ? -1 : 1))
      .map((c) => c.code);
    expect(body.belowTarget.total).toBe(urban.length);
    expect(rows(body.belowTarget.items).map((i) => i.code)).toEqual(expectedOrder);
    expect(rows(body.belowTarget.items).map((i) => i.code)).not.toContain(
      PLACES.caohejingCommunity,
    );
    expect({
      notAttributed: body.notAttributed,
      unitsWithoutCommunities: body.unitsWithoutCommunities,
    }).toEqual({
      notAttributed: 0,
      unitsWithoutCommunities: [
        {
          code: PLACES.caohejing,
          name: '漕河泾新兴技术开发区',
          districtCode: PLACES.xuhui,
          districtName: '徐汇区',
          organizations: 1,
        },
      ],
    });
    expect((body.belowTarget.items as Json[]).slice(-2)).toEqual([
      {
        code: PLACES.shanghaiXincun,
        name: '上海新村居委会',
        kind: 'urban',
        streetCode: PLACES.tianping,
        streetName: '天平路街道',
        districtCode: PLACES.xuhui,
        districtName: '徐汇区',
        organizations: 2,
        target: 12,
        shortfall: 10,
      },
      expect.objectContaining({ code: PLACES.qingyu, organizations: 2, shortfall: 10 }),
    ]);
  });

  it('pages of the below-target list are slices of the same order', async () => {
    const all = await ok('/statistics/targets?district=310104&pageSize=500');
    const codes = rows(all.belowTarget.items).map((i) => i.code as string);
    const second = await ok('/statistics/targets?district=310104&page=2&pageSize=50');
    expect(second.belowTarget).toMatchObject({ total: codes.length, page: 2, pageSize: 50 });
    expect(rows(second.belowTarget.items).map((i) => i.code)).toEqual(codes.slice(50, 100));
    const lastPage = Math.ceil(codes.length / 50);
    const tail = await ok(`/statistics/targets?district=310104&page=${lastPage}&pageSize=50`);
    expect(rows(tail.belowTarget.items).map((i) => i.code)).toEqual(
      codes.slice((lastPage - 1) * 50),
    );
    const beyond = await ok(`/statistics/targets?district=310104&page=${lastPage + 1}&pageSize=50`);
    expect(beyond.belowTarget.items).toEqual([]);
  });

  it('Chongming: urban and rural against 12 and 7; the village with one organization comes last', async () => {
    const body = await ok('/statistics/targets?district=310151&pageSize=500');
    const list = communitiesOf('310151');
    const urban = list.filter((c) => c.kind === 'urban');
    const rural = list.filter((c) => c.kind === 'rural');
    expect(body.urban).toMatchObject({
      communities: urban.length,
      organizations: 0,
      average: 0,
      target: 12,
    });
    expect(body.rural).toEqual({
      communities: rural.length,
      organizations: 1,
      average: Math.round((1 / rural.length) * 1000) / 1000,
      target: 7,
      met: false,
      belowTarget: rural.length,
    });
    const items = body.belowTarget.items as Json[];
    expect(items.length).toBe(list.length);
    expect(
      items.slice(0, urban.length).every((i) => i.kind === 'urban' && i.shortfall === 12),
    ).toBe(true);
    expect(items.at(-1)).toMatchObject({
      code: PLACES.chengqiaoVillage,
      kind: 'rural',
      organizations: 1,
      target: 7,
      shortfall: 6,
    });
  });

  it('the city: every real community of Shanghai, 4,661 urban and 1,560 rural', async () => {
    const body = await ok('/statistics/targets?pageSize=1');
    const real = divisions.data.communities.filter((c) => c.placeholder !== true);
    const urban = real.filter((c) => c.kind === 'urban');
    const rural = real.filter((c) => c.kind === 'rural');
    expect([urban.length, rural.length]).toEqual([4661, 1560]);
    expect([
      body.urban.communities,
      body.urban.organizations,
      body.rural.communities,
      body.rural.organizations,
    ]).toEqual([urban.length, 5, rural.length, 1]);
    expect(body.belowTarget.total).toBe(urban.length + rural.length);
    expect(body.belowTarget.items).toHaveLength(1);
  });
});

describe('GET /statistics/timeline', () => {
  // The one dissolution of this suite is 淮中编织小组's clearing (清理).
  const month = (m: string, registrations: number, promotions: number, dissolutions: number) => ({
    month: m,
    registrations,
    promotions,
    dissolutions,
    dissolutionsByKind: { deregistered: 0, revoked: 0, cleared: dissolutions, merged: 0 },
  });

  it('the city from the first to the last month, months without events filled with zeros', async () => {
    const body = await ok('/statistics/timeline');
    expect(body).toEqual({
      district: null,
      months: [
        month('2025-04', 0, 1, 0),
        month('2025-05', 0, 0, 0),
        month('2025-06', 0, 0, 1),
        month('2025-07', 8, 1, 0),
      ],
    });
  });

  it('a district between from and to', async () => {
    const body = await ok('/statistics/timeline?district=310104&from=2025-02&to=2025-08');
    expect(body).toEqual({
      district: '310104',
      months: [
        month('2025-02', 0, 0, 0),
        month('2025-03', 0, 0, 0),
        month('2025-04', 0, 1, 0),
        month('2025-05', 0, 0, 0),
        month('2025-06', 0, 0, 1),
        month('2025-07', 6, 1, 0),
        month('2025-08', 0, 0, 0),
      ],
    });
  });

  it('across a year end, and a district with registrations only', async () => {
    const body = await ok('/statistics/timeline?district=310115&from=2024-11&to=2025-02');
    expect(body.months).toEqual([
      month('2024-11', 0, 0, 0),
      month('2024-12', 0, 0, 0),
      month('2025-01', 0, 0, 0),
      month('2025-02', 0, 0, 0),
    ]);
    const pudong = await ok('/statistics/timeline?district=310115');
    expect(pudong.months).toEqual([month('2025-07', 1, 0, 0)]);
    const quiet = await ok('/statistics/timeline?district=310101');
    expect(quiet.months).toEqual([]);
  });
});

describe('statistics as of a month (asOf=YYYY-MM, issue #19)', () => {
  const ROUTES = [
    '/statistics/overview?district=310104',
    '/statistics/targets?district=310104&pageSize=500',
    '/statistics/platforms?district=310104',
  ];

  it.each(ROUTES)('%s: as of the current month, the figures of today', async (path) => {
    // Every business date of the scenario is in or before July 2025, the server's month.
    expect(await ok(`${path}&asOf=2025-07`)).toEqual(await ok(path));
  });

  it.each(ROUTES)('%s: a month not yet ended beyond the current one is refused', async (path) => {
    const body = expectProblem(await read(`${path}&asOf=2025-08`), 400, { field: 'query:asOf' });
    expect(JSON.stringify(body)).toContain('2025-07, the current month');
  });

  it('a month before anything counted answers the empty figures it had', async () => {
    const overview = (await ok('/statistics/overview?district=310104&asOf=2000-01')) as {
      total: number;
    };
    expect(overview.total).toBe(0);
    const targets = (await ok('/statistics/targets?district=310104&asOf=2000-01')) as {
      urban: { organizations: number };
      rural: { organizations: number };
    };
    expect([targets.urban.organizations, targets.rural.organizations]).toEqual([0, 0]);
  });

  it.each(['2025-13', '2025-7', '1999-12', 'july', '2025-07-01'])(
    'asOf=%s is no month: 400',
    async (month) => {
      for (const path of ROUTES)
        expectProblem(await read(`${path}&asOf=${month}`), 400, { field: 'query:asOf' });
    },
  );
});

describe('GET /statistics/funding', () => {
  const total = (
    code: string,
    name: string,
    channel: string,
    year: string,
    amountFen: number,
    grants = 1,
  ) => ({
    districtCode: code,
    districtName: name,
    channel,
    year,
    amountFen,
    grants,
  });

  it('the city and every district by channel × year', async () => {
    const body = await ok('/statistics/funding');
    const city = (channel: string, year: string, amount: number) =>
      total('310000', '上海市', channel, year, amount);
    const xuhui = (channel: string, year: string, amount: number) =>
      total('310104', '徐汇区', channel, year, amount);
    const cityRows: Array<[string, string, number]> = [
      ['self-governance-fund', '2024', 1_000_000],
      ['welfare-lottery', '2025', 500_000],
      ['government-purchase', '2025', 3_000_000],
      ['venture-philanthropy', '2025', 2_000_000],
      ['subsidy', '2025', 400_000],
      ['self-governance-fund', '2025', 100_000],
    ];
    expect(body).toEqual({
      place: { code: '310000', name: '上海市', level: 'city' },
      totals: cityRows.map(([channel, year, amountFen]) => ({
        channel,
        year,
        amountFen,
        grants: 1,
      })),
      city: cityRows.map(([channel, year, amount]) => city(channel, year, amount)),
      districts: expect.arrayContaining([
        xuhui('self-governance-fund', '2024', 1_000_000),
        xuhui('welfare-lottery', '2025', 500_000),
        xuhui('government-purchase', '2025', 3_000_000),
        xuhui('venture-philanthropy', '2025', 2_000_000),
        xuhui('self-governance-fund', '2025', 100_000),
        total('310115', '浦东新区', 'subsidy', '2025', 400_000),
      ]),
    });
    expect(body.districts).toHaveLength(6);
  });

  it('one district, one year', async () => {
    const pudong = { code: '310115', name: '浦东新区', level: 'district' };
    expect(await ok('/statistics/funding?district=310115')).toEqual({
      place: pudong,
      totals: [{ channel: 'subsidy', year: '2025', amountFen: 400_000, grants: 1 }],
      city: [],
      districts: [total('310115', '浦东新区', 'subsidy', '2025', 400_000)],
    });
    expect(await ok('/statistics/funding?year=2024')).toEqual({
      place: { code: '310000', name: '上海市', level: 'city' },
      totals: [{ channel: 'self-governance-fund', year: '2024', amountFen: 1_000_000, grants: 1 }],
      city: [total('310000', '上海市', 'self-governance-fund', '2024', 1_000_000)],
      districts: [total('310104', '徐汇区', 'self-governance-fund', '2024', 1_000_000)],
    });
    expect(await ok('/statistics/funding?district=310151')).toEqual({
      place: { code: '310151', name: '崇明区', level: 'district' },
      totals: [],
      city: [],
      districts: [],
    });
  });
});

describe('GET /fundings', () => {
  it('one row per grant, newest first, with recipient name and place', async () => {
    const page = await ok('/fundings');
    expect({ total: page.total, page: page.page, pageSize: page.pageSize }).toEqual({
      total: 6,
      page: 1,
      pageSize: 20,
    });
    expect(rows(page.items).map((g) => [g.grantedOn, g.recipientName, g.amountFen])).toEqual([
      ['2025-07-05', NAMES.g2, 3_000_000],
      ['2025-05-05', NAMES.h1, 100_000],
      ['2025-03-03', NAMES.t1, 2_000_000],
      ['2025-02-02', NAMES.g1, 500_000],
      ['2025-01-15', NAMES.p1, 400_000],
      ['2024-03-03', NAMES.g1, 1_000_000],
    ]);
    const lottery = (page.items as Json[]).find((g) => g.channel === 'welfare-lottery');
    expect(lottery).toEqual({
      id: expect.stringMatching(/^grant:/),
      kind: 'grant',
      organizationId: ids['g1'],
      recipientName: NAMES.g1,
      amountFen: 500_000,
      currency: 'CNY',
      grantedOn: '2025-02-02',
      year: '2025',
      channel: 'welfare-lottery',
      purpose: 'elderly',
      purposeDescription: null,
      programme: '福彩公益金助老项目',
      funderName: '上海市民政局',
      funderLevel: 'city',
      funderCode: '310000',
      districtCode: PLACES.xuhui,
      districtName: '徐汇区',
      streetCode: PLACES.tianping,
      communityCode: PLACES.shanghaiXincun,
    });
  });

  it.each([
    ['district=310115', [NAMES.p1]],
    ['channel=self-governance-fund', [NAMES.h1, NAMES.g1]],
    ['year=2024', [NAMES.g1]],
    ['from=2025-03-01&to=2025-06-30', [NAMES.h1, NAMES.t1]],
    ['district=310104&year=2025&channel=government-purchase', [NAMES.g2]],
  ])('?%s', async (query, expected) => {
    const page = await ok(`/fundings?${query}`);
    expect({
      total: page.total,
      recipients: rows(page.items).map((g) => g.recipientName),
    }).toEqual({
      total: expected.length,
      recipients: expected,
    });
  });

  it('?organization= and paging', async () => {
    const mine = await ok(`/fundings?organization=${ids['g1']}`);
    expect(rows(mine.items).map((g) => g.grantedOn)).toEqual(['2025-02-02', '2024-03-03']);
    const second = await ok('/fundings?page=2&pageSize=2');
    expect({
      total: second.total,
      recipients: rows(second.items).map((g) => g.recipientName),
    }).toEqual({
      total: 6,
      recipients: [NAMES.t1, NAMES.g1],
    });
  });
});

describe('GET /activity-reports', () => {
  const row = (m: string, community: number, street: number, district: number) => ({
    month: m,
    community,
    street,
    district,
    total: community + street + district,
  });

  it('the city: series by month × level and the reports, latest first', async () => {
    const body = await ok('/activity-reports');
    expect(body.place).toEqual({ code: '310000', name: '上海市', level: 'city' });
    expect(body.series).toEqual([
      row('2025-04', 1, 0, 0),
      row('2025-05', 0, 1, 1),
      row('2025-06', 1, 0, 0),
    ]);
    expect({ total: body.total, page: body.page, pageSize: body.pageSize }).toEqual({
      total: 4,
      page: 1,
      pageSize: 20,
    });
    expect(rows(body.items).map((r) => [r.startsOn, r.organizationName, r.level])).toEqual([
      ['2025-06-01', NAMES.p1, 'community'],
      ['2025-05-20', NAMES.s1, 'district'],
      ['2025-05-10', NAMES.t1, 'street'],
      ['2025-04-01', NAMES.g1, 'community'],
    ]);
    const first = (body.items as Json[]).find((r) => r.organizationName === NAMES.t1);
    expect(first).toEqual({
      id: expect.stringMatching(/^report:/),
      kind: 'report',
      organizationId: ids['t1'],
      organizationName: NAMES.t1,
      title: '广场舞展演',
      activityKind: 'culture',
      startsOn: '2025-05-10',
      endsOn: '2025-05-11',
      month: '2025-05',
      participants: 150,
      level: 'street',
      districtCode: PLACES.xuhui,
      streetCode: PLACES.tianping,
      communityCode: PLACES.qingyu,
      // Receipt by the street it was routed to (issue #18 item 7): waiting since it was reported.
      reportedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      acknowledgedOn: null,
      receipt: { status: 'waiting', waitingDays: expect.any(Number) },
    });
  });

  it('by the place where the activity happened', async () => {
    const xuhui = await ok('/activity-reports?district=310104');
    expect({ series: xuhui.series, total: xuhui.total }).toEqual({
      series: [row('2025-04', 1, 0, 0), row('2025-05', 0, 1, 1)],
      total: 3,
    });
    const hunan = await ok('/activity-reports?street=310104004');
    expect({
      place: hunan.place,
      series: hunan.series,
      names: rows(hunan.items).map((r) => r.organizationName),
    }).toEqual({
      place: { code: '310104004', name: '湖南路街道', level: 'street' },
      series: [row('2025-05', 0, 0, 1)],
      names: [NAMES.s1],
    });
    const qingyu = await ok('/activity-reports?community=310104003002');
    expect({ series: qingyu.series, total: qingyu.total }).toEqual({
      series: [row('2025-05', 0, 1, 0)],
      total: 1,
    });
  });

  it('by month and level', async () => {
    const may = await ok('/activity-reports?month=2025-05');
    expect({ series: may.series, total: may.total }).toEqual({
      series: [row('2025-05', 0, 1, 1)],
      total: 2,
    });
    const district = await ok('/activity-reports?level=district');
    expect(rows(district.items).map((r) => r.organizationName)).toEqual([NAMES.s1]);
    const community = await ok('/activity-reports?level=community&pageSize=1&page=2');
    expect({
      total: community.total,
      names: rows(community.items).map((r) => r.organizationName),
    }).toEqual({
      total: 2,
      names: [NAMES.g1],
    });
  });
});

describe('bad parameters: 400 problems naming the field, never 500', () => {
  const field = (name: string) => ({ field: name });
  const either = (res: HttpResponse, name: string) => {
    const body = expectProblem(res, 400);
    const fields = ((body.errors ?? []) as { field: string }[]).map((e) => e.field);
    expect(fields).toContain(`query:${name}`);
  };

  it.each([
    ['/registry?unknown=1', 'unknown'],
    ['/registry?page=0', 'page'],
    ['/registry?pageSize=1000', 'pageSize'],
    ['/registry?page=abc', 'page'],
    ['/registry?district=abc', 'district'],
    ['/registry?category=sports', 'category'],
    ['/registry?status=closed', 'status'],
    ['/registry?minPosition=-1', 'minPosition'],
    ['/registry?minPosition=abc', 'minPosition'],
    ['/statistics/overview?district=31010', 'district'],
    ['/statistics/overview?page=1', 'page'],
    ['/statistics/targets?pageSize=1000', 'pageSize'],
    ['/statistics/timeline?from=2025-13', 'from'],
    ['/statistics/timeline?street=31010400', 'street'],
    ['/statistics/funding?year=25', 'year'],
    ['/fundings?channel=lottery', 'channel'],
    ['/fundings?from=2025-02-30', 'from'],
    ['/fundings?organization=abc', 'organization'],
    ['/activity-reports?level=city', 'level'],
    ['/activity-reports?month=2025-5', 'month'],
    ['/activity-reports?minPosition=-1', 'minPosition'],
  ])('%s', async (path, name) => {
    either(await read(path), name);
  });

  it.each([
    ['/registry?district=310199', 'query:district'],
    ['/registry?district=310104&street=310115004', 'query:street'],
    ['/statistics/overview?district=310115&street=310104003', 'query:street'],
    ['/statistics/overview?street=310104003&community=310104004001', 'query:community'],
    ['/statistics/overview?district=310115&community=310104003001', 'query:community'],
    ['/activity-reports?street=310104999', 'query:street'],
    ['/fundings?district=999999', 'query:district'],
    ['/statistics/targets?district=310000', 'query:district'],
  ])('unknown or inconsistent places: %s', async (path, name) => {
    expectProblem(await read(path), 400, field(name));
  });

  it('from after to', async () => {
    expectProblem(
      await read('/statistics/timeline?from=2025-06&to=2025-01'),
      400,
      field('query:to'),
    );
  });

  it('from after to on /fundings too (a date range that cannot match is a bad request)', async () => {
    either(await read('/fundings?from=2025-06-30&to=2025-03-01'), 'to');
  });

  it('months of years before 1000 are refused or listed correctly, never mislabelled', async () => {
    const res = await read('/statistics/timeline?from=0999-11&to=0999-12');
    if (res.status === 400) return;
    expect(rows(res.body.months).map((m) => m.month)).toEqual(['0999-11', '0999-12']);
  });
});

describe('read your writes: a position beyond the head is refused at once', () => {
  it('every read model answers 400 naming minPosition, without waiting', async () => {
    const far = last + 1_000_000;
    const paths = [
      `/registry?minPosition=${far}`,
      `/registry.csv?minPosition=${far}`,
      `/statistics/overview?minPosition=${far}`,
      `/statistics/funding?minPosition=${far}`,
      `/fundings?minPosition=${far}`,
      `/activity-reports?minPosition=${far}`,
    ];
    const started = Date.now();
    const answers = await Promise.all(paths.map((p) => read(p)));
    expect(Date.now() - started).toBeLessThan(1000);
    for (const [i, res] of answers.entries()) {
      expect({ path: paths[i], status: res.status }).toEqual({ path: paths[i], status: 400 });
      expectProblem(res, 400);
      expect(JSON.stringify(res.body)).toContain('query:minPosition');
    }
  });
});

describe('GET /health and /metrics', () => {
  it('every projection has caught up: lag 0 and checkpoint at the head', async () => {
    await ok('/registry');
    // Each read model answers once it applied the last write.
    for (const path of ['/statistics/overview', '/fundings', '/activity-reports']) await ok(path);
    let body: Json;
    await waitUntil(
      'every projection at lag 0',
      async () => {
        body = (await read('/health')).body;
        return rows(body.projections).every((p) => p.lag === 0);
      },
      5000,
      { pollMs: 50 },
    );
    expect(body.status).toBe('ok');
    const head = body.eventStore.headPosition as number;
    expect(head).toBeGreaterThanOrEqual(last);
    expect(
      (body.projections as Json[])
        .map((p) => ({ name: p.name, version: p.version, checkpoint: p.checkpoint, lag: p.lag }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    ).toEqual(
      ['activity_reports', 'funding', 'registry', 'statistics', 'worklists'].map((name) => ({
        name,
        // statistics and funding 2: rollups for streets and communities too (issue #8);
        // statistics 3: placeholders count nowhere, atUnit and unattributed (issue #13);
        // statistics 4, registry 2: business dates, activity scope; statistics 5, registry 3:
        // dissolution kinds; funding 3: grant rows carry purposeDescription (issue #13);
        // registry 4: annual report, formal grade, abnormal list, renames, moves, size facts,
        // support platforms and incubation; statistics 6: support platforms and incubation;
        // activity_reports 2: receipts (issue #18); statistics 7: dated deltas, statistics as of
        // a month; worklists 1 (issue #19).
        version:
          name === 'statistics'
            ? 7
            : name === 'funding'
              ? 3
              : name === 'registry'
                ? 4
                : name === 'worklists'
                  ? 1
                  : 2,
        checkpoint: head,
        lag: 0,
      })),
    );
  });

  it('/metrics exposes registry_projection_lag_events per projection', async () => {
    const res = await read('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^# TYPE registry_projection_lag_events gauge$/m);
    for (const name of ['registry', 'statistics', 'funding', 'activity_reports', 'worklists'])
      expect(res.text).toMatch(
        new RegExp(`^registry_projection_lag_events\\{projection="${name}"\\} 0$`, 'm'),
      );
  });
});

describe('no personal data in any public answer', () => {
  it('no phone number, contact name or founder name in anything read above', () => {
    expect(publicTexts.length).toBeGreaterThan(50);
    const all = publicTexts.join('\n');
    for (const secret of PERSONAL) expect(all).not.toContain(secret);
  });
});
