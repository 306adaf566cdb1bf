import { createHash, randomUUID } from 'node:crypto';
import { DomainError } from '../event-sourcing/domain-error.js';
import type { CommandContext } from '../event-sourcing/command-context.js';
import { envelope } from '../event-sourcing/event-envelope.js';
import { loadStream, type LoadedStream } from '../event-sourcing/event-stream.js';
import { answer, type CommandAnswer } from './command-answer.js';
import {
  OrganizationStreamCache,
  type OrganizationStreamView,
} from './organization-stream-cache.js';
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
  RegisterOrganization,
} from './domain/organization.commands.js';
import type { OrganizationDecider } from './domain/organization.decider.js';
import {
  ORGANIZATION_SCHEMA_VERSION,
  type OrganizationEvent,
} from './domain/organization.events.js';
import type { EncryptedContact } from './domain/organization.types.js';
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

/**
 * Stands for a contact while the decider decides; encrypted only once the command is accepted,
 * so a refused command creates no key.
 */
const SEALED_LATER: EncryptedContact = { keyVersion: 0, ciphertext: '' };

/** Stream of one organization. */
export const organizationStream = (organizationId: string): string =>
  `organization-${organizationId}`;

/** Attempts when a concurrent writer moved the stream and the caller did not pin a revision. */
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
 * The write side's application service: load the stream, let the pure decider decide, append
 * with optimistic concurrency. Framework-free so the bench and the Nest handlers share it.
 */
export class OrganizationWriter {
  constructor(
    private readonly store: EventStore,
    private readonly decider: OrganizationDecider,
    private readonly clock: Clock,
    private readonly vault: PersonalDataVault,
    options: OrganizationWriterOptions = {},
  ) {
    this.streams = new OrganizationStreamCache(store, decider, options.streamCacheCapacity);
  }

  private readonly streams: OrganizationStreamCache;

  /** The organization's stream folded to its tip (warm streams come from the cache). */
  load(organizationId: string): Promise<OrganizationStreamView> {
    return this.streams.load(organizationStream(organizationId));
  }

  async register(payload: RegistrationPayload, context: CommandContext): Promise<CommandAnswer> {
    const organizationId = context.idempotency
      ? idempotentId(context.actor.id, context.idempotency.key)
      : randomUUID();
    const streamId = organizationStream(organizationId);
    const loaded = await this.streams.load(streamId);
    const earlier = await this.streams.answerFromEarlierTry(
      streamId,
      organizationId,
      loaded,
      context,
    );
    if (earlier) return earlier;
    if (loaded.state !== null) {
      throw new DomainError(
        'conflict',
        'organization-exists',
        `Organization ${organizationId} already exists`,
      );
    }
    const { contact, ...rest } = payload;
    const now = this.clock.now();
    const command: RegisterOrganization = {
      ...rest,
      type: 'RegisterOrganization',
      organizationId,
      actor: context.actor,
      today: shanghaiDate(now),
      ...(contact && { contact: SEALED_LATER }),
    };
    // Decide first: a refused registration must not reserve its name nor create a key.
    const events = await this.seal(organizationId, contact, this.decider.decide(command, null));
    await this.reserveName(command, context, now);
    const stored = envelope(
      events,
      loaded.tip,
      context,
      command.type,
      now,
      ORGANIZATION_SCHEMA_VERSION,
      randomUUID,
    );
    const appending = this.store.appendToStream(streamId, stored, 'no_stream');
    const result = await appending.catch((error: unknown) => {
      if (error instanceof WrongExpectedRevisionError) {
        throw new DomainError(
          'conflict',
          'organization-exists',
          `Organization ${organizationId} already exists`,
        );
      }
      throw error;
    });
    this.streams.remember(streamId, loaded, stored, result);
    return answer(organizationId, result.nextExpectedRevision, result.position, events, true);
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
    const streamId = organizationStream(organizationId);
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.streams.load(streamId);
      const earlier = await this.streams.answerFromEarlierTry(
        streamId,
        organizationId,
        loaded,
        context,
      );
      if (earlier) return earlier;
      if (loaded.state === null)
        throw new DomainError(
          'not-found',
          'organization-unknown',
          `No organization ${organizationId}`,
        );
      if (expectedRevision !== undefined && expectedRevision !== loaded.tip.revision) {
        throw staleRevision(expectedRevision, loaded.tip.revision);
      }
      const now = this.clock.now();
      const command = {
        ...payload,
        ...(payload.type === 'UpdateContact' && { contact: SEALED_LATER }),
        actor: context.actor,
        today: shanghaiDate(now),
      } as ExistingOrganizationCommand;
      const contact = payload.type === 'UpdateContact' ? payload.contact : undefined;
      const events = await this.seal(
        organizationId,
        contact,
        this.decider.decide(command, loaded.state),
      );
      if (events.length === 0)
        return answer(organizationId, loaded.tip.revision, loaded.position, events, false);
      if (events.some((e) => e.type === 'PersonalDataErased'))
        await this.vault.erase(organizationId);
      try {
        const stored = envelope(
          events,
          loaded.tip,
          context,
          command.type,
          now,
          ORGANIZATION_SCHEMA_VERSION,
          randomUUID,
        );
        const result = await this.store.appendToStream(streamId, stored, loaded.tip.revision);
        this.streams.remember(streamId, loaded, stored, result);
        if (events.some((e) => e.type === 'OrganizationDissolved'))
          await this.releaseName(loaded.state, context, now);
        return answer(organizationId, result.nextExpectedRevision, result.position, events, true);
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (expectedRevision !== undefined) throw staleRevision(expectedRevision, error.actual);
        if (attempt >= MAX_ATTEMPTS) {
          throw new DomainError(
            'conflict',
            'concurrent-write',
            'The organization kept changing under this command; retry',
          );
        }
      }
    }
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

  private async reserveName(
    command: RegisterOrganization,
    context: CommandContext,
    now: Date,
  ): Promise<void> {
    const streamId = nameReservationStream(command.districtCode, command.name);
    for (let attempt = 1; ; attempt++) {
      const loaded = await loadStream(
        this.store,
        streamId,
        nameReservationDecider.evolve,
        nameReservationDecider.initialState,
      );
      const holderIsLive = await this.holdsName(loaded, command.organizationId, now);
      const events = nameReservationDecider.decide(
        {
          type: 'ReserveName',
          districtCode: command.districtCode,
          name: command.name,
          organizationId: command.organizationId,
          holderIsLive,
        },
        loaded.state,
      );
      if (events.length === 0) return;
      try {
        await this.store.appendToStream(
          streamId,
          envelope(events, loaded.tip, context, 'ReserveName', now, 1, randomUUID),
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
        envelope(events, loaded.tip, context, 'ReleaseName', now, 1, randomUUID),
        loaded.tip.revision,
      )
      .catch(() => undefined);
  }
}

function staleRevision(expected: number, actual: number | 'no_stream'): DomainError {
  return new DomainError(
    'conflict',
    'stale-revision',
    `If-Match expected revision ${expected} but the organization is at ${String(actual)}`,
  );
}

/** The organization id a keyed registration gets, so a retry finds the stream it wrote. */
export function idempotentId(userId: string, key: string): string {
  return uuidFromHash(`${userId}\u0000${key}`);
}

function uuidFromHash(text: string): string {
  const hex = createSha256(text).slice(0, 32).split('');
  hex[12] = '5'; // a name-based UUID (RFC 9562 version 5 layout, sha256 here)
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function createSha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
