import type { Config } from '../config.js';
import type { Divisions } from '../divisions/divisions.js';
import type { OrganizationPolicy } from './domain/organization.policy.js';

/** The decider's configurable rules ("ours" in DOMAIN.md), from the validated configuration. */
export function policyFromConfig(config: Config, divisions: Divisions): OrganizationPolicy {
  return {
    divisions,
    activityLevels: {
      street: config.ACTIVITY_STREET_THRESHOLD,
      district: config.ACTIVITY_DISTRICT_THRESHOLD,
    },
    teamsInSpecialUnits: config.TEAMS_IN_SPECIAL_UNITS,
    governmentPurchaseRequiresRegistered: config.GOVERNMENT_PURCHASE_REQUIRES_REGISTERED,
    maxGrantFen: config.MAX_GRANT_FEN,
    annualReportDue: config.ANNUAL_REPORT_DUE,
  };
}
