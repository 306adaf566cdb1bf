import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsObject,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';
import {
  ACTIVITY_SCOPES,
  CATEGORIES,
  FOUNDER_KINDS,
  LEGAL_FORMS,
  TIERS,
  type ActivityScope,
  type Category,
  type LegalForm,
  type Tier,
} from '../domain/organization.types.js';
import { ContactDto } from './contact.dto.js';

export class FounderDto {
  @IsIn(FOUNDER_KINDS)
  kind!: (typeof FOUNDER_KINDS)[number];

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(TEXT)
  name!: string;
}

export class RegisterOrganizationDto {
  @ApiProperty({
    description:
      'Chinese, 2–50 characters (checked by the domain); unique among the live organizations ' +
      "under the same managing authority — a group's community, a team's street, a registered " +
      "organization's district, a community foundation city-wide — compared after NFKC, without " +
      'spaces and default-ignorable code points: `422 name-taken`.',
  })
  @IsString()
  @MaxLength(200)
  @Matches(TEXT)
  name!: string;

  @IsIn(CATEGORIES)
  category!: Category;

  @IsIn(TIERS)
  tier!: Tier;

  @IsOptional()
  @IsIn(LEGAL_FORMS)
  legalForm?: LegalForm;

  @ApiProperty({
    required: false,
    description:
      "A registered organization's USCC, held by no other live organization of the city: " +
      '`422 uscc-taken`.',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[0-9A-Z]{18}$/, { message: 'uscc must be 18 characters 0-9 or A-Z' })
  uscc?: string;

  @ApiProperty({
    required: false,
    description:
      "A team's filing number, held by no other live team of its street: " +
      '`422 filing-number-taken`.',
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
      'Teams only: the filing date (备案日期), the business date the street filed it; default ' +
      'today, never in the future (date-in-future), never before foundedOn ' +
      '(date-before-founding). Another tier: 422 credential-not-applicable.',
  })
  @IsOptional()
  @IsCalendarDate()
  filedOn?: string;

  @ApiProperty({
    required: false,
    description:
      'Registered organizations only: the registration date (登记日期), the business date the ' +
      'bureau registered it; default today, never in the future, never before foundedOn. ' +
      'Another tier: 422 credential-not-applicable.',
  })
  @IsOptional()
  @IsCalendarDate()
  registeredOn?: string;

  @ApiProperty({
    required: false,
    description:
      'Groups only: the date the committee recorded the group (记录日期); default today, never ' +
      'in the future, never before foundedOn. Another tier: 422 credential-not-applicable.',
  })
  @IsOptional()
  @IsCalendarDate()
  recordedOn?: string;

  @ApiProperty({
    required: false,
    enum: ACTIVITY_SCOPES,
    description:
      'Activity scope (活动范围): community, street or district; default by tier (group ' +
      'community, team street, registered district). A group is active in its community ' +
      '(another scope: 422 group-scope-community); a team may be street-wide while based in ' +
      'one community.',
  })
  @IsOptional()
  @IsIn(ACTIVITY_SCOPES)
  activityScope?: ActivityScope;

  @Matches(/^\d{6}$/, { message: 'districtCode must be a 6-digit district code' })
  districtCode!: string;

  @Matches(/^\d{9}$/, { message: 'streetCode must be a 9-digit street code' })
  streetCode!: string;

  @ApiProperty({
    required: false,
    description:
      'The community it is based in (所在社区), of its street: required for every tier, never one ' +
      'of the placeholder communities; left out only at a special unit whose only community is a ' +
      'placeholder (the organization is then based at the unit itself).',
  })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'communityCode must be a 12-digit community code' })
  communityCode?: string;

  @IsCalendarDate()
  foundedOn!: string;

  // The item class is invisible at run time (design:type is Array); the OpenAPI document needs it.
  @ApiProperty({ type: [FounderDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => FounderDto)
  founders!: FounderDto[];

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  supervisoryUnit?: string;

  @IsOptional()
  @IsObject({ message: 'contact must be an object: { name, phone }' })
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;
}
