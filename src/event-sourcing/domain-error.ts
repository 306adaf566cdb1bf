/**
 * Why a command was refused. `forbidden` = outside the actor's role or jurisdiction (HTTP 403),
 * `rule` = a domain rule refused it (422), `not-found` = no such organization (404),
 * `conflict` = the state moved on under the caller (409).
 */
export type DomainErrorKind = 'forbidden' | 'rule' | 'not-found' | 'conflict';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable kebab-case name of the rule, for clients and tests. */
    readonly rule: string,
    message: string,
    /** The request field the refusal is about, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = (rule: string, message: string, field?: string): DomainError =>
  new DomainError('rule', rule, message, field);

export const forbid = (rule: string, message: string): DomainError =>
  new DomainError('forbidden', rule, message);
