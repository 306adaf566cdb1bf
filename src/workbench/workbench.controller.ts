import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CONFIG, Config } from '../config.js';
import type { Asset } from '../dashboard/dashboard-assets.js';
import { describeAssets, sendAsset } from '../dashboard/serve-assets.js';
import { Public } from '../http/auth/auth.decorators.js';
import type { AmendsOpenApi } from '../http/openapi/openapi.js';
import { workbenchSignIn, type WorkbenchSignIn } from './workbench-config.js';

export const WORKBENCH_ASSETS = Symbol('WorkbenchAssets');

/**
 * The officials' workbench (issue #19): the page at `/workbench`, its files under `/workbench/`,
 * and how it signs in. The page itself is public; everything it shows comes from routes that
 * need the signed-in user's token.
 */
@Controller('workbench')
@Public()
export class WorkbenchController implements AmendsOpenApi {
  constructor(
    @Inject(WORKBENCH_ASSETS) private readonly assets: ReadonlyMap<string, Asset>,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  amendOpenApi(document: OpenAPIObject): void {
    describeAssets(document, this.assets, '/workbench', '/workbench');
  }

  @Get()
  async page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Its Content-Security-Policy is set with the other security headers (security-headers.ts).
    await sendAsset(this.assets, 'index.html', request, reply);
  }

  /** How the page signs in: the provider and the public client id, or the development sign-in. */
  @Get('config')
  signIn(): WorkbenchSignIn {
    return workbenchSignIn(this.config);
  }

  @Get(':file')
  async file(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendAsset(this.assets, file, request, reply);
  }

  @Get('vendor/:file')
  async vendor(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await sendAsset(this.assets, `vendor/${file}`, request, reply);
  }
}
