import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../http/auth/auth.decorators.js';
import type { AmendsOpenApi } from '../http/openapi/openapi.js';
import type { Asset } from './dashboard-assets.js';
import { describeAssets, sendAsset } from './serve-assets.js';

export const DASHBOARD_ASSETS = Symbol('DashboardAssets');

/** The administrators' dashboard (issue #8): the page at `/` and its files under `/dashboard/`. */
@Controller()
@Public()
export class DashboardController implements AmendsOpenApi {
  constructor(@Inject(DASHBOARD_ASSETS) private readonly assets: ReadonlyMap<string, Asset>) {}

  /** The page and its files with their real media types, and the file names that exist. */
  amendOpenApi(document: OpenAPIObject): void {
    describeAssets(document, this.assets, '/', '/dashboard');
  }

  @Get()
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Its Content-Security-Policy is set with the other security headers (security-headers.ts).
    await sendAsset(this.assets, 'index.html', request, reply);
  }

  @Get('dashboard/:file')
  async file(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendAsset(this.assets, file, request, reply);
  }

  @Get('dashboard/vendor/:file')
  async vendor(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendAsset(this.assets, `vendor/${file}`, request, reply);
  }
}
