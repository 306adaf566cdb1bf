import type { ActivityLevel } from '../organization.types.js';

/** Participant counts from which a major activity is reported to a higher level (ours). */
export interface ActivityLevelThresholds {
  /** From this many participants the street receives the report (default 100). */
  readonly street: number;
  /** From this many participants the district receives the report (default 500). */
  readonly district: number;
}

export const DEFAULT_ACTIVITY_LEVEL_THRESHOLDS: ActivityLevelThresholds = {
  street: 100,
  district: 500,
};

export function activityLevel(
  participants: number,
  thresholds: ActivityLevelThresholds,
): ActivityLevel {
  if (participants >= thresholds.district) return 'district';
  if (participants >= thresholds.street) return 'street';
  return 'community';
}
