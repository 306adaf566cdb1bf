/**
 * Who issued a command, as the kernel needs it: the metadata of the events it writes. A
 * capability's own actor (with its roles) satisfies it.
 */
export interface CommandActor {
  readonly id: string;
  readonly role: string;
  readonly jurisdiction: string;
}

/** What the application knows about one command besides its payload; becomes event metadata. */
export interface CommandContext {
  readonly actor: CommandActor;
  readonly commandId: string;
  readonly correlationId: string;
  /** When given, a retry with the same key and request answers the first result again. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}
