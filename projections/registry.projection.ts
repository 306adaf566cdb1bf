import type {
  Projection,
  ProjectionDocument,
} from '../src/event-sourcing/projection/projection.js';
import type { Divisions } from '../src/divisions/divisions.js';
import type {
  ActivityScope,
  Category,
  DissolutionKind,
  Grade,
  LegalForm,
  PartyOrganizationStatus,
  SupportRoleHeld,
  Tier,
  FormalGrade,
} from '../src/organizations/domain/organization.types.js';
import {
  domainEvent,
  handled,
  organizationId,
  recordedShanghaiDate,
  registrationFiling,
  yearOf,
} from './projected-events.js';

/**
 * The disclosure registry (信息公开): one public record per organization. Only what the public
 * may see: no contact, no founders' names, no actor ids.
 */
export interface RegistryEntry extends ProjectionDocument {
  readonly name: string;
  readonly category: Category;
  readonly tier: Tier;
  readonly legalForm: LegalForm | null;
  readonly uscc: string | null;
  readonly filingNumber: string | null;
  readonly districtCode: string;
  readonly districtName: string;
  readonly streetCode: string;
  readonly streetName: string;
  readonly communityCode: string | null;
  readonly communityName: string | null;
  readonly status: 'active' | 'dissolved';
  /** 成立日期. */
  readonly foundedOn: string;
  /** 登记日期, while registered: the registration's date, or the promotion's. */
  readonly registeredOn: string | null;
  /** 备案日期, while a team with a filing in force. */
  readonly filedOn: string | null;
  /** 记录日期, while a group recorded as one at registration. */
  readonly recordedOn: string | null;
  /** 现层级起始日期: the business date the current tier began. */
  readonly tierSince: string;
  /** 活动范围. */
  readonly activityScope: ActivityScope;
  readonly dissolvedOn: string | null;
  /** How it ended (注销, 撤销, 清理, 合并); null while active. */
  readonly dissolutionKind: DissolutionKind | null;
  /** The surviving organization of a merger. */
  readonly mergedInto: string | null;
  readonly supervisoryUnit: string | null;
  readonly partyOrganization: PartyOrganizationStatus;
  readonly fundingByYear: Readonly<Record<string, number>>;
  readonly fundingTotalFen: number;
  readonly grantCount: number;
  readonly activityCount: number;
  readonly latestEvaluation: { readonly period: string; readonly grade: Grade } | null;
  /** The latest year's annual work report (年度工作报告) and whether it came on time. */
  readonly annualReport?: { readonly year: number; readonly onTime: boolean } | null;
  /**
   * The latest formal grade (等级评估), stored valid or lapsed: the registry's queries show it
   * only while `validUntil` is not before the day asked, so the stored entry never depends on
   * when the projection ran.
   */
  readonly grade?: { readonly grade: FormalGrade; readonly validUntil: string } | null;
  /** On the abnormal-activity list (活动异常名录) since, and why; null when not. */
  readonly abnormal?: { readonly listedOn: string; readonly reason: string } | null;
  /** Size facts (规模), once recorded. */
  readonly profile: {
    readonly members: number;
    readonly volunteers: number;
    readonly venue: string;
  } | null;
  /** Support-platform roles held and the streets each serves (registered organizations only). */
  readonly supportRoles: readonly SupportRoleHeld[];
  /** The incubation base it is in, since when; null when in none. */
  readonly incubation: { readonly baseId: string; readonly since: string } | null;
}

export function registryProjection(divisions: Divisions): Projection<RegistryEntry> {
  return {
    name: 'registry',
    // 2: business dates (registeredOn, filedOn, recordedOn, tierSince) and the activity scope.
    // 3: the dissolution's kind and a merger's survivor; appraisal grades excellent…fail.
    // 4: annual report, formal grade and abnormal-list status; renames, moves (re-homed to the
    // new place), supervisory unit and size facts; support-platform roles and incubation.
    version: 4,
    handles: handled(
      'OrganizationRegistered',
      'OrganizationFiled',
      'FilingAmended',
      'FilingCancelled',
      'TierPromoted',
      'TierDemoted',
      'ActivityReported',
      'FundingGranted',
      'OrganizationReclassified',
      'EvaluationRecorded',
      'PartyOrganizationChanged',
      'OrganizationDissolved',
      'AnnualReportRecorded',
      'GradeAwarded',
      'AbnormalListed',
      'AbnormalCleared',
      'OrganizationRenamed',
      'OrganizationMoved',
      'SupervisoryUnitChanged',
      'ProfileUpdated',
      'SupportRoleAssigned',
      'SupportRoleRevoked',
      'IncubationEntered',
      'IncubationEnded',
    ),
    // Each filter paired with the name order the registry pages in, then the id that breaks
    // ties, so a page is read off the index instead of sorting every match.
    indexes: [
      ['districtCode', 'name', 'id'],
      ['streetCode', 'name', 'id'],
      ['communityCode', 'name', 'id'],
      ['category', 'name', 'id'],
      ['tier', 'name', 'id'],
      ['status', 'name', 'id'],
      ['name', 'id'],
    ],
    ids: (event) => [organizationId(event)],
    evolve: (entry, stored) => {
      const event = domainEvent(stored);
      if (event.type === 'OrganizationRegistered') {
        const d = event.data;
        const community =
          d.communityCode === undefined ? undefined : divisions.community(d.communityCode);
        // A missing business date falls back to the Shanghai date the event was recorded; a
        // team's tier begins with the filing that comes with its registration.
        const recorded = recordedShanghaiDate(stored);
        const registeredOn = d.tier === 'registered' ? (d.registeredOn ?? recorded) : null;
        const recordedOn = d.tier === 'group' ? (d.recordedOn ?? recorded) : null;
        return {
          id: d.organizationId,
          name: d.name,
          category: d.category,
          tier: d.tier,
          legalForm: d.legalForm ?? null,
          uscc: d.uscc ?? null,
          filingNumber: null,
          districtCode: d.districtCode,
          districtName: divisions.district(d.districtCode)?.name ?? d.districtCode,
          streetCode: d.streetCode,
          streetName: divisions.street(d.streetCode)?.name ?? d.streetCode,
          communityCode: d.communityCode ?? null,
          communityName: community?.name ?? null,
          status: 'active',
          foundedOn: d.foundedOn,
          registeredOn,
          filedOn: null,
          recordedOn,
          tierSince: registeredOn ?? recordedOn ?? recorded,
          activityScope: d.activityScope,
          dissolvedOn: null,
          dissolutionKind: null,
          mergedInto: null,
          supervisoryUnit: d.supervisoryUnit ?? null,
          partyOrganization: 'none',
          fundingByYear: {},
          fundingTotalFen: 0,
          grantCount: 0,
          activityCount: 0,
          latestEvaluation: null,
          annualReport: null,
          grade: null,
          abnormal: null,
          profile: null,
          supportRoles: [],
          incubation: null,
        };
      }
      if (entry === null) return null;
      switch (event.type) {
        case 'OrganizationFiled':
        case 'FilingAmended':
          return {
            ...entry,
            filingNumber: event.data.filingNumber,
            filedOn: event.data.filedOn,
            // The filing recorded with a team's registration (its stream's second event) dates it.
            ...(registrationFiling(stored.revision, entry, event.type) && {
              tierSince: event.data.filedOn,
            }),
          };
        case 'FilingCancelled':
          return { ...entry, filingNumber: null, filedOn: null };
        case 'TierPromoted':
          return {
            ...entry,
            tier: event.data.toTier,
            tierSince: event.data.promotedOn,
            recordedOn: null,
            ...(event.data.toTier === 'registered' && {
              legalForm: event.data.legalForm ?? null,
              uscc: event.data.uscc ?? null,
              filingNumber: null,
              filedOn: null,
              registeredOn: event.data.promotedOn,
            }),
          };
        case 'TierDemoted':
          return {
            ...entry,
            tier: event.data.toTier,
            tierSince: event.data.demotedOn,
            legalForm: null,
            uscc: null,
            filingNumber: null,
            filedOn: null,
            registeredOn: null,
            // Roles are for registered organizations only (as the organization's state).
            supportRoles: [],
            ...(event.data.toTier === 'group' && { activityScope: 'community' as const }),
          };
        case 'ActivityReported':
          return { ...entry, activityCount: entry.activityCount + 1 };
        case 'FundingGranted': {
          const year = yearOf(event.data.grantedOn);
          return {
            ...entry,
            fundingByYear: {
              ...entry.fundingByYear,
              [year]: (entry.fundingByYear[year] ?? 0) + event.data.amountFen,
            },
            fundingTotalFen: entry.fundingTotalFen + event.data.amountFen,
            grantCount: entry.grantCount + 1,
          };
        }
        case 'OrganizationReclassified':
          return { ...entry, category: event.data.toCategory };
        case 'EvaluationRecorded':
          return {
            ...entry,
            latestEvaluation: { period: event.data.period, grade: event.data.grade },
          };
        case 'PartyOrganizationChanged':
          return { ...entry, partyOrganization: event.data.to };
        case 'OrganizationDissolved':
          return {
            ...entry,
            status: 'dissolved',
            dissolvedOn: event.data.dissolvedOn,
            dissolutionKind: event.data.kind,
            mergedInto: event.data.mergedInto ?? null,
          };
        case 'AnnualReportRecorded': {
          const { year, onTime } = event.data;
          // A late report for an earlier year does not hide a later year's.
          if (entry.annualReport && entry.annualReport.year > year) return entry;
          return { ...entry, annualReport: { year, onTime } };
        }
        case 'GradeAwarded':
          return {
            ...entry,
            grade: { grade: event.data.grade, validUntil: event.data.validUntil },
          };
        case 'AbnormalListed':
          return {
            ...entry,
            abnormal: { listedOn: event.data.listedOn, reason: event.data.reason },
          };
        case 'AbnormalCleared':
          return { ...entry, abnormal: null };
        case 'OrganizationRenamed':
          return { ...entry, name: event.data.name };
        case 'OrganizationMoved': {
          const d = event.data;
          const community =
            d.communityCode === undefined ? undefined : divisions.community(d.communityCode);
          return {
            ...entry,
            districtCode: d.districtCode,
            districtName: divisions.district(d.districtCode)?.name ?? d.districtCode,
            streetCode: d.streetCode,
            streetName: divisions.street(d.streetCode)?.name ?? d.streetCode,
            communityCode: d.communityCode ?? null,
            communityName: community?.name ?? null,
          };
        }
        case 'SupervisoryUnitChanged':
          return { ...entry, supervisoryUnit: event.data.unit };
        case 'ProfileUpdated': {
          const { members, volunteers, venue } = event.data;
          return { ...entry, profile: { members, volunteers, venue } };
        }
        case 'SupportRoleAssigned':
          return {
            ...entry,
            supportRoles: [
              ...entry.supportRoles.filter((r) => r.role !== event.data.role),
              { role: event.data.role, streets: event.data.streets },
            ],
          };
        case 'SupportRoleRevoked':
          return {
            ...entry,
            supportRoles: entry.supportRoles.filter((r) => r.role !== event.data.role),
          };
        case 'IncubationEntered':
          return {
            ...entry,
            incubation: { baseId: event.data.baseId, since: event.data.enteredOn },
          };
        case 'IncubationEnded':
          return { ...entry, incubation: null };
        default:
          return entry;
      }
    },
  };
}
