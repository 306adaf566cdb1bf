import type {
  ActivityKind,
  ActivityLevel,
  Category,
  EncryptedContact,
  Evaluator,
  Founder,
  Funder,
  FundingChannel,
  Grade,
  IsoDate,
  LegalForm,
  PartyOrganizationStatus,
  Tier,
} from './organization.types.js';

/** Version of the event data shapes below; recorded in every event's metadata. */
export const ORGANIZATION_SCHEMA_VERSION = 1;

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
    /** Business date of the registration. */
    registeredOn: IsoDate;
    founders: Founder[];
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
export type OrganizationDissolved = Base<
  'OrganizationDissolved',
  { reason: string; dissolvedOn: IsoDate }
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
  | OrganizationDissolved;

export type OrganizationEventType = OrganizationEvent['type'];
