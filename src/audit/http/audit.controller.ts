import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { CurrentActor } from '../../http/auth/auth.decorators.js';
import { ConcurrencyLimit } from '../../http/concurrency-limit.js';
import { DomainError } from '../../event-sourcing/domain-error.js';
import { UuidParamPipe } from '../../http/uuid-param.pipe.js';
import { organizationStream } from '../../organizations/organization-writer.js';
import type { Actor } from '../../organizations/domain/organization.types.js';
import { AuditService, type LogCheck } from '../audit.service.js';
import type { ChainCheck } from '../chain-verification.js';
import { LogVerifyQueryDto } from './audit-query.dto.js';

/** Integrity verification, for auditors only. */
@Controller('audit')
export class AuditController {
  /** Each call reads and hashes the whole log: two at a time per replica is plenty for auditors. */
  private readonly wholeLog = new ConcurrencyLimit('verifications of the whole log', 2, 10);

  constructor(@Inject(AuditService) private readonly audit: AuditService) {}

  @Get('verify/:id')
  async verifyOne(
    @Param('id', new UuidParamPipe('id')) id: string,
    @CurrentActor() actor: Actor,
  ): Promise<ChainCheck> {
    requireAuditor(actor);
    const check = await this.audit.verifyStream(organizationStream(id));
    if (check.checked === 0)
      throw new DomainError('not-found', 'organization-unknown', `No organization ${id}`);
    return check;
  }

  @Get('verify')
  async verifyAll(@Query() q: LogVerifyQueryDto, @CurrentActor() actor: Actor): Promise<LogCheck> {
    requireAuditor(actor);
    return this.wholeLog.run(() => this.audit.verifyLog(q.upTo));
  }
}

function requireAuditor(actor: Actor): void {
  if (actor.role !== 'auditor')
    throw new DomainError('forbidden', 'auditor-only', 'Only auditors verify the log');
}
