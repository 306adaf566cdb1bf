import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  ChangeOrganizationHandler,
  RegisterOrganizationHandler,
} from './commands/organization.commands.handlers.js';
import { OrganizationsController } from './http/organizations.controller.js';

/** The organization write side over HTTP; its dependencies come from the composition root. */
@Module({
  imports: [CqrsModule],
  controllers: [OrganizationsController],
  providers: [RegisterOrganizationHandler, ChangeOrganizationHandler],
})
export class OrganizationsModule {}
