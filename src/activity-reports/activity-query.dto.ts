import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsCalendarDate } from '../http/validators.js';
import { MONTH, PagedPlaceQueryDto } from '../http/read-query.dto.js';
import { ACTIVITY_LEVELS, type ActivityLevel } from '../organizations/domain/organization.types.js';

export const RECEIPTS = ['waiting', 'acknowledged'] as const;
export type Receipt = (typeof RECEIPTS)[number];

export class ActivityQueryDto extends PagedPlaceQueryDto {
  @IsOptional()
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month?: string;

  @IsOptional()
  @IsIn(ACTIVITY_LEVELS)
  level?: ActivityLevel;

  @ApiProperty({
    required: false,
    enum: RECEIPTS,
    description: 'Only reports the level they were routed to has (not yet) acknowledged.',
  })
  @IsOptional()
  @IsIn(RECEIPTS)
  receipt?: Receipt;

  @ApiProperty({
    required: false,
    description:
      "The date a waiting report's days are counted to (default today in Shanghai): the answer " +
      'depends on the question, never on when the read model was built.',
  })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}
