import type { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { clientErrorHandler, frameworkErrors } from './http/fastify-errors.js';
import { answerUndeclaredMethods } from './http/method-not-allowed.js';
import { AppModule, type AppOptions } from './app.module.js';
import { setupOpenApi } from './http/openapi/openapi.js';
import { ProblemValidationPipe } from './http/validation.pipe.js';

/** Builds the HTTP application (not yet listening): shared by `npm start` and the e2e tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: options.config.LOG_LEVEL === 'silent' ? false : { level: options.config.LOG_LEVEL },
    bodyLimit: 1024 * 1024,
    // Refuse __proto__ / constructor.prototype keys outright rather than strip them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors,
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
