import type { FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Swagger UI from the swagger-ui-dist that @nestjs/swagger ships, served by this server (no
 * CDN). @nestjs/swagger's own UI serving goes through @fastify/static, which requires an
 * ES-module-only dependency that Jest's CommonJS loader cannot load, and Nest exits the process
 * when it fails: so the page, its start script and a fixed set of files are served here.
 */
const FILES: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

export function serveSwaggerUi(
  fastify: FastifyInstance,
  path: string,
  documentUrl: string,
  title: string,
): void {
  const page = html(path, title);
  const start = startScript(documentUrl);
  fastify.get(path, (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
  fastify.get(`${path}/swagger-ui-init.js`, (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').send(start),
  );
  const cache = new Map<string, Buffer>();
  for (const [name, type] of Object.entries(FILES)) {
    fastify.get(`${path}/${name}`, (_request, reply) => {
      // Read on first use: the bundle is 1.5 MB and most servers never show the page.
      let body = cache.get(name);
      if (!body) {
        body = readFileSync(join(distDirectory(), name));
        cache.set(name, body);
      }
      return reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
    });
  }
}

/** swagger-ui-dist is @nestjs/swagger's dependency, so it is resolved from there. */
function distDirectory(): string {
  const fromHere = createRequire(import.meta.url);
  const fromSwagger = createRequire(fromHere.resolve('@nestjs/swagger'));
  return dirname(fromSwagger.resolve('swagger-ui-dist/package.json'));
}

function html(path: string, title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <link rel="stylesheet" href="${path}/swagger-ui.css">
  <link rel="icon" type="image/png" href="${path}/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${path}/swagger-ui-bundle.js"></script>
  <script src="${path}/swagger-ui-init.js"></script>
</body>
</html>
`;
}

/** A separate script rather than inline, so a strict Content-Security-Policy can allow it. */
function startScript(documentUrl: string): string {
  const options = {
    url: documentUrl,
    dom_id: '#swagger-ui',
    deepLinking: true,
    // Otherwise Swagger UI sends the document to a public validator service.
    validatorUrl: null,
    layout: 'BaseLayout',
  };
  return `window.ui = SwaggerUIBundle(Object.assign(${JSON.stringify(options)}, { presets: [SwaggerUIBundle.presets.apis] }));\n`;
}
