import type {
  ActivityKind,
  ActivityLevel,
  ActivityScope,
  Category,
  DissolutionKind,
  EncryptedContact,
  Evaluator,
  Funder,
  FundingChannel,
  Grade,
  IncubationOutcome,
  IsoDate,
  LegalForm,
  PartyOrganizationStatus,
  RecordedFounder,
  SupportRole,
  Tier,
  FormalGrade,
  SpotCheckResult,
} from './organization.types.js';

interface Base<Type extends string, Data> {
  readonly type: Type;
  readonly data: Data & { readonly organizationId: string };
}

export type OrganizationRegistered = Base<
  'OrganizationRegistered',
  {
    name: string;
    category: Category;
    tier: Tier;
    legalForm?: LegalForm;
    uscc?: string;
    districtCode: string;
    streetCode: string;
    communityCode?: string;
    foundedOn: IsoDate;
    /**
     * v2: the business date of the registration (登记日期), for tier `registered` only. A team's
     * date is its OrganizationFiled's `filedOn`; a group's is `recordedOn`. (v1 had `registeredOn`
     * for every tier: the Shanghai date the record was entered.)
     */
    registeredOn?: IsoDate;
    /** v2: the date the committee recorded the group (记录日期), for tier `group` only. */
    recordedOn?: IsoDate;
    /** v2: where it is active (活动范围); a group's is its community. */
    activityScope: ActivityScope;
    /**
     * v3: a resident's name sealed (`sealedName`), a unit's plain. (v1 and v2 held every name in
     * plaintext: lifted, a resident's is `plaintextName`, which cannot be erased.)
     */
    founders: RecordedFounder[];
    supervisoryUnit?: string;
    contact?: EncryptedContact;
  }
>;
export type OrganizationFiled = Base<
  'OrganizationFiled',
  { filingNumber: string; filedOn: IsoDate }
>;
export type FilingAmended = Base<
  'FilingAmended',
  { filingNumber: string; filedOn: IsoDate; previousFilingNumber: string }
>;
export type FilingCancelled = Base<
  'FilingCancelled',
  { filingNumber: string; reason: string; cancelledOn: IsoDate }
>;
export type TierPromoted = Base<
  'TierPromoted',
  {
    fromTier: Tier;
    toTier: Tier;
    promotedOn: IsoDate;
    legalForm?: LegalForm;
    uscc?: string;
  }
>;
export type TierDemoted = Base<
  'TierDemoted',
  { fromTier: Tier; toTier: Tier; reason: string; demotedOn: IsoDate }
>;
export type ActivityReported = Base<
  'ActivityReported',
  {
    reportId: string;
    title: string;
    kind: ActivityKind;
    startsOn: IsoDate;
    endsOn: IsoDate;
    communityCode: string;
    streetCode: string;
    districtCode: string;
    participants: number;
    /** The level that must receive the report, graded by size. */
    level: ActivityLevel;
    reportedOn: IsoDate;
  }
>;
export type FundingGranted = Base<
  'FundingGranted',
  {
    grantId: string;
    channel: FundingChannel;
    /** Integer fen (分), never a float. */
    amountFen: number;
    currency: 'CNY';
    grantedOn: IsoDate;
    funder: Funder;
    programme: string;
    purpose?: string;
    /** What an `other-welfare` purpose is. */
    purposeDescription?: string;
  }
>;
export type OrganizationReclassified = Base<
  'OrganizationReclassified',
  {
    fromCategory: Category;
    toCategory: Category;
    criteria: string;
    reason: string;
    reclassifiedOn: IsoDate;
  }
>;
/** v2: grades excellent / good / pass / fail (v1: A–D), evaluator `street` added. */
export type EvaluationRecorded = Base<
  'EvaluationRecorded',
  { period: string; evaluator: Evaluator; grade: Grade; evaluatedOn: IsoDate }
>;
export type CorrectionNoticeIssued = Base<
  'CorrectionNoticeIssued',
  { noticeId: string; reason: string; issuedOn: IsoDate }
>;
export type CorrectionNoticeResolved = Base<
  'CorrectionNoticeResolved',
  { noticeId: string; resolvedOn: IsoDate; note?: string }
>;
export type PartyOrganizationChanged = Base<
  'PartyOrganizationChanged',
  { from: PartyOrganizationStatus; to: PartyOrganizationStatus; changedOn: IsoDate }
>;
export type ContactUpdated = Base<'ContactUpdated', { contact: EncryptedContact }>;
export type PersonalDataErased = Base<'PersonalDataErased', { erasedOn: IsoDate }>;
/** v2: `kind` (v1 had none: a voluntary deregistration); `mergedInto` the survivor of a merger. */
export type OrganizationDissolved = Base<
  'OrganizationDissolved',
  { reason: string; dissolvedOn: IsoDate; kind: DissolutionKind; mergedInto?: string }
>;
/**
 * An annual work report (年度工作报告). Whether it was on time is decided when it is recorded,
 * against the due date then in force (`dueOn`), so a rebuild never depends on the configuration.
 */
export type AnnualReportRecorded = Base<
  'AnnualReportRecorded',
  {
    year: number;
    members: number;
    incomeFen: number;
    expenditureFen: number;
    activities: number;
    recordedOn: IsoDate;
    dueOn: IsoDate;
    onTime: boolean;
  }
>;
/** A spot check (抽查); a `rectify` result comes with the CorrectionNoticeIssued it opens. */
export type SpotCheckRecorded = Base<
  'SpotCheckRecorded',
  {
    checkId: string;
    checkedOn: IsoDate;
    result: SpotCheckResult;
    findings: string;
    /** By when to rectify (限期整改), with `rectify` only. */
    deadline?: IsoDate;
    /** The correction notice a `rectify` result opened. */
    noticeId?: string;
    /** The level that checked: `district` or `city`. */
    checkedBy: 'district' | 'city';
  }
>;
/** A formal grade (等级评估), valid through `validUntil` (five years from the award, less a day). */
export type GradeAwarded = Base<
  'GradeAwarded',
  { grade: FormalGrade; awardedOn: IsoDate; validUntil: IsoDate }
>;
export type AbnormalListed = Base<'AbnormalListed', { reason: string; listedOn: IsoDate }>;
export type AbnormalCleared = Base<'AbnormalCleared', { clearedOn: IsoDate; listedOn: IsoDate }>;

export type OrganizationRenamed = Base<
  'OrganizationRenamed',
  { from: string; name: string; renamedOn: IsoDate }
>;
/** Where an organization is based (所在社区 and its street and district). */
export interface BasePlace {
  districtCode: string;
  streetCode: string;
  communityCode?: string;
}
export type OrganizationMoved = Base<
  'OrganizationMoved',
  BasePlace & { from: BasePlace; movedOn: IsoDate }
>;
export type SupervisoryUnitChanged = Base<
  'SupervisoryUnitChanged',
  { from?: string; unit: string; changedOn: IsoDate }
>;
export type ProfileUpdated = Base<
  'ProfileUpdated',
  { members: number; volunteers: number; venue: string; updatedOn: IsoDate }
>;
export type ActivityReportAcknowledged = Base<
  'ActivityReportAcknowledged',
  { reportId: string; level: ActivityLevel; acknowledgedOn: IsoDate }
>;
/** The role and every street it serves in it: a later assignment of the same role replaces them. */
export type SupportRoleAssigned = Base<
  'SupportRoleAssigned',
  { role: SupportRole; streets: string[]; assignedOn: IsoDate }
>;
export type SupportRoleRevoked = Base<
  'SupportRoleRevoked',
  { role: SupportRole; revokedOn: IsoDate }
>;
/** The base's place as it was on entry: who ends the incubation, and where it is counted. */
export type IncubationEntered = Base<
  'IncubationEntered',
  {
    incubationId: string;
    baseId: string;
    baseDistrictCode: string;
    baseStreetCode: string;
    enteredOn: IsoDate;
  }
>;
export type IncubationEnded = Base<
  'IncubationEnded',
  {
    incubationId: string;
    baseId: string;
    baseDistrictCode: string;
    outcome: IncubationOutcome;
    endedOn: IsoDate;
  }
>;

export type OrganizationEvent =
  | OrganizationRegistered
  | OrganizationFiled
  | FilingAmended
  | FilingCancelled
  | TierPromoted
  | TierDemoted
  | ActivityReported
  | FundingGranted
  | OrganizationReclassified
  | EvaluationRecorded
  | CorrectionNoticeIssued
  | CorrectionNoticeResolved
  | PartyOrganizationChanged
  | ContactUpdated
  | PersonalDataErased
  | OrganizationDissolved
  | AnnualReportRecorded
  | SpotCheckRecorded
  | GradeAwarded
  | AbnormalListed
  | AbnormalCleared
  | OrganizationRenamed
  | OrganizationMoved
  | SupervisoryUnitChanged
  | ProfileUpdated
  | ActivityReportAcknowledged
  | SupportRoleAssigned
  | SupportRoleRevoked
  | IncubationEntered
  | IncubationEnded;

export type OrganizationEventType = OrganizationEvent['type'];

/**
 * The current schema version of each event's data, recorded in its metadata. A change of shape
 * bumps the type's version and adds the step that lifts the previous version
 * (organization.upcasts.ts); stored events are never rewritten.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<OrganizationEventType, number>> = {
  OrganizationRegistered: 3,
  OrganizationFiled: 1,
  FilingAmended: 1,
  FilingCancelled: 1,
  TierPromoted: 1,
  TierDemoted: 1,
  ActivityReported: 1,
  FundingGranted: 1,
  OrganizationReclassified: 1,
  EvaluationRecorded: 2,
  CorrectionNoticeIssued: 1,
  CorrectionNoticeResolved: 1,
  PartyOrganizationChanged: 1,
  ContactUpdated: 1,
  PersonalDataErased: 1,
  OrganizationDissolved: 2,
  AnnualReportRecorded: 1,
  SpotCheckRecorded: 1,
  GradeAwarded: 1,
  AbnormalListed: 1,
  AbnormalCleared: 1,
  OrganizationRenamed: 1,
  OrganizationMoved: 1,
  SupervisoryUnitChanged: 1,
  ProfileUpdated: 1,
  ActivityReportAcknowledged: 1,
  SupportRoleAssigned: 1,
  SupportRoleRevoked: 1,
  IncubationEntered: 1,
  IncubationEnded: 1,
};
