import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsCalendarDate, TEXT } from '../../http/validators.js';

export class FileTeamDto {
  @ApiProperty({
    description:
      'Held by no other live team of the street (`422 filing-number-taken`); a new number frees ' +
      'the old one.',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(60)
  @Matches(TEXT)
  filingNumber!: string;

  @IsCalendarDate()
  filedOn!: string;
}

export class CancelFilingDto {
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  @Matches(TEXT)
  reason!: string;

  @IsCalendarDate()
  cancelledOn!: string;
}
