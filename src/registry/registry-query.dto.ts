import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Paged, PlaceQueryDto } from '../http/read-query.dto.js';
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

export class RegistryQueryDto extends Paged(RegistryExportDto) {}
