import { Controller, Get, Inject } from '@nestjs/common';
import { CurrentActor } from '../http/auth/auth.decorators.js';
import { CITY_CODE, Divisions } from '../divisions/divisions.js';
import type { Actor } from '../organizations/domain/organization.types.js';

/** The caller as its token proves it, with its place's name: what the workbench shows and offers. */
@Controller('whoami')
export class WhoamiController {
  constructor(@Inject(Divisions) private readonly divisions: Divisions) {}

  @Get()
  whoami(@CurrentActor() actor: Actor): Actor & { readonly jurisdictionName: string | null } {
    return { ...actor, jurisdictionName: this.placeName(actor.jurisdiction) };
  }

  private placeName(code: string): string | null {
    if (code === CITY_CODE) return '上海市';
    const d = this.divisions;
    return (d.district(code) ?? d.street(code) ?? d.community(code))?.name ?? null;
  }
}
