import { ApiProperty } from '@nestjs/swagger';
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
import { FIRST_YEAR } from '../../event-sourcing/iso-date.js';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import {
  FORMAL_GRADES,
  SPOT_CHECK_RESULTS,
  type FormalGrade,
  type SpotCheckResult,
} from '../domain/organization.types.js';

/** Largest count or amount accepted: 2^53 − 1, beyond which JSON numbers lose integers. */
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export class AnnualReportDto {
  @ApiProperty({
    description:
      'The finished year reported on (one report per year: 422 `annual-report-exists`). It is on ' +
      'time when recorded by 30 June of the next year (ANNUAL_REPORT_DUE).',
  })
  @IsInt({ message: 'year must be a whole year' })
  @Min(FIRST_YEAR)
  @Max(9999)
  year!: number;

  @IsInt({ message: 'members must be a whole number' })
  @Min(0)
  @Max(MAX_SAFE)
  members!: number;

  /** Integer fen (分). */
  @IsInt({ message: 'incomeFen must be a whole number of fen' })
  @Min(0)
  @Max(MAX_SAFE)
  incomeFen!: number;

  /** Integer fen (分). */
  @IsInt({ message: 'expenditureFen must be a whole number of fen' })
  @Min(0)
  @Max(MAX_SAFE)
  expenditureFen!: number;

  @ApiProperty({ description: 'How many activities the organization held in the year.' })
  @IsInt({ message: 'activities must be a whole number' })
  @Min(0)
  @Max(MAX_SAFE)
  activities!: number;

  @ApiProperty({
    description: 'The business date the report was recorded: after the year, never in the future.',
  })
  @IsCalendarDate()
  recordedOn!: string;
}

export class SpotCheckDto {
  @IsCalendarDate()
  checkedOn!: string;

  @ApiProperty({
    description:
      '合格 `passed`, 限期整改 `rectify` (with `deadline`; opens a correction notice, whose ' +
      '`noticeId` the answer carries) or 不合格 `failed`.',
  })
  @IsIn(SPOT_CHECK_RESULTS)
  result!: SpotCheckResult;

  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(TEXT)
  findings!: string;

  @ApiProperty({
    required: false,
    description:
      'By when to rectify: required for `rectify` (422 `deadline-required`), after checkedOn, ' +
      'refused otherwise (`deadline-not-applicable`).',
  })
  @IsOptional()
  @IsCalendarDate()
  deadline?: string;
}

export class GradeDto {
  @ApiProperty({ description: 'The formal grade (等级评估), `1A` to `5A`; valid five years.' })
  @IsIn(FORMAL_GRADES)
  grade!: FormalGrade;

  @IsCalendarDate()
  awardedOn!: string;
}

export class AbnormalListingDto {
  @ApiProperty({ description: 'Why, e.g. no annual report, unreachable at its address.' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(TEXT)
  reason!: string;

  @IsCalendarDate()
  listedOn!: string;
}

export class AbnormalClearanceDto {
  @IsCalendarDate()
  clearedOn!: string;
}
