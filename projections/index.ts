import type { Projection } from '../src/event-sourcing/projection/projection.js';
import type { Divisions } from '../src/divisions/divisions.js';
import { activityReportsProjection } from './activity-reports.projection.js';
import { fundingProjection } from './funding.projection.js';
import { registryProjection } from './registry.projection.js';
import { statisticsProjection } from './statistics.projection.js';
import { worklistsProjection } from './worklists.projection.js';

/** Every read model of DOMAIN §5, in the order the runner feeds them. */
export function createProjections(divisions: Divisions): ReadonlyArray<Projection> {
  return [
    registryProjection(divisions),
    statisticsProjection(divisions),
    fundingProjection(divisions),
    activityReportsProjection(),
    worklistsProjection(),
  ];
}
