import type { Divisions } from '../divisions/divisions.js';
import { DomainError } from '../event-sourcing/domain-error.js';
import type { PersonalDataField } from '../event-sourcing/ports/personal-data-access-log.port.js';
import type { PersonalDataVault } from '../event-sourcing/ports/personal-data-vault.port.js';
import type { AccessRoute, PersonalDataAccessRecorder } from '../personal-data/access-recorder.js';
import type { Actor } from './domain/organization.types.js';
import { mayRead, withinJurisdiction } from './domain/rules/authority.js';
import { organizationView } from './http/organization.view.js';
import type { OrganizationWriter } from './organization-writer.js';

/** The current state of one organization as its reader may see it, and its revision. */
export interface OrganizationRead {
  readonly view: Record<string, unknown>;
  readonly revision: number;
}

/** GET /organizations/{id}: the stream folded to its tip (the writer's cache keeps it warm). */
export class OrganizationReader {
  constructor(
    private readonly writer: OrganizationWriter,
    private readonly vault: PersonalDataVault,
    private readonly divisions: Divisions,
    private readonly accesses: PersonalDataAccessRecorder,
  ) {}

  /** `via` is the route the read came by, recorded with any personal data shown. */
  async current(id: string, actor: Actor, via: AccessRoute): Promise<OrganizationRead> {
    const { state, tip } = await this.writer.load(id);
    if (state === null)
      throw new DomainError('not-found', 'organization-unknown', `No organization ${id}`);
    if (!mayRead(actor, state)) {
      throw new DomainError(
        'forbidden',
        'read-authority',
        'Only the auditor and the levels this organization is in may read it',
      );
    }
    // Personal data is shown to the levels the organization belongs to, never to auditors.
    const seesContact = withinJurisdiction(actor, state);
    const contact = !seesContact
      ? undefined
      : state.contact
        ? await this.vault.decrypt(id, state.contact)
        : undefined;
    const shown: PersonalDataField[] = [];
    if (contact !== undefined && contact !== 'erased') shown.push('contact');
    // Recorded (durably) before anything is shown; if it cannot be, the read fails (507/503).
    await this.accesses.record({ actor, organizationId: id, fields: shown, ...via });
    return {
      view: organizationView(state, this.divisions, tip.revision, contact),
      revision: tip.revision,
    };
  }
}
