/**
 * Who may read an organization and audit it (DOMAIN §1, API.md "Reads", "Audit"): every role ×
 * every read and audit route × its own jurisdiction or another, on access tokens a real OpenID
 * Connect provider issued. A district's auditor audits only its district (issue #16 item 3).
 */
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { startTestProvider, type TestProvider } from '../support/oidc-provider.js';
import { createGroup, expectProblem, send, type ActorKey } from '../support/e2e-kit.js';

let provider: TestProvider;
let app: HttpApp;
/** A group of 上海新村 (徐汇区 310104, 天平路街道 310104003). */
let id: string;
beforeAll(async () => {
  provider = await startTestProvider();
  app = await startHttpApp({ provider });
  id = (await createGroup(app)).id;
});
afterAll(async () => {
  await app.close();
  await provider.stop();
});

const ROUTES = {
  state: (org: string) => `/organizations/${org}`,
  history: (org: string) => `/organizations/${org}/history`,
  'history as JSON Lines': (org: string) => `/organizations/${org}/history?format=jsonl`,
  'history as CSV': (org: string) => `/organizations/${org}/history?format=csv`,
  'time travel': (org: string) => `/organizations/${org}/state?revision=0`,
  'verify one': (org: string) => `/audit/verify/${org}`,
} as const;
type RouteName = keyof typeof ROUTES;
const AUDIT_ONLY: readonly RouteName[] = ['verify one'];

/** Each actor: whether the group lies in its jurisdiction, and whether it is an auditor. */
const ACTORS_READING: ReadonlyArray<[ActorKey, 'own' | 'other', boolean]> = [
  ['shanghaiXincunCommittee', 'own', false],
  ['qingyuCommittee', 'other', false],
  ['tianpingStreet', 'own', false],
  ['hunanStreet', 'other', false],
  ['xuhuiDistrict', 'own', false],
  ['pudongDistrict', 'other', false],
  ['city', 'own', false],
  ['auditor', 'own', true],
  ['xuhuiAuditor', 'own', true],
  ['pudongAuditor', 'other', true],
];

const matrix = ACTORS_READING.flatMap(([actor, where, auditor]) =>
  (Object.keys(ROUTES) as RouteName[]).map((route) => {
    const allowed = where === 'own' && (auditor || !AUDIT_ONLY.includes(route));
    return [actor, where, route, allowed ? 200 : 403] as const;
  }),
);

describe.each(matrix)('%s (%s jurisdiction) on %s', (actor, _where, route, status) => {
  it(`answers ${String(status)}`, async () => {
    const res = await send(app, actor, 'GET', ROUTES[route](id));
    if (status === 200) expect(res.status).toBe(200);
    else expectProblem(res, 403);
  });
});

describe('the public (no token)', () => {
  it.each(Object.keys(ROUTES) as RouteName[])('%s: 401', async (route) => {
    expectProblem(await app.request('GET', ROUTES[route](id)), 401);
  });
});

describe('the whole log', () => {
  it.each(['auditor', 'xuhuiAuditor', 'pudongAuditor'] as const)(
    '%s verifies it (a count and a digest, nothing of any district)',
    async (actor) => {
      const res = await send(app, actor, 'GET', '/audit/verify');
      expect({ status: res.status, ok: res.body.ok }).toEqual({ status: 200, ok: true });
    },
  );

  it.each(['city', 'xuhuiDistrict', 'shanghaiXincunCommittee'] as const)(
    '%s may not verify it',
    async (actor) => {
      expectProblem(await send(app, actor, 'GET', '/audit/verify'), 403);
    },
  );
});

describe('personal data', () => {
  it.each(['auditor', 'xuhuiAuditor'] as const)(
    'is never shown to an auditor (%s), even of its own district',
    async (actor) => {
      const res = await send(app, actor, 'GET', ROUTES.state(id));
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain('13812345678');
    },
  );
});
