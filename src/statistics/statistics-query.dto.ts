import { IsOptional, Matches } from 'class-validator';
import { DistrictQueryDto, MONTH, Paged, PlaceQueryDto } from '../http/read-query.dto.js';

export class TargetsQueryDto extends Paged(PlaceQueryDto, 500, 50) {}

export class TimelineQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month YYYY-MM' })
  from?: string;

  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month YYYY-MM' })
  to?: string;
}

export class IncubationQueryDto extends DistrictQueryDto {
  @IsOptional()
  @Matches(/^20\d{2}$/, { message: 'year must be a year YYYY' })
  year?: string;
}
