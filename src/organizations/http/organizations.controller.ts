import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { ETAG_HEADER } from '../../http/openapi/openapi-components.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import { COMMAND_TABLE } from '../command-table.js';
import type { Actor } from '../domain/organization.types.js';
import { accessRoute } from '../../personal-data/access-recorder.js';
import { OrganizationReader } from '../organization-reader.js';
import { etag } from './command-request.js';
import { serveCommandTable } from './command-routes.js';

/** The write routes of API.md ("Writes"), one per row of the command table, and one read. */
@Controller('organizations')
export class OrganizationsController {
  constructor(
    @Inject(CommandBus) readonly commandBus: CommandBus,
    @Inject(OrganizationReader) private readonly reader: OrganizationReader,
  ) {}

  @Get(':id')
  @ApiOkResponse({
    description:
      'The current state, with the contact where the caller may see it (the levels the ' +
      'organization belongs to; never auditors). founders: a unit `{ kind, name }`; a resident ' +
      '`{ kind, name }` to those who may see the contact, `{ kind }` to the others, and ' +
      '`{ kind, nameErased: true }` once its personal data was erased. Each read that shows a ' +
      "contact or a resident's name is recorded in the personal-data access log first; if it " +
      'cannot be, 507/503 and nothing is shown. Business dates: ' +
      'foundedOn; registeredOn (registered: the registration date, or the promotion date); ' +
      "filedOn (a team's filing in force); recordedOn (a group: the date its committee " +
      'recorded it); tierSince (the date the current tier began); null where one does not ' +
      'apply. activityScope: community, street or district.',
    headers: { ETag: ETAG_HEADER },
    schema: { type: 'object' },
  })
  async get(
    @Param('id', new UuidParamPipe('id')) id: string,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Record<string, unknown>> {
    const { view, revision } = await this.reader.current(id, actor, accessRoute(request));
    void reply.header('etag', etag(revision));
    return view;
  }
}

serveCommandTable(OrganizationsController, COMMAND_TABLE);
