/**
 * POST /organizations over real HTTP (API.md "Writes", DOMAIN.md §4 "register an organization"):
 * every tier by the level that manages it, validation, authentication, authority, domain rules
 * and Idempotency-Key retries.
 */
import { BAD_USCC, PLACES, USCC } from '../support/fixtures.js';
import { startHttpApp, TEST_TODAY, type HttpApp, type HttpResponse } from '../support/http-app.js';
import {
  expectProblem,
  expectWriteAnswer,
  FUTURE,
  freshUscc,
  groupBody,
  headPosition,
  makeUscc,
  readOrg,
  register,
  send,
  socialGroupBody,
  teamBody,
  uniqueName,
  type ActorKey,
} from '../support/e2e-kit.js';
import { BAD_TOKENS, badAuthorization } from '../support/write-contract.js';
import { FIELD_REMOVAL_STATUSES, fieldPaths, withoutField } from '../support/field-removal.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

/**
 * A 201 registration answer with its ETag, without the exact-keys check (that one is made once,
 * in the first test, so that a wrong answer shape fails one test, not every registration).
 */
function expectCreated(res: HttpResponse): { id: string; revision: number; position: number } {
  expect({ status: res.status, text: res.text }).toEqual({ status: 201, text: expect.any(String) });
  expect(res.headers.get('etag')).toBe(`"${String(res.body.revision)}"`);
  return { id: res.body.id, revision: res.body.revision, position: res.body.position };
}

const post = (actor: ActorKey | undefined, body: unknown, headers?: Record<string, string>) =>
  send(app, actor, 'POST', '/organizations', body, headers);

describe('POST /organizations: success', () => {
  it('the test USCC generator reproduces the README check vectors', () => {
    expect(makeUscc('2', '310115', 1)).toBe('52310115MJ00000187');
    expect(makeUscc('1', '310106', 2)).toBe('51310106MJ00000264');
    expect(makeUscc('3', '310000', 3)).toBe('53310000MJ0000034W');
  });

  it('a group by its committee: 201, {id, revision 0, position}, ETag "0", Location; GET shows it', async () => {
    const body = groupBody({ supervisoryUnit: '上海新村居委会' });
    const res = await post('shanghaiXincunCommittee', body);
    const answer = expectCreated(res);
    expect(answer).toEqual({ id: answer.id, revision: 0, position: await headPosition(app) });
    expect(res.headers.get('location')).toBe(`/organizations/${answer.id}`);

    const got = await send(app, 'shanghaiXincunCommittee', 'GET', `/organizations/${answer.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('etag')).toBe('"0"');
    expect(got.body).toMatchObject({
      id: answer.id,
      revision: 0,
      name: body.name,
      category: 'culture-sports',
      tier: 'group',
      status: 'active',
      foundedOn: '2020-03-01',
      // A group's business date is the day its committee recorded it (default today).
      recordedOn: TEST_TODAY,
      registeredOn: null,
      filedOn: null,
      tierSince: TEST_TODAY,
      activityScope: 'community',
      founders: [{ kind: 'resident', name: '王阿姨' }],
      supervisoryUnit: '上海新村居委会',
      partyOrganization: 'none',
      fundingTotalFen: 0,
      labels: { category: '文体活动类', tier: '社区活动小组' },
      district: { code: PLACES.xuhui, name: '徐汇区' },
      street: { code: PLACES.tianping, name: '天平路街道' },
      community: { code: PLACES.shanghaiXincun, name: '上海新村居委会', kind: 'urban' },
      contact: { name: '王阿姨', phone: '13812345678' },
    });
    // Last, so the checks above still run if it fails: the answer is exactly { id, revision, position }.
    expectWriteAnswer(res, 201);
  });

  it('a team by its street: OrganizationRegistered + OrganizationFiled (revision 1), GET shows the filing', async () => {
    const res = await post('tianpingStreet', teamBody({ filingNumber: 'XH-TP-2024-321' }));
    const answer = expectCreated(res);
    expect(answer.revision).toBe(1);
    expect(await readOrg(app, answer.id)).toMatchObject({
      tier: 'team',
      filing: { number: 'XH-TP-2024-321', filedOn: '2024-05-20' },
    });
  });

  it('a social group by the district bureau with its USCC, based in a community', async () => {
    const uscc = freshUscc('social-group');
    const res = await post('xuhuiDistrict', socialGroupBody({ uscc }));
    const answer = expectCreated(res);
    expect(await readOrg(app, answer.id)).toMatchObject({
      tier: 'registered',
      legalForm: 'social-group',
      uscc,
      community: { code: PLACES.shanghaiXincun, name: '上海新村居委会', kind: 'urban' },
      labels: { tier: '注册社会组织', legalForm: '社会团体' },
    });
  });

  it('a registered organization names the community it is based in (所在社区), never a placeholder', async () => {
    const without = socialGroupBody({ uscc: freshUscc('social-group') });
    delete without['communityCode'];
    expectProblem(await post('xuhuiDistrict', without), 422, {
      rule: 'community-required',
      field: 'communityCode',
    });
    const placeholder = socialGroupBody({
      uscc: freshUscc('social-group'),
      streetCode: PLACES.caohejing,
      communityCode: PLACES.caohejingCommunity,
    });
    expectProblem(await post('xuhuiDistrict', placeholder), 422, {
      rule: 'community-placeholder',
      field: 'communityCode',
    });
    // 漕河泾's only community is a placeholder: its organizations are based at the unit itself.
    const atUnit = socialGroupBody({
      uscc: freshUscc('social-group'),
      streetCode: PLACES.caohejing,
    });
    delete atUnit['communityCode'];
    const answer = expectCreated(await post('xuhuiDistrict', atUnit));
    expect((await readOrg(app, answer.id)).community).toBeNull();
  });

  it('a USCC under a retired code of its district is accepted (静安区 issuing 310108 闸北区)', async () => {
    const answer = expectCreated(
      await post(
        'jinganDistrict',
        socialGroupBody({
          name: uniqueName('静安区江宁路社区睦邻协会'),
          uscc: USCC.retiredZhabei,
          districtCode: PLACES.jingan,
          streetCode: PLACES.jiangning,
          communityCode: JIANGNING_COMMUNITY,
        }),
      ),
    );
    expect((await readOrg(app, answer.id)).uscc).toBe(USCC.retiredZhabei);
  });

  it('a community foundation by the city bureau; by a district bureau it is 403', async () => {
    const body = foundationBody();
    expectProblem(await post('xuhuiDistrict', body), 403, { rule: 'foundation-city-only' });
    const answer = expectCreated(await post('city', body));
    expect((await readOrg(app, answer.id)).legalForm).toBe('community-foundation');
  });

  it.each([
    [
      'a supervisory unit (直接登记: none)',
      'foundation-supervisory-unit',
      'supervisoryUnit',
      { supervisoryUnit: '天平路街道办事处' },
    ],
    [
      'a category other than charity',
      'foundation-category',
      'category',
      { category: 'life-service' },
    ],
    [
      "a USCC of its district's region 310104 (the city's is 310000)",
      'uscc-region',
      'uscc',
      { uscc: freshUscc('community-foundation', PLACES.xuhui) },
    ],
    ['a national USCC (100000)', 'uscc-region', 'uscc', { uscc: USCC.foundationNational }],
  ])('a community foundation with %s is 422 %s; nothing written', async (_w, rule, field, o) => {
    const before = await headPosition(app);
    expectProblem(await post('city', foundationBody(o)), 422, { rule, field });
    expect(await headPosition(app)).toBe(before);
  });
});

/** The first community of 江宁路街道 (静安区) in the shipped data. */
const JIANGNING_COMMUNITY = '310106006002';

/** A community foundation (直接登记: a charity, no supervisory unit, USCC of region 310000). */
function foundationBody(o: Record<string, unknown> = {}): Record<string, unknown> {
  const body = socialGroupBody({
    name: uniqueName('上海市徐汇区天平社区基金会'),
    legalForm: 'community-foundation',
    uscc: freshUscc('community-foundation', PLACES.city),
    category: 'charity',
  });
  delete body['supervisoryUnit'];
  return { ...body, ...o };
}

describe('POST /organizations: 400 invalid input names the field', () => {
  it.each([
    ['an unknown field', 'bogus', { bogus: true }],
    ['an unknown category', 'category', { category: 'sports' }],
    ['an unknown tier', 'tier', { tier: 'club' }],
    ['an impossible founding date', 'foundedOn', { foundedOn: '2025-02-30' }],
    ['a founding date with slashes', 'foundedOn', { foundedOn: '2020/03/01' }],
    ['a 5-digit district code', 'districtCode', { districtCode: '31010' }],
    ['a numeric street code', 'streetCode', { streetCode: 310104003 }],
    ['no founders', 'founders', { founders: [] }],
    ['a bad founder kind', 'founders[0].kind', { founders: [{ kind: 'robot', name: '甲' }] }],
    [
      'an unknown founder field',
      'founders[0].age',
      { founders: [{ kind: 'resident', name: '甲', age: 3 }] },
    ],
    ['a bad contact phone', 'contact.phone', { contact: { name: '王阿姨', phone: 'abc' } }],
    ['a name that is not a string', 'name', { name: 42 }],
    ['a missing name', 'name', { name: undefined }],
    ['an impossible recording date', 'recordedOn', { recordedOn: '2025-02-30' }],
    ['an unknown activity scope', 'activityScope', { activityScope: 'city' }],
  ])('%s → 400 naming %s; nothing written', async (_label, field, override) => {
    const before = await headPosition(app);
    const res = await post('shanghaiXincunCommittee', groupBody(override));
    const problem = expectProblem(res, 400, { field });
    expect(problem.type).toBe('urn:community-orgs:problem:validation');
    expect(await headPosition(app)).toBe(before);
  });
});

describe('POST /organizations: every field removed in turn is 400, 422 or 201, never a 500', () => {
  const bodies: [string, ActorKey, () => Record<string, unknown>][] = [
    ['group', 'shanghaiXincunCommittee', () => groupBody()],
    ['team', 'tianpingStreet', () => teamBody()],
    ['social group', 'xuhuiDistrict', () => socialGroupBody()],
  ];
  const cases = bodies.flatMap(([tier, actor, body]) =>
    fieldPaths(body()).map((path) => [tier, path, actor, body] as const),
  );
  it.each(cases)('a %s without %s', async (_tier, path, actor, body) => {
    const before = await headPosition(app);
    const res = await post(actor, withoutField(body(), path));
    expect(FIELD_REMOVAL_STATUSES).toContain(res.status);
    if (res.status >= 400) expect(await headPosition(app)).toBe(before);
  });
});

describe('POST /organizations: 401 and 403', () => {
  it.each(BAD_TOKENS)('401 with %s authorization', async (kind) => {
    const headers = await badAuthorization(kind, {
      role: 'committee',
      jurisdiction: PLACES.shanghaiXincun,
    });
    const before = await headPosition(app);
    expectProblem(await app.request('POST', '/organizations', { body: groupBody(), headers }), 401);
    expect(await headPosition(app)).toBe(before);
  });

  it.each([
    ['a group by the street (wrong role)', 'tianpingStreet', groupBody],
    ['a group by another community', 'qingyuCommittee', groupBody],
    ['a group by the auditor', 'auditor', groupBody],
    ['a team by another street', 'hunanStreet', teamBody],
    ['a team by its committee', 'shanghaiXincunCommittee', teamBody],
    ['a registered organization by another district', 'pudongDistrict', socialGroupBody],
    ['a registered organization by the city', 'city', socialGroupBody],
  ] as const)('403 for %s', async (_label, actor, body) => {
    const before = await headPosition(app);
    expectProblem(await post(actor, body()), 403, { rule: 'register-authority' });
    expect(await headPosition(app)).toBe(before);
  });
});

describe('POST /organizations: 422 domain rules', () => {
  it('name-taken: a live group of the same community has the name (also with spaces or a variation selector)', async () => {
    const name = '天平社区合唱团';
    await register(app, 'shanghaiXincunCommittee', groupBody({ name }));
    const before = await headPosition(app);
    for (const variant of [name, ' 天平社区 合唱团', '天平社区合唱团\ufe00']) {
      expectProblem(await post('shanghaiXincunCommittee', groupBody({ name: variant })), 422, {
        rule: 'name-taken',
        field: 'name',
      });
    }
    expect(await headPosition(app)).toBe(before);
  });

  it.each([
    ['name-invalid', 'name', 'shanghaiXincunCommittee', groupBody({ name: 'Book Club' })],
    ['name-invalid', 'name', 'shanghaiXincunCommittee', groupBody({ name: '书' })],
    ['name-invalid', 'name', 'shanghaiXincunCommittee', groupBody({ name: '书'.repeat(51) })],
    [
      'community-outside-street',
      'communityCode',
      'shanghaiXincunCommittee',
      groupBody({ streetCode: PLACES.hunan }),
    ],
    [
      'street-outside-district',
      'streetCode',
      'shanghaiXincunCommittee',
      groupBody({ districtCode: PLACES.pudong }),
    ],
    [
      'community-required',
      'communityCode',
      'tianpingStreet',
      teamBody({ communityCode: undefined }),
    ],
    ['date-in-future', 'foundedOn', 'shanghaiXincunCommittee', groupBody({ foundedOn: FUTURE })],
    ['date-in-future', 'recordedOn', 'shanghaiXincunCommittee', groupBody({ recordedOn: FUTURE })],
    [
      'date-before-founding',
      'registeredOn',
      'xuhuiDistrict',
      socialGroupBody({ uscc: freshUscc('social-group'), registeredOn: '2019-12-31' }),
    ],
    ['date-before-founding', 'filedOn', 'tianpingStreet', teamBody({ filedOn: '2019-12-31' })],
    [
      'credential-not-applicable',
      'registeredOn',
      'tianpingStreet',
      teamBody({ registeredOn: '2024-05-20' }),
    ],
    [
      'credential-not-applicable',
      'recordedOn',
      'xuhuiDistrict',
      socialGroupBody({ uscc: freshUscc('social-group'), recordedOn: '2024-05-20' }),
    ],
    [
      'group-scope-community',
      'activityScope',
      'shanghaiXincunCommittee',
      groupBody({ activityScope: 'street' }),
    ],
    [
      'filing-number-required',
      'filingNumber',
      'tianpingStreet',
      teamBody({ filingNumber: undefined }),
    ],
    [
      'credential-not-applicable',
      'uscc',
      'shanghaiXincunCommittee',
      groupBody({ uscc: USCC.socialGroupXuhui }),
    ],
    [
      'legal-form-required',
      'legalForm',
      'xuhuiDistrict',
      socialGroupBody({ legalForm: undefined }),
    ],
    ['uscc-required', 'uscc', 'xuhuiDistrict', socialGroupBody({ uscc: undefined })],
    [
      'uscc-invalid',
      'uscc',
      'xuhuiDistrict',
      socialGroupBody({ uscc: BAD_USCC.wrongOrganizationCodeCheck }),
    ],
    [
      'uscc-not-civil-affairs',
      'uscc',
      'xuhuiDistrict',
      socialGroupBody({ uscc: BAD_USCC.notCivilAffairs }),
    ],
    [
      'uscc-legal-form-mismatch',
      'uscc',
      'xuhuiDistrict',
      socialGroupBody({ uscc: USCC.serviceInstitutionXuhui }),
    ],
    // The registration-authority region of a district's USCC: its own code, never 100000.
    ['uscc-region', 'uscc', 'xuhuiDistrict', socialGroupBody({ uscc: USCC.socialGroupNational })],
    ['uscc-region', 'uscc', 'xuhuiDistrict', socialGroupBody({ uscc: USCC.socialGroupJingan })],
  ] as const)('422 %s naming %s', async (rule, field, actor, body) => {
    const before = await headPosition(app);
    expectProblem(await post(actor, body), 422, { rule, field });
    expect(await headPosition(app)).toBe(before);
  });
});

describe('POST /organizations: Idempotency-Key', () => {
  it('a retry with the same key and body answers the first answer and writes nothing', async () => {
    const body = groupBody();
    const headers = { 'idempotency-key': 'register-once-1' };
    const first = await post('shanghaiXincunCommittee', body, headers);
    const answer = expectCreated(first);
    const head = await headPosition(app);

    const retry = await post('shanghaiXincunCommittee', body, headers);
    expect(expectCreated(retry)).toEqual(answer);
    expect(retry.headers.get('etag')).toBe('"0"');
    expect(await headPosition(app)).toBe(head);

    const reused = await post('shanghaiXincunCommittee', { ...body, category: 'charity' }, headers);
    expectProblem(reused, 422, { rule: 'idempotency-key-reused' });
    expect(await headPosition(app)).toBe(head);
    expect((await readOrg(app, answer.id)).category).toBe('culture-sports');

    // API.md: a retry "returns the first answer": the whole body, { id, revision, position }.
    expect({ status: retry.status, body: retry.body }).toEqual({ status: 201, body: first.body });
    expect(first.body).toEqual(answer);
  });

  it('a key belongs to its user: another committee may use the same key', async () => {
    const headers = { 'idempotency-key': 'shared-key' };
    const a = expectCreated(await post('shanghaiXincunCommittee', groupBody(), headers));
    const b = expectCreated(
      await post('qingyuCommittee', groupBody({ communityCode: PLACES.qingyu }), headers),
    );
    expect(b.id).not.toBe(a.id);
  });

  it.each([
    ['an empty key', ''],
    ['a key with a space', 'two words'],
    ['a key of 201 characters', 'k'.repeat(201)],
  ])('400 for %s naming header:idempotency-key', async (_label, key) => {
    const before = await headPosition(app);
    expectProblem(
      await post('shanghaiXincunCommittee', groupBody(), { 'idempotency-key': key }),
      400,
      { field: 'header:idempotency-key' },
    );
    expect(await headPosition(app)).toBe(before);
  });
});

describe('POST /organizations: business dates and activity scope (DOMAIN §3, §4)', () => {
  it('a registered organization carries its registration date; GET and the view show each date in its place', async () => {
    const res = await post(
      'xuhuiDistrict',
      socialGroupBody({ uscc: freshUscc('social-group'), registeredOn: '2021-06-30' }),
    );
    const { id } = expectCreated(res);
    expect(await readOrg(app, id)).toMatchObject({
      foundedOn: '2020-03-01',
      registeredOn: '2021-06-30',
      filedOn: null,
      recordedOn: null,
      tierSince: '2021-06-30',
      activityScope: 'district',
      labels: { activityScope: '区' },
    });
  });

  it('a street-wide team based in one community: its filing dates it', async () => {
    const res = await post(
      'tianpingStreet',
      teamBody({ filingNumber: 'XH-TP-2022-654', filedOn: '2022-03-04', activityScope: 'street' }),
    );
    const { id } = expectCreated(res);
    expect(await readOrg(app, id)).toMatchObject({
      registeredOn: null,
      filedOn: '2022-03-04',
      recordedOn: null,
      tierSince: '2022-03-04',
      activityScope: 'street',
      community: { code: PLACES.shanghaiXincun },
    });
  });
});
