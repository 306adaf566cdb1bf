// The registry's public read routes, as the page calls them.

/** A read route that did not answer with JSON: the panel shows this instead of its figures. */
export class RouteError extends Error {
  constructor(path, status, detail) {
    super(
      status === 0
        ? `无法连接服务器（${path}）`
        : `${path} 返回 ${String(status)}${detail ? `：${detail}` : ''}`,
    );
    this.name = 'RouteError';
    this.path = path;
    this.status = status;
  }
}

/** GET a public route; problem details (RFC 9457) become a RouteError carrying their detail. */
export async function getJson(path) {
  let response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' } });
  } catch {
    throw new RouteError(path, 0, '');
  }
  if (!response.ok) {
    let detail = '';
    try {
      const problem = await response.json();
      detail = problem.detail ?? problem.title ?? '';
    } catch {
      // not JSON: the status says enough
    }
    throw new RouteError(path, response.status, detail);
  }
  return response.json();
}

/** `?district=…&street=…&community=…` of a place filter, plus extra parameters. */
export function query(place, extra = {}) {
  const params = new URLSearchParams();
  for (const key of ['district', 'street', 'community']) {
    if (place[key]) params.set(key, place[key]);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
