import { IsIn, IsOptional, Matches } from 'class-validator';
import { DistrictQueryDto, Paged, PlaceQueryDto } from '../http/read-query.dto.js';
import { IsCalendarDate } from '../http/validators.js';
import {
  FUNDING_CHANNELS,
  type FundingChannel,
} from '../organizations/domain/organization.types.js';

export class FundingTotalsQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be YYYY' })
  year?: string;
}

export class GrantsQueryDto extends Paged(DistrictQueryDto) {
  @IsOptional()
  @Matches(/^[0-9a-f-]{36}$/i, { message: 'organization must be an organization id (UUID)' })
  organization?: string;

  @IsOptional()
  @IsIn(FUNDING_CHANNELS)
  channel?: FundingChannel;

  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be YYYY' })
  year?: string;

  @IsOptional()
  @IsCalendarDate()
  from?: string;

  @IsOptional()
  @IsCalendarDate()
  to?: string;
}
