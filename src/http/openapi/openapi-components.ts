import type { HeaderObject, ResponseObject, SchemaObject } from '@nestjs/swagger';
import { ANSWER_FIELDS } from '../../organizations/command-answer.js';
import { PROBLEM_CONTENT_TYPE } from '../problem.js';

/** The name of the bearer JWT security scheme in `components.securitySchemes`. */
export const BEARER = 'bearer';

const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });

/** Mirrors `Problem` and `FieldError` in src/platform/problem.ts (RFC 9457). */
export const SCHEMAS: Record<string, SchemaObject> = {
  FieldError: {
    type: 'object',
    required: ['field', 'message'],
    properties: {
      field: {
        type: 'string',
        description: 'Where in the request: `founders[0].name`, `header:If-Match`, `query:page`…',
      },
      message: { type: 'string' },
    },
  },
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details, the body of every error answer.',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', description: '`urn:community-orgs:problem:<name>` or `about:blank`' },
      title: { type: 'string' },
      status: { type: 'integer', minimum: 400, maximum: 599 },
      detail: { type: 'string', description: 'For a 422, which domain rule refused the command.' },
      instance: { type: 'string' },
      rule: { type: 'string', description: 'The refused domain rule (403, 404, 409, 422).' },
      errors: {
        type: 'array',
        description: 'Each bad field, for validation errors.',
        items: ref('FieldError'),
      },
    },
  },
  WriteAnswer: {
    type: 'object',
    description:
      'What every write answers, the same on a first try and on a retry with the same Idempotency-Key.',
    required: ['id', 'revision', 'position'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'The organization.' },
      revision: {
        type: 'integer',
        minimum: 0,
        description: "The organization stream's revision after the write (also the ETag).",
      },
      position: {
        type: 'integer',
        minimum: 0,
        description:
          'Global position of the last appended event: pass it as `?minPosition=` to read your write.',
      },
      ...answerFieldSchemas(),
    },
  },
};

/** The fields some writes add to the answer, as the organizations capability declares them. */
function answerFieldSchemas(): Record<string, SchemaObject> {
  return Object.fromEntries(
    Object.entries(ANSWER_FIELDS).map(([name, field]) => [name, field.schema as SchemaObject]),
  );
}

export const ETAG_HEADER: HeaderObject = {
  description: 'The organization\'s revision, quoted: `"<revision>"`. Send it back as If-Match.',
  schema: { type: 'string', pattern: '^"[0-9]+"$' },
};

const problem = (description: string, headers?: Record<string, HeaderObject>): ResponseObject => ({
  description,
  ...(headers && { headers }),
  content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
});

const RETRY_AFTER: Record<string, HeaderObject> = {
  'Retry-After': {
    description: 'Seconds to wait before trying again.',
    schema: { type: 'integer', minimum: 0 },
  },
};

/** Reusable error answers (`components.responses`), referenced from each operation by status. */
export const PROBLEM_RESPONSES: Record<number, { name: string; response: ResponseObject }> = {
  400: {
    name: 'BadRequest',
    response: problem('Malformed or invalid input; `errors` names each bad field.'),
  },
  401: {
    name: 'Unauthorized',
    response: problem(
      'No token where one is needed, or a token that is not valid (also on public routes when one is sent).',
    ),
  },
  403: { name: 'Forbidden', response: problem("Outside the caller's role or jurisdiction.") },
  404: { name: 'NotFound', response: problem('Unknown organization (or notice, or revision).') },
  405: {
    name: 'MethodNotAllowed',
    response: problem('This path does not answer that method; `Allow` lists the ones it does.', {
      Allow: { description: 'The methods this path answers.', schema: { type: 'string' } },
    }),
  },
  409: {
    name: 'Conflict',
    response: problem(
      'Stale If-Match revision, a concurrent write, or an Idempotency-Key reused with another request.',
    ),
  },
  413: {
    name: 'PayloadTooLarge',
    response: problem('The request body is larger than this route takes.'),
  },
  422: {
    name: 'RuleRefused',
    response: problem('A domain rule refused the command; `detail` and `rule` say which.'),
  },
  429: {
    name: 'TooManyRequests',
    response: problem(
      'Too many requests from this client: wait `Retry-After` seconds.',
      RETRY_AFTER,
    ),
  },
  503: {
    name: 'Unavailable',
    response: problem(
      'Not now, retry after `Retry-After` seconds: the read model has not applied `minPosition` yet, or the store is unavailable.',
      RETRY_AFTER,
    ),
  },
  507: {
    name: 'InsufficientStorage',
    response: problem('The store is out of space: nothing was written; retry later.', RETRY_AFTER),
  },
};

/**
 * The problem answers every operation can give, whatever it does: 405 on its path for another
 * method, 413, 429, 503 and 507 from the edge and the stores, 401 for a bad token (sent even to
 * a public route). The operation's own ones (400, 403, 404, 409, 422) are added from what it declares.
 */
export const COMMON_PROBLEMS: readonly number[] = [401, 405, 413, 429, 503, 507];

export const WRITE_ANSWER_CONTENT = { 'application/json': { schema: ref('WriteAnswer') } };
