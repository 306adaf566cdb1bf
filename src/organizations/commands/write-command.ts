import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../event-sourcing/command-context.js';
import type { CommandAnswer } from '../command-answer.js';
import {
  COMMAND_TABLE,
  type CommandName,
  type CommandRow,
  type NewId,
  type RouteParams,
} from '../command-table.js';
import type { RegisterOrganizationDto } from '../dto/register-organization.dto.js';
import { OrganizationWriter } from '../organization-writer.js';

/** Injection token of the id generator the composition root passes in (`newId`). */
export const NEW_ID = Symbol('NEW_ID');

/** Any write of the command table, as the HTTP edge received it. */
export class WriteCommand extends Command<CommandAnswer> {
  constructor(
    readonly name: CommandName,
    /** The body, validated into the row's DTO class (`{}` for a route without one). */
    readonly dto: object,
    readonly params: RouteParams,
    readonly context: CommandContext,
    /** If-Match, on commands on an existing organization. */
    readonly expectedRevision?: number,
  ) {
    super();
  }
}

/** Turns the request into the row's domain command and runs it through the writer. */
@CommandHandler(WriteCommand)
export class WriteCommandHandler implements ICommandHandler<WriteCommand> {
  constructor(
    @Inject(OrganizationWriter) private readonly writer: OrganizationWriter,
    @Inject(NEW_ID) private readonly newId: NewId,
  ) {}

  execute({ name, dto, params, context, expectedRevision }: WriteCommand): Promise<CommandAnswer> {
    const row: CommandRow = COMMAND_TABLE[name];
    if (row.kind === 'registration') {
      // The validation pipe built the body from the row's DTO class.
      const payload = row.toCommand(dto as RegisterOrganizationDto, params, this.newId);
      return this.writer.register(payload, context);
    }
    const id = params['id'];
    if (id === undefined) throw new Error(`Command ${name} has no :id in its path`);
    const payload = row.toCommand(dto, params, this.newId);
    return this.writer.change(id, payload, context, expectedRevision);
  }
}
