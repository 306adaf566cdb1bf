/**
 * The contract every write route on an existing organization shares (API.md "Writes",
 * "Errors"): 401 for missing or bad tokens, 403 outside role or jurisdiction, 404 for an unknown
 * organization, 400 for a malformed id or invalid body, 409 for a stale If-Match, and
 * Idempotency-Key retries. Each check also verifies that a refused write moved nothing.
 */
import { OTHER_JWT_SECRET, signTestToken, type HttpApp } from './http-app.js';
import {
  expectProblem,
  expectWriteAnswer,
  revisionOf,
  send,
  tokenOf,
  unknownId,
  type ActorKey,
  type Body,
} from './e2e-kit.js';

import { FIELD_REMOVAL_STATUSES, fieldPaths, withoutField } from './field-removal.js';

export interface Arranged {
  readonly id: string;
  readonly noticeId?: string;
  readonly incubationId?: string;
  /** The incubation base an organization enters. */
  readonly baseId?: string;
  /** A support role, for the route that names one in its path. */
  readonly role?: string;
}

export interface InvalidCase {
  readonly label: string;
  readonly body: (a: Arranged) => unknown;
  /** The field the problem's `errors` list must name. */
  readonly field: string;
}

export interface WriteRoute {
  readonly name: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: (a: Arranged) => string;
  /** The actor for whom `body` succeeds on a freshly arranged organization. */
  readonly actor: ActorKey;
  readonly status: 200 | 201;
  readonly extras?: readonly string[];
  /** Creates an organization on which the route succeeds (every call: a new one). */
  readonly arrange: (app: HttpApp) => Promise<Arranged>;
  /** A valid body; routes without a body (DELETE) leave it out. */
  readonly body?: (a: Arranged) => Body;
  /** Another request for the same Idempotency-Key (by default this route with another body). */
  readonly otherRequest: (a: Arranged) => { method: string; path: string; body?: Body };
  readonly forbidden: readonly ActorKey[];
  readonly invalid?: readonly InvalidCase[];
}

type TokenKind = 'none' | 'garbage' | 'expired' | 'other-secret' | 'not-bearer';

/** Authorization headers that must all be answered 401. */
export async function badAuthorization(
  kind: TokenKind,
  actor: { role: 'committee'; jurisdiction: string },
): Promise<Record<string, string>> {
  switch (kind) {
    case 'none':
      return {};
    case 'garbage':
      return { authorization: 'Bearer not.a.jwt' };
    case 'not-bearer':
      return { authorization: 'Basic dXNlcjpwYXNz' };
    case 'expired':
      return {
        authorization: `Bearer ${await signTestToken(actor.role, actor.jurisdiction, {
          expiresIn: Math.floor(Date.now() / 1000) - 120,
        })}`,
      };
    case 'other-secret':
      return {
        authorization: `Bearer ${await signTestToken(actor.role, actor.jurisdiction, {
          secret: OTHER_JWT_SECRET,
        })}`,
      };
  }
}

export const BAD_TOKENS: readonly TokenKind[] = [
  'none',
  'garbage',
  'expired',
  'other-secret',
  'not-bearer',
];

/** Registers the shared contract tests of one write route. */
export function describeWriteContract(getApp: () => HttpApp, route: WriteRoute): void {
  const bodyOf = (a: Arranged): Body | undefined => route.body?.(a);
  // Refused requests write nothing (each test checks it), so they can share one organization.
  let shared: Promise<Arranged> | undefined;
  const sharedOrg = (app: HttpApp): Promise<Arranged> => (shared ??= route.arrange(app));

  describe(`${route.name}: shared write contract`, () => {
    it.each(BAD_TOKENS)('401 with %s authorization, nothing written', async (kind) => {
      const app = getApp();
      const a = await sharedOrg(app);
      const before = await revisionOf(app, a.id);
      const headers = await badAuthorization(kind, {
        role: 'committee',
        jurisdiction: '310104003001',
      });
      const res = await app.request(route.method, route.path(a), {
        ...(route.body && { body: bodyOf(a) }),
        headers,
      });
      expectProblem(res, 401);
      expect(await revisionOf(app, a.id)).toBe(before);
    });

    it.each(route.forbidden)('403 for %s, nothing written', async (actor) => {
      const app = getApp();
      const a = await sharedOrg(app);
      const before = await revisionOf(app, a.id);
      const res = await send(app, actor, route.method, route.path(a), bodyOf(a));
      expectProblem(res, 403);
      expect(typeof res.body.rule).toBe('string');
      expect(await revisionOf(app, a.id)).toBe(before);
    });

    it('404 for an unknown organization id', async () => {
      const app = getApp();
      const a = await sharedOrg(app);
      const ghost = { ...a, id: unknownId() };
      const res = await send(app, route.actor, route.method, route.path(ghost), bodyOf(a));
      expectProblem(res, 404, { rule: 'organization-unknown' });
    });

    it('400 for a malformed organization id, naming path:id', async () => {
      const app = getApp();
      const a = await sharedOrg(app);
      const bad = { ...a, id: 'not-a-uuid' };
      const res = await send(app, route.actor, route.method, route.path(bad), bodyOf(a));
      expectProblem(res, 400, { field: 'path:id' });
    });

    const invalid: InvalidCase[] = [
      ...(route.invalid ?? []),
      ...(route.body
        ? [
            {
              label: 'an unknown field',
              body: (a: Arranged) => ({ ...bodyOf(a), bogus: 1 }),
              field: 'bogus',
            },
          ]
        : []),
    ];
    if (invalid.length > 0) {
      it.each(invalid)('400 for $label, naming $field, nothing written', async (c) => {
        const app = getApp();
        const a = await sharedOrg(app);
        const before = await revisionOf(app, a.id);
        const res = await send(app, route.actor, route.method, route.path(a), c.body(a));
        const problem = expectProblem(res, 400, { field: c.field });
        expect(problem.type).toBe('urn:community-orgs:problem:validation');
        expect(await revisionOf(app, a.id)).toBe(before);
      });
    }

    const removals = route.body ? fieldPaths(route.body({ id: 'ID', noticeId: 'NOTICE' })) : [];
    if (removals.length > 0) {
      it.each(removals)(
        'without %s: 400, 422 or done, never a 500; a refusal writes nothing',
        async (path) => {
          const app = getApp();
          const a = await route.arrange(app);
          const before = await revisionOf(app, a.id);
          const body = withoutField(bodyOf(a) ?? {}, path);
          const res = await send(app, route.actor, route.method, route.path(a), body);
          expect(FIELD_REMOVAL_STATUSES).toContain(res.status);
          if (res.status >= 400) expect(await revisionOf(app, a.id)).toBe(before);
        },
      );
    }

    it('409 for a stale If-Match, nothing written; the current ETag succeeds', async () => {
      const app = getApp();
      const a = await route.arrange(app);
      const current = await revisionOf(app, a.id);
      const stale = current > 0 ? current - 1 : current + 1;
      const refused = await send(app, route.actor, route.method, route.path(a), bodyOf(a), {
        'if-match': `"${String(stale)}"`,
      });
      expectProblem(refused, 409, { rule: 'stale-revision' });
      expect(await revisionOf(app, a.id)).toBe(current);

      const accepted = await send(app, route.actor, route.method, route.path(a), bodyOf(a), {
        'if-match': `"${String(current)}"`,
      });
      const answer = expectWriteAnswer(accepted, route.status, route.extras);
      expect(answer.id).toBe(a.id);
      expect(answer.revision).toBeGreaterThan(current);
      expect(await revisionOf(app, a.id)).toBe(answer.revision);
    });

    it('an Idempotency-Key retry answers the first answer and writes nothing; reuse is 422', async () => {
      const app = getApp();
      const a = await route.arrange(app);
      const key = `contract-${route.name}-${a.id}`.replace(/[^\x21-\x7e]/g, '_');
      const headers = { 'idempotency-key': key };
      const first = await send(app, route.actor, route.method, route.path(a), bodyOf(a), headers);
      const answer = expectWriteAnswer(first, route.status, route.extras);
      const after = await revisionOf(app, a.id);
      expect(after).toBe(answer.revision);

      const retry = await send(app, route.actor, route.method, route.path(a), bodyOf(a), headers);
      expect({ status: retry.status, body: retry.body }).toEqual({
        status: first.status,
        body: first.body,
      });
      expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
      expect(await revisionOf(app, a.id)).toBe(after);

      const other = route.otherRequest(a);
      const reused = await app.request(other.method, other.path, {
        token: await tokenOf(app, route.actor),
        ...(other.body && { body: other.body }),
        headers,
      });
      expectProblem(reused, 422, { rule: 'idempotency-key-reused' });
      expect(await revisionOf(app, a.id)).toBe(after);
    });
  });
}
