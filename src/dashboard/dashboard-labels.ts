import {
  ACTIVITY_LEVELS,
  CATEGORIES,
  CATEGORY_LABELS,
  DISSOLUTION_KIND_LABELS,
  DISSOLUTION_KINDS,
  FUNDING_CHANNEL_LABELS,
  FUNDING_CHANNELS,
  SUPPORT_ROLE_LABELS,
  SUPPORT_ROLES,
  TIER_LABELS,
  TIERS,
  type ActivityLevel,
} from '../organizations/domain/organization.types.js';

/** Activity report levels, named after the level that receives the report. */
const ACTIVITY_LEVEL_LABELS: Record<ActivityLevel, string> = {
  community: '社区级',
  street: '街镇级',
  district: '区级',
};

/**
 * The vocabularies the page shows, in the domain's order, from the one label table the registry
 * CSV also uses: the browser never keeps its own copy of a Chinese name.
 */
export function dashboardLabels(): Record<string, ReadonlyArray<{ code: string; label: string }>> {
  return {
    categories: CATEGORIES.map((code) => ({ code, label: CATEGORY_LABELS[code] })),
    tiers: TIERS.map((code) => ({ code, label: TIER_LABELS[code] })),
    channels: FUNDING_CHANNELS.map((code) => ({ code, label: FUNDING_CHANNEL_LABELS[code] })),
    activityLevels: ACTIVITY_LEVELS.map((code) => ({ code, label: ACTIVITY_LEVEL_LABELS[code] })),
    dissolutionKinds: DISSOLUTION_KINDS.map((code) => ({
      code,
      label: DISSOLUTION_KIND_LABELS[code],
    })),
    supportRoles: SUPPORT_ROLES.map((code) => ({ code, label: SUPPORT_ROLE_LABELS[code] })),
  };
}
