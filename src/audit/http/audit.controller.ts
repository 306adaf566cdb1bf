import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { ConcurrencyLimit } from '../../http/concurrency-limit.js';
import { DomainError } from '../../event-sourcing/domain-error.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import { organizationStream, OrganizationWriter } from '../../organizations/organization-writer.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import { audits } from '../../organizations/domain/rules/authority.js';
import { AuditService, type LogCheck } from '../audit.service.js';
import type { ChainCheck } from '../chain-verification.js';
import { LogVerifyQueryDto } from './audit-query.dto.js';
import { positionFromJson } from '../../event-sourcing/ports/event-store.port.js';

/** Integrity verification, for auditors only. */
@Controller('audit')
export class AuditController {
  /** Each call reads and hashes the whole log: two at a time per replica is plenty for auditors. */
  private readonly wholeLog = new ConcurrencyLimit('verifications of the whole log', 2, 10);

  constructor(
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(OrganizationWriter) private readonly writer: OrganizationWriter,
  ) {}

  @Get('verify/:id')
  async verifyOne(
    @Param('id', new UuidParamPipe('id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<ChainCheck> {
    requireAuditor(actor);
    const { state } = await this.writer.load(id);
    if (state === null)
      throw new DomainError('not-found', 'organization-unknown', `No organization ${id}`);
    if (!audits(actor, state))
      throw new DomainError(
        'forbidden',
        'audit-jurisdiction',
        "A district's auditor verifies only the organizations of its district",
      );
    return this.audit.verifyStream(organizationStream(id));
  }

  /**
   * Any auditor may verify the whole log: the answer is a count, a digest and at most the
   * position of the first broken event, nothing of another district's organizations.
   */
  @Get('verify')
  async verifyAll(@Query() q: LogVerifyQueryDto, @CurrentActor() actor: Actor): Promise<LogCheck> {
    requireAuditor(actor);
    return this.wholeLog.run(() =>
      this.audit.verifyLog(q.upTo === undefined ? undefined : positionFromJson(q.upTo)),
    );
  }
}

function requireAuditor(actor: Actor): void {
  if (actor.role !== 'auditor')
    throw new DomainError('forbidden', 'auditor-only', 'Only auditors verify the log');
}
