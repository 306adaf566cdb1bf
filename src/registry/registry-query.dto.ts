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
import { PlaceQueryDto } from '../http/read-query.dto.js';
import { TEXT } from '../http/validators.js';
import {
  CATEGORIES,
  TIERS,
  type Category,
  type Tier,
} from '../organizations/domain/organization.types.js';

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
