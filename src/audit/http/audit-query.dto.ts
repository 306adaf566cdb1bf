import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
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
