/**
 * Shared pieces of the HTTP end-to-end tests: request bodies with real division codes, tokens
 * for the fixture actors, organization set-up through the real routes, and exact expectations
 * on write answers and RFC 9457 problems.
 */
import { randomUUID } from 'node:crypto';
import { ACTORS, PLACES } from './fixtures.js';
import type { HttpApp, HttpResponse, Json } from './http-app.js';

export type ActorKey = keyof typeof ACTORS;
export type Body = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Unified Social Credit Codes, computed here (GB 32100-2015 + GB 11714) independently of src.

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

function organizationCodeCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body8.charAt(i);
    const value = /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 'A'.charCodeAt(0) + 10;
    sum += value * (weights[i] ?? 0);
  }
  const check = 11 - (sum % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

function usccCheckCharacter(first17: string): string {
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < 17; i++) {
    sum += USCC_CHARSET.indexOf(first17.charAt(i)) * weight;
    weight = (weight * 3) % 31;
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

export const USCC_TYPE = {
  'social-group': '1',
  'social-service-institution': '2',
  'community-foundation': '3',
} as const;

/** A valid civil-affairs USCC: 5 + type + region + organization code `MJ<serial>` + checks. */
export function makeUscc(type: '1' | '2' | '3', region: string, serial: number): string {
  const body = `MJ${String(serial).padStart(6, '0')}`;
  const first17 = `5${type}${region}${body}${organizationCodeCheck(body)}`;
  return `${first17}${usccCheckCharacter(first17)}`;
}

let usccSerial = 500;
/** A fresh valid USCC for a legal form in a region, unique within this test file. */
export function freshUscc(
  legalForm: keyof typeof USCC_TYPE = 'social-group',
  region: string = PLACES.xuhui,
): string {
  usccSerial += 1;
  return makeUscc(USCC_TYPE[legalForm], region, usccSerial);
}

// ---------------------------------------------------------------------------------------------
// Request bodies

let nameSerial = 0;
/** A Chinese name unique within this test file (names are unique under one authority among live orgs). */
export function uniqueName(base = '上海新村书画小组'): string {
  nameSerial += 1;
  return `${base}${nameSerial}号`;
}

let filingSerial = 0;
/** A filing number unique within this test file (one live team per filing number in a street). */
export function freshFilingNumber(prefix = 'XH-TP-E'): string {
  filingSerial += 1;
  return `${prefix}-${String(filingSerial).padStart(3, '0')}`;
}

export const CONTACT = { name: '王阿姨', phone: '13812345678' } as const;
export const FOUNDED_ON = '2020-03-01';
export const FUTURE = '2999-01-01';

/** An activity group of 上海新村居委会 (天平路街道, 徐汇区), registered by its committee. */
export function groupBody(o: Body = {}): Body {
  return {
    name: uniqueName(),
    category: 'culture-sports',
    tier: 'group',
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [{ kind: 'resident', name: '王阿姨' }],
    contact: { ...CONTACT },
    ...o,
  };
}

/** A mass activity team of 天平路街道, registered with its filing by the street office. */
export function teamBody(o: Body = {}): Body {
  return {
    name: uniqueName('天平路夕阳红舞蹈队'),
    category: 'culture-sports',
    tier: 'team',
    filingNumber: freshFilingNumber(),
    filedOn: '2024-05-20',
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [
      { kind: 'resident', name: '李老师' },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ],
    ...o,
  };
}

/** A registered social group of 徐汇区, registered by the district bureau. */
export function socialGroupBody(o: Body = {}): Body {
  return {
    name: uniqueName('徐汇区天平社区睦邻协会'),
    category: 'community-affairs',
    tier: 'registered',
    legalForm: 'social-group',
    uscc: freshUscc('social-group'),
    districtCode: PLACES.xuhui,
    streetCode: PLACES.tianping,
    communityCode: PLACES.shanghaiXincun,
    foundedOn: FOUNDED_ON,
    founders: [{ kind: 'unit', name: '天平路街道社区服务中心' }],
    supervisoryUnit: '天平路街道办事处',
    ...o,
  };
}

export function fundingBody(o: Body = {}): Body {
  return {
    channel: 'self-governance-fund',
    amountFen: 1_250_000,
    grantedOn: '2025-03-03',
    funder: { name: '天平路街道办事处', level: 'street', code: PLACES.tianping },
    programme: '2025年社区自治项目',
    ...o,
  };
}

export function activityBody(o: Body = {}): Body {
  return {
    title: '重阳节书画义卖',
    kind: 'culture',
    startsOn: '2025-04-01',
    endsOn: '2025-04-02',
    communityCode: PLACES.shanghaiXincun,
    participants: 60,
    ...o,
  };
}

export const DISSOLUTION = {
  reason: '成员流失，自愿注销',
  dissolvedOn: '2025-06-30',
  kind: 'deregistered',
} as const;

// ---------------------------------------------------------------------------------------------
// Tokens and set-up through the real routes

const tokenCache = new WeakMap<HttpApp, Map<ActorKey, Promise<string>>>();

/** A valid token for one of the fixture actors (cached per app). */
export function tokenOf(app: HttpApp, actor: ActorKey): Promise<string> {
  let cache = tokenCache.get(app);
  if (!cache) {
    cache = new Map();
    tokenCache.set(app, cache);
  }
  let token = cache.get(actor);
  if (!token) {
    const a = ACTORS[actor];
    token = app.token(a.role, a.jurisdiction, a.id);
    cache.set(actor, token);
  }
  return token;
}

export async function send(
  app: HttpApp,
  actor: ActorKey | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<HttpResponse> {
  return app.request(method, path, {
    ...(actor !== undefined && { token: await tokenOf(app, actor) }),
    ...(body !== undefined && { body }),
    ...(headers && { headers }),
  });
}

function must(res: HttpResponse, status: number, what: string): HttpResponse {
  if (res.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${res.status} ${res.text}`);
  }
  return res;
}

export interface Created {
  readonly id: string;
  readonly revision: number;
  /** The registration's position in the log, for reads that must see it (`minPosition`). */
  readonly position: number;
}

export async function register(app: HttpApp, actor: ActorKey, body: Body): Promise<Created> {
  const res = must(await send(app, actor, 'POST', '/organizations', body), 201, 'register');
  return { id: res.body.id, revision: res.body.revision, position: res.body.position };
}

export const createGroup = (app: HttpApp, o: Body = {}): Promise<Created> =>
  register(app, 'shanghaiXincunCommittee', groupBody(o));
export const createTeam = (app: HttpApp, o: Body = {}): Promise<Created> =>
  register(app, 'tianpingStreet', teamBody(o));
export const createSocialGroup = (app: HttpApp, o: Body = {}): Promise<Created> =>
  register(app, 'xuhuiDistrict', socialGroupBody(o));

/** Runs a write that must succeed and returns its answer. */
export async function write(
  app: HttpApp,
  actor: ActorKey,
  method: string,
  path: string,
  body?: Body,
): Promise<HttpResponse> {
  const res = await send(app, actor, method, path, body);
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`${method} ${path}: expected 2xx, got ${res.status} ${res.text}`);
  }
  return res;
}

/** Dissolves an organization through its managing level. */
export async function dissolve(app: HttpApp, id: string, actor: ActorKey): Promise<void> {
  await write(app, actor, 'POST', `/organizations/${id}/dissolution`, { ...DISSOLUTION });
}

/** The organization as the auditor reads it (no personal data). */
export async function readOrg(
  app: HttpApp,
  id: string,
  actor: ActorKey = 'auditor',
): Promise<Json> {
  return must(await send(app, actor, 'GET', `/organizations/${id}`), 200, `GET ${id}`).body;
}

export async function revisionOf(app: HttpApp, id: string): Promise<number> {
  return (await readOrg(app, id)).revision as number;
}

export async function headPosition(app: HttpApp): Promise<number> {
  const res = must(await app.request('GET', '/health'), 200, 'health');
  return res.body.eventStore.headPosition as number;
}

export const unknownId = (): string => randomUUID();

// ---------------------------------------------------------------------------------------------
// Expectations

export type WriteAnswer = { id: string; revision: number; position: number } & Record<string, Json>;

/** The answer of a write: exactly `{ id, revision, position }` plus the named extras, and ETag. */
export function expectWriteAnswer(
  res: HttpResponse,
  status: 200 | 201,
  extras: readonly string[] = [],
): WriteAnswer {
  expect({ status: res.status, body: res.body }).toEqual({ status, body: expect.anything() });
  expect(Object.keys(res.body as object).sort()).toEqual(
    ['id', 'position', 'revision', ...extras].sort(),
  );
  expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  expect(Number.isInteger(res.body.revision) && res.body.revision >= 0).toBe(true);
  expect(Number.isInteger(res.body.position) && res.body.position > 0).toBe(true);
  expect(res.headers.get('etag')).toBe(`"${String(res.body.revision)}"`);
  return res.body as WriteAnswer;
}

export interface ProblemExpectation {
  readonly rule?: string;
  /** A field the `errors` list must name. */
  readonly field?: string;
}

/** An RFC 9457 problem of this status (and rule, and named field). */
export function expectProblem(
  res: HttpResponse,
  status: number,
  expected: ProblemExpectation = {},
): Json {
  expect({ status: res.status, text: res.text }).toEqual({ status, text: expect.any(String) });
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(
    expect.objectContaining({ status, type: expect.any(String), title: expect.any(String) }),
  );
  expectNoStackTrace(res.text);
  if (expected.rule !== undefined) expect(res.body.rule).toBe(expected.rule);
  if (expected.field !== undefined) {
    expect(Array.isArray(res.body.errors)).toBe(true);
    const fields = (res.body.errors as { field: string }[]).map((e) => e.field);
    expect(fields).toContain(expected.field);
  }
  return res.body;
}

const STACK_MARKERS = [
  /\n\s*at \S/, // a stack frame on its own line
  /\bat \S+ \(\S+:\d+:\d+\)/, // "at fn (file:line:col)"
  /\/work\/|node_modules|file:\/\/|dist\/src|[\w-]+\.(?:ts|js):\d+/,
];

export function expectNoStackTrace(text: string): void {
  for (const marker of STACK_MARKERS) expect(text).not.toMatch(marker);
}
