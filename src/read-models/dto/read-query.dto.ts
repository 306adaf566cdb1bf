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
  ACTIVITY_LEVELS,
  CATEGORIES,
  FUNDING_CHANNELS,
  TIERS,
  type ActivityLevel,
  type Category,
  type FundingChannel,
  type Tier,
} from '../../organizations/organization.types.js';
import { IsCalendarDate, TEXT } from '../../platform/validators.js';

/** Months of this century: the registry starts in 2021, and the bound keeps series short. */
const MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;

/** `?minPosition=P`: wait until the read model applied the global position a write answered. */
export class ReadYourWritesDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPosition?: number;
}

export class PlaceQueryDto extends ReadYourWritesDto {
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'district must be a 6-digit district code' })
  district?: string;

  @IsOptional()
  @Matches(/^\d{9}$/, { message: 'street must be a 9-digit street code' })
  street?: string;

  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'community must be a 12-digit community code' })
  community?: string;
}

export class PagedPlaceQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}

/** The registry's filters; the export takes them without paging. */
export class RegistryExportDto extends PlaceQueryDto {
  @IsOptional()
  @IsIn(CATEGORIES)
  category?: Category;

  @IsOptional()
  @IsIn(TIERS)
  tier?: Tier;

  @IsOptional()
  @IsIn(['active', 'dissolved'])
  status?: 'active' | 'dissolved';

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @Matches(TEXT)
  q?: string;
}

export class RegistryQueryDto extends RegistryExportDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}

export class DistrictQueryDto extends ReadYourWritesDto {
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'district must be a 6-digit district code' })
  district?: string;
}

export class TargetsQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize = 50;
}

export class TimelineQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Matches(MONTH, { message: 'from must be a month YYYY-MM' })
  from?: string;

  @IsOptional()
  @Matches(MONTH, { message: 'to must be a month YYYY-MM' })
  to?: string;
}

export class FundingTotalsQueryDto extends PlaceQueryDto {
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'year must be YYYY' })
  year?: string;
}

export class GrantsQueryDto extends DistrictQueryDto {
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

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100_000)
  page = 1;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  pageSize = 20;
}

export class ActivityQueryDto extends PagedPlaceQueryDto {
  @IsOptional()
  @Matches(MONTH, { message: 'month must be YYYY-MM' })
  month?: string;

  @IsOptional()
  @IsIn(ACTIVITY_LEVELS)
  level?: ActivityLevel;
}
