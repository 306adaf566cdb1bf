/**
 * Hostile input against every write route (API.md "Errors": never a 500 for bad input, never a
 * stack trace; errors are RFC 9457 application/problem+json). A fixed table first, then a few
 * hundred requests generated with a seeded PRNG (deterministic: same seed, same requests).
 */
import { randomUUID } from 'node:crypto';
import { startHttpApp, type HttpApp, type HttpResponse } from '../support/http-app.js';
import { createGroup, groupBody, send, tokenOf, write, type ActorKey } from '../support/e2e-kit.js';
import {
  hostileBodies,
  hostileHeaders,
  mulberry32,
  randomRequest,
  WRITE_ROUTES,
  type HostileRequest,
  type Target,
} from '../support/hostile-input.js';

let app: HttpApp;
/** A fresh group with an open correction notice for every test: a lucky mutation may dissolve it. */
let target: Target;

beforeAll(async () => {
  app = await startHttpApp();
});
beforeEach(async () => {
  const { id } = await createGroup(app);
  const notice = await write(
    app,
    'shanghaiXincunCommittee',
    'POST',
    `/organizations/${id}/correction-notices`,
    {
      reason: '测试',
    },
  );
  target = {
    id,
    noticeId: notice.body.noticeId as string,
    baseId: randomUUID(),
    incubationId: randomUUID(),
  };
});
afterAll(async () => {
  await app.close();
});

interface Violation {
  readonly what: string;
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

const STACK =
  /\n\s*at \S|\bat \S+ \(\S+:\d+:\d+\)|\/work\/|node_modules|file:\/\/|[\w-]+\.(?:ts|js):\d+/;

/** What is wrong with one answer to hostile input, if anything. */
function violation(what: string, res: HttpResponse, expected?: number): Violation | undefined {
  const contentType = res.headers.get('content-type');
  const problems: string[] = [];
  if (res.status >= 500) problems.push('5xx');
  if (expected !== undefined && res.status !== expected)
    problems.push(`expected ${String(expected)}`);
  if (res.status >= 400) {
    if (!/^application\/problem\+json/.test(contentType ?? '')) problems.push('not problem+json');
    else if (typeof res.body !== 'object' || res.body?.status !== res.status)
      problems.push('problem status');
  }
  if (STACK.test(res.text)) problems.push('stack trace or file path');
  if (problems.length === 0) return undefined;
  return {
    what: `${what}: ${problems.join(', ')}`,
    status: res.status,
    contentType,
    body: res.text.slice(0, 200),
  };
}

async function sendHostile(
  request: HostileRequest,
  actor: ActorKey | undefined,
): Promise<HttpResponse> {
  return app.request(request.method, request.path, {
    ...(actor !== undefined && { token: await tokenOf(app, actor) }),
    ...(request.rawBody !== undefined && { rawBody: request.rawBody }),
    headers: request.headers,
  });
}

describe('hostile bodies sent to every write route', () => {
  it.each(hostileBodies().map((h) => [h.label, h] as const))('%s', async (_label, hostile) => {
    const violations: Violation[] = [];
    for (const route of WRITE_ROUTES) {
      const valid = route.body(target);
      const res = await sendHostile(
        {
          method: route.method,
          path: route.path(target),
          rawBody: hostile.rawBody(valid),
          headers: hostile.contentType === undefined ? {} : { 'content-type': hostile.contentType },
        },
        route.actor,
      );
      const v = violation(route.name, res, hostile.expect?.(route, valid));
      if (v) violations.push(v);
    }
    expect(violations).toEqual([]);
  });
});

describe('hostile headers sent to every write route', () => {
  it.each(hostileHeaders().map((h) => [h.label, h] as const))('%s', async (_label, hostile) => {
    const violations: Violation[] = [];
    for (const route of WRITE_ROUTES) {
      const res = await sendHostile(
        {
          method: route.method,
          path: route.path(target),
          rawBody: JSON.stringify(route.body(target)),
          headers: { 'content-type': 'application/json', ...hostile.headers },
        },
        hostile.noToken ? undefined : route.actor,
      );
      const v = violation(route.name, res, hostile.expect?.(route));
      if (v) violations.push(v);
    }
    expect(violations).toEqual([]);
  });
});

describe('unknown routes and methods', () => {
  it.each([
    ['GET', '/nothing-here', 404],
    ['POST', '/organizations/{id}/nothing', 404],
    // A known path asked with another method: 405 with Allow (issue #15 item 6).
    ['PATCH', '/organizations/{id}', 405],
    ['PUT', '/organizations', 405],
    ['DELETE', '/organizations/{id}', 405],
    ['POST', '/organizations/{id}/fundings/extra', 404],
    ['GET', '/organizations/%ZZ', 400],
    ['GET', '/organizations/..%2F..%2Fetc%2Fpasswd', 400],
  ] as const)('%s %s answers %i as a problem', async (method, path, status) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : {};
    const res = await send(app, 'city', method, path.replace('{id}', target.id), body);
    expect(violation(`${method} ${path}`, res, status)).toBeUndefined();
    if (status === 405) expect(res.headers.get('allow')).toMatch(/^[A-Z]+(, [A-Z]+)*$/);
  });

  it('an unknown method (FOO) is a 4xx problem', async () => {
    const res = await app.request('FOO', `/organizations/${target.id}`, {});
    expect(violation('FOO', res)).toBeUndefined();
    expect(res.status).toBeGreaterThanOrEqual(400);
  });
});

describe('seeded random requests', () => {
  it('300 generated requests: every answer < 500, problem+json errors, no stack trace', async () => {
    const rng = mulberry32(20250101);
    const violations: Violation[] = [];
    const statuses = new Map<number, number>();
    const requests = Array.from({ length: 300 }, () => randomRequest(rng, WRITE_ROUTES, target));
    for (let i = 0; i < requests.length; i += 10) {
      const batch = requests.slice(i, i + 10);
      const answers = await Promise.all(batch.map((r) => sendHostile(r.request, r.actor)));
      answers.forEach((res, j) => {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const v = violation(batch[j]!.label, res);
        if (v) violations.push(v);
      });
    }
    expect(violations).toEqual([]);
    // The generator reaches past the parsers: validation 400s and domain answers alike.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(50);
    expect([200, 201, 403, 409, 422].filter((s) => statuses.has(s)).length).toBeGreaterThan(1);
  });
});

describe('after all that', () => {
  it('no prototype was polluted, the organization is readable, registrations still work', async () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await send(app, 'auditor', 'GET', `/organizations/${target.id}`)).status).toBe(200);
    expect(
      (await send(app, 'shanghaiXincunCommittee', 'POST', '/organizations', groupBody())).status,
    ).toBe(201);
    expect((await app.request('GET', '/health')).status).toBe(200);
  });
});
