import type {
  Actor,
  ActivityKind,
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
  SealedFounder,
  SupportRole,
  Tier,
  FormalGrade,
  SpotCheckResult,
} from './organization.types.js';

/**
 * Every command carries who issues it and the business date it is issued on ("today" in
 * Shanghai), so the decider needs no clock; generated ids (grant, report, notice) come in too.
 */
interface Base<Type extends string> {
  readonly type: Type;
  readonly actor: Actor;
  readonly today: IsoDate;
}

export interface RegisterOrganization extends Base<'RegisterOrganization'> {
  readonly organizationId: string;
  readonly name: string;
  readonly category: Category;
  readonly tier: Tier;
  readonly legalForm?: LegalForm;
  readonly uscc?: string;
  readonly filingNumber?: string;
  /** The business date of the tier (DOMAIN §4), default today: one of the three, by tier. */
  readonly filedOn?: IsoDate;
  readonly registeredOn?: IsoDate;
  readonly recordedOn?: IsoDate;
  /** Default by tier: group community, team street, registered district. */
  readonly activityScope?: ActivityScope;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode?: string;
  readonly foundedOn: IsoDate;
  /** Residents' names sealed by the writer once the command is accepted, like the contact. */
  readonly founders: readonly SealedFounder[];
  readonly supervisoryUnit?: string;
  readonly contact?: EncryptedContact;
}

export interface FileTeam extends Base<'FileTeam'> {
  readonly filingNumber: string;
  readonly filedOn: IsoDate;
}

export interface CancelFiling extends Base<'CancelFiling'> {
  readonly reason: string;
  readonly cancelledOn: IsoDate;
}

export interface PromoteTier extends Base<'PromoteTier'> {
  readonly toTier: Tier;
  readonly filingNumber?: string;
  readonly filedOn?: IsoDate;
  readonly uscc?: string;
  readonly legalForm?: LegalForm;
  readonly registeredOn?: IsoDate;
}

export interface DemoteTier extends Base<'DemoteTier'> {
  readonly toTier: Tier;
  readonly reason: string;
}

export interface ReportActivity extends Base<'ReportActivity'> {
  readonly reportId: string;
  readonly title: string;
  readonly kind: ActivityKind;
  readonly startsOn: IsoDate;
  readonly endsOn: IsoDate;
  readonly communityCode: string;
  readonly participants: number;
}

export interface GrantFunding extends Base<'GrantFunding'> {
  readonly grantId: string;
  readonly channel: FundingChannel;
  readonly amountFen: number;
  readonly grantedOn: IsoDate;
  readonly funder: Funder;
  readonly programme: string;
  readonly purpose?: string;
  /** What an `other-welfare` purpose is (required for it, refused otherwise). */
  readonly purposeDescription?: string;
}

export interface Reclassify extends Base<'Reclassify'> {
  readonly category: Category;
  readonly criteria: string;
  readonly reason: string;
}

export interface RecordEvaluation extends Base<'RecordEvaluation'> {
  readonly period: string;
  readonly evaluator: Evaluator;
  readonly grade: Grade;
}

export interface IssueCorrectionNotice extends Base<'IssueCorrectionNotice'> {
  readonly noticeId: string;
  readonly reason: string;
}

export interface ResolveCorrectionNotice extends Base<'ResolveCorrectionNotice'> {
  readonly noticeId: string;
  readonly note?: string;
}

export interface ChangePartyOrganization extends Base<'ChangePartyOrganization'> {
  readonly status: PartyOrganizationStatus;
}

export interface UpdateContact extends Base<'UpdateContact'> {
  readonly contact: EncryptedContact;
}

export type ErasePersonalData = Base<'ErasePersonalData'>;

export interface Dissolve extends Base<'Dissolve'> {
  readonly reason: string;
  readonly dissolvedOn: IsoDate;
  readonly kind: DissolutionKind;
  /** A merger's surviving organization (合并): its id. */
  readonly mergedInto?: string;
  /**
   * What the survivor's stream says, which the decider cannot read: filled in by the writer from
   * `mergedInto`'s stream (`unknown` when there is none). Absent counts as unknown.
   */
  readonly survivor?: SurvivorStatus;
}

/** An annual work report (年度工作报告) of a registered organization for a finished year. */
export interface RecordAnnualReport extends Base<'RecordAnnualReport'> {
  readonly year: number;
  readonly members: number;
  readonly incomeFen: number;
  readonly expenditureFen: number;
  /** How many activities it held in the year. */
  readonly activities: number;
  readonly recordedOn: IsoDate;
}

/** A spot check (抽查); `rectify` opens a correction notice with the given id. */
export interface RecordSpotCheck extends Base<'RecordSpotCheck'> {
  readonly checkId: string;
  /** The id of the correction notice a `rectify` result opens. */
  readonly noticeId: string;
  readonly checkedOn: IsoDate;
  readonly result: SpotCheckResult;
  readonly findings: string;
  /** 限期整改: the date by which to rectify; only with `rectify`. */
  readonly deadline?: IsoDate;
}

/** A formal grade (等级评估) 1A–5A. */
export interface AwardGrade extends Base<'AwardGrade'> {
  readonly grade: FormalGrade;
  readonly awardedOn: IsoDate;
}

/** Listing in the abnormal-activity list (活动异常名录). */
export interface ListAbnormal extends Base<'ListAbnormal'> {
  readonly reason: string;
  readonly listedOn: IsoDate;
}

export interface ClearAbnormal extends Base<'ClearAbnormal'> {
  readonly clearedOn: IsoDate;
}

/** 更名: a new name, unique in its managing authority's scope (the old one is freed). */
export interface RenameOrganization extends Base<'RenameOrganization'> {
  readonly name: string;
  readonly renamedOn: IsoDate;
}

/**
 * 迁移: a new base community, within or across streets and districts; decided by the level that
 * manages the organization at its new place (the receiving level), which manages it afterwards.
 */
export interface MoveOrganization extends Base<'MoveOrganization'> {
  readonly districtCode: string;
  readonly streetCode: string;
  /** Absent only at a special unit whose only community is a placeholder. */
  readonly communityCode?: string;
  readonly movedOn: IsoDate;
}

export interface ChangeSupervisoryUnit extends Base<'ChangeSupervisoryUnit'> {
  readonly unit: string;
}

/** The size facts (规模): members, volunteers and the regular activity venue. */
export interface UpdateProfile extends Base<'UpdateProfile'> {
  readonly members: number;
  readonly volunteers: number;
  readonly venue: string;
}

/** The receiving level records that a routed major-activity report reached it. */
export interface AcknowledgeActivityReport extends Base<'AcknowledgeActivityReport'> {
  readonly reportId: string;
  readonly acknowledgedOn: IsoDate;
}

/** The status of a merger's surviving organization, or `unknown` when no such organization exists. */
export type SurvivorStatus = 'active' | 'dissolved' | 'unknown';

export interface AssignSupportRole extends Base<'AssignSupportRole'> {
  readonly role: SupportRole;
  /** The streets (街镇) it serves in the role, inside the organization's district. */
  readonly streets: readonly string[];
}

export interface RevokeSupportRole extends Base<'RevokeSupportRole'> {
  readonly role: SupportRole;
}

/**
 * What the base's own stream says, which the decider cannot read: filled in by the writer from
 * `baseId`'s stream (absent: no such organization).
 */
export interface IncubationBaseFacts {
  readonly status: 'active' | 'dissolved';
  readonly districtCode: string;
  readonly streetCode: string;
  readonly holdsIncubationRole: boolean;
}

export interface EnterIncubation extends Base<'EnterIncubation'> {
  readonly incubationId: string;
  readonly baseId: string;
  readonly enteredOn: IsoDate;
  readonly base?: IncubationBaseFacts;
}

export interface EndIncubation extends Base<'EndIncubation'> {
  readonly incubationId: string;
  readonly outcome: IncubationOutcome;
  readonly endedOn: IsoDate;
}

export type OrganizationCommand =
  | RegisterOrganization
  | FileTeam
  | CancelFiling
  | PromoteTier
  | DemoteTier
  | ReportActivity
  | GrantFunding
  | Reclassify
  | RecordEvaluation
  | IssueCorrectionNotice
  | ResolveCorrectionNotice
  | ChangePartyOrganization
  | UpdateContact
  | ErasePersonalData
  | Dissolve
  | RecordAnnualReport
  | RecordSpotCheck
  | AwardGrade
  | ListAbnormal
  | ClearAbnormal
  | RenameOrganization
  | MoveOrganization
  | ChangeSupervisoryUnit
  | UpdateProfile
  | AcknowledgeActivityReport
  | AssignSupportRole
  | RevokeSupportRole
  | EnterIncubation
  | EndIncubation;

/** Commands on an organization that already exists (all but registration). */
export type ExistingOrganizationCommand = Exclude<OrganizationCommand, RegisterOrganization>;
