/**
 * Hostile requests for the malformed-input e2e tests: a fixed table of bodies and headers, and a
 * seeded generator of mutated requests (mulberry32, so every run sends the same requests).
 */
import { groupBody, type ActorKey, type Body } from './e2e-kit.js';
import { WRITE_ROUTES as EXISTING_ORG_ROUTES } from './write-routes.js';

export interface Target {
  readonly id: string;
  readonly noticeId: string;
  /** Well-formed ids for the incubation routes' body and path (no such base or incubation). */
  readonly baseId: string;
  readonly incubationId: string;
}

export interface WriteRouteLike {
  readonly name: string;
  readonly method: string;
  readonly path: (t: Target) => string;
  readonly actor: ActorKey;
  /** A valid body (an empty object for routes that take none). */
  readonly body: (t: Target) => Body;
  readonly hasBody: boolean;
}

/** POST /organizations and every write on an existing organization. */
export const WRITE_ROUTES: readonly WriteRouteLike[] = [
  {
    name: 'POST /organizations',
    method: 'POST',
    path: () => '/organizations',
    actor: 'shanghaiXincunCommittee',
    body: () => groupBody(),
    hasBody: true,
  },
  ...EXISTING_ORG_ROUTES.map((r): WriteRouteLike => ({
    name: r.name,
    method: r.method,
    path: r.path,
    actor: r.actor,
    body: (t) => r.body?.(t) ?? {},
    hasBody: r.body !== undefined,
  })),
];

export interface HostileRequest {
  readonly method: string;
  readonly path: string;
  readonly rawBody?: string | Uint8Array;
  readonly headers: Record<string, string>;
}

export interface HostileBody {
  readonly label: string;
  readonly rawBody: (valid: Body) => string | Uint8Array;
  readonly contentType?: string;
  /** The exact status expected from a route, when the table knows it. */
  readonly expect?: (route: WriteRouteLike, valid: Body) => number | undefined;
}

const JSON_TYPE = 'application/json';
const DATE_FIELDS = [
  'foundedOn',
  'filedOn',
  'cancelledOn',
  'registeredOn',
  'recordedOn',
  'startsOn',
  'endsOn',
  'grantedOn',
  'dissolvedOn',
];

/** Parsers refuse these whatever the route (even routes that ignore their body). */
const always = (status: number) => (): number => status;
/** The body validation refuses these on every route that reads a body. */
const onBodyRoutes = (status: number) => (route: WriteRouteLike) =>
  route.hasBody ? status : undefined;

/** Maps every string (deeply) of a JSON value. */
function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

function mapNumbers(value: unknown, f: (n: number) => unknown): unknown {
  if (typeof value === 'number') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapNumbers(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapNumbers(v, f)]));
  }
  return value;
}

/** Prepends raw JSON members to a serialized object. */
const withMembers = (valid: Body, members: string): string =>
  `{${members}${Object.keys(valid).length > 0 ? ',' : ''}${JSON.stringify(valid).slice(1)}`;

const nested = (depth: number): string => `${'['.repeat(depth)}${']'.repeat(depth)}`;

export function hostileBodies(): HostileBody[] {
  const json = (label: string, f: (v: Body) => string, expect?: HostileBody['expect']) => ({
    label,
    rawBody: f,
    contentType: JSON_TYPE,
    ...(expect && { expect }),
  });
  return [
    json('invalid JSON: unquoted key', () => '{bad: 1}', always(400)),
    json('invalid JSON: trailing comma', (v) => `${JSON.stringify(v).slice(0, -1)},}`, always(400)),
    json('invalid JSON: single quotes', () => "{'name': 'x'}", always(400)),
    json(
      'invalid JSON: truncated',
      (v) => JSON.stringify({ ...v, pad: 'x' }).slice(0, -3),
      always(400),
    ),
    json('invalid JSON: NaN token', () => '{"amountFen": NaN}', always(400)),
    json('invalid JSON: Infinity token', () => '{"participants": Infinity}', always(400)),
    json('invalid JSON: a lone BOM and garbage', () => '\ufeff\u0000', always(400)),
    json('an empty body with application/json', () => '', always(400)),
    json('a JSON array body', (v) => JSON.stringify([v]), onBodyRoutes(400)),
    json('a JSON null body', () => 'null', onBodyRoutes(400)),
    json('a JSON string body', () => '"organization"', onBodyRoutes(400)),
    json('a JSON number body', () => '42', onBodyRoutes(400)),
    json('a JSON boolean body', () => 'true', onBodyRoutes(400)),
    {
      label: 'JSON sent as text/plain',
      rawBody: (v) => JSON.stringify(v),
      contentType: 'text/plain',
      expect: onBodyRoutes(400),
    },
    {
      label: 'XML',
      rawBody: () => '<org name="x"/>',
      contentType: 'application/xml',
      expect: always(415),
    },
    {
      label: 'a form body',
      rawBody: () => 'name=x&tier=group',
      contentType: 'application/x-www-form-urlencoded',
      // Parsed as a form by the framework, then refused as an invalid body.
      expect: onBodyRoutes(400),
    },
    {
      label: 'multipart',
      rawBody: () => '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
      contentType: 'multipart/form-data; boundary=b',
      expect: always(415),
    },
    {
      label: 'a body without a content type',
      rawBody: (v) => new TextEncoder().encode(JSON.stringify(v)),
    },
    json('a 2 MB body', () => JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), always(413)),
    json(
      'every string 2 000 characters long',
      (v) => JSON.stringify(mapStrings(v, () => 'x'.repeat(2_000))),
      onBodyRoutes(400),
    ),
    // Over every route's body limit (160 KB for a registration, 32 KB for the rest).
    json(
      'every string 200 000 characters long',
      (v) => JSON.stringify(mapStrings(v, () => 'x'.repeat(200_000))),
      onBodyRoutes(413),
    ),
    json(
      'an unknown field nested 60 deep',
      (v) => withMembers(v, `"bogus":${nested(60)}`),
      onBodyRoutes(400),
    ),
    json(
      'an unknown field nested 10 000 deep',
      (v) => withMembers(v, `"bogus":${nested(10_000)}`),
      onBodyRoutes(400),
    ),
    json(
      'an object nested 3 000 deep',
      (v) => withMembers(v, `"bogus":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}`),
      onBodyRoutes(400),
    ),
    json('a __proto__ key', (v) => withMembers(v, '"__proto__":{"polluted":"yes"}'), always(400)),
    json(
      'a constructor.prototype key',
      (v) => withMembers(v, '"constructor":{"prototype":{"polluted":"yes"}}'),
      always(400),
    ),
    json(
      'unknown keys named like Object.prototype members',
      (v) =>
        withMembers(v, '"constructor":1,"toString":1,"hasOwnProperty":1,"valueOf":1,"prototype":1'),
      onBodyRoutes(400),
    ),
    json(
      'a duplicated key whose last value is invalid',
      (v) => withMembers(v, '"amountFen":1').replace(/}$/, ',"amountFen":1.5}'),
      onBodyRoutes(400),
    ),
    json('numbers as strings', (v) => JSON.stringify(mapNumbers(v, (n) => String(n)))),
    json('numbers 1e400 (Infinity)', (v) => JSON.stringify(v).replace(/:(\d+)/g, ':1e400')),
    json(
      'amounts negative, huge and fractional',
      (v) => withMembers(v, '"amountFen":-1,"participants":1e21'),
      onBodyRoutes(400),
    ),
    json(
      'amounts as floats',
      (v) => withMembers(v, '"amountFen":0.5,"participants":2.5'),
      onBodyRoutes(400),
    ),
    json(
      'C0 control characters in every string',
      (v) => JSON.stringify(mapStrings(v, (s) => `${s}\u0000\u0007\u001b`)),
      onBodyRoutes(400),
    ),
    json('bidi and zero-width characters in every string', (v) =>
      JSON.stringify(mapStrings(v, (s) => `\u202e${s}\u200b`)),
    ),
    json('lone surrogates in every string', (v) =>
      JSON.stringify(mapStrings(v, (s) => `${s}\ud800`)),
    ),
    ...[
      '2025-02-30',
      '2025-13-01',
      '0000-00-00',
      '2025-1-1',
      '2025-01-01T00:00:00Z',
      '20250101',
      '２０２５-01-01',
    ].map((date) =>
      json(`dates written ${date}`, (v) =>
        JSON.stringify(
          Object.fromEntries(
            Object.entries(v).map(([k, x]) => [k, DATE_FIELDS.includes(k) ? date : x]),
          ),
        ),
      ),
    ),
  ];
}

export interface HostileHeader {
  readonly label: string;
  readonly headers: Record<string, string>;
  readonly noToken?: boolean;
  readonly expect?: (route: WriteRouteLike) => number;
}

const registration = (route: WriteRouteLike): boolean => route.name === 'POST /organizations';
/** If-Match is not read by the registration, which creates a stream. */
const badIfMatch = (route: WriteRouteLike): number => (registration(route) ? 201 : 400);

export function hostileHeaders(): HostileHeader[] {
  return [
    { label: 'If-Match: *', headers: { 'if-match': '*' }, expect: badIfMatch },
    { label: 'If-Match: "abc"', headers: { 'if-match': '"abc"' }, expect: badIfMatch },
    { label: 'If-Match without quotes', headers: { 'if-match': '1' }, expect: badIfMatch },
    { label: 'If-Match: "-1"', headers: { 'if-match': '"-1"' }, expect: badIfMatch },
    {
      label: 'If-Match with 16 digits',
      headers: { 'if-match': '"1234567890123456"' },
      expect: badIfMatch,
    },
    { label: 'If-Match: two ETags', headers: { 'if-match': '"0", "1"' }, expect: badIfMatch },
    { label: 'an empty If-Match', headers: { 'if-match': '' }, expect: badIfMatch },
    {
      label: 'a stale If-Match "99"',
      headers: { 'if-match': '"99"' },
      expect: (r) => (registration(r) ? 201 : 409),
    },
    { label: 'an empty Idempotency-Key', headers: { 'idempotency-key': '' }, expect: () => 400 },
    {
      label: 'an Idempotency-Key with a space',
      headers: { 'idempotency-key': 'a b' },
      expect: () => 400,
    },
    {
      label: 'an Idempotency-Key with a tab',
      headers: { 'idempotency-key': 'a\tb' },
      expect: () => 400,
    },
    {
      label: 'a Latin-1 Idempotency-Key',
      headers: { 'idempotency-key': 'clé' },
      expect: () => 400,
    },
    {
      label: 'an Idempotency-Key of 201 characters',
      headers: { 'idempotency-key': 'k'.repeat(201) },
      expect: () => 400,
    },
    {
      label: 'an Idempotency-Key of 10 000 characters',
      headers: { 'idempotency-key': 'k'.repeat(10_000) },
      expect: () => 400,
    },
    {
      label: 'an X-Correlation-Id of 300 characters',
      headers: { 'x-correlation-id': 'c'.repeat(300) },
      expect: () => 400,
    },
    {
      label: 'an X-Correlation-Id of 65 characters',
      headers: { 'x-correlation-id': 'c'.repeat(65) },
      expect: () => 400,
    },
    {
      label: 'an X-Correlation-Id that a spreadsheet runs as a formula',
      headers: { 'x-correlation-id': '=HYPERLINK("http://x","y")' },
      expect: () => 400,
    },
    {
      label: 'a 10 000 character bearer token',
      headers: { authorization: `Bearer ${'a'.repeat(10_000)}` },
      noToken: true,
      expect: () => 401,
    },
    {
      label: 'a bearer token with two spaces',
      headers: { authorization: 'Bearer  abc.def.ghi' },
      noToken: true,
      expect: () => 401,
    },
    {
      label: 'an unsigned (alg none) token',
      headers: {
        authorization: `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(
          '{"sub":"x","role":"city","jurisdiction":"310000","exp":9999999999}',
        ).toString('base64url')}.`,
      },
      noToken: true,
      expect: () => 401,
    },
    {
      label: 'an Authorization header with control-free junk',
      headers: { authorization: '!!!' },
      noToken: true,
      expect: () => 401,
    },
    {
      label: 'a content type with a UTF-16 charset',
      headers: { 'content-type': 'application/json; charset=utf-16' },
    },
    {
      label: 'a 20 000 character header (over the server limit)',
      headers: { 'x-filler': 'f'.repeat(20_000) },
      expect: () => 431,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Seeded generation

export type Rng = () => number;

/** mulberry32: a tiny, well-distributed 32-bit PRNG; the same seed gives the same sequence. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

const ALPHABET = [
  'a',
  'Z',
  '0',
  '中',
  '文',
  ' ',
  '"',
  '\\',
  '/',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u202e',
  '\u200b',
  'é',
  '😀',
  '\ud800',
  '<',
  '>',
  '{',
  '}',
];

function randomString(rng: Rng): string {
  const length = Math.floor(rng() * 40);
  return Array.from({ length }, () => pick(rng, ALPHABET)).join('');
}

/** Values that are wrong (or subtly right) for some field. */
function randomValue(rng: Rng): unknown {
  const values: (() => unknown)[] = [
    () => randomString(rng),
    () => 'x'.repeat(1000 + Math.floor(rng() * 20_000)),
    () =>
      pick(rng, [
        -1,
        0,
        1,
        1.5,
        -0.5,
        1e308,
        -1e308,
        2 ** 53 + 1,
        Number.MAX_SAFE_INTEGER,
        1e-7,
        100,
      ]),
    () => pick(rng, ['NaN', 'Infinity', '-Infinity', '1e3', '0x10', ' 12 ', '１２', '100']),
    () => pick(rng, [null, true, false, [], {}, [1, [2, [3]]], { a: { b: { c: 1 } } }]),
    () =>
      pick(rng, [
        '2025-02-30',
        '2025-13-01',
        '0000-00-00',
        '9999-12-31',
        '2024-02-29',
        '2025-1-1',
        '2025-01-01T00:00:00Z',
        '20250101',
      ]),
    () =>
      pick(rng, [
        '310104',
        '310104003',
        '310104003001',
        '999999999999',
        '31010400300１',
        '51310104MJ0000114M',
      ]),
    () =>
      pick(rng, [
        'group',
        'team',
        'registered',
        'charity',
        'welfare-lottery',
        'elderly',
        'A',
        'E',
        'residents',
        'own-branch',
      ]),
  ];
  return pick(rng, values)();
}

const EXTRA_KEYS = [
  'bogus',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  '$where',
  'id',
  'revision',
];

function mutate(rng: Rng, valid: Body): Body {
  const body: Record<string, unknown> = structuredClone(valid);
  const operations = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < operations; i++) {
    const keys = Object.keys(body);
    const op = rng();
    if (op < 0.55 && keys.length > 0) {
      const key = pick(rng, keys);
      const current = body[key];
      if (
        current !== null &&
        typeof current === 'object' &&
        !Array.isArray(current) &&
        rng() < 0.5
      ) {
        const inner = current as Record<string, unknown>;
        const innerKeys = Object.keys(inner);
        if (innerKeys.length > 0) inner[pick(rng, innerKeys)] = randomValue(rng);
      } else {
        body[key] = randomValue(rng);
      }
    } else if (op < 0.75 && keys.length > 0) {
      Reflect.deleteProperty(body, pick(rng, keys));
    } else {
      Object.defineProperty(body, pick(rng, EXTRA_KEYS), {
        value: randomValue(rng),
        enumerable: true,
        configurable: true,
        writable: true,
      });
    }
  }
  return body;
}

function corrupt(rng: Rng, text: string): string {
  const at = Math.floor(rng() * (text.length + 1));
  switch (Math.floor(rng() * 4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return `${text.slice(0, at)}${pick(rng, ['{', '}', '"', ',', ':', '\\', '\u0000', ']'])}${text.slice(at)}`;
    case 2:
      return `${text.slice(0, at)}"__proto__":{"polluted":1},${text.slice(at)}`;
    default:
      return text.replace(/"(\w+)":/, '"$1":"$1":');
  }
}

export interface GeneratedRequest {
  readonly label: string;
  readonly request: HostileRequest;
  readonly actor: ActorKey | undefined;
}

/** One random request: a route's valid body, mutated, sometimes corrupted, with odd headers. */
export function randomRequest(
  rng: Rng,
  routes: readonly WriteRouteLike[],
  target: Target,
): GeneratedRequest {
  const route = pick(rng, routes);
  let text = JSON.stringify(mutate(rng, route.body(target)));
  if (rng() < 0.2) text = corrupt(rng, text);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (rng() < 0.2) headers['if-match'] = pick(rng, ['"0"', '"1"', '"x"', '*', 'W/"1"', '"-1"', '']);
  if (rng() < 0.2)
    headers['idempotency-key'] = pick(rng, ['k-1', 'k-2', 'a b', '', 'x'.repeat(250)]);
  if (rng() < 0.05)
    headers['content-type'] = pick(rng, [
      'text/plain',
      'application/xml',
      'application/json; charset=latin1',
    ]);
  const actor =
    rng() < 0.1 ? pick(rng, [undefined, 'auditor', 'pudongDistrict'] as const) : route.actor;
  return {
    label: `${route.name} ${text.slice(0, 120)} ${JSON.stringify(headers)} as ${actor ?? 'nobody'}`,
    request: { method: route.method, path: route.path(target), rawBody: text, headers },
    actor,
  };
}
