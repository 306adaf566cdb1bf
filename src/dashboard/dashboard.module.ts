import { Module } from '@nestjs/common';
import { DivisionsController } from '../divisions/http/divisions.controller.js';
import { loadDashboardAssets } from './dashboard-assets.js';
import { dashboardLabels } from './dashboard-labels.js';
import { DASHBOARD_ASSETS, DashboardController } from './dashboard.controller.js';

/** The dashboard at `GET /` and the place lists its filter needs (`GET /divisions`). */
@Module({
  controllers: [DashboardController, DivisionsController],
  providers: [
    {
      provide: DASHBOARD_ASSETS,
      useFactory: () =>
        loadDashboardAssets(undefined, { 'labels.json': JSON.stringify(dashboardLabels()) }),
    },
  ],
})
export class DashboardModule {}
