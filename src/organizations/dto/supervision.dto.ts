import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import {
  CATEGORIES,
  EVALUATORS,
  GRADES,
  PARTY_ORGANIZATION_STATUSES,
  type Category,
  type Evaluator,
  type Grade,
  type PartyOrganizationStatus,
} from '../domain/organization.types.js';

export class ReclassifyDto {
  @IsIn(CATEGORIES)
  category!: Category;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  criteria!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(TEXT)
  reason!: string;
}

export class EvaluationDto {
  /** A year, half-year, quarter or month: 2025, 2025-H1, 2025-Q3, 2025-07. */
  @Matches(/^\d{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$/, {
    message: 'period must look like 2025, 2025-H1, 2025-Q3 or 2025-07',
  })
  period!: string;

  @IsIn(EVALUATORS)
  evaluator!: Evaluator;

  @IsIn(GRADES)
  grade!: Grade;
}

export class CorrectionNoticeDto {
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(TEXT)
  reason!: string;
}

export class CorrectionResolutionDto {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(TEXT)
  note?: string;
}

export class PartyOrganizationDto {
  @IsIn(PARTY_ORGANIZATION_STATUSES)
  status!: PartyOrganizationStatus;
}

export class DissolutionDto {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(TEXT)
  reason!: string;

  @IsCalendarDate()
  dissolvedOn!: string;
}
