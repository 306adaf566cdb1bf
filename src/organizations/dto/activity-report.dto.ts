import { IsIn, IsInt, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import { ACTIVITY_KINDS, type ActivityKind } from '../domain/organization.types.js';

export class ActivityReportDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  title!: string;

  @IsIn(ACTIVITY_KINDS)
  kind!: ActivityKind;

  @IsCalendarDate()
  startsOn!: string;

  @IsCalendarDate()
  endsOn!: string;

  @Matches(/^\d{12}$/, { message: 'communityCode must be a 12-digit community code' })
  communityCode!: string;

  @IsInt()
  @Min(1)
  @Max(10_000_000)
  participants!: number;
}
