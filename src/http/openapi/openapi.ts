import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type SchemaObject,
  type ReferenceObject,
  type ResponseObject,
} from '@nestjs/swagger';
import { ModulesContainer } from '@nestjs/core';
import { Divisions } from '../../divisions/divisions.js';
import { codesPattern } from './code-pattern.js';
import {
  BEARER,
  COMMON_PROBLEMS,
  ETAG_HEADER,
  PROBLEM_RESPONSES,
  SCHEMAS,
  WRITE_ANSWER_CONTENT,
} from './openapi-components.js';
import { documentRoutes } from './route-metadata.js';
import { serveSwaggerUi } from './swagger-ui.js';

/** Where the Swagger UI page and the JSON document are served. */
export const DOCS_PATH = '/docs';
export const DOCS_JSON_PATH = '/docs/json';

/**
 * Serves the OpenAPI document at `/docs/json` and Swagger UI at `/docs`, with the UI's files
 * from the installed swagger-ui-dist (nothing is fetched from elsewhere). The document is built
 * on its first request, so starting the server does not pay for it.
 */
export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup(DOCS_PATH.slice(1), app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: DOCS_JSON_PATH.slice(1),
    raw: ['json'],
    ui: false,
  });
  serveSwaggerUi(
    app.getHttpAdapter().getInstance(),
    DOCS_PATH,
    DOCS_JSON_PATH,
    'Community organization registry — API',
  );
}

export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const dtos = documentRoutes(app);
  const config = new DocumentBuilder()
    .setTitle('Community organization registry')
    .setDescription(
      "Event-sourced registry of Shanghai's community social organizations. Writes answer " +
        '`{ id, revision, position }` with an `ETag`; reads of the read models take ' +
        '`?minPosition=<position>` to see a write; errors are RFC 9457 problem details ' +
        '(`application/problem+json`).',
    )
    .setVersion('1')
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'HS256 JWT with `sub`, `role` and `jurisdiction` (`npm run token`).',
      },
      BEARER,
    )
    .build();
  config.components = {
    ...config.components,
    schemas: { ...SCHEMAS, ...divisionCodeSchemas(app.get(Divisions)) },
    responses: Object.fromEntries(
      Object.values(PROBLEM_RESPONSES).map(({ name, response }) => [name, response]),
    ),
  };
  const document = SwaggerModule.createDocument(app, config);
  const schemas = document.components?.schemas ?? {};
  for (const dto of dtos) {
    const schema = schemas[dto.name];
    // The validation pipe refuses unknown fields (forbidNonWhitelisted).
    if (schema && !('$ref' in schema)) schema.additionalProperties = false;
  }
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'post', 'put', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (operation) describeResponses(path, method, operation);
    }
  }
  amendByControllers(app, document);
  return document;
}

/**
 * A controller whose answers only it knows at run time (the dashboard's files and their media
 * types) may amend the document: an `amendOpenApi(document)` method on the controller instance.
 */
export interface AmendsOpenApi {
  amendOpenApi(document: OpenAPIObject): void;
}

function amendByControllers(app: INestApplication, document: OpenAPIObject): void {
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const instance = wrapper.instance as Partial<AmendsOpenApi> | undefined;
      if (typeof instance?.amendOpenApi === 'function') instance.amendOpenApi(document);
    }
  }
}

/**
 * The division codes a read accepts, as tight as the server's own check (an unknown code is a
 * 400): the codes of the reference data, shared by every parameter through `$ref`. Districts are
 * few enough to list; streets and communities (thousands) are a pattern matching exactly them.
 */
function divisionCodeSchemas(divisions: Divisions): Record<string, SchemaObject> {
  const { districts, streets, communities } = divisions.data;
  const codes = (list: readonly { code: string }[]): string[] => list.map((d) => d.code);
  return {
    DistrictCode: {
      type: 'string',
      description: "A district's 6-digit code (GET /divisions lists them).",
      enum: codes(districts),
    },
    StreetCode: {
      type: 'string',
      description:
        "A street's or town's 9-digit code (GET /divisions?parent=<district> lists them); the pattern matches exactly the known ones.",
      pattern: codesPattern(codes(streets)),
    },
    CommunityCode: {
      type: 'string',
      description:
        "A community's 12-digit code (GET /divisions?parent=<street> lists them); the pattern matches exactly the known ones.",
      pattern: codesPattern(codes(communities)),
    },
    DivisionParentCode: {
      type: 'string',
      description: 'A district or street code, whose children to list.',
      pattern: codesPattern([...codes(districts), ...codes(streets)]),
    },
  };
}

/** Query parameters checked against the reference data, and the schema of their codes. */
const DIVISION_PARAMETERS: Record<string, string> = {
  district: 'DistrictCode',
  street: 'StreetCode',
  community: 'CommunityCode',
  parent: 'DivisionParentCode',
};

/** Success and error answers, from what the operation already declares (method, security, parameters). */
function describeResponses(path: string, method: string, operation: OperationObject): void {
  const write = method !== 'get';
  const secured = (operation.security ?? []).length > 0;
  const parameters = (operation.parameters ?? []).filter(
    (p): p is ParameterObject => !('$ref' in p),
  );
  for (const parameter of parameters) {
    const note = PARAMETER_NOTES[`${parameter.in}:${parameter.name}`];
    if (note !== undefined) parameter.description ??= note;
    const codes = DIVISION_PARAMETERS[parameter.name];
    if (parameter.in === 'query' && codes !== undefined)
      parameter.schema = { $ref: `#/components/schemas/${codes}` };
  }
  const responses = operation.responses as Record<string, ResponseObject | ReferenceObject>;
  for (const [status, response] of Object.entries(responses)) {
    // @nestjs/swagger's placeholder for a route with no declared answer.
    if (!status.startsWith('2') || '$ref' in response || response.description !== '') continue;
    responses[status] = write
      ? writeAnswer(status === '201' ? 'Written.' : 'Written, or already so.')
      : { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } };
    if (write && status === '201') {
      responses['200'] = writeAnswer(
        'Nothing to change (already so), or a retry with the same Idempotency-Key: the current answer.',
      );
    }
  }
  const errors = [...COMMON_PROBLEMS];
  if (write || parameters.length > 0 || operation.requestBody) errors.push(400);
  if (secured) errors.push(403);
  if (path.includes('{') || LOOKED_UP_BY_QUERY.has(path)) errors.push(404);
  if (write) errors.push(409, 422);
  for (const status of errors.sort((a, b) => a - b)) {
    const problem = PROBLEM_RESPONSES[status];
    if (problem && !(String(status) in responses))
      responses[String(status)] = { $ref: `#/components/responses/${problem.name}` };
  }
}

/** Routes that name what they look up in a query parameter: an unknown one is 404 too. */
const LOOKED_UP_BY_QUERY: ReadonlySet<string> = new Set(['/audit/proof/inclusion']);

/** What a parameter means where its DTO's doc comment cannot reach the document. */
const PARAMETER_NOTES: Record<string, string> = {
  'query:minPosition':
    'Wait (up to a few seconds, else 503 with Retry-After) until this read model has applied the ' +
    'global position a write answered, so a client reads its own write.',
  'query:asOf':
    'The state as of the end of this Shanghai day, by recorded time. Give exactly one of asOf and revision (400 otherwise).',
  'query:revision':
    'The state as of this revision. Give exactly one of asOf and revision (400 otherwise).',
  'query:district': 'A district code (400 when unknown).',
  'query:street': 'A street code (400 when unknown, or not in the district given with it).',
  'query:community':
    'A community code (400 when unknown, or not in the street or district given with it).',
  'query:to': 'The end of the range, inclusive: not before `from` (400 otherwise).',
  'query:after': 'The `next` of the page before: the records after it.',
  'query:upTo': 'Check and digest only the events at or before this global position.',
};

function writeAnswer(description: string): ResponseObject {
  return {
    description,
    headers: {
      ETag: ETAG_HEADER,
      'Idempotent-Replayed': {
        description: '`true` when an earlier try with the same Idempotency-Key wrote it.',
        schema: { type: 'string', enum: ['true'] },
      },
    },
    content: WRITE_ANSWER_CONTENT,
  };
}
