import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainErrorKind } from '../event-sourcing/domain-error.js';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  StreamDeletedError,
} from '../event-sourcing/ports/event-store.port.js';
import { StorageUnavailable } from '../event-sourcing/storage/storage-unavailable.js';
import {
  MAX_FIELD_ERRORS,
  PROBLEM_CONTENT_TYPE,
  problemType,
  ValidationProblem,
  type Problem,
} from './problem.js';

const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  forbidden: 403,
  rule: 422,
  'not-found': 404,
  conflict: 409,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Refused by a domain rule',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
  507: 'Insufficient storage',
};

/** Turns anything thrown while serving a request into an RFC 9457 answer, never a stack trace. */
export function toProblem(error: unknown, instance?: string): Problem {
  const base = instance === undefined ? {} : { instance };
  if (error instanceof ValidationProblem) {
    return {
      ...base,
      type: problemType('validation'),
      title: 'Invalid request',
      status: 400,
      detail: error.message,
      errors: error.errors.slice(0, MAX_FIELD_ERRORS),
      ...(error.errors.length > MAX_FIELD_ERRORS && {
        errorsOmitted: error.errors.length - MAX_FIELD_ERRORS,
      }),
    };
  }
  if (error instanceof DomainError) {
    const status = STATUS_BY_KIND[error.kind];
    return {
      ...base,
      type: problemType(error.rule),
      title: TITLES[status] ?? 'Refused',
      status,
      detail: error.message,
      rule: error.rule,
      ...(error.field && { errors: [{ field: error.field, message: error.message }] }),
    };
  }
  if (error instanceof StorageUnavailable) {
    return {
      ...base,
      type: problemType(`storage-${error.problem}`),
      title: error.problem === 'busy' ? 'Database busy' : (TITLES[error.status] ?? 'Unavailable'),
      status: error.status,
      detail: error.message,
    };
  }
  const stored = storeProblem(error);
  if (stored) return { ...base, ...stored };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return {
      ...base,
      type: 'about:blank',
      title: TITLES[status] ?? HttpStatus[status] ?? 'Error',
      status,
      detail: error.message,
    };
  }
  // Errors from Fastify itself (bad JSON, body too large, wrong content type) carry a 4xx status.
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      ...base,
      type: 'about:blank',
      title: TITLES[status] ?? 'Bad request',
      status,
      detail: (error as Error).message,
    };
  }
  return {
    ...base,
    type: 'about:blank',
    title: 'Internal error',
    status: 500,
    detail: 'The server failed; the error was logged',
  };
}

/** What the event store's own refusals and doubts mean to a client. */
function storeProblem(error: unknown): Omit<Problem, 'instance'> | undefined {
  if (error instanceof StreamDeletedError) {
    return {
      type: problemType('stream-deleted'),
      title: 'Gone',
      status: 410,
      detail: 'This record was deleted from the event store for good: it can no longer be changed',
    };
  }
  if (error instanceof AppendTooLargeError) {
    return {
      type: problemType('append-too-large'),
      title: 'Payload too large',
      status: 413,
      detail: error.message,
    };
  }
  if (error instanceof AppendOutcomeUnknownError) {
    return {
      type: problemType('outcome-unknown'),
      title: 'Service unavailable',
      status: 503,
      detail:
        'The event store did not confirm the write: it may have been recorded. Retry with the ' +
        'same Idempotency-Key, which cannot record it twice',
    };
  }
  return undefined;
}

/** Retry-After for the event store's doubts: a leader election or a restart passes in seconds. */
const OUTCOME_UNKNOWN_RETRY_AFTER_SECONDS = 2;

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const problem = toProblem(error, request.url);
    // 503 (a read model still catching up) is expected, not a failure of ours; a store's
    // failure is the operator's to see, in one line: its stack says nothing more.
    if (error instanceof StorageUnavailable) {
      if (error.problem !== 'busy') this.logger.error(`storage ${error.problem}: ${error.reason}`);
    } else if (problem.status >= 500 && problem.status !== 503)
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    const retryAfter =
      error instanceof AppendOutcomeUnknownError
        ? OUTCOME_UNKNOWN_RETRY_AFTER_SECONDS
        : (error as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds;
    if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
    if (problem.status === 401) void reply.header('www-authenticate', 'Bearer');
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }
}
