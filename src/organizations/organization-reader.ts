import type { Divisions } from '../divisions/divisions.js';
import { DomainError } from '../event-sourcing/domain-error.js';
import type { PersonalDataField } from '../event-sourcing/ports/personal-data-access-log.port.js';
import type {
  Contact,
  PersonalDataVault,
} from '../event-sourcing/ports/personal-data-vault.port.js';
import type { AccessRoute, PersonalDataAccessRecorder } from '../personal-data/access-recorder.js';
import type { Organization } from './domain/organization.state.js';
import type { Actor, SealedValue } from './domain/organization.types.js';
import { mayRead, withinJurisdiction } from './domain/rules/authority.js';
import {
  organizationView,
  type OpenedName,
  type OpenedPersonalData,
} from './http/organization.view.js';
import type { OrganizationWriter } from './organization-writer.js';

/** The current state of one organization as its reader may see it, and its revision. */
export interface OrganizationRead {
  readonly view: Record<string, unknown>;
  readonly revision: number;
}

export interface OpenOptions {
  /** Open the contact too (the current state's read does; time travel does not). */
  readonly contact: boolean;
  /**
   * The organization's personal data has been erased since this state: a name the log holds in
   * plaintext (an event from before sealed names) is shown as erased.
   */
  readonly erasedSince: boolean;
}

/**
 * The personal data of a state opened with the organization's key, in one call to the vault:
 * the contact and the resident founders' names. Only for a reader who may see it (the levels
 * the organization belongs to, never auditors): this is the one place that decrypts.
 */
export async function openPersonalData(
  vault: PersonalDataVault,
  org: Organization,
  options: OpenOptions,
): Promise<OpenedPersonalData> {
  const sealed: SealedValue[] = [];
  const sealedAt: number[] = [];
  const founderNames = new Map<number, OpenedName>();
  org.founders.forEach((founder, index) => {
    if (founder.kind !== 'resident') return;
    if ('sealedName' in founder) {
      sealed.push(founder.sealedName);
      sealedAt.push(index);
    } else if ('plaintextName' in founder) {
      founderNames.set(index, options.erasedSince ? 'erased' : { name: founder.plaintextName });
    }
  });
  const contact = options.contact ? org.contact : undefined;
  const opened = await vault.open<Contact | Exclude<OpenedName, 'erased'>>(org.id, [
    ...(contact ? [contact] : []),
    ...sealed,
  ]);
  const names = contact ? opened.slice(1) : opened;
  names.forEach((name, n) => {
    const index = sealedAt[n];
    if (index !== undefined)
      founderNames.set(index, name === 'erased' ? 'erased' : { name: name.name });
  });
  const openedContact = contact ? (opened[0] as Contact | 'erased' | undefined) : undefined;
  return { ...(openedContact !== undefined && { contact: openedContact }), founderNames };
}

/** What of the opened personal data a reader is about to see (erased values show nothing). */
export function shownFields(personal: OpenedPersonalData): PersonalDataField[] {
  const shown: PersonalDataField[] = [];
  if (personal.contact !== undefined && personal.contact !== 'erased') shown.push('contact');
  if ([...(personal.founderNames?.values() ?? [])].some((name) => name !== 'erased'))
    shown.push('founders');
  return shown;
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
        "Only the city's auditors, its district's auditors and the levels this organization is in may read it",
      );
    }
    // Personal data is shown to the levels the organization belongs to, never to auditors.
    const personal = withinJurisdiction(actor, state)
      ? await openPersonalData(this.vault, state, { contact: true, erasedSince: false })
      : {};
    // Recorded (durably) before anything is shown; if it cannot be, the read fails (507/503).
    await this.accesses.record({
      actor,
      organizationId: id,
      fields: shownFields(personal),
      ...via,
    });
    return {
      view: organizationView(state, this.divisions, tip.revision, personal),
      revision: tip.revision,
    };
  }
}
