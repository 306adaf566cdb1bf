import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, Matches } from 'class-validator';
import { IsCalendarDate } from '../../http/validators.js';
import {
  INCUBATION_OUTCOMES,
  SUPPORT_ROLES,
  type IncubationOutcome,
  type SupportRole,
} from '../domain/organization.types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class SupportRoleDto {
  @ApiProperty({
    enum: SUPPORT_ROLES,
    description:
      '联合会 `federation`, 服务中心 `service-centre`, 孵化基地 `incubation-base` or 社工站 ' +
      '`social-work-station`. Registered organizations only (422 `support-role-requires-registered`); ' +
      'assigning a role it holds again replaces the streets it serves.',
  })
  @IsIn(SUPPORT_ROLES)
  role!: SupportRole;

  @ApiProperty({
    type: [String],
    description:
      "The streets (街镇, 9-digit codes) it serves in the role, each inside the organization's " +
      'district (422 `street-unknown`, `street-outside-district`).',
    example: ['310104003'],
  })
  @IsArray()
  @ArrayMinSize(1)
  // A district has at most a few dozen streets and towns.
  @ArrayMaxSize(100)
  @Matches(/^\d{9}$/, { each: true, message: 'each of streets must be a 9-digit street code' })
  streets!: string[];
}

export class IncubationDto {
  @ApiProperty({
    format: 'uuid',
    description:
      'The incubation base: an organization holding the `incubation-base` role (422 ' +
      '`incubation-base-unknown`, `incubation-base-dissolved`, `incubation-base-role`). Recorded ' +
      "by the base's street or district (403 `incubation-authority`).",
  })
  @Matches(UUID, { message: 'baseId must be a UUID' })
  baseId!: string;

  @IsCalendarDate()
  enteredOn!: string;
}

export class IncubationEndDto {
  @ApiProperty({ enum: INCUBATION_OUTCOMES, description: '`graduated` (出壳) or `withdrawn`.' })
  @IsIn(INCUBATION_OUTCOMES)
  outcome!: IncubationOutcome;

  @IsCalendarDate()
  endedOn!: string;
}
