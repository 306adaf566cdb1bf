import { Controller, Get, Header, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { Public } from '../../http/auth/auth.decorators.js';
import { DomainError } from '../../event-sourcing/domain-error.js';
import type { SignedCheckpoint } from '../../event-sourcing/ports/log-tree.port.js';
import { LogCheckpoints } from '../log-checkpoints.service.js';
import { CheckpointsQueryDto } from './audit-query.dto.js';

/** A checkpoint in the history: its tree head, when it was signed, and the signed note itself. */
export interface CheckpointView {
  readonly treeSize: number;
  /** The root hash, base64 (as in the note). */
  readonly rootHash: string;
  readonly signedAt: string;
  readonly note: string;
}

const view = (c: SignedCheckpoint): CheckpointView => ({
  treeSize: c.size,
  rootHash: c.root.toString('base64'),
  signedAt: c.signedAt,
  note: c.note,
});

/**
 * The log's signed checkpoints (C2SP tlog-checkpoint): public, as they hold hashes only. Anyone
 * may keep one and later ask for a proof that the log still extends it.
 */
@Public()
@Controller('audit')
export class CheckpointController {
  constructor(@Inject(LogCheckpoints) private readonly checkpoints: LogCheckpoints) {}

  @Get('checkpoint')
  @Header('content-type', 'text/plain; charset=utf-8')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      "The latest checkpoint as a C2SP signed note: the origin line (LOG_ORIGIN), the tree size, the base64 root hash of the RFC 9162 Merkle tree over the log's events, a blank line, and the log's Ed25519 signature line (verify with the key `npm run audit -- log-key` prints).",
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  async latest(): Promise<string> {
    const latest = await this.checkpoints.latest();
    if (latest === undefined)
      throw new DomainError('not-found', 'no-checkpoint', 'No checkpoint was signed yet');
    return latest.note;
  }

  @Get('checkpoints')
  @ApiOkResponse({
    description:
      'The checkpoints signed so far, from tree size `from` on, smallest first (at most `limit`): each with its tree size, base64 root hash, when it was signed and the signed note.',
    schema: {
      type: 'array',
      items: {
        type: 'object',
        required: ['treeSize', 'rootHash', 'signedAt', 'note'],
        properties: {
          treeSize: { type: 'integer', minimum: 0 },
          rootHash: { type: 'string', format: 'byte' },
          signedAt: { type: 'string', format: 'date-time' },
          note: { type: 'string' },
        },
      },
    },
  })
  async history(@Query() q: CheckpointsQueryDto): Promise<CheckpointView[]> {
    return (await this.checkpoints.list(q.from, q.limit)).map(view);
  }
}
