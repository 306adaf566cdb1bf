/** RFC 9457 problem details, the body of every error answer. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  /** The refused domain rule, for 403/409/422. */
  readonly rule?: string;
  /** Each bad field of the request, for validation errors. */
  readonly errors?: readonly FieldError[];
  /** How many more bad fields there were than `errors` lists (it lists at most MAX_FIELD_ERRORS). */
  readonly errorsOmitted?: number;
}

export interface FieldError {
  /** Path of the field in the request, e.g. `founders[0].name`, `header:If-Match`, `query:page`. */
  readonly field: string;
  readonly message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (name: string): string => `urn:community-orgs:problem:${name}`;

/**
 * A problem answer lists this many bad fields at most, and counts the rest: a hostile body of
 * thousands of bad items must not be answered with a document thousands of times larger.
 */
export const MAX_FIELD_ERRORS = 50;

const DETAIL_FIELDS = 3;
const DETAIL_MESSAGE_CHARS = 160;

/** The first few errors in one short sentence; `errors` holds them all (up to the cap). */
function summary(errors: readonly FieldError[]): string {
  const shown = errors
    .slice(0, DETAIL_FIELDS)
    .map((e) => `${e.field}: ${e.message}`.slice(0, DETAIL_MESSAGE_CHARS));
  const rest = errors.length - shown.length;
  return rest > 0 ? `${shown.join('; ')}; and ${String(rest)} more` : shown.join('; ');
}

/** Request input that failed validation: answered 400 naming the bad fields. */
export class ValidationProblem extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(summary(errors));
    this.name = 'ValidationProblem';
  }
}
