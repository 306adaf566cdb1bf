import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { Divisions } from '../divisions/divisions.js';
import {
  PERSONAL_DATA_VAULT,
  type PersonalDataVault,
} from '../event-sourcing/ports/personal-data-vault.port.js';
import { PersonalDataAccessRecorder } from '../personal-data/access-recorder.js';
import { WriteCommandHandler } from './commands/write-command.js';
import { OrganizationsController } from './http/organizations.controller.js';
import { OrganizationReader } from './organization-reader.js';
import { OrganizationWriter } from './organization-writer.js';

/** The organization write side over HTTP; its dependencies come from the composition root. */
@Module({
  imports: [CqrsModule],
  controllers: [OrganizationsController],
  providers: [
    WriteCommandHandler,
    {
      provide: OrganizationReader,
      inject: [OrganizationWriter, PERSONAL_DATA_VAULT, Divisions, PersonalDataAccessRecorder],
      useFactory: (
        writer: OrganizationWriter,
        vault: PersonalDataVault,
        divisions: Divisions,
        accesses: PersonalDataAccessRecorder,
      ) => new OrganizationReader(writer, vault, divisions, accesses),
    },
  ],
})
export class OrganizationsModule {}
