import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import { LEGAL_FORMS, TIERS, type LegalForm, type Tier } from '../domain/organization.types.js';

export class PromoteDto {
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
