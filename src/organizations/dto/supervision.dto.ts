import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import {
  CATEGORIES,
  DISSOLUTION_KINDS,
  EVALUATORS,
  GRADES,
  PARTY_ORGANIZATION_STATUSES,
  type Category,
  type DissolutionKind,
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

  @ApiProperty({
    description:
      'Who appraised it (评议): `residents`, `committee` or `street`. The committee or the street ' +
      "records it; the committee's own appraisal only by the committee, the street's only by the " +
      'street (403 `evaluator-authority`).',
  })
  @IsIn(EVALUATORS)
  evaluator!: Evaluator;

  @ApiProperty({ description: '优秀 `excellent`, 良好 `good`, 合格 `pass` or 不合格 `fail`.' })
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

  @ApiProperty({
    description:
      '注销 `deregistered` (voluntary), 撤销 `revoked` (a sanction), 清理 `cleared` (inactive groups ' +
      'and teams only: 422 `cleared-not-for-registered`) or 合并 `merged` (with `mergedInto`).',
  })
  @IsIn(DISSOLUTION_KINDS)
  kind!: DissolutionKind;

  @ApiProperty({
    required: false,
    description:
      'The surviving organization of a merger: required for `merged` (422 `merged-into-required`), ' +
      'refused otherwise (`merged-into-not-applicable`); another organization ' +
      '(`merge-into-itself`), existing (`merge-survivor-unknown`) and live ' +
      '(`merge-survivor-dissolved`).',
    format: 'uuid',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'mergedInto must be a UUID',
  })
  mergedInto?: string;
}
