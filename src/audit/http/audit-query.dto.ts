import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import {
  ACCESS_CURSOR,
  MAX_ACCESS_PAGE,
} from '../../event-sourcing/ports/personal-data-access-log.port.js';
import { IsCalendarDate } from '../../http/validators.js';

export class HistoryQueryDto {
  @IsOptional()
  @IsIn(['json', 'jsonl', 'csv'])
  format: 'json' | 'jsonl' | 'csv' = 'json';
}

export class StateQueryDto {
  /** The end of this Shanghai day, by the events' recorded time (not their business dates). */
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  revision?: number;
}

export class LogVerifyQueryDto {
  /** Check and digest only the events at or before this position, to compare with an earlier digest. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  upTo?: number;
}

/** `GET /audit/personal-data-access`: who read personal data, by organization and Shanghai days. */
export class PersonalDataAccessQueryDto {
  @IsOptional()
  @Matches(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
    message: 'organization must be an organization id (UUID)',
  })
  organization?: string;

  /** From the start of this Shanghai day. */
  @IsOptional()
  @IsCalendarDate()
  from?: string;

  /** To the end of this Shanghai day. */
  @IsOptional()
  @IsCalendarDate()
  to?: string;

  /** `json`: one page `{ items, next }`; `jsonl` or `csv`: every matching record, streamed. */
  @IsOptional()
  @IsIn(['json', 'jsonl', 'csv'])
  format: 'json' | 'jsonl' | 'csv' = 'json';

  /** Records in one JSON page. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ACCESS_PAGE)
  limit = 100;

  /** The `next` of the page before. */
  @IsOptional()
  @Matches(ACCESS_CURSOR, { message: 'after must be the next cursor of a page' })
  after?: string;
}

/** `GET /audit/checkpoints`: the history from a tree size on. */
export class CheckpointsQueryDto {
  /** Checkpoints of this tree size or more. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  from = 0;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;
}

/** `GET /audit/proof/inclusion`: an event's inclusion in the tree of a size. */
export class InclusionProofQueryDto {
  /** The event's id (as in an organization's history). */
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  event!: string;

  /** The tree size of a checkpoint, at most the tree's size now. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  treeSize!: number;
}

/** `GET /audit/proof/consistency`: the tree of `from` leaves is a prefix of that of `to`. */
export class ConsistencyProofQueryDto {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  from!: number;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  to!: number;
}
