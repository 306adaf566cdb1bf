import type {
  ActivityLevel,
  ActivityScope,
  Category,
  DissolutionKind,
  EncryptedContact,
  Evaluator,
  FounderOnFile,
  Grade,
  IsoDate,
  LegalForm,
  PartyOrganizationStatus,
  SupportRoleHeld,
  Tier,
  FormalGrade,
} from './organization.types.js';

export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly tier: Tier;
  readonly legalForm?: LegalForm;
  readonly uscc?: string;
  /** The team's filing (备案) in force, if any. */
  readonly filing?: { readonly number: string; readonly filedOn: IsoDate };
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode?: string;
  readonly foundedOn: IsoDate;
  /** While registered: the registration's date, or the promotion's when it was promoted. */
  readonly registeredOn?: IsoDate;
  /** While a group recorded as one: the date its committee recorded it. */
  readonly recordedOn?: IsoDate;
  /**
   * The business date its current tier began: the registration's (a team's: its filing's), then
   * each promotion's or demotion's. Absent only between a team's registration and its filing.
   */
  readonly tierSince?: IsoDate;
  readonly activityScope: ActivityScope;
  /** Resident founders' names sealed (or legacy plaintext), erased with the personal data. */
  readonly founders: readonly FounderOnFile[];
  readonly supervisoryUnit?: string;
  readonly partyOrganization: PartyOrganizationStatus;
  readonly contact?: EncryptedContact;
  readonly personalDataErased: boolean;
  readonly status: 'active' | 'dissolved';
  readonly dissolvedOn?: IsoDate;
  readonly dissolutionKind?: DissolutionKind;
  /** The surviving organization of a merger. */
  readonly mergedInto?: string;
  readonly openCorrectionNotices: readonly string[];
  readonly correctionNoticeCount: number;
  readonly fundingTotalFen: number;
  readonly grantCount: number;
  readonly activityReportCount: number;
  readonly latestEvaluation?: {
    readonly period: string;
    readonly evaluator: Evaluator;
    readonly grade: Grade;
    readonly evaluatedOn: IsoDate;
  };
  /** The years of its annual work reports (one each), and the latest year's. */
  readonly annualReportYears?: readonly number[];
  readonly latestAnnualReport?: { readonly year: number; readonly onTime: boolean };
  /** The latest formal grade awarded, valid or lapsed: whether it is still valid depends on the day asked. */
  readonly grade?: {
    readonly grade: FormalGrade;
    readonly awardedOn: IsoDate;
    readonly validUntil: IsoDate;
  };
  /** While on the abnormal-activity list (活动异常名录). */
  readonly abnormal?: { readonly listedOn: IsoDate; readonly reason: string };
  /** Size facts (规模), once recorded. */
  readonly profile?: {
    readonly members: number;
    readonly volunteers: number;
    readonly venue: string;
  };
  /** Its major-activity reports: where each was routed, and whether that level received it. */
  readonly activityReports?: Readonly<Record<string, RoutedReport>>;
  /** Support-platform roles held (registered organizations only), in the order assigned; absent: none. */
  readonly supportRoles?: readonly SupportRoleHeld[];
  /** The incubation it is in, if any; the base's place decides who ends it. */
  readonly incubation?: OpenIncubation;
}

/** A major-activity report as its receiving level sees it (DOMAIN §4, 分级报告). */
export interface RoutedReport {
  readonly level: ActivityLevel;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string;
  readonly reportedOn: IsoDate;
  readonly acknowledgedOn?: IsoDate;
}

export interface OpenIncubation {
  readonly incubationId: string;
  readonly baseId: string;
  readonly baseDistrictCode: string;
  readonly baseStreetCode: string;
  readonly since: IsoDate;
}

/** Before its first event an organization does not exist. */
export type OrganizationState = Organization | null;
