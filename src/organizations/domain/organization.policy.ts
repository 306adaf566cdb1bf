import type { Divisions } from '../../divisions/divisions.js';
import type { ActivityLevelThresholds } from './rules/activity-level.js';

/** Reference data and the configurable rules ("ours" in DOMAIN.md) the decider depends on. */
export interface OrganizationPolicy {
  readonly divisions: Divisions;
  readonly activityLevels: ActivityLevelThresholds;
  /** Whether a team may belong to one of the special units (development zones, farms, parks). */
  readonly teamsInSpecialUnits: boolean;
  /** Whether government purchase of services requires a registered (legal-person) organization. */
  readonly governmentPurchaseRequiresRegistered: boolean;
  /** Upper bound of one grant, in fen: guards against typing yuan × 100 twice. */
  readonly maxGrantFen: number;
  /**
   * An annual report is on time when recorded by this day (`MM-DD`) of the following year;
   * DEFAULT_ANNUAL_REPORT_DUE (30 June) when not configured.
   */
  readonly annualReportDue?: string;
}

/** 30 June of the year after the one reported on (ours, configurable: ANNUAL_REPORT_DUE). */
export const DEFAULT_ANNUAL_REPORT_DUE = '06-30';
