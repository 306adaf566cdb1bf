import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { DistrictQueryDto, MONTH, Paged, PlaceQueryDto } from '../http/read-query.dto.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- TypeScript's mixin pattern needs any[] arguments
type QueryClass = new (...args: any[]) => object;

/** Adds `asOf` (`YYYY-MM`): the figures as they stood at the end of that month. */
function AsOf<Base extends QueryClass>(Base: Base) {
  class AsOfQuery extends Base {
    @ApiProperty({
      required: false,
      description:
        'The figures as they stood at the end of this month, by business dates (an event without ' +
        'one counts from its recorded Shanghai date). Up to the current month (its figures so ' +
        'far); a month before anything counted answers empty figures, a later month 400.',
    })
    @IsOptional()
    @Matches(MONTH, { message: 'asOf must be a month YYYY-MM' })
    asOf?: string;
  }
  return AsOfQuery;
}

export class OverviewQueryDto extends AsOf(PlaceQueryDto) {}

export class TargetsQueryDto extends AsOf(Paged(PlaceQueryDto, 500, 50)) {}

export class PlatformsQueryDto extends AsOf(DistrictQueryDto) {}

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
