import { IsIn, IsOptional, Matches } from 'class-validator';
import { MONTH, PagedPlaceQueryDto } from '../http/read-query.dto.js';
import { ACTIVITY_LEVELS, type ActivityLevel } from '../organizations/domain/organization.types.js';

export class ActivityQueryDto extends PagedPlaceQueryDto {
  @IsOptional()
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month?: string;

  @IsOptional()
  @IsIn(ACTIVITY_LEVELS)
  level?: ActivityLevel;
}
