import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { TEXT } from '../../http/validators.js';

export class ContactDto {
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  @Matches(TEXT)
  name!: string;

  /** A mainland mobile number or a landline with area code, e.g. 13812345678 or 021-12345678. */
  @IsString()
  @Matches(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, {
    message: 'phone must be a mobile number or a landline with area code',
  })
  phone!: string;
}
