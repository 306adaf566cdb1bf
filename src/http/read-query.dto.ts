import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/** Months of this century: the registry starts in 2021, and the bound keeps series short. */
export const MONTH = /^20\d{2}-(0[1-9]|1[0-2])$/;

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

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's mixin pattern needs any[] arguments
type QueryClass = new (...args: any[]) => object;

/** Adds `page` (1 to 100,000) and `pageSize` (1 to `maxPageSize`) to a query DTO. */
export function Paged<Base extends QueryClass>(
  Base: Base,
  maxPageSize = 100,
  defaultPageSize = 20,
) {
  class PagedQuery extends Base {
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
    @Max(maxPageSize)
    pageSize = defaultPageSize;
  }
  return PagedQuery;
}

export class PagedPlaceQueryDto extends Paged(PlaceQueryDto) {}

export class DistrictQueryDto extends ReadYourWritesDto {
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'district must be a 6-digit district code' })
  district?: string;
}
