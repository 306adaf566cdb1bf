import type { FastifyInstance } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

/** One route path and the methods it answers. */
interface KnownPath {
  readonly pattern: RegExp;
  readonly methods: Set<string>;
}

/** `/organizations/:id/filings` → a regular expression matching its concrete paths. */
function pathPattern(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) =>
      part === '*'
        ? '.*'
        : part.startsWith(':')
          ? '[^/]+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * A known path asked with a method it does not answer gets `405 Method Not Allowed` with an
 * `Allow` header listing the methods it does answer (RFC 9110 §15.5.6), not the 404 of an
 * unknown path. Call before the routes are registered: it learns them as they are added.
 */
export function answerUndeclaredMethods(fastify: FastifyInstance): void {
  const known = new Map<string, KnownPath>();
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const entry = known.get(route.url) ?? { pattern: pathPattern(route.url), methods: new Set() };
    for (const method of methods) entry.methods.add(method.toUpperCase());
    known.set(route.url, entry);
  });
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? '';
    const allowed = new Set<string>();
    for (const { pattern, methods } of known.values())
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    if (allowed.size === 0 || allowed.has(request.method)) return;
    const allow = [...allowed].sort().join(', ');
    const problem: Problem = {
      type: 'about:blank',
      title: 'Method not allowed',
      status: 405,
      detail: `${request.method} is not answered here; allowed: ${allow}`,
      instance: request.url,
    };
    await reply
      .status(405)
      .header('allow', allow)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .send(problem);
  });
}
