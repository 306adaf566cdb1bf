import { IsOptional, Matches } from 'class-validator';
import { MONTH, Paged, PlaceQueryDto } from '../http/read-query.dto.js';

export class TargetsQueryDto extends Paged(PlaceQueryDto, 500, 50) {}

export class TimelineQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month YYYY-MM' })
  from?: string;

  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month YYYY-MM' })
  to?: string;
}
