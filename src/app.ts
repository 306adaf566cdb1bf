import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule, type AppOptions } from './app.module.js';
import { PROBLEM_CONTENT_TYPE } from './platform/problem.js';
import { toProblem } from './platform/problem-details.filter.js';
import { ProblemValidationPipe } from './platform/validation.pipe.js';

/** Builds the HTTP application (not yet listening): shared by `npm start` and the e2e tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    logger: options.config.LOG_LEVEL === 'silent' ? false : { level: options.config.LOG_LEVEL },
    bodyLimit: 1024 * 1024,
    // Refuse __proto__ / constructor.prototype keys outright rather than strip them.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    adapter,
    {
      logger: options.config.LOG_LEVEL === 'silent' ? false : ['error', 'warn', 'log'],
    },
  );
  app.useGlobalPipes(new ProblemValidationPipe());
  app.enableShutdownHooks();
  // Errors raised by Fastify before Nest sees the request (unparseable JSON, wrong content type).
  app
    .getHttpAdapter()
    .getInstance()
    .setErrorHandler((error, request, reply) => {
      const problem = toProblem(error, request.url);
      if (problem.status >= 500) request.log.error(error);
      void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
    });
  return app;
}
