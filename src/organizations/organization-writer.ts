import type { CommandContext, CommandActor } from '../event-sourcing/command-context.js';
import { CommandHandler, type CommandOutcome } from '../event-sourcing/commands/command-handler.js';
import type { StreamView } from '../event-sourcing/commands/stream-cache.js';
import { DomainError, forbid } from '../event-sourcing/domain-error.js';
import { envelope } from '../event-sourcing/event-envelope.js';
import { loadStream, type LoadedStream } from '../event-sourcing/event-stream.js';
import { answer, type CommandAnswer } from './command-answer.js';
import { shanghaiDate, type Clock } from '../event-sourcing/clock.js';
import {
  WrongExpectedRevisionError,
  type EventStore,
} from '../event-sourcing/ports/event-store.port.js';
import type {
  Contact,
  PersonalDataVault,
} from '../event-sourcing/ports/personal-data-vault.port.js';
import {
  nameReservationDecider,
  nameReservationStream,
  type NameReservationState,
} from './domain/name-reservation.decider.js';
import type {
  ExistingOrganizationCommand,
  OrganizationCommand,
  RegisterOrganization,
  SurvivorStatus,
} from './domain/organization.commands.js';
import type { OrganizationDecider } from './domain/organization.decider.js';
import { ORGANIZATION_UPCASTER } from './domain/organization.upcasts.js';
import type { OrganizationEvent } from './domain/organization.events.js';
import { isRole, type Actor, type EncryptedContact } from './domain/organization.types.js';
import type { OrganizationState } from './domain/organization.state.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type RegistrationPayload = Omit<
  RegisterOrganization,
  'type' | 'actor' | 'today' | 'organizationId' | 'contact'
> & {
  readonly contact?: Contact;
};
type DomainChange = DistributiveOmit<ExistingOrganizationCommand, 'actor' | 'today'>;
/** A change as the application hands it over: a new contact still in plaintext. */
export type ChangePayload =
  | Exclude<DomainChange, { type: 'UpdateContact' }>
  | { readonly type: 'UpdateContact'; readonly contact: Contact };

/** The name a registration claims, in its district. */
type NameClaim = Pick<RegisterOrganization, 'districtCode' | 'name' | 'organizationId'>;

/**
 * Stands for a contact while the decider decides; encrypted only once the command is accepted,
 * so a refused command creates no key.
 */
const SEALED_LATER: EncryptedContact = { keyVersion: 0, ciphertext: '' };

/** Stream of one organization. */
export const organizationStream = (organizationId: string): string =>
  `organization-${organizationId}`;

/** Attempts when another registration of the same name moved its reservation stream. */
const MAX_ATTEMPTS = 5;
/** A reservation whose organization stream is still missing this long after is an abandoned registration. */
const ABANDONED_RESERVATION_MS = 60_000;

export interface OrganizationWriterOptions {
  /**
   * Streams kept folded in memory (default 10,000). A bulk writer that touches every
   * organization again and again (the seed) wants them all, or most commands re-read a stream.
   */
  readonly streamCacheCapacity?: number;
}

/**
 * The organizations' commands through the generic command handler, with what only
 * organizations do around it: a contact sealed once accepted, the name reserved before a
 * registration and released after a dissolution, the personal-data key erased with the data.
 * Framework-free so the seed, the bench and the Nest handlers share it.
 */
export class OrganizationWriter {
  private readonly commands: CommandHandler<
    OrganizationCommand,
    OrganizationEvent,
    OrganizationState
  >;

  constructor(
    private readonly store: EventStore,
    decider: OrganizationDecider,
    clock: Clock,
    private readonly vault: PersonalDataVault,
    /** New ids: the organizations registered without a key, and every event. */
    private readonly newId: () => string,
    options: OrganizationWriterOptions = {},
  ) {
    this.commands = new CommandHandler(store, decider, clock, newId, {
      ...options,
      schemaVersion: (type) => ORGANIZATION_UPCASTER.current(type),
      subject: 'organization',
    });
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
    const { contact, ...rest } = payload;
    const claim: NameClaim = { districtCode: rest.districtCode, name: rest.name, organizationId };
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
          ...(contact && { contact: SEALED_LATER }),
        }),
        // A refused registration reserves no name and creates no key.
        accepted: (events) => this.seal(organizationId, contact, events),
        beforeAppend: (_events, now) => this.reserveName(claim, context, now),
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
    const facts = await this.survivorOf(payload);
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
        accepted: (events) => this.seal(organizationId, contact, events),
        beforeAppend: async (events) => {
          if (events.some((e) => e.type === 'PersonalDataErased'))
            await this.vault.erase(organizationId);
        },
        afterAppend: async (events, state, now) => {
          if (state !== null && events.some((e) => e.type === 'OrganizationDissolved'))
            await this.releaseName(state, context, now);
        },
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

  /** Encrypts the accepted contact into the events that carry it. */
  private async seal(
    organizationId: string,
    contact: Contact | undefined,
    events: OrganizationEvent[],
  ): Promise<OrganizationEvent[]> {
    if (contact === undefined) return events;
    const sealed = await this.vault.encrypt(organizationId, contact);
    return events.map((event) =>
      (event.type === 'ContactUpdated' || event.type === 'OrganizationRegistered') &&
      event.data.contact
        ? ({ ...event, data: { ...event.data, contact: sealed } } as OrganizationEvent)
        : event,
    );
  }

  private async reserveName(claim: NameClaim, context: CommandContext, now: Date): Promise<void> {
    const streamId = nameReservationStream(claim.districtCode, claim.name);
    for (let attempt = 1; ; attempt++) {
      const loaded = await loadStream(
        this.store,
        streamId,
        nameReservationDecider.evolve,
        nameReservationDecider.initialState,
      );
      const holderIsLive = await this.holdsName(loaded, claim.organizationId, now);
      const events = nameReservationDecider.decide(
        { type: 'ReserveName', ...claim, holderIsLive },
        loaded.state,
      );
      if (events.length === 0) return;
      try {
        await this.store.appendToStream(
          streamId,
          envelope(events, loaded.tip, context, 'ReserveName', now, 1, this.newId),
          loaded.tip.revision,
        );
        return;
      } catch (error) {
        // Another registration of the same name got there first: decide again on what it wrote.
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async holdsName(
    reservation: LoadedStream<NameReservationState>,
    claimant: string,
    now: Date,
  ): Promise<boolean> {
    const holder = reservation.state.holder;
    if (holder === undefined || holder === claimant) return false;
    const held = await this.load(holder);
    if (held.state !== null) return held.state.status === 'active';
    const reservedAt = Date.parse(String(reservation.events.at(-1)?.metadata['recordedAt']));
    // The holder's registration may still be in flight between its two appends.
    return now.getTime() - reservedAt < ABANDONED_RESERVATION_MS;
  }

  private async releaseName(
    org: NonNullable<OrganizationState>,
    context: CommandContext,
    now: Date,
  ): Promise<void> {
    const streamId = nameReservationStream(org.districtCode, org.name);
    const loaded = await loadStream(
      this.store,
      streamId,
      nameReservationDecider.evolve,
      nameReservationDecider.initialState,
    );
    const events = nameReservationDecider.decide(
      {
        type: 'ReleaseName',
        districtCode: org.districtCode,
        name: org.name,
        organizationId: org.id,
      },
      loaded.state,
    );
    if (events.length === 0) return;
    // Best effort: a reservation held by a dissolved organization is free anyway (holdsName).
    await this.store
      .appendToStream(
        streamId,
        envelope(events, loaded.tip, context, 'ReleaseName', now, 1, this.newId),
        loaded.tip.revision,
      )
      .catch(() => undefined);
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
