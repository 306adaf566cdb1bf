import { type DynamicModule, Module } from '@nestjs/common';
import type { Config } from '../config.js';
import { DevTokenController } from './dev-token.controller.js';
import { developmentSignIn } from './workbench-config.js';
import { loadWorkbenchAssets } from './workbench-assets.js';
import { WhoamiController } from './whoami.controller.js';
import { WORKBENCH_ASSETS, WorkbenchController } from './workbench.controller.js';

/**
 * The officials' workbench at `GET /workbench`, `GET /whoami`, and — in development without an
 * identity provider only — the development sign-in's `POST /dev/token` (absent otherwise: 404).
 */
@Module({})
export class WorkbenchModule {
  static forRoot(config: Config): DynamicModule {
    return {
      module: WorkbenchModule,
      controllers: [
        WorkbenchController,
        WhoamiController,
        ...(developmentSignIn(config) ? [DevTokenController] : []),
      ],
      providers: [{ provide: WORKBENCH_ASSETS, useFactory: () => loadWorkbenchAssets() }],
    };
  }
}
