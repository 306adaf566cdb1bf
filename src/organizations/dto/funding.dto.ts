import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { TEXT, IsCalendarDate } from '../../http/validators.js';
import {
  FUNDER_LEVELS,
  FUNDING_CHANNELS,
  type FunderLevel,
  type FundingChannel,
} from '../domain/organization.types.js';

export class FunderDto {
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  name!: string;

  @ApiProperty({
    description:
      "A city, district or street funder is the recording user's own level or one above it; a " +
      "committee funder is a community inside the recording user's area; a foundation is tied to " +
      'no place. A welfare-lottery grant comes from a district or city funder.',
  })
  @IsIn(FUNDER_LEVELS)
  level!: FunderLevel;

  @ApiProperty({
    description:
      "The funder's division code, of its level (city 310000, a district's 6 digits, a " +
      "street's 9, a community's 12), or for a foundation its USCC (civil affairs, 53…). " +
      "Refused (422 funder-place) when it is not the recording user's jurisdiction or an " +
      'ancestor of it (a committee funder: a community inside it).',
  })
  @IsString()
  @Matches(/^(\d{6}|\d{9}|\d{12}|[0-9A-Z]{18})$/, {
    message: 'code must be a division code or a USCC',
  })
  code!: string;
}

export class FundingDto {
  @IsIn(FUNDING_CHANNELS)
  channel!: FundingChannel;

  /** Integer fen (分): 1 yuan = 100. Floats are refused. */
  @IsInt({ message: 'amountFen must be a whole number of fen' })
  @Min(1)
  amountFen!: number;

  @IsCalendarDate()
  grantedOn!: string;

  /** Required: without `@IsObject` a missing funder passed validation and failed later (500). */
  @IsObject({ message: 'funder must be an object: { name, level, code }' })
  @ValidateNested()
  @Type(() => FunderDto)
  funder!: FunderDto;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  programme!: string;

  @ApiProperty({
    required: false,
    description:
      'A lower-case code. A welfare-lottery grant needs a welfare purpose: elderly, disability, ' +
      'orphans, hardship (扶老、助残、救孤、济困) or other-welfare with a purposeDescription.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(/^[a-z-]+$/, { message: 'purpose is a lower-case code, e.g. elderly' })
  purpose?: string;

  @ApiProperty({
    required: false,
    description:
      'What the purpose is when it is other-welfare (required then, refused otherwise), 1–200 characters.',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  purposeDescription?: string;
}
