/**
 * GET /docs (API.md "Reads": OpenAPI) over real HTTP: the document is a well-formed OpenAPI 3
 * document, names every route the server really registers, carries the write contract on every
 * write, and its request schemas agree with the validation the server applies.
 */
import 'reflect-metadata';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { TEST_CLOCK, TEST_JWT_SECRET } from '../support/http-app.js';
import { TEST_PERSONAL_DATA_KEK } from '../support/personal-data-kek.js';
import { WRITE_ROUTES } from '../support/write-routes.js';

const require = createRequire(import.meta.url);
/** The OpenAPI 3.0 Schema Object meta-schema (no schema of the whole document is installed). */
const schemaObjectMetaSchema = require('@asyncapi/specs/common/openapiSchema_3_0.json') as object;

/** The parts of an OpenAPI 3.0 document this suite reads. */
interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly description?: string;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly required?: readonly string[];
  readonly properties?: Record<string, Schema>;
  readonly items?: Schema;
}
interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly description?: string;
  readonly schema?: Schema;
  readonly content?: unknown;
}
interface Answer {
  readonly $ref?: string;
  readonly headers?: Record<string, unknown>;
  readonly content?: Record<string, { readonly schema: Schema }>;
}
interface Operation {
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Record<string, { readonly schema: Schema }> };
  readonly responses: Record<string, Answer>;
  readonly security?: readonly Record<string, readonly string[]>[];
}
interface OpenApiDocument {
  readonly openapi: string;
  readonly info: { readonly title: unknown; readonly version: unknown };
  readonly paths: Record<string, Record<string, Operation | undefined>>;
  readonly components: {
    readonly schemas: Record<string, Schema>;
    readonly responses: Record<string, Answer>;
    readonly securitySchemes: Record<string, Record<string, unknown>>;
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;
const PROBLEM_REF = '#/components/schemas/Problem';

let app: NestFastifyApplication;
let baseUrl: string;
let dataDir: string;
/** Every route Fastify registers, as `METHOD /path` with OpenAPI-style `{param}`s. */
const registered = new Set<string>();
let doc: OpenApiDocument;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'community-orgs-openapi-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    PERSONAL_DATA_KEK: TEST_PERSONAL_DATA_KEK,
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
  });
  app = await createApp({ config, clock: TEST_CLOCK });
  // Nest registers the controllers' routes when the app starts, after this hook is in place.
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      for (const method of methods) registered.add(`${method.toUpperCase()} ${path}`);
    });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  baseUrl = `http://127.0.0.1:${address.port}`;
  const res = await fetch(`${baseUrl}/docs/json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = (await res.json()) as OpenApiDocument;
});

afterAll(async () => {
  await app.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function operations(): { method: string; path: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const op = item[method];
      return op ? [{ method, path, op }] : [];
    }),
  );
}

/** Follows a local `#/…` reference inside the document. */
function resolve(ref: string): unknown {
  expect(ref.startsWith('#/')).toBe(true);
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object'
          ? (node as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')]
          : undefined,
      doc,
    );
}

function allRefs(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) allRefs(item, found);
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else allRefs(value, found);
    }
  }
  return found;
}

/** Every schema object in the document (components, parameters, headers, bodies), with where. */
function allSchemas(): [string, Schema][] {
  const out: [string, Schema][] = Object.entries(doc.components.schemas).map(([k, v]) => [
    `components.schemas.${k}`,
    v,
  ]);
  const visit = (where: string, node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === 'schema' && value !== null && typeof value === 'object' && !('$ref' in value))
        out.push([`${where}.schema`, value as Schema]);
      else visit(`${where}.${key}`, value);
    }
  };
  visit('paths', doc.paths);
  visit('components.responses', doc.components.responses);
  return out;
}

describe('GET /docs/json', () => {
  it('is an OpenAPI 3.0 document with info, paths and the bearer JWT scheme', () => {
    expect(doc.openapi).toMatch(/^3\.0\.\d+$/);
    expect(typeof doc.info.title).toBe('string');
    expect(typeof doc.info.version).toBe('string');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(doc.components.securitySchemes.bearer).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
    );
  });

  it('has only well-formed operations: parameters, responses, unique ids, known schemes', () => {
    const ids = new Set<string>();
    const schemes = new Set(Object.keys(doc.components.securitySchemes));
    for (const { method, path, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(path).toMatch(/^\//);
      expect(typeof op.operationId).toBe('string');
      expect(ids.has(op.operationId)).toBe(false);
      ids.add(op.operationId);
      const params = op.parameters ?? [];
      for (const p of params) {
        expect(['query', 'header', 'path', 'cookie']).toContain(p.in);
        expect(typeof p.name).toBe('string');
        expect(p.schema ?? p.content).toBeDefined();
        if (p.in === 'path') expect(p.required).toBe(true);
      }
      // Path templates and path parameters name each other exactly.
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const declared = params.filter((p) => p.in === 'path').map((p) => p.name);
      expect({ where, path: declared.sort() }).toEqual({ where, path: templated });
      const statuses = Object.keys(op.responses);
      expect(statuses.length).toBeGreaterThan(0);
      for (const status of statuses) expect(status).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
      expect(statuses.some((s) => s.startsWith('2'))).toBe(true);
      for (const requirement of op.security ?? [])
        for (const name of Object.keys(requirement)) expect(schemes.has(name)).toBe(true);
    }
  });

  it('resolves every $ref inside the document', () => {
    const refs = allRefs(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs)
      expect({ ref, target: resolve(ref) !== undefined }).toEqual({
        ref,
        target: true,
      });
  });

  it('writes every schema as an OpenAPI 3.0 Schema Object, with patterns that compile', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    // The meta-schema checks one level; nested schemas are checked as their own entries.
    const check = ajv.compile(schemaObjectMetaSchema);
    const schemas = allSchemas();
    expect(schemas.length).toBeGreaterThan(20);
    for (const [where, schema] of schemas) {
      expect({ where, valid: check(schema), errors: check.errors ?? null }).toEqual({
        where,
        valid: true,
        errors: null,
      });
      const nested = [schema, ...Object.values(schema.properties ?? {}), schema.items];
      for (const s of nested) {
        if (s?.pattern !== undefined) {
          const pattern = s.pattern;
          expect(() => new RegExp(pattern, 'u')).not.toThrow();
        }
        if (s && s.$ref === undefined) expect(check(s)).toBe(true);
      }
    }
  });

  it('names every route the server registers, and none it does not', () => {
    // The docs' own routes (the page, its assets, this document) are not part of the API.
    const served = [...registered].filter(
      (r) => !r.startsWith('HEAD ') && !/^[A-Z]+ \/docs(\/|-|$)/.test(r),
    );
    const documented = operations().map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(served.length).toBeGreaterThan(25);
    expect(served.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((r) => !served.includes(r))).toEqual([]);
    // The routes API.md lists, as a floor should the route collection ever come back empty.
    for (const route of [
      'POST /organizations',
      'PUT /organizations/{id}/contact',
      'DELETE /organizations/{id}/personal-data',
      'GET /organizations/{id}/history',
      'GET /audit/verify',
      'GET /registry',
      'GET /statistics/overview',
      'GET /health',
      'GET /metrics',
    ])
      expect(documented).toContain(route);
  });

  it('puts the bearer scheme, Idempotency-Key, If-Match and the ETag answer on every write', () => {
    // The development sign-in's POST /dev/token (absent in production) writes nothing.
    const writes = operations().filter(
      ({ method, path }) => method !== 'get' && path !== '/dev/token',
    );
    // + POST /organizations and POST /activity-reports/{reportId}/acknowledgement
    expect(writes.length).toBe(WRITE_ROUTES.length + 2);
    for (const { method, path, op } of writes) {
      const where = `${method.toUpperCase()} ${path}`;
      expect({ where, security: op.security }).toEqual({ where, security: [{ bearer: [] }] });
      const headers = (op.parameters ?? []).filter((p) => p.in === 'header');
      expect({ where, headers: headers.map((h) => h.name).sort() }).toEqual({
        where,
        headers: expect.arrayContaining(['Idempotency-Key', 'If-Match']),
      });
      const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
      for (const [, answer] of success) {
        expect(answer.headers?.['ETag']).toBeDefined();
        expect(answer.content?.['application/json']?.schema.$ref).toBe(
          '#/components/schemas/WriteAnswer',
        );
      }
      for (const status of ['400', '401', '403', '409', '422'])
        expect({ where, status, has: op.responses[status] !== undefined }).toEqual({
          where,
          status,
          has: true,
        });
    }
  });

  it('answers errors as application/problem+json with the Problem schema', () => {
    expect(doc.components.schemas['Problem']?.required).toEqual(['type', 'title', 'status']);
    let errors = 0;
    for (const { op } of operations()) {
      for (const [status, answer] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        errors += 1;
        const response = (answer.$ref ? resolve(answer.$ref) : answer) as Answer;
        expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
        expect(response.content?.['application/problem+json']?.schema.$ref).toBe(PROBLEM_REF);
      }
    }
    expect(errors).toBeGreaterThan(50);
  });

  it('documents ?minPosition and its 503 on the read-model routes, the ETag on GET /organizations/{id}', () => {
    const reads = ['/registry', '/registry/{id}', '/statistics/overview', '/fundings'];
    for (const path of reads) {
      const op = doc.paths[path]?.['get'];
      const minPosition = op?.parameters?.find((p) => p.name === 'minPosition');
      expect(minPosition).toEqual(
        expect.objectContaining({ in: 'query', required: false, description: expect.any(String) }),
      );
      expect(minPosition?.schema).toEqual(expect.objectContaining({ type: 'integer', minimum: 0 }));
      expect(op?.responses['503']).toBeDefined();
      expect(op?.security).toBeUndefined();
    }
    const get = doc.paths['/organizations/{id}']?.['get'];
    expect(get?.responses['200']?.headers?.['ETag']).toBeDefined();
    expect(get?.security).toEqual([{ bearer: [] }]);
  });
});

describe('the statistics answers (issue #13)', () => {
  const answer = (path: string): Schema => {
    const schema =
      doc.paths[path]?.['get']?.responses['200']?.content?.['application/json']?.schema;
    expect(schema?.type).toBe('object');
    return schema as Schema;
  };

  it('/statistics/overview: both party coverages, each a count and a share, and the instructor status', () => {
    const overview = answer('/statistics/overview');
    const coverage = overview.properties?.['partyCoverage'];
    expect(coverage?.required).toEqual(['organizational', 'work']);
    for (const kind of ['organizational', 'work'])
      expect(coverage?.properties?.[kind]?.required).toEqual(['count', 'share']);
    expect(overview.properties?.['partyOrganization']?.required).toEqual([
      'none',
      'own-branch',
      'joint-branch',
      'liaison',
      'instructor',
    ]);
  });

  it('/statistics/targets: placeholders excluded, organizations of no community and units without one apart', () => {
    const targets = answer('/statistics/targets');
    expect(targets.description).toMatch(/placeholder/);
    expect(targets.required).toEqual(
      expect.arrayContaining(['notAttributed', 'unitsWithoutCommunities', 'belowTarget']),
    );
    // The registration says where an organization is based.
    const community =
      doc.components.schemas['RegisterOrganizationDto']?.properties?.['communityCode'];
    expect(community?.description).toMatch(/every tier.*placeholder/);
  });

  it('asOf=YYYY-MM on overview, targets and platforms (issue #19)', () => {
    for (const path of ['/statistics/overview', '/statistics/targets', '/statistics/platforms']) {
      const asOf = doc.paths[path]?.['get']?.parameters?.find((p) => p.name === 'asOf');
      expect(asOf).toEqual(
        expect.objectContaining({ in: 'query', required: false, description: expect.any(String) }),
      );
      expect(asOf?.schema).toEqual(
        expect.objectContaining({ type: 'string', pattern: expect.stringContaining('-') }),
      );
    }
  });

  it('GET /returns/{year}.xlsx: a four-digit year in the path, a binary spreadsheet (issue #19)', () => {
    const operation = doc.paths['/returns/{year}.xlsx']?.['get'];
    const year = operation?.parameters?.find((p) => p.name === 'year');
    expect(year).toEqual(expect.objectContaining({ in: 'path', required: true }));
    expect(year?.schema).toEqual({ type: 'string', pattern: '^[0-9]{4}$' });
    expect(operation?.responses['200']?.content).toEqual({
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
        schema: { type: 'string', format: 'binary' },
      },
    });
    expect(operation?.security).toEqual([{ bearer: [] }]);
  });

  it('the live answers follow the documented schemas', async () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const path of ['/statistics/overview', '/statistics/targets']) {
      const validate = ajv.compile(answer(path));
      const body = await (await fetch(`${baseUrl}${path}?district=310104`)).json();
      expect({ path, valid: validate(body), errors: validate.errors ?? null }).toEqual({
        path,
        valid: true,
        errors: null,
      });
    }
  });
});

describe('request schemas agree with the validation the server applies', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const arranged = {
    id: randomUUID(),
    noticeId: randomUUID(),
    incubationId: randomUUID(),
    baseId: randomUUID(),
  };

  /** A validator for the documented body of `METHOD path` (a concrete path). */
  function bodyValidator(method: string, concretePath: string): ValidateFunction {
    const match = operations().find(
      (o) =>
        o.method === method.toLowerCase() &&
        new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(concretePath),
    );
    expect(match).toBeDefined();
    const schema = match?.op.requestBody?.content['application/json']?.schema;
    expect(schema).toBeDefined();
    // OpenAPI 3.0 schemas are JSON Schema enough here; refs point into this document.
    return ajv.compile({ ...schema, components: doc.components });
  }

  it.each(WRITE_ROUTES.filter((r) => r.body !== undefined).map((r) => [r.name, r] as const))(
    '%s: the valid body the e2e suites send fits, the bodies the server refuses do not',
    (_name, route) => {
      const validate = bodyValidator(route.method, route.path(arranged));
      expect({ valid: validate(route.body?.(arranged)), errors: validate.errors ?? null }).toEqual({
        valid: true,
        errors: null,
      });
      for (const invalid of route.invalid ?? []) {
        expect({ case: invalid.label, valid: validate(invalid.body(arranged)) }).toEqual({
          case: invalid.label,
          valid: false,
        });
      }
    },
  );

  it('refuses unknown fields, as the validation pipe does', () => {
    const validate = bodyValidator('POST', '/organizations/x/evaluations');
    const body = { period: '2025', evaluator: 'residents', grade: 'excellent' };
    expect(validate(body)).toBe(true);
    expect(validate({ ...body, extra: 1 })).toBe(false);
  });
});

describe('GET /docs', () => {
  it('answers the Swagger UI page, its files served by this server', async () => {
    const res = await fetch(`${baseUrl}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toContain('<div id="swagger-ui">');
    const assets = [...html.matchAll(/(?:src|href)=['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const file = await fetch(new URL(asset, `${baseUrl}/docs`));
      expect({ asset, status: file.status }).toEqual({ asset, status: 200 });
    }
  });
});

describe('the document tells the truth about methods and media types (issue #15 item 6)', () => {
  it('answers 405 with an Allow header for a method a known path does not answer', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/health', 'GET, HEAD'],
      ['DELETE', `/organizations/${randomUUID()}`, 'GET, HEAD'],
      ['PUT', `/organizations/${randomUUID()}/filings`, 'POST'],
      ['PATCH', '/registry', 'GET, HEAD'],
    ] as const) {
      const res = await fetch(`${baseUrl}${path}`, { method });
      expect({ method, path, status: res.status, allow: res.headers.get('allow') }).toEqual({
        method,
        path,
        status: 405,
        allow,
      });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await res.json()).toMatchObject({ status: 405, title: 'Method not allowed' });
    }
    // An unknown path is still a 404, whatever the method.
    expect((await fetch(`${baseUrl}/no-such-path`, { method: 'DELETE' })).status).toBe(404);
  });

  it('documents 405, 413, 429, 503 and 507 on every operation, 401 and 403 where a token is needed', () => {
    for (const { method, path, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const expected = ['401', '405', '413', '429', '503', '507'];
      if ((op.security ?? []).length > 0) expected.push('403');
      for (const status of expected)
        expect({ where, status, has: op.responses[status] !== undefined }).toEqual({
          where,
          status,
          has: true,
        });
    }
  });

  it('serves / and the dashboard files with the media types the document gives them', async () => {
    const page = doc.paths['/']?.['get'];
    expect(Object.keys(page?.responses['200']?.content ?? {})).toEqual(['text/html']);
    const res = await fetch(`${baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const files = doc.paths['/dashboard/{file}']?.['get'];
    const fileSchema = files?.parameters?.find((p) => p.name === 'file')?.schema as
      { enum?: string[] } | undefined;
    const names = fileSchema?.enum;
    expect(names).toEqual(expect.arrayContaining(['main.js', 'dashboard.css', 'favicon.svg']));
    const documented = Object.keys(files?.responses['200']?.content ?? {});
    for (const name of names ?? []) {
      const file = await fetch(`${baseUrl}/dashboard/${name}`);
      expect({ name, status: file.status }).toEqual({ name, status: 200 });
      const type = (file.headers.get('content-type') ?? '').split(';')[0];
      expect({ name, documented: documented.includes(type ?? '') }).toEqual({
        name,
        documented: true,
      });
    }
    const vendor = doc.paths['/dashboard/vendor/{file}']?.['get'];
    expect(vendor?.parameters?.find((p) => p.name === 'file')?.schema).toEqual(
      expect.objectContaining({ enum: ['echarts.min.js'] }),
    );
  });

  it('writes patterns every regex dialect reads: no \\p{…}, no \\d', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toMatch(/\\\\p\{/);
    expect(text).not.toMatch(/\\\\d/);
  });

  it('documents the division codes a read accepts exactly: known ones only', () => {
    const schemas = doc.components.schemas as Record<string, Schema & { enum?: string[] }>;
    expect(schemas['DistrictCode']?.enum).toContain('310104');
    expect(schemas['DistrictCode']?.enum).not.toContain('310000');
    const street = new RegExp(schemas['StreetCode']?.pattern ?? '^$');
    expect(street.test('310104003')).toBe(true);
    expect(street.test('310104999')).toBe(false);
    const community = new RegExp(schemas['CommunityCode']?.pattern ?? '^$');
    expect(community.test('310104003001')).toBe(true);
    expect(community.test('310104003999')).toBe(false);
    const registry = doc.paths['/registry']?.['get']?.parameters ?? [];
    expect(registry.find((p) => p.name === 'community')?.schema?.$ref).toBe(
      '#/components/schemas/CommunityCode',
    );
  });
});
