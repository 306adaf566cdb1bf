import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { clientErrorHandler, frameworkErrors } from './http/fastify-errors.js';
import { answerUndeclaredMethods } from './http/method-not-allowed.js';
import { AppModule, type AppOptions } from './app.module.js';
import { TOKEN_VERIFIER, type TokenVerifier } from './http/auth/token-verifier.js';
import { applyRateLimits } from './http/rate-limit.js';
import { applySecurityHeaders } from './http/security-headers.js';
import { setupOpenApi } from './http/openapi/openapi.js';
import { ProblemValidationPipe } from './http/validation.pipe.js';
import { applyRouteBodyLimits, DEFAULT_BODY_LIMIT, serverTimeouts } from './http/request-limits.js';

/** Builds the HTTP application (not yet listening): shared by `npm start` and the e2e tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: options.config.LOG_LEVEL === 'silent' ? false : { level: options.config.LOG_LEVEL },
    bodyLimit: DEFAULT_BODY_LIMIT,
    ...serverTimeouts(options.config.REQUEST_TIMEOUT_SECONDS),
    // Refuse __proto__ / constructor.prototype keys outright rather than strip them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors,
    trustProxy: options.config.TRUST_PROXY,
    clientErrorHandler,
  });
  answerUndeclaredMethods(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    {
      logger: nestLogLevels(options.config.LOG_LEVEL),
    },
  );
  applyRouteBodyLimits(app.getHttpAdapter().getInstance());
  await applySecurityHeaders(app, options.config.OIDC_ISSUER);
  await applyRateLimits(
    app,
    {
      perSubject: options.config.RATE_LIMIT_PER_MINUTE,
      perAddress: options.config.RATE_LIMIT_PUBLIC_PER_MINUTE,
    },
    app.get<TokenVerifier>(TOKEN_VERIFIER),
  );
  app.useGlobalPipes(new ProblemValidationPipe());
  setupOpenApi(app);
  app.enableShutdownHooks();
  return app;
}

const NEST_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const FROM_PINO: Record<string, number> = {
  fatal: 1,
  error: 2,
  warn: 3,
  info: 4,
  debug: 5,
  trace: 6,
};

/** Nest's own log lines follow LOG_LEVEL like Fastify's request log does. */
function nestLogLevels(level: string): LogLevel[] | false {
  const count = FROM_PINO[level];
  return count === undefined ? false : NEST_LEVELS.slice(0, count);
}
