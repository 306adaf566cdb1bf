import type { CommandAnswer } from '../command-answer.js';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandContext } from '../../event-sourcing/command-context.js';
import {
  OrganizationWriter,
  type ChangePayload,
  type RegistrationPayload,
} from '../organization-writer.js';

export class RegisterOrganizationCommand extends Command<CommandAnswer> {
  constructor(
    readonly payload: RegistrationPayload,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Every command on an existing organization: the payload's `type` names the domain command. */
export class ChangeOrganizationCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly payload: ChangePayload,
    readonly context: CommandContext,
    readonly expectedRevision?: number,
  ) {
    super();
  }
}

@CommandHandler(RegisterOrganizationCommand)
export class RegisterOrganizationHandler implements ICommandHandler<RegisterOrganizationCommand> {
  constructor(@Inject(OrganizationWriter) private readonly writer: OrganizationWriter) {}

  execute(command: RegisterOrganizationCommand): Promise<CommandAnswer> {
    return this.writer.register(command.payload, command.context);
  }
}

@CommandHandler(ChangeOrganizationCommand)
export class ChangeOrganizationHandler implements ICommandHandler<ChangeOrganizationCommand> {
  constructor(@Inject(OrganizationWriter) private readonly writer: OrganizationWriter) {}

  execute(command: ChangeOrganizationCommand): Promise<CommandAnswer> {
    return this.writer.change(
      command.organizationId,
      command.payload,
      command.context,
      command.expectedRevision,
    );
  }
}
