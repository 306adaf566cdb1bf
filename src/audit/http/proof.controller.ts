import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Public } from '../../http/auth/auth.decorators.js';
import { LogCheckpoints } from '../log-checkpoints.service.js';
import {
  consistencyOf,
  inclusionOf,
  type ConsistencyProofView,
  type InclusionProofView,
} from '../log-proofs.js';
import { ConsistencyProofQueryDto, InclusionProofQueryDto } from './audit-query.dto.js';

const base64Hashes = { type: 'array', items: { type: 'string', format: 'byte' } } as const;

/**
 * Proofs over the log's Merkle tree (RFC 9162): that an event is in the tree a checkpoint
 * signed, and that a later checkpoint extends an earlier one. Public: they hold hashes only.
 */
@Public()
@Controller('audit/proof')
export class ProofController {
  constructor(@Inject(LogCheckpoints) private readonly checkpoints: LogCheckpoints) {}

  @Get('inclusion')
  @ApiOkResponse({
    description:
      "The inclusion proof of an event in the tree of `treeSize` leaves (a checkpoint's size): its leaf index (its ordinal in the log), its leaf hash (SHA-256 of 0x00 and the 32 bytes of its chain hash) and the sibling hashes from the leaf up (RFC 9162 §2.1.3), base64. 404 for an unknown event; 400 when treeSize exceeds the tree's size or does not reach the event.",
    schema: {
      type: 'object',
      required: ['leafIndex', 'treeSize', 'leafHash', 'inclusionPath'],
      properties: {
        leafIndex: { type: 'integer', minimum: 0 },
        treeSize: { type: 'integer', minimum: 1 },
        leafHash: { type: 'string', format: 'byte' },
        inclusionPath: base64Hashes,
      },
    },
  })
  inclusion(@Query() q: InclusionProofQueryDto): Promise<InclusionProofView> {
    return inclusionOf(this.checkpoints.tree, q.event, q.treeSize);
  }

  @Get('consistency')
  @ApiOkResponse({
    description:
      'The consistency proof that the tree of `from` leaves is a prefix of the tree of `to` leaves (RFC 9162 §2.1.4), base64; empty when from is 0 or equals to. 400 when from exceeds to or to exceeds the tree size.',
    schema: {
      type: 'object',
      required: ['consistencyPath'],
      properties: { consistencyPath: base64Hashes },
    },
  })
  consistency(@Query() q: ConsistencyProofQueryDto): Promise<ConsistencyProofView> {
    return consistencyOf(this.checkpoints.tree, q.from, q.to);
  }
}
