import 'reflect-metadata';
import { Body, Delete, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import type { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { EnumParamPipe } from '../../http/enum-param.pipe.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import type { CommandAnswer } from '../command-answer.js';
import type { CommandName, CommandRow, RouteParams } from '../command-table.js';
import { WriteCommand } from '../commands/write-command.js';
import type { Actor } from '../domain/organization.types.js';
import { commandContext, etag, expectedRevision } from './command-request.js';

export type WriteAnswer = Omit<CommandAnswer, 'written' | 'replayed'>;

/** What a controller serving the table holds. */
export interface CommandRoutesHost {
  readonly commandBus: CommandBus;
}

const METHODS = { POST: Post, PUT: Put, DELETE: Delete } as const;

/**
 * Adds one route per row of the table to the controller, decorated as a hand-written method
 * would be: `(…path params, body?, actor, request, reply)`, each `:param` a UUID (or one of the
 * row's `enumParams` codes), the body typed
 * with the row's DTO class (`design:paramtypes`) so the global validation pipe and the OpenAPI
 * document both see it.
 */
export function serveCommandTable(
  controller: abstract new (...args: never[]) => CommandRoutesHost,
  table: Readonly<Record<CommandName, CommandRow>>,
): void {
  const prototype = controller.prototype as object;
  for (const [name, row] of Object.entries(table) as [CommandName, CommandRow][]) {
    const paramNames = [...row.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] ?? '');
    const handler = routeHandler(name, row, paramNames);
    // @nestjs/swagger reads the route's metadata (and names the operation) by the function's name.
    Object.defineProperty(handler, 'name', { value: name });
    Object.defineProperty(prototype, name, { value: handler, writable: true, configurable: true });
    decorateRoute(prototype, name, row, paramNames);
  }
}

function routeHandler(
  name: CommandName,
  row: CommandRow,
  paramNames: readonly string[],
): (this: CommandRoutesHost, ...args: unknown[]) => Promise<WriteAnswer> {
  return function (this: CommandRoutesHost, ...args: unknown[]): Promise<WriteAnswer> {
    const params: RouteParams = Object.fromEntries(
      paramNames.map((param, i) => [param, args[i] as string]),
    );
    const rest = args.slice(paramNames.length);
    const body = row.dto ? (rest.shift() as object) : {};
    const [actor, request, reply] = rest as [Actor, FastifyRequest, FastifyReply];
    return write(this.commandBus, name, row, params, body, actor, request, reply);
  };
}

/** The decorators TypeScript would apply to the hand-written method, in the same order. */
function decorateRoute(
  prototype: object,
  name: string,
  row: CommandRow,
  paramNames: readonly string[],
): void {
  const args: ParameterDecorator[] = [
    ...paramNames.map((param) => {
      const values = row.enumParams?.[param];
      return Param(param, values ? new EnumParamPipe(param, values) : new UuidParamPipe(param));
    }),
    ...(row.dto ? [Body()] : []),
    CurrentActor(),
    Req(),
    Res({ passthrough: true }),
  ];
  const types = [
    ...paramNames.map(() => String),
    ...(row.dto ? [row.dto] : []),
    Object,
    Object,
    Object,
  ];
  const atIndex =
    (decorator: ParameterDecorator, index: number): PropertyDecorator =>
    (target, key) => {
      decorator(target, key, index);
    };
  Reflect.decorate(
    [
      METHODS[row.method](row.path),
      HttpCode(row.status),
      ...args.map(atIndex),
      Reflect.metadata('design:type', Function),
      Reflect.metadata('design:paramtypes', types),
      Reflect.metadata('design:returntype', Promise),
    ],
    prototype,
    name,
    Object.getOwnPropertyDescriptor(prototype, name),
  );
}

async function write(
  commandBus: CommandBus,
  name: CommandName,
  row: CommandRow,
  params: RouteParams,
  body: object,
  actor: Actor,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<WriteAnswer> {
  const context = commandContext(request, actor, body);
  const expected = row.kind === 'change' ? expectedRevision(request) : undefined;
  const answer = await commandBus.execute(new WriteCommand(name, body, params, context, expected));
  if (row.kind === 'registration') void reply.header('location', `/organizations/${answer.id}`);
  return respond(reply, answer, row.status);
}

/** A retry with the same Idempotency-Key gets the first answer again, flagged in a header. */
export function respond(reply: FastifyReply, answer: CommandAnswer, status: number): WriteAnswer {
  const { written, replayed, ...body } = answer;
  // A command that changed nothing (already so) answers 200 with the current revision.
  void reply.status(written ? status : 200).header('etag', etag(answer.revision));
  if (replayed) void reply.header('idempotent-replayed', 'true');
  return body;
}
