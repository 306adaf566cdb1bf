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

  @IsIn(FUNDER_LEVELS)
  level!: FunderLevel;

  /** The funder's division code, or a USCC for a foundation. */
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

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(/^[a-z-]+$/, { message: 'purpose is a lower-case code, e.g. elderly' })
  purpose?: string;
}
