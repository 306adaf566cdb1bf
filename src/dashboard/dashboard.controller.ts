import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../http/auth/auth.decorators.js';
import type { Asset } from './dashboard-assets.js';

export const DASHBOARD_ASSETS = Symbol('DashboardAssets');

/** The administrators' dashboard (issue #8): the page at `/` and its files under `/dashboard/`. */
@Controller()
@Public()
export class DashboardController {
  constructor(@Inject(DASHBOARD_ASSETS) private readonly assets: ReadonlyMap<string, Asset>) {}

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
