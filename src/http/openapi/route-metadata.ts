import { RequestMethod, type INestApplication } from '@nestjs/common';
import {
  HEADERS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { MetadataScanner, ModulesContainer } from '@nestjs/core';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiParam,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { PUBLIC_ROUTE } from '../auth/auth.decorators.js';
import { EnumParamPipe } from '../enum-param.pipe.js';
import { UuidParamPipe } from '../uuid-param.pipe.js';
import { BEARER } from './openapi-components.js';
import { documentValidatedDto, type DtoClass } from './validated-properties.js';

type Handler = (...args: unknown[]) => unknown;

interface RouteArgument {
  readonly index: number;
  readonly data?: unknown;
  readonly pipes?: readonly unknown[];
}

/** Decorators are applied once per handler, however many apps a process builds (the tests). */
const decorated = new WeakSet<Handler>();

/**
 * Adds to every controller route the documentation its own metadata implies, so no route needs
 * hand-written OpenAPI decorators for what the code already says:
 * - routes not marked `@Public()` need the bearer token (the AuthGuard's rule);
 * - every write (any method but GET) takes `Idempotency-Key`, `If-Match` and `X-Correlation-Id`
 *   (API.md "Writes": the contract is the same for all of them);
 * - a path parameter checked by UuidParamPipe is a UUID, one checked by EnumParamPipe one of its codes;
 * - a GET with a fixed `content-type` header answers that type;
 * - body and query DTOs get schemas from their class-validator rules.
 * Answers the DTO classes it documented (nested ones included).
 */
export function documentRoutes(app: INestApplication): Set<DtoClass> {
  const dtos = new Set<DtoClass>();
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (abstract new (...args: never[]) => object) | null;
      if (!controller) continue;
      const prototype = controller.prototype as object;
      const classIsPublic = Reflect.getMetadata(PUBLIC_ROUTE, controller) === true;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, unknown>)[name] as Handler;
        const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined || !descriptor) continue;
        const firstTime = !decorated.has(handler);
        decorated.add(handler);
        const decorate = (decorator: MethodDecorator): void => {
          if (firstTime) decorator(prototype, name, descriptor);
        };
        decorate(ApiTags(tagOf(controller.name)));
        if (!classIsPublic && Reflect.getMetadata(PUBLIC_ROUTE, handler) !== true)
          decorate(ApiBearerAuth(BEARER));
        if ((Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod) !== RequestMethod.GET)
          for (const header of WRITE_HEADERS) decorate(ApiHeader(header));
        else {
          // A fixed `@Header('content-type', …)` (e.g. /metrics) says what the route answers.
          const fixed = (Reflect.getMetadata(HEADERS_METADATA, handler) ?? []) as {
            name: string;
            value: string;
          }[];
          const contentType = fixed.find((h) => h.name.toLowerCase() === 'content-type')?.value;
          if (contentType !== undefined) {
            decorate(ApiProduces(contentType));
            decorate(ApiOkResponse({ description: 'OK', schema: { type: 'string' } }));
          }
        }
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          RouteArgument
        >;
        const types = (Reflect.getMetadata('design:paramtypes', prototype, name) ??
          []) as unknown[];
        for (const [key, arg] of Object.entries(args)) {
          const kind = key.split(':')[0];
          if (
            kind === String(RouteParamtypes.PARAM) &&
            arg.pipes?.some((p) => p instanceof UuidParamPipe)
          )
            decorate(ApiParam({ name: String(arg.data), type: 'string', format: 'uuid' }));
          const codes = arg.pipes?.find((p): p is EnumParamPipe => p instanceof EnumParamPipe);
          if (kind === String(RouteParamtypes.PARAM) && codes)
            decorate(ApiParam({ name: codes.name, type: 'string', enum: [...codes.values] }));
          const type = types[arg.index];
          if (
            (kind === String(RouteParamtypes.BODY) || kind === String(RouteParamtypes.QUERY)) &&
            isDto(type)
          )
            documentValidatedDto(type, dtos);
        }
      }
    }
  }
  return dtos;
}

/** `RegistryController` → `registry`: one tag per controller groups its routes in the UI. */
const tagOf = (controllerName: string): string =>
  controllerName.replace(/Controller$/, '').toLowerCase();

const isDto = (type: unknown): type is DtoClass =>
  typeof type === 'function' && ![Object, String, Number, Boolean, Array].includes(type as never);

const WRITE_HEADERS = [
  {
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retry with the same key and body returns the first answer and writes nothing new (1 to 200 visible ASCII characters).',
    schema: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7e]+$' },
  },
  {
    name: 'If-Match',
    required: false,
    description:
      'The revision the write expects, as its ETag `"<revision>"`: if the organization has moved on, 409 and nothing is written.',
    schema: { type: 'string', pattern: '^(W/)?"[0-9]{1,15}"$' },
  },
  {
    name: 'X-Correlation-Id',
    required: false,
    description:
      "Recorded for ever in the events' metadata and exported in histories, so an identifier only (letters, digits, `.` `_` `:` `-`); defaults to the command's own id.",
    schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' },
  },
];
