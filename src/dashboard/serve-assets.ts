import { NotFoundException } from '@nestjs/common';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Asset } from './dashboard-assets.js';

/**
 * One of a page's files (the dashboard's, the workbench's): revalidated on every load (ETag),
 * gzipped when the client accepts it, 404 for a name that is not one of them.
 */
export async function sendAsset(
  assets: ReadonlyMap<string, Asset>,
  name: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const asset = assets.get(name);
  if (!asset) throw new NotFoundException(`No such file ${name}`);
  reply
    .header('content-type', asset.contentType)
    .header('cache-control', 'no-cache')
    .header('etag', asset.etag)
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  if (request.headers['if-none-match'] === asset.etag) {
    await reply.code(304).send();
    return;
  }
  const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
  if (gzip) reply.header('content-encoding', 'gzip');
  await reply.send(gzip ? asset.gzipped : asset.body);
}

/**
 * Describes a page's file routes in the OpenAPI document: the page at `pagePath`, its files at
 * `<filesPath>/{file}` and `<filesPath>/vendor/{file}`, with their real media types and names.
 */
export function describeAssets(
  document: OpenAPIObject,
  assets: ReadonlyMap<string, Asset>,
  pagePath: string,
  filesPath: string,
): void {
  const files = (prefix: string): [string, Asset][] =>
    [...assets]
      .filter(([name]) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
      .map(([name, asset]) => [name.slice(prefix.length), asset]);
  const page = assets.get('index.html');
  describeFiles(document.paths[pagePath]?.get, page ? [['index.html', page]] : []);
  describeFiles(document.paths[`${filesPath}/{file}`]?.get, files(''));
  describeFiles(document.paths[`${filesPath}/vendor/{file}`]?.get, files('vendor/'));
}

/** A static-file route: `file` names one of these files, the answer has their media types. */
function describeFiles(
  operation: OperationObject | undefined,
  files: readonly [string, Asset][],
): void {
  if (!operation) return;
  const mediaTypes = [...new Set(files.map(([, asset]) => asset.contentType.split(';')[0] ?? ''))];
  const ok: ResponseObject = {
    description:
      'The file (gzipped when the client accepts it), with an ETag; revalidated on every load.',
    headers: { ETag: { description: "The file's version.", schema: { type: 'string' } } },
    content: Object.fromEntries(
      mediaTypes.map((type) => [
        type,
        { schema: type === 'application/json' ? { type: 'object' } : { type: 'string' } },
      ]),
    ),
  };
  operation.responses = {
    ...operation.responses,
    '200': ok,
    '304': { description: 'Not modified: `If-None-Match` named the current ETag.' },
  };
  for (const parameter of operation.parameters ?? []) {
    if ('$ref' in parameter || parameter.name !== 'file') continue;
    parameter.schema = { type: 'string', enum: files.map(([name]) => name).sort() };
    parameter.description = "One of the page's files (404 for any other name).";
  }
}
