import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiOperation, ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CONFIG, Config } from '../config.js';
import { Divisions } from '../divisions/divisions.js';
import { Public } from '../http/auth/auth.decorators.js';
import { signToken } from '../http/auth/jwt.js';
import { resolveJwtSecret } from '../http/auth/jwt-secret.js';
import { durationSeconds, jurisdictionProblem } from '../http/auth/token-rules.js';
import { refuse } from '../event-sourcing/domain-error.js';
import { ROLES, type Role } from '../organizations/domain/organization.types.js';

/** A development token lives a working day at most, and never longer than the server accepts. */
const DEV_TOKEN_SECONDS = 8 * 3600;

export class DevTokenDto {
  @IsIn(ROLES)
  role!: Role;

  @ApiProperty({ description: 'A division code that fits the role (310000 for city).' })
  @Matches(/^(\d{6}|\d{9}|\d{12})$/, { message: 'jurisdiction must be a division code' })
  jurisdiction!: string;

  @ApiProperty({ required: false, description: 'The user id (default dev-<role>-<jurisdiction>).' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._:@-]{1,100}$/, {
    message: 'sub must be 1 to 100 of A-Z a-z 0-9 . _ : @ -',
  })
  sub?: string;
}

/**
 * The workbench's development sign-in: a local HS256 token for a role and a place, as
 * `npm run token` mints them. Registered only in development and test mode without an identity
 * provider (app.module.ts): in production, or with OIDC_ISSUER set, the route does not exist.
 */
@Controller('dev')
@Public()
export class DevTokenController {
  private readonly secret: string;
  private readonly lifetimeSeconds: number;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(Divisions) private readonly divisions: Divisions,
  ) {
    this.secret = resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR);
    this.lifetimeSeconds = Math.min(DEV_TOKEN_SECONDS, durationSeconds(config.TOKEN_MAX_LIFETIME));
  }

  @Post('token')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Development sign-in: a local token for a role and a place',
    description:
      'Only in development and test mode without OIDC_ISSUER; absent (404) in production and ' +
      'whenever an identity provider is configured. The token is HS256, signed like `npm run ' +
      "token`'s, and lives 8 hours at most (never longer than TOKEN_MAX_LIFETIME).",
  })
  async token(
    @Body() dto: DevTokenDto,
  ): Promise<{ token: string; expiresIn: number; development: true }> {
    // Well-formed but no place of that level in the division data: a refusal of the request's
    // meaning (422, like a write naming an unknown place), not of its form.
    const problem = jurisdictionProblem(dto.role, dto.jurisdiction, this.divisions);
    if (problem) throw refuse('jurisdiction-fits-role', problem, 'jurisdiction');
    const sub = dto.sub ?? `dev-${dto.role}-${dto.jurisdiction}`;
    const token = await signToken(
      this.secret,
      { id: sub, role: dto.role, jurisdiction: dto.jurisdiction },
      // A relative lifetime: a number would be read as the expiry's epoch seconds.
      `${String(this.lifetimeSeconds)}s`,
    );
    return { token, expiresIn: this.lifetimeSeconds, development: true };
  }
}
