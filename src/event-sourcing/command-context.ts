import type { Actor } from '../organizations/domain/organization.types.js';

/** What the application knows about one command besides its payload; becomes event metadata. */
export interface CommandContext {
  readonly actor: Actor;
  readonly commandId: string;
  readonly correlationId: string;
  /** When given, a retry with the same key and request answers the first result again. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
}
