import { ApiProperty } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { Paged, ReadYourWritesDto } from '../http/read-query.dto.js';
import { IsCalendarDate } from '../http/validators.js';

export class WorklistSummaryDto extends ReadYourWritesDto {
  @ApiProperty({
    required: false,
    description:
      'The day days open, waiting days, inactivity, "last year" and grade expiry are counted ' +
      'from (default today in Shanghai): the answer depends on the question, never on when the ' +
      'read model was built. The lists are of the current state.',
  })
  @IsOptional()
  @IsCalendarDate()
  on?: string;
}

export class WorklistQueryDto extends Paged(WorklistSummaryDto) {}
