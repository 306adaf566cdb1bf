import type { CommandContext, CommandActor } from '../event-sourcing/command-context.js';
import { CommandHandler, type CommandOutcome } from '../event-sourcing/commands/command-handler.js';
import type { StreamCacheStats, StreamView } from '../event-sourcing/commands/stream-cache.js';
import { DomainError, forbid } from '../event-sourcing/domain-error.js';
import { envelope } from '../event-sourcing/event-envelope.js';
import { loadStream, type LoadedStream } from '../event-sourcing/event-stream.js';
import { answer, type CommandAnswer } from './command-answer.js';
import { shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type StreamAppend,
} from '../event-sourcing/ports/event-store.port.js';
import type {
  Contact,
  PersonalDataVault,
} from '../event-sourcing/ports/personal-data-vault.port.js';
import { fold } from '../event-sourcing/decider.js';
import { uniqueClaimDecider, type UniqueClaimState } from './domain/unique-claim.decider.js';
import {
  claimChanges,
  claimsOf,
  claimStream,
  holdsClaim,
  type UniqueClaim,
} from './domain/unique-claims.js';
import type {
  ExistingOrganizationCommand,
  IncubationBaseFacts,
  OrganizationCommand,
  RegisterOrganization,
  SurvivorStatus,
} from './domain/organization.commands.js';
import type { OrganizationDecider } from './domain/organization.decider.js';
import { ORGANIZATION_UPCASTER } from './domain/organization.upcasts.js';
import type { OrganizationEvent } from './domain/organization.events.js';
import {
  isRole,
  type Actor,
  type EncryptedContact,
  type Founder,
  type SealedFounder,
} from './domain/organization.types.js';
import type { OrganizationState } from './domain/organization.state.js';
import { ORGANIZATION_STREAM_PREFIX } from './domain/stream-names.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A registration as the application hands it over: the contact and founders' names in plaintext. */
export type RegistrationPayload = Omit<
  RegisterOrganization,
  'type' | 'actor' | 'today' | 'organizationId' | 'contact' | 'founders'
> & {
  readonly contact?: Contact;
  readonly founders: readonly Founder[];
};
type DomainChange = DistributiveOmit<ExistingOrganizationCommand, 'actor' | 'today'>;
/** A change as the application hands it over: a new contact still in plaintext. */
export type ChangePayload =
  | Exclude<DomainChange, { type: 'UpdateContact' }>
  | { readonly type: 'UpdateContact'; readonly contact: Contact };

/**
 * Stands for a contact or a resident founder's name while the decider decides; encrypted only
 * once the command is accepted, so a refused command creates no key.
 */
const SEALED_LATER: EncryptedContact = { keyVersion: 0, ciphertext: '' };

/** A founder as the decider sees it: a resident's name stands sealed-later. */
const sealedLater = (founder: Founder): SealedFounder =>
  founder.kind === 'unit'
    ? { kind: 'unit', name: founder.name }
    : { kind: 'resident', sealedName: SEALED_LATER };

/** A claim of an organization that another live organization already holds. */
export interface ClaimRefusal {
  readonly claim: UniqueClaim;
  readonly rule: string;
}

/** Stream of one organization. */
export const organizationStream = (organizationId: string): string =>
  `${ORGANIZATION_STREAM_PREFIX}${organizationId}`;

/** Attempts when another claimant of the same value moved its reservation stream. */
const MAX_ATTEMPTS = 5;
/**
 * A reservation whose organization does not hold it this long after (its stream still missing,
 * or its state without the claim) was abandoned: the command that took it never got appended.
 */
const ABANDONED_RESERVATION_MS = 60_000;

export interface OrganizationWriterOptions {
  /**
   * Estimated bytes of the organizations kept folded in memory (default 64 MiB; the server's
   * STREAM_CACHE_MB). A bulk writer that touches every organization again and again (the seed)
   * wants them all, or most commands re-read a stream.
   */
  readonly streamCacheBytes?: number;
}

/**
 * The organizations' commands through the generic command handler, with what only
 * organizations do around it: a contact sealed once accepted, the unique values (name, USCC,
 * filing number) claimed before the events that give them and released after those that drop
 * them, the personal-data key erased with the data.
 * Framework-free so the seed, the bench and the Nest handlers share it.
 */
export class OrganizationWriter {
  private readonly commands: CommandHandler<
    OrganizationCommand,
    OrganizationEvent,
    OrganizationState
  >;
  private readonly evolve: OrganizationDecider['evolve'];

  constructor(
    private readonly store: EventStore,
    decider: OrganizationDecider,
    clock: Clock,
    private readonly vault: PersonalDataVault,
    /** New ids: the organizations registered without a key, and every event. */
    private readonly newId: () => string,
    options: OrganizationWriterOptions = {},
  ) {
    this.evolve = decider.evolve;
    this.commands = new CommandHandler(store, decider, clock, newId, {
      ...options,
      schemaVersion: (type) => ORGANIZATION_UPCASTER.current(type),
      subject: 'organization',
    });
  }

  /** What the cache of folded organizations holds, for /metrics. */
  streamCacheStats(): StreamCacheStats {
    return this.commands.streamCacheStats();
  }

  /** The organization's stream folded to its tip (warm streams come from the cache). */
  load(organizationId: string): Promise<StreamView<OrganizationState>> {
    return this.commands.load(organizationStream(organizationId));
  }

  async register(payload: RegistrationPayload, context: CommandContext): Promise<CommandAnswer> {
    const organizationId = this.commands.idFor(context);
    const exists = (): DomainError =>
      new DomainError(
        'conflict',
        'organization-exists',
        `Organization ${organizationId} already exists`,
      );
    const { contact, founders, ...rest } = payload;
    const outcome = await this.commands.handle(
      organizationStream(organizationId),
      {
        check: (view) => {
          if (view.state !== null) throw exists();
        },
        command: (_state, now) => ({
          ...rest,
          type: 'RegisterOrganization',
          organizationId,
          actor: organizationActor(context.actor),
          today: shanghaiDate(now),
          founders: founders.map(sealedLater),
          ...(contact && { contact: SEALED_LATER }),
        }),
        // A refused registration claims nothing and creates no key.
        accepted: (events) => this.seal(organizationId, { contact, founders }, events),
        alongside: (events, now, state) => this.claimsTaken(state, events, context, now),
        conflict: exists,
      },
      context,
    );
    return answerOf(organizationId, outcome);
  }

  /**
   * Runs a command on an existing organization. With `expectedRevision` (If-Match) a moved
   * stream is a conflict; without it the command is decided again on the fresh state.
   */
  async change(
    organizationId: string,
    payload: ChangePayload,
    context: CommandContext,
    expectedRevision?: number,
  ): Promise<CommandAnswer> {
    const contact = payload.type === 'UpdateContact' ? payload.contact : undefined;
    const facts = {
      ...(await this.survivorOf(payload)),
      ...(await this.incubationBaseOf(payload)),
    };
    const outcome = await this.commands.handle(
      organizationStream(organizationId),
      {
        ...(expectedRevision !== undefined && { expectedRevision }),
        check: (view) => {
          if (view.state === null)
            throw new DomainError(
              'not-found',
              'organization-unknown',
              `No organization ${organizationId}`,
            );
        },
        command: (_state, now) =>
          ({
            ...payload,
            ...(payload.type === 'UpdateContact' && { contact: SEALED_LATER }),
            ...facts,
            actor: organizationActor(context.actor),
            today: shanghaiDate(now),
          }) as ExistingOrganizationCommand,
        accepted: (events) => this.seal(organizationId, { contact }, events),
        beforeAppend: async (events) => {
          if (events.some((e) => e.type === 'PersonalDataErased'))
            await this.vault.erase(organizationId);
        },
        alongside: (events, now, state) => this.claimsTaken(state, events, context, now),
        afterAppend: (events, state, now) => this.releaseClaims(state, events, context, now),
      },
      context,
    );
    return answerOf(organizationId, outcome);
  }

  /**
   * A merger's survivor as its own stream has it, for the decider, which sees one stream only
   * (`merge-survivor-unknown`, `merge-survivor-dissolved`); it replaces whatever a caller put in
   * `survivor` (the decider reads it only with `mergedInto`). Not race-safe: a survivor dissolved in the same instant may still be named.
   */
  private async survivorOf(payload: ChangePayload): Promise<{ survivor?: SurvivorStatus }> {
    if (payload.type !== 'Dissolve' || payload.mergedInto === undefined) return {};
    const { state } = await this.load(payload.mergedInto);
    return { survivor: state === null ? 'unknown' : state.status };
  }

  /**
   * An incubation base as its own stream has it, for the decider (`incubation-base-unknown`,
   * `-dissolved`, `-role`, and who may record the entry); it replaces whatever a caller put in
   * `base`. Not race-safe, like the survivor: a role revoked in the same instant may still count.
   */
  private async incubationBaseOf(payload: ChangePayload): Promise<{ base?: IncubationBaseFacts }> {
    if (payload.type !== 'EnterIncubation') return {};
    const { state } = await this.load(payload.baseId);
    if (state === null) return { base: undefined };
    return {
      base: {
        status: state.status,
        districtCode: state.districtCode,
        streetCode: state.streetCode,
        holdsIncubationRole: (state.supportRoles ?? []).some((r) => r.role === 'incubation-base'),
      },
    };
  }

  /**
   * Encrypts the accepted personal data into the events that carry it: the contact, and the
   * resident founders' names (in their order), all with the organization's current key.
   */
  private async seal(
    organizationId: string,
    personal: { readonly contact?: Contact | undefined; readonly founders?: readonly Founder[] },
    events: OrganizationEvent[],
  ): Promise<OrganizationEvent[]> {
    const { contact } = personal;
    const names = (personal.founders ?? [])
      .filter((founder) => founder.kind === 'resident')
      .map((founder) => ({ name: founder.name }));
    if (contact === undefined && names.length === 0) return events;
    const sealed = await this.vault.seal(organizationId, [...(contact ? [contact] : []), ...names]);
    const sealedContact = contact ? sealed[0] : undefined;
    const sealedNames = contact ? sealed.slice(1) : sealed;
    return events.map((event): OrganizationEvent => {
      if (event.type === 'ContactUpdated' && sealedContact)
        return { ...event, data: { ...event.data, contact: sealedContact } };
      if (event.type !== 'OrganizationRegistered') return event;
      let next = 0;
      const founders = event.data.founders.map((founder) => {
        if (!('sealedName' in founder)) return founder;
        const sealedName = sealedNames[next++];
        if (!sealedName) throw new Error('A resident founder was registered without a name');
        return { kind: 'resident' as const, sealedName };
      });
      return {
        ...event,
        data: {
          ...event.data,
          founders,
          ...(sealedContact && event.data.contact && { contact: sealedContact }),
        },
      };
    });
  }

  /**
   * The reservations of what the events give the organization (a name in a new area, a USCC, a
   * filing number), appended in one transaction with the events where the store allows it, so a
   * registration is never half written and shares one flush; refused (`name-taken`, …) before
   * anything is written when another live organization holds one.
   */
  private async claimsTaken(
    before: OrganizationState,
    events: readonly OrganizationEvent[],
    context: CommandContext,
    now: Date,
  ): Promise<StreamAppend[]> {
    const after = fold(this.evolve, before, events);
    if (after === null) return [];
    const parts: StreamAppend[] = [];
    for (const claim of claimChanges(before, after).take) {
      const part = await this.claimPart(claim, after.id, context, now);
      if (part) parts.push(part);
    }
    return parts;
  }

  /**
   * Takes every claim a live organization holds in its state and its reservation streams do not
   * record yet: for a log written before the claims existed (`npm run claims -- backfill`).
   * Answers the claims another live organization already holds, for an official to resolve.
   */
  async claimHeld(
    organizationId: string,
    context: CommandContext,
    now: Date,
  ): Promise<{ readonly taken: number; readonly refused: readonly ClaimRefusal[] }> {
    const { state } = await this.load(organizationId);
    let taken = 0;
    const refused: ClaimRefusal[] = [];
    for (const claim of claimsOf(state)) {
      try {
        await this.take(claim, organizationId, context, now);
        taken++;
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'rule') throw error;
        refused.push({ claim, rule: error.rule });
      }
    }
    return { taken, refused };
  }

  /** Releases, once the events are stored, what they took from the organization. */
  private async releaseClaims(
    before: OrganizationState,
    events: readonly OrganizationEvent[],
    context: CommandContext,
    now: Date,
  ): Promise<void> {
    if (before === null) return;
    const after = fold(this.evolve, before, events);
    for (const claim of claimChanges(before, after).release)
      await this.release(claim, before.id, context, now);
  }

  private async take(
    claim: UniqueClaim,
    organizationId: string,
    context: CommandContext,
    now: Date,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const part = await this.claimPart(claim, organizationId, context, now);
      if (!part) return;
      try {
        await this.store.appendToStream(part.streamId, part.events, part.expectedRevision);
        return;
      } catch (error) {
        // Another claimant of the same value got there first: decide again on what it wrote.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** The append that takes a claim for the organization; none when it already holds it. */
  private async claimPart(
    claim: UniqueClaim,
    organizationId: string,
    context: CommandContext,
    now: Date,
  ): Promise<StreamAppend | undefined> {
    const streamId = claimStream(claim);
    const loaded = await this.loadClaim(streamId);
    const holderStillHolds = await this.stillHolds(loaded, claim, organizationId, now);
    const events = uniqueClaimDecider.decide(
      { type: 'TakeClaim', claim, organizationId, holderStillHolds },
      loaded.state,
    );
    if (events.length === 0) return undefined;
    return {
      streamId,
      events: envelope(events, loaded.tip, context, 'TakeClaim', now, 1, this.newId),
      expectedRevision: loaded.tip.revision,
    };
  }

  /**
   * Whether the reservation's holder, another organization, still holds it: live and holding it
   * in its state, or its command still in flight between the claim and its own append.
   */
  private async stillHolds(
    reservation: LoadedStream<UniqueClaimState>,
    claim: UniqueClaim,
    claimant: string,
    now: Date,
  ): Promise<boolean> {
    const holder = reservation.state.holder;
    if (holder === undefined || holder === claimant) return false;
    const held = await this.load(holder);
    if (held.state !== null) {
      if (held.state.status !== 'active') return false;
      if (holdsClaim(held.state, claim)) return true;
    }
    const claimedAt = Date.parse(String(reservation.events.at(-1)?.metadata['recordedAt']));
    return now.getTime() - claimedAt < ABANDONED_RESERVATION_MS;
  }

  private async release(
    claim: UniqueClaim,
    organizationId: string,
    context: CommandContext,
    now: Date,
  ): Promise<void> {
    const streamId = claimStream(claim);
    const loaded = await this.loadClaim(streamId);
    const events = uniqueClaimDecider.decide(
      { type: 'ReleaseClaim', claim, organizationId },
      loaded.state,
    );
    if (events.length === 0) return;
    // Best effort: a claim its holder no longer holds is free anyway (stillHolds).
    await this.store
      .appendToStream(
        streamId,
        envelope(events, loaded.tip, context, 'ReleaseClaim', now, 1, this.newId),
        loaded.tip.revision,
      )
      .catch(() => undefined);
  }

  private loadClaim(streamId: string): Promise<LoadedStream<UniqueClaimState>> {
    return loadStream(
      this.store,
      streamId,
      uniqueClaimDecider.evolve,
      uniqueClaimDecider.initialState,
    );
  }
}

/** The command's actor as the organization domain knows it: one of its roles. */
function organizationActor(actor: CommandActor): Actor {
  if (!isOrganizationActor(actor)) throw forbid('unknown-role', `No role ${actor.role}`);
  return actor;
}

const isOrganizationActor = (actor: CommandActor): actor is Actor => isRole(actor.role);

/** The organization's answer for what the command did. */
function answerOf(organizationId: string, outcome: CommandOutcome): CommandAnswer {
  const { revision, position, events, written } = outcome;
  const given = answer(organizationId, revision, position, events, written);
  return outcome.replayed ? { ...given, replayed: true } : given;
}
