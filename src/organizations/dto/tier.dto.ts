import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import { LEGAL_FORMS, TIERS, type LegalForm, type Tier } from '../domain/organization.types.js';

export class PromoteDto {
  @ApiProperty({
    enum: TIERS,
    description:
      'A higher tier. Tiers are classifications, not a ladder: group → team by the street ' +
      'office with a filing (OrganizationFiled + TierPromoted); group → registered or team → ' +
      'registered by the district bureau (the city bureau for a community foundation) with a ' +
      'valid USCC and legal form (one TierPromoted, no filing). The same or a lower tier: 422 ' +
      'promotion-one-step. The activity scope is kept.',
  })
  @IsIn(TIERS)
  toTier!: Tier;

  @ApiProperty({
    required: false,
    description: 'To team: held by no other live team of the street (`422 filing-number-taken`).',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(TEXT)
  filingNumber?: string;

  @ApiProperty({
    required: false,
    description:
      "To team: the filing date, the promotion's business date (becomes tierSince); default " +
      'today, never in the future, never before foundedOn (date-before-founding).',
  })
  @IsOptional()
  @IsCalendarDate()
  filedOn?: string;

  @ApiProperty({
    required: false,
    description: 'To registered: held by no other live organization (`422 uscc-taken`).',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Z]{18}$/, { message: 'uscc must be 18 characters 0-9 or A-Z' })
  uscc?: string;

  @IsOptional()
  @IsIn(LEGAL_FORMS)
  legalForm?: LegalForm;

  @ApiProperty({
    required: false,
    description:
      "To registered: the registration date (登记日期), the promotion's business date (becomes " +
      'registeredOn and tierSince); default today, never in the future, never before foundedOn ' +
      '(date-before-founding).',
  })
  @IsOptional()
  @IsCalendarDate()
  registeredOn?: string;
}

export class DemoteDto {
  @IsIn(TIERS)
  toTier!: Tier;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(TEXT)
  reason!: string;
}
