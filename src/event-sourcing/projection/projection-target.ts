import type { Projection } from './projection.js';

/** Where one generation of a projection lives. */
export interface ProjectionTarget {
  readonly projection: Projection;
  /** Collection of its documents, e.g. `registry_v1_g2`; also the checkpoint's name. */
  readonly collection: string;
  /** Collection of its rollups (counters). */
  readonly rollupCollection: string;
}

/** Stored documents remember the last position applied to them, so a replay never double-counts. */
export const POSITION_FIELD = '_position';
