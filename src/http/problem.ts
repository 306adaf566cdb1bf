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
}

export interface FieldError {
  /** Path of the field in the request, e.g. `founders[0].name`, `header:If-Match`, `query:page`. */
  readonly field: string;
  readonly message: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemType = (name: string): string => `urn:community-orgs:problem:${name}`;

/** Request input that failed validation: answered 400 with every bad field. */
export class ValidationProblem extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(errors.map((e) => `${e.field}: ${e.message}`).join('; '));
    this.name = 'ValidationProblem';
  }
}
