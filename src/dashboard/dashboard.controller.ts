import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../http/auth/auth.decorators.js';
import type { AmendsOpenApi } from '../http/openapi/openapi.js';
import type { Asset } from './dashboard-assets.js';

export const DASHBOARD_ASSETS = Symbol('DashboardAssets');

/** The administrators' dashboard (issue #8): the page at `/` and its files under `/dashboard/`. */
@Controller()
@Public()
export class DashboardController implements AmendsOpenApi {
  constructor(@Inject(DASHBOARD_ASSETS) private readonly assets: ReadonlyMap<string, Asset>) {}

  /** The page and its files with their real media types, and the file names that exist. */
  amendOpenApi(document: OpenAPIObject): void {
    const files = (prefix: string): [string, Asset][] =>
      [...this.assets]
        .filter(([name]) => name.startsWith(prefix) && !name.slice(prefix.length).includes('/'))
        .map(([name, asset]) => [name.slice(prefix.length), asset]);
    const page = this.assets.get('index.html');
    describeFiles(document.paths['/']?.get, page ? [['index.html', page]] : []);
    describeFiles(document.paths['/dashboard/{file}']?.get, files(''));
    describeFiles(document.paths['/dashboard/vendor/{file}']?.get, files('vendor/'));
  }

  @Get()
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Its Content-Security-Policy is set with the other security headers (security-headers.ts).
    await this.send('index.html', request, reply);
  }

  @Get('dashboard/:file')
  async file(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(file, request, reply);
  }

  @Get('dashboard/vendor/:file')
  async vendor(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(`vendor/${file}`, request, reply);
  }

  /** Revalidated on every load (ETag), gzipped when the client accepts it. */
  private async send(name: string, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const asset = this.assets.get(name);
    if (!asset) throw new NotFoundException(`No dashboard file ${name}`);
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
    parameter.description = "One of the dashboard's files (404 for any other name).";
  }
}
