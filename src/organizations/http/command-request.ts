import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { canonicalJson } from '../../event-sourcing/canonical-json.js';
import type { CommandContext } from '../../event-sourcing/command-context.js';
import { ValidationProblem } from '../../http/problem.js';
import type { Actor } from '../domain/organization.types.js';

/** What each header may hold, and how a refusal says it. */
const HEADER_RULES: Record<string, { readonly pattern: RegExp; readonly message: string }> = {
  'idempotency-key': {
    pattern: /^[\x21-\x7e]{1,200}$/,
    message: 'idempotency-key must be 1 to 200 visible ASCII characters',
  },
  // Stored for ever in the hash-chained log and exported in histories: an identifier, nothing
  // a spreadsheet or a log viewer could take for markup or a formula.
  'x-correlation-id': {
    pattern: /^[A-Za-z0-9._:-]{1,64}$/,
    message: 'x-correlation-id must be 1 to 64 of A-Z a-z 0-9 . _ : -',
  },
};

/** Builds the command context from the request: who, correlation, and the idempotency key. */
export function commandContext(
  request: FastifyRequest,
  actor: Actor,
  body: unknown,
): CommandContext {
  const commandId = randomUUID();
  const correlation = header(request, 'x-correlation-id');
  const key = header(request, 'idempotency-key');
  return {
    actor,
    commandId,
    correlationId: correlation ?? commandId,
    ...(key !== undefined && {
      idempotency: {
        key,
        // The route and the body identify "the same request"; a reused key with another one is refused.
        requestHash: createHash('sha256')
          .update(canonicalJson({ method: request.method, url: request.url.split('?')[0], body }))
          .digest('hex'),
      },
    }),
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  const rule = HEADER_RULES[name];
  if (typeof value !== 'string' || !rule?.pattern.test(value)) {
    throw new ValidationProblem([
      { field: `header:${name}`, message: rule?.message ?? `${name} is malformed` },
    ]);
  }
  return value;
}

/** `If-Match: "<revision>"` pins the revision a write expects; anything else is a 400. */
export function expectedRevision(request: FastifyRequest): number | undefined {
  const value = request.headers['if-match'];
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(?:W\/)?"(\d{1,15})"$/.exec(value.trim()) : null;
  if (!match?.[1]) {
    throw new ValidationProblem([
      { field: 'header:If-Match', message: 'If-Match must be an ETag like "3" (the revision)' },
    ]);
  }
  return Number(match[1]);
}

export const etag = (revision: number): string => `"${revision}"`;
