import { ApiProperty } from '@nestjs/swagger';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';

export class RenameDto {
  @ApiProperty({
    description:
      'The new name (更名), Chinese, 2–50 characters; unique among the live organizations under ' +
      'the same managing authority (422 `name-taken`); the old name is free again.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(TEXT)
  name!: string;

  @IsCalendarDate()
  renamedOn!: string;
}

export class MoveDto {
  @ApiProperty({
    description:
      'The new base community (迁移), within or across streets and districts. Recorded by the ' +
      'level that manages the organization at its new place (403 `move-authority`), which ' +
      'manages it afterwards. Its name and filing number must be free in the new scope ' +
      '(`name-taken`, `filing-number-taken`); a registered organization keeps the district its ' +
      'USCC names (`uscc-region`).',
  })
  @Matches(/^\d{6}$/, { message: 'districtCode must be a 6-digit district code' })
  districtCode!: string;

  @Matches(/^\d{9}$/, { message: 'streetCode must be a 9-digit street code' })
  streetCode!: string;

  @ApiProperty({
    required: false,
    description:
      'The new community, of the new street; left out only at a special unit whose only ' +
      'community is a placeholder.',
  })
  @IsOptional()
  @Matches(/^\d{12}$/, { message: 'communityCode must be a 12-digit community code' })
  communityCode?: string;

  @IsCalendarDate()
  movedOn!: string;
}

export class SupervisoryUnitDto {
  @ApiProperty({
    description:
      'The business supervisory unit (业务主管单位); a community foundation has none (422 ' +
      '`foundation-supervisory-unit`).',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @Matches(TEXT)
  unit!: string;
}

export class ProfileDto {
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  members!: number;

  @IsInt()
  @Min(0)
  @Max(1_000_000)
  volunteers!: number;

  @ApiProperty({ description: 'The regular activity venue (活动场所); empty when it has none.' })
  @IsString()
  @MaxLength(200)
  @Matches(TEXT)
  venue!: string;
}

export class AcknowledgementDto {
  @ApiProperty({
    description:
      'The date the receiving level got the report: not in the future, not before the report.',
  })
  @IsCalendarDate()
  acknowledgedOn!: string;
}
