// The registry's routes as the signed-in official calls them: the bearer token on every call,
// problem details (RFC 9457) kept whole so a form can show each field's message.

import { currentToken, dropSession } from './session.js';

/** A route that refused: its status and its problem details (`errors` names the bad fields). */
export class Refusal extends Error {
  constructor(path, status, problem) {
    super(
      status === 0
        ? `无法连接服务器（${path}）`
        : `${String(status)} ${problem.title ?? ''}${problem.detail ? `：${problem.detail}` : ''}`,
    );
    this.name = 'Refusal';
    this.status = status;
    this.problem = problem;
  }

  /** The field errors, `{ field, message }`, the server named (400, and 422 about one field). */
  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

/**
 * Calls a route. `ifMatch` sends the organization's ETag (a stale form is then refused, 409);
 * `idempotencyKey` makes a retry of the same submission write nothing new. Answers
 * `{ body, etag }`; a refusal throws a Refusal. A 401 means the sign-in expired: the session
 * is dropped and the page starts again at the sign-in.
 */
export async function call(method, path, { body, ifMatch, idempotencyKey } = {}) {
  const headers = { accept: 'application/json' };
  const token = currentToken();
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (ifMatch) headers['if-match'] = ifMatch;
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new Refusal(path, 0, {});
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = { detail: text.slice(0, 200) };
  }
  if (response.status === 401 && token) {
    dropSession();
    location.reload();
  }
  if (!response.ok) throw new Refusal(path, response.status, parsed);
  return { body: parsed, etag: response.headers.get('etag') };
}

export const get = (path) => call('GET', path).then((answer) => answer.body);
