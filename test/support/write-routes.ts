/**
 * Every write route of API.md ("Writes") on an existing organization, with a valid request, an
 * organization it succeeds on, who may not call it, and invalid bodies with the field to name.
 * Keyed by the command table's rows (src/organizations/command-table.ts): the write-contract
 * suite fails for a row without cases and for cases without a row.
 */
import type { ChangeCommandName } from '../../src/organizations/command-table.js';
import { PLACES } from './fixtures.js';
import {
  activityBody,
  createGroup,
  createSocialGroup,
  createTeam,
  fundingBody,
  write,
  type Body,
} from './e2e-kit.js';
import type { Arranged, WriteRoute } from './write-contract.js';

const at = (suffix: string) => (a: Arranged) => `/organizations/${a.id}${suffix}`;
const group = async (app: Parameters<WriteRoute['arrange']>[0]): Promise<Arranged> => ({
  id: (await createGroup(app)).id,
});
/** Registered in 2024, so that the cases' business dates of 2025 come after the registration. */
const socialGroup = async (app: Parameters<WriteRoute['arrange']>[0]): Promise<Arranged> => ({
  id: (await createSocialGroup(app, { registeredOn: '2024-01-10' })).id,
});
const team = async (app: Parameters<WriteRoute['arrange']>[0]): Promise<Arranged> => ({
  id: (await createTeam(app)).id,
});
/**
 * A filing number of its own for each arranged organization (one live team per number in a
 * street), the same on every call for it, so that a retry sends the same body.
 */
const filingNumberOf = (a: Arranged, series: string): string =>
  `XH-TP-${series}-${a.id.slice(0, 8)}`;
/** The same route with another body, for Idempotency-Key reuse. */
const sameRouteWith =
  (method: WriteRoute['method'], suffix: string, body: Body) => (a: Arranged) => ({
    method,
    path: `/organizations/${a.id}${suffix}`,
    body,
  });

/** Actors who may not write on a group of 上海新村居委会 (managed by that committee). */
const NOT_GROUP_MANAGERS = [
  'qingyuCommittee',
  'tianpingStreet',
  'xuhuiDistrict',
  'auditor',
] as const;

const FILING: WriteRoute = {
  name: 'POST /organizations/{id}/filings',
  method: 'POST',
  path: at('/filings'),
  actor: 'tianpingStreet',
  status: 201,
  arrange: team,
  body: (a) => ({ filingNumber: filingNumberOf(a, 'F'), filedOn: '2025-01-10' }),
  otherRequest: sameRouteWith('POST', '/filings', {
    filingNumber: 'XH-TP-2025-078',
    filedOn: '2025-01-10',
  }),
  forbidden: ['hunanStreet', 'xuhuiDistrict', 'shanghaiXincunCommittee', 'auditor', 'city'],
  invalid: [
    {
      label: 'an impossible date',
      body: () => ({ filingNumber: 'X-1', filedOn: '2025-02-30' }),
      field: 'filedOn',
    },
    {
      label: 'a number as filing number',
      body: () => ({ filingNumber: 1, filedOn: '2025-01-10' }),
      field: 'filingNumber',
    },
    {
      label: 'a missing filing number',
      body: () => ({ filedOn: '2025-01-10' }),
      field: 'filingNumber',
    },
  ],
};

const FILING_CANCELLATION: WriteRoute = {
  name: 'POST /organizations/{id}/filing-cancellation',
  method: 'POST',
  path: at('/filing-cancellation'),
  actor: 'tianpingStreet',
  status: 201,
  arrange: team,
  body: () => ({ reason: '年度清理：连续一年无活动', cancelledOn: '2025-01-10' }),
  otherRequest: sameRouteWith('POST', '/filing-cancellation', {
    reason: '另一个原因',
    cancelledOn: '2025-01-10',
  }),
  forbidden: ['hunanStreet', 'xuhuiDistrict', 'shanghaiXincunCommittee', 'auditor'],
  invalid: [
    {
      label: 'a date with a time',
      body: () => ({ reason: '清理', cancelledOn: '2025-01-10T00:00:00Z' }),
      field: 'cancelledOn',
    },
    {
      label: 'an empty reason',
      body: () => ({ reason: '', cancelledOn: '2025-01-10' }),
      field: 'reason',
    },
  ],
};

const PROMOTION: WriteRoute = {
  name: 'POST /organizations/{id}/promotions',
  method: 'POST',
  path: at('/promotions'),
  actor: 'tianpingStreet',
  status: 201,
  arrange: group,
  body: (a) => ({ toTier: 'team', filingNumber: filingNumberOf(a, 'P'), filedOn: '2025-02-05' }),
  otherRequest: sameRouteWith('POST', '/promotions', {
    toTier: 'team',
    filingNumber: 'XH-TP-2025-011',
    filedOn: '2025-02-05',
  }),
  forbidden: ['shanghaiXincunCommittee', 'hunanStreet', 'xuhuiDistrict', 'auditor'],
  invalid: [
    {
      label: 'an unknown tier',
      body: () => ({ toTier: 'federation', filingNumber: 'X' }),
      field: 'toTier',
    },
    {
      label: 'a lower-case USCC',
      body: () => ({ toTier: 'registered', uscc: '51310104mj0000114m', legalForm: 'social-group' }),
      field: 'uscc',
    },
    {
      label: 'an impossible registration date',
      body: () => ({
        toTier: 'registered',
        uscc: '51310104MJ0000114M',
        legalForm: 'social-group',
        registeredOn: '2025-02-30',
      }),
      field: 'registeredOn',
    },
  ],
};

const DEMOTION: WriteRoute = {
  name: 'POST /organizations/{id}/demotions',
  method: 'POST',
  path: at('/demotions'),
  actor: 'tianpingStreet',
  status: 201,
  arrange: team,
  body: () => ({ toTier: 'group', reason: '规模缩小，不再符合备案条件' }),
  otherRequest: sameRouteWith('POST', '/demotions', { toTier: 'group', reason: '另一个原因' }),
  forbidden: ['hunanStreet', 'xuhuiDistrict', 'shanghaiXincunCommittee', 'auditor'],
  invalid: [
    { label: 'a missing reason', body: () => ({ toTier: 'group' }), field: 'reason' },
    {
      label: 'a control character in the reason',
      body: () => ({ toTier: 'group', reason: 'a\u0007b' }),
      field: 'reason',
    },
  ],
};

const ACTIVITY_REPORT: WriteRoute = {
  name: 'POST /organizations/{id}/activity-reports',
  method: 'POST',
  path: at('/activity-reports'),
  actor: 'shanghaiXincunCommittee',
  status: 201,
  extras: ['reportId', 'level'],
  arrange: group,
  body: () => activityBody(),
  otherRequest: sameRouteWith('POST', '/activity-reports', activityBody({ participants: 61 })),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    {
      label: 'zero participants',
      body: () => activityBody({ participants: 0 }),
      field: 'participants',
    },
    {
      label: 'fractional participants',
      body: () => activityBody({ participants: 2.5 }),
      field: 'participants',
    },
    { label: 'an unknown kind', body: () => activityBody({ kind: 'party' }), field: 'kind' },
    {
      label: 'a 9-digit community code',
      body: () => activityBody({ communityCode: PLACES.tianping }),
      field: 'communityCode',
    },
  ],
};

const FUNDING: WriteRoute = {
  name: 'POST /organizations/{id}/fundings',
  method: 'POST',
  path: at('/fundings'),
  actor: 'tianpingStreet',
  status: 201,
  extras: ['grantId'],
  arrange: group,
  body: () => fundingBody(),
  otherRequest: sameRouteWith('POST', '/fundings', fundingBody({ amountFen: 1_250_001 })),
  forbidden: ['hunanStreet', 'pudongDistrict', 'shanghaiXincunCommittee', 'auditor'],
  invalid: [
    {
      label: 'a float amount (1.5 fen)',
      body: () => fundingBody({ amountFen: 1.5 }),
      field: 'amountFen',
    },
    {
      label: 'an amount as a string',
      body: () => fundingBody({ amountFen: '100' }),
      field: 'amountFen',
    },
    {
      label: 'a negative amount',
      body: () => fundingBody({ amountFen: -100 }),
      field: 'amountFen',
    },
    { label: 'a zero amount', body: () => fundingBody({ amountFen: 0 }), field: 'amountFen' },
    {
      label: 'an unknown channel',
      body: () => fundingBody({ channel: 'lottery' }),
      field: 'channel',
    },
    {
      label: 'a bad funder level',
      body: () => fundingBody({ funder: { name: '某单位', level: 'nation', code: '310104' } }),
      field: 'funder.level',
    },
    {
      label: 'an unknown funder field',
      body: () =>
        fundingBody({ funder: { name: '某单位', level: 'street', code: '310104003', x: 1 } }),
      field: 'funder.x',
    },
    {
      label: 'a purpose description of 201 characters',
      body: () =>
        fundingBody({
          channel: 'welfare-lottery',
          funder: { name: '徐汇区民政局', level: 'district', code: '310104' },
          purpose: 'other-welfare',
          purposeDescription: '助'.repeat(201),
        }),
      field: 'purposeDescription',
    },
  ],
};

const RECLASSIFICATION: WriteRoute = {
  name: 'POST /organizations/{id}/reclassifications',
  method: 'POST',
  path: at('/reclassifications'),
  actor: 'shanghaiXincunCommittee',
  status: 201,
  arrange: group,
  body: () => ({ category: 'charity', criteria: '民政部最新统计口径', reason: '主要开展助老服务' }),
  otherRequest: sameRouteWith('POST', '/reclassifications', {
    category: 'life-service',
    criteria: '民政部最新统计口径',
    reason: '主要开展助老服务',
  }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    {
      label: 'an unknown category',
      body: () => ({ category: 'sports', criteria: 'x', reason: 'y' }),
      field: 'category',
    },
  ],
};

const EVALUATION: WriteRoute = {
  name: 'POST /organizations/{id}/evaluations',
  method: 'POST',
  path: at('/evaluations'),
  actor: 'shanghaiXincunCommittee',
  status: 201,
  arrange: group,
  body: () => ({ period: '2025-H1', evaluator: 'residents', grade: 'excellent' }),
  otherRequest: sameRouteWith('POST', '/evaluations', {
    period: '2025-H1',
    evaluator: 'residents',
    grade: 'good',
  }),
  forbidden: ['qingyuCommittee', 'hunanStreet', 'xuhuiDistrict', 'city', 'auditor'],
  invalid: [
    {
      label: 'a grade E',
      body: () => ({ period: '2025', evaluator: 'residents', grade: 'E' }),
      field: 'grade',
    },
    {
      label: 'a grade A of the old scale (now excellent)',
      body: () => ({ period: '2025', evaluator: 'residents', grade: 'A' }),
      field: 'grade',
    },
    {
      label: 'an evaluator district',
      body: () => ({ period: '2025', evaluator: 'district', grade: 'pass' }),
      field: 'evaluator',
    },
    {
      label: 'a period 2025-13',
      body: () => ({ period: '2025-13', evaluator: 'residents', grade: 'excellent' }),
      field: 'period',
    },
  ],
};

const CORRECTION_NOTICE: WriteRoute = {
  name: 'POST /organizations/{id}/correction-notices',
  method: 'POST',
  path: at('/correction-notices'),
  actor: 'shanghaiXincunCommittee',
  status: 201,
  extras: ['noticeId'],
  arrange: group,
  body: () => ({ reason: '活动噪音扰民' }),
  otherRequest: sameRouteWith('POST', '/correction-notices', { reason: '另一个问题' }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    { label: 'a too long reason', body: () => ({ reason: '长'.repeat(1001) }), field: 'reason' },
  ],
};

const CORRECTION_RESOLUTION: WriteRoute = {
  name: 'POST /organizations/{id}/correction-notices/{noticeId}/resolution',
  method: 'POST',
  path: (a) => `/organizations/${a.id}/correction-notices/${a.noticeId ?? 'none'}/resolution`,
  actor: 'shanghaiXincunCommittee',
  status: 201,
  async arrange(app) {
    const { id } = await createGroup(app);
    const res = await write(
      app,
      'shanghaiXincunCommittee',
      'POST',
      `/organizations/${id}/correction-notices`,
      {
        reason: '活动噪音扰民',
      },
    );
    return { id, noticeId: res.body.noticeId as string };
  },
  body: () => ({ note: '已整改' }),
  otherRequest: (a) => ({
    method: 'POST',
    path: `/organizations/${a.id}/correction-notices/${a.noticeId ?? 'none'}/resolution`,
    body: { note: '另一说明' },
  }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [{ label: 'a numeric note', body: () => ({ note: 5 }), field: 'note' }],
};

const PARTY_ORGANIZATION: WriteRoute = {
  name: 'PUT /organizations/{id}/party-organization',
  method: 'PUT',
  path: at('/party-organization'),
  actor: 'shanghaiXincunCommittee',
  status: 200,
  arrange: group,
  body: () => ({ status: 'joint-branch' }),
  otherRequest: sameRouteWith('PUT', '/party-organization', { status: 'liaison' }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [{ label: 'an unknown status', body: () => ({ status: 'branch' }), field: 'status' }],
};

const CONTACT_UPDATE: WriteRoute = {
  name: 'PUT /organizations/{id}/contact',
  method: 'PUT',
  path: at('/contact'),
  actor: 'shanghaiXincunCommittee',
  status: 200,
  arrange: group,
  body: () => ({ name: '张先生', phone: '021-64311234' }),
  otherRequest: sameRouteWith('PUT', '/contact', { name: '张先生', phone: '13900001111' }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    { label: 'a bad phone', body: () => ({ name: '张先生', phone: '12345' }), field: 'phone' },
    { label: 'a missing name', body: () => ({ phone: '13900001111' }), field: 'name' },
  ],
};

const PERSONAL_DATA_ERASURE: WriteRoute = {
  name: 'DELETE /organizations/{id}/personal-data',
  method: 'DELETE',
  path: at('/personal-data'),
  actor: 'shanghaiXincunCommittee',
  status: 200,
  arrange: group,
  // No body: another request with the same key is a contact update.
  otherRequest: (a) => ({
    method: 'PUT',
    path: `/organizations/${a.id}/contact`,
    body: { name: '张先生', phone: '13900001111' },
  }),
  forbidden: NOT_GROUP_MANAGERS,
};

const DISSOLUTION_ROUTE: WriteRoute = {
  name: 'POST /organizations/{id}/dissolution',
  method: 'POST',
  path: at('/dissolution'),
  actor: 'shanghaiXincunCommittee',
  status: 201,
  arrange: group,
  body: () => ({ reason: '成员流失，自愿注销', dissolvedOn: '2025-06-30', kind: 'deregistered' }),
  otherRequest: sameRouteWith('POST', '/dissolution', {
    reason: '成员流失，自愿注销',
    dissolvedOn: '2025-07-01',
    kind: 'deregistered',
  }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    {
      label: 'a date 2025-02-29 (not a leap year)',
      body: () => ({ reason: 'x', dissolvedOn: '2025-02-29', kind: 'deregistered' }),
      field: 'dissolvedOn',
    },
    {
      label: 'a date as a number',
      body: () => ({ reason: 'x', dissolvedOn: 20250101, kind: 'deregistered' }),
      field: 'dissolvedOn',
    },
    {
      label: 'no kind',
      body: () => ({ reason: 'x', dissolvedOn: '2025-06-30' }),
      field: 'kind',
    },
    {
      label: 'a kind dissolved (not one of the four)',
      body: () => ({ reason: 'x', dissolvedOn: '2025-06-30', kind: 'dissolved' }),
      field: 'kind',
    },
    {
      label: 'a survivor that is no UUID',
      body: () => ({ reason: 'x', dissolvedOn: '2025-06-30', kind: 'merged', mergedInto: 'org-1' }),
      field: 'mergedInto',
    },
  ],
};

/** Actors who may not record a registered social group's annual report or grade (徐汇区's). */
const NOT_ITS_REGISTERING_BUREAU = [
  'pudongDistrict',
  'city',
  'tianpingStreet',
  'shanghaiXincunCommittee',
  'auditor',
] as const;
/** Actors who may not spot-check or list a 徐汇区 organization: all but 徐汇区's and the city's bureaus. */
const NOT_A_SUPERVISING_BUREAU = [
  'pudongDistrict',
  'tianpingStreet',
  'shanghaiXincunCommittee',
  'auditor',
] as const;

const ANNUAL_REPORT: WriteRoute = {
  name: 'POST /organizations/{id}/annual-reports',
  method: 'POST',
  path: at('/annual-reports'),
  actor: 'xuhuiDistrict',
  status: 201,
  arrange: socialGroup,
  body: () => ({
    year: 2024,
    members: 35,
    incomeFen: 12_500_000,
    expenditureFen: 11_000_000,
    activities: 18,
    recordedOn: '2025-05-20',
  }),
  otherRequest: sameRouteWith('POST', '/annual-reports', {
    year: 2023,
    members: 30,
    incomeFen: 10_000_000,
    expenditureFen: 9_000_000,
    activities: 12,
    recordedOn: '2025-05-20',
  }),
  forbidden: NOT_ITS_REGISTERING_BUREAU,
  invalid: [
    {
      label: 'income in yuan with decimals',
      body: () => ({
        year: 2024,
        members: 35,
        incomeFen: 125000.5,
        expenditureFen: 0,
        activities: 1,
        recordedOn: '2025-05-20',
      }),
      field: 'incomeFen',
    },
    {
      label: 'a year as text',
      body: () => ({
        year: '2024',
        members: 35,
        incomeFen: 0,
        expenditureFen: 0,
        activities: 1,
        recordedOn: '2025-05-20',
      }),
      field: 'year',
    },
    {
      label: 'negative members',
      body: () => ({
        year: 2024,
        members: -1,
        incomeFen: 0,
        expenditureFen: 0,
        activities: 1,
        recordedOn: '2025-05-20',
      }),
      field: 'members',
    },
  ],
};

const SPOT_CHECK: WriteRoute = {
  name: 'POST /organizations/{id}/spot-checks',
  method: 'POST',
  path: at('/spot-checks'),
  actor: 'xuhuiDistrict',
  status: 201,
  extras: ['checkId', 'noticeId'],
  arrange: group,
  body: () => ({
    checkedOn: '2025-03-10',
    result: 'rectify',
    findings: '活动台账不全',
    deadline: '2025-04-30',
  }),
  otherRequest: sameRouteWith('POST', '/spot-checks', {
    checkedOn: '2025-03-10',
    result: 'passed',
    findings: '运作规范',
  }),
  forbidden: NOT_A_SUPERVISING_BUREAU,
  invalid: [
    {
      label: 'an unknown result',
      body: () => ({ checkedOn: '2025-03-10', result: 'ok', findings: 'x' }),
      field: 'result',
    },
    {
      label: 'an impossible deadline',
      body: () => ({
        checkedOn: '2025-03-10',
        result: 'rectify',
        findings: 'x',
        deadline: '2025-04-31',
      }),
      field: 'deadline',
    },
  ],
};

const GRADE: WriteRoute = {
  name: 'POST /organizations/{id}/grades',
  method: 'POST',
  path: at('/grades'),
  actor: 'xuhuiDistrict',
  status: 201,
  arrange: socialGroup,
  body: () => ({ grade: '4A', awardedOn: '2025-01-15' }),
  otherRequest: sameRouteWith('POST', '/grades', { grade: '3A', awardedOn: '2025-01-15' }),
  forbidden: NOT_ITS_REGISTERING_BUREAU,
  invalid: [
    { label: 'a grade 6A', body: () => ({ grade: '6A', awardedOn: '2025-01-15' }), field: 'grade' },
    { label: 'no award date', body: () => ({ grade: '3A' }), field: 'awardedOn' },
  ],
};

const ABNORMAL_LISTING: WriteRoute = {
  name: 'POST /organizations/{id}/abnormal-listing',
  method: 'POST',
  path: at('/abnormal-listing'),
  actor: 'xuhuiDistrict',
  status: 201,
  arrange: group,
  body: () => ({ reason: '通过登记的住所无法联系', listedOn: '2025-03-01' }),
  otherRequest: sameRouteWith('POST', '/abnormal-listing', {
    reason: '未按时报送年度工作报告',
    listedOn: '2025-03-01',
  }),
  forbidden: NOT_A_SUPERVISING_BUREAU,
  invalid: [
    {
      label: 'an empty reason',
      body: () => ({ reason: '', listedOn: '2025-03-01' }),
      field: 'reason',
    },
    { label: 'no date', body: () => ({ reason: '失联' }), field: 'listedOn' },
  ],
};

const ABNORMAL_CLEARANCE: WriteRoute = {
  name: 'POST /organizations/{id}/abnormal-clearance',
  method: 'POST',
  path: at('/abnormal-clearance'),
  actor: 'xuhuiDistrict',
  status: 201,
  async arrange(app) {
    const { id } = await createGroup(app);
    await write(app, 'city', 'POST', `/organizations/${id}/abnormal-listing`, {
      reason: '通过登记的住所无法联系',
      listedOn: '2025-03-01',
    });
    return { id };
  },
  body: () => ({ clearedOn: '2025-04-01' }),
  otherRequest: sameRouteWith('POST', '/abnormal-clearance', { clearedOn: '2025-04-02' }),
  forbidden: NOT_A_SUPERVISING_BUREAU,
  invalid: [
    {
      label: 'a date with a time',
      body: () => ({ clearedOn: '2025-04-01T08:00' }),
      field: 'clearedOn',
    },
  ],
};

const RENAMING: WriteRoute = {
  name: 'POST /organizations/{id}/renaming',
  method: 'POST',
  path: at('/renaming'),
  actor: 'shanghaiXincunCommittee',
  status: 201,
  arrange: group,
  // A name of its own for each arranged group, the same on every call (a retry's body).
  body: (a) => ({ name: `更名书画小组${a.id.slice(0, 8)}`, renamedOn: '2025-03-01' }),
  otherRequest: sameRouteWith('POST', '/renaming', {
    name: '另一个名字小组',
    renamedOn: '2025-03-01',
  }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    { label: 'a missing name', body: () => ({ renamedOn: '2025-03-01' }), field: 'name' },
    {
      label: 'an impossible date',
      body: () => ({ name: '书画小组', renamedOn: '2025-02-30' }),
      field: 'renamedOn',
    },
  ],
};

/** A group of 上海新村 moved to 庆余, next door: the receiving committee records it. */
const MOVE_TO_QINGYU = {
  districtCode: PLACES.xuhui,
  streetCode: PLACES.tianping,
  communityCode: PLACES.qingyu,
  movedOn: '2025-03-01',
};

const MOVE: WriteRoute = {
  name: 'POST /organizations/{id}/move',
  method: 'POST',
  path: at('/move'),
  actor: 'qingyuCommittee',
  status: 201,
  arrange: group,
  body: () => MOVE_TO_QINGYU,
  otherRequest: sameRouteWith('POST', '/move', { ...MOVE_TO_QINGYU, movedOn: '2025-03-02' }),
  forbidden: ['shanghaiXincunCommittee', 'tianpingStreet', 'xuhuiDistrict', 'auditor'],
  invalid: [
    {
      label: 'a street code of 6 digits',
      body: () => ({ ...MOVE_TO_QINGYU, streetCode: '310104' }),
      field: 'streetCode',
    },
    {
      label: 'a missing date',
      body: () => ({ ...MOVE_TO_QINGYU, movedOn: undefined }),
      field: 'movedOn',
    },
  ],
};

const SUPERVISORY_UNIT: WriteRoute = {
  name: 'PUT /organizations/{id}/supervisory-unit',
  method: 'PUT',
  path: at('/supervisory-unit'),
  actor: 'shanghaiXincunCommittee',
  status: 200,
  arrange: group,
  body: () => ({ unit: '徐汇区文化和旅游局' }),
  otherRequest: sameRouteWith('PUT', '/supervisory-unit', { unit: '徐汇区体育局' }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [{ label: 'an empty unit', body: () => ({ unit: '' }), field: 'unit' }],
};

const PROFILE: WriteRoute = {
  name: 'PUT /organizations/{id}/profile',
  method: 'PUT',
  path: at('/profile'),
  actor: 'shanghaiXincunCommittee',
  status: 200,
  arrange: group,
  body: () => ({ members: 24, volunteers: 6, venue: '上海新村睦邻中心活动室' }),
  otherRequest: sameRouteWith('PUT', '/profile', { members: 25, volunteers: 6, venue: '' }),
  forbidden: NOT_GROUP_MANAGERS,
  invalid: [
    {
      label: 'negative members',
      body: () => ({ members: -1, volunteers: 0, venue: '' }),
      field: 'members',
    },
    {
      label: 'fractional volunteers',
      body: () => ({ members: 1, volunteers: 1.5, venue: '' }),
      field: 'volunteers',
    },
    { label: 'a missing venue', body: () => ({ members: 1, volunteers: 0 }), field: 'venue' },
  ],
};

/** Actors who may not assign or revoke a role of a registered organization of 徐汇区. */
const NOT_XUHUI_BUREAU = [
  'tianpingStreet',
  'pudongDistrict',
  'shanghaiXincunCommittee',
  'city',
  'auditor',
] as const;

const SUPPORT_ROLE_ASSIGNMENT: WriteRoute = {
  name: 'POST /organizations/{id}/support-roles',
  method: 'POST',
  path: at('/support-roles'),
  actor: 'xuhuiDistrict',
  status: 201,
  arrange: async (app) => ({ id: (await createSocialGroup(app)).id }),
  body: () => ({ role: 'federation', streets: [PLACES.tianping] }),
  otherRequest: sameRouteWith('POST', '/support-roles', {
    role: 'federation',
    streets: [PLACES.tianping, PLACES.hunan],
  }),
  forbidden: NOT_XUHUI_BUREAU,
  invalid: [
    {
      label: 'an unknown role',
      body: () => ({ role: 'hub', streets: [PLACES.tianping] }),
      field: 'role',
    },
    { label: 'no streets', body: () => ({ role: 'federation', streets: [] }), field: 'streets' },
    {
      label: 'a community code as a street',
      body: () => ({ role: 'federation', streets: [PLACES.shanghaiXincun] }),
      field: 'streets',
    },
    {
      label: 'streets as a string',
      body: () => ({ role: 'federation', streets: PLACES.tianping }),
      field: 'streets',
    },
  ],
};

/** A registered organization of 天平路街道 holding the incubation-base role. */
async function incubationBase(app: Parameters<WriteRoute['arrange']>[0]): Promise<string> {
  const { id } = await createSocialGroup(app);
  await write(app, 'xuhuiDistrict', 'POST', `/organizations/${id}/support-roles`, {
    role: 'incubation-base',
    streets: [PLACES.tianping],
  });
  return id;
}

const SUPPORT_ROLE_REVOCATION: WriteRoute = {
  name: 'DELETE /organizations/{id}/support-roles/{role}',
  method: 'DELETE',
  path: (a) => `/organizations/${a.id}/support-roles/${a.role ?? 'incubation-base'}`,
  actor: 'xuhuiDistrict',
  status: 200,
  arrange: async (app) => ({ id: await incubationBase(app), role: 'incubation-base' }),
  // No body: another request with the same key assigns a role.
  otherRequest: (a) => ({
    method: 'POST',
    path: `/organizations/${a.id}/support-roles`,
    body: { role: 'federation', streets: [PLACES.tianping] },
  }),
  forbidden: NOT_XUHUI_BUREAU,
};

const INCUBATION_ENTRY: WriteRoute = {
  name: 'POST /organizations/{id}/incubations',
  method: 'POST',
  path: at('/incubations'),
  actor: 'tianpingStreet',
  status: 201,
  extras: ['incubationId'],
  arrange: async (app) => ({ id: (await createGroup(app)).id, baseId: await incubationBase(app) }),
  body: (a) => ({ baseId: a.baseId, enteredOn: '2025-01-10' }),
  otherRequest: (a) => ({
    method: 'POST',
    path: `/organizations/${a.id}/incubations`,
    body: { baseId: a.baseId, enteredOn: '2025-01-11' },
  }),
  forbidden: ['hunanStreet', 'pudongDistrict', 'shanghaiXincunCommittee', 'city', 'auditor'],
  invalid: [
    {
      label: 'a base that is no UUID',
      body: () => ({ baseId: 'base-1', enteredOn: '2025-01-10' }),
      field: 'baseId',
    },
    {
      label: 'an impossible date',
      body: (a) => ({ baseId: a.baseId, enteredOn: '2025-02-30' }),
      field: 'enteredOn',
    },
  ],
};

const INCUBATION_END: WriteRoute = {
  name: 'POST /organizations/{id}/incubations/{incubationId}/end',
  method: 'POST',
  path: (a) => `/organizations/${a.id}/incubations/${a.incubationId ?? 'none'}/end`,
  actor: 'tianpingStreet',
  status: 201,
  async arrange(app) {
    const { id } = await createGroup(app);
    const baseId = await incubationBase(app);
    const res = await write(app, 'tianpingStreet', 'POST', `/organizations/${id}/incubations`, {
      baseId,
      enteredOn: '2025-01-10',
    });
    return { id, incubationId: res.body.incubationId as string };
  },
  body: () => ({ outcome: 'graduated', endedOn: '2025-06-30' }),
  otherRequest: (a) => ({
    method: 'POST',
    path: `/organizations/${a.id}/incubations/${a.incubationId ?? 'none'}/end`,
    body: { outcome: 'withdrawn', endedOn: '2025-06-30' },
  }),
  forbidden: ['hunanStreet', 'pudongDistrict', 'shanghaiXincunCommittee', 'city', 'auditor'],
  invalid: [
    {
      label: 'an unknown outcome',
      body: () => ({ outcome: 'failed', endedOn: '2025-06-30' }),
      field: 'outcome',
    },
    { label: 'no end date', body: () => ({ outcome: 'graduated' }), field: 'endedOn' },
  ],
};

/** The cases of every command on an existing organization, by its name in the command table. */
export const WRITE_CASES: { readonly [Name in ChangeCommandName]: WriteRoute } = {
  file: FILING,
  cancelFiling: FILING_CANCELLATION,
  promote: PROMOTION,
  demote: DEMOTION,
  reportActivity: ACTIVITY_REPORT,
  grantFunding: FUNDING,
  reclassify: RECLASSIFICATION,
  evaluate: EVALUATION,
  issueNotice: CORRECTION_NOTICE,
  resolveNotice: CORRECTION_RESOLUTION,
  changeParty: PARTY_ORGANIZATION,
  updateContact: CONTACT_UPDATE,
  erase: PERSONAL_DATA_ERASURE,
  dissolve: DISSOLUTION_ROUTE,
  recordAnnualReport: ANNUAL_REPORT,
  recordSpotCheck: SPOT_CHECK,
  awardGrade: GRADE,
  listAbnormal: ABNORMAL_LISTING,
  clearAbnormal: ABNORMAL_CLEARANCE,
  rename: RENAMING,
  move: MOVE,
  changeSupervisoryUnit: SUPERVISORY_UNIT,
  updateProfile: PROFILE,
  assignSupportRole: SUPPORT_ROLE_ASSIGNMENT,
  revokeSupportRole: SUPPORT_ROLE_REVOCATION,
  enterIncubation: INCUBATION_ENTRY,
  endIncubation: INCUBATION_END,
};

/** Every write route on an existing organization, in the table's order. */
export const WRITE_ROUTES: readonly WriteRoute[] = Object.values(WRITE_CASES);
