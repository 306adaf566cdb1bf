import type {
  Category,
  DissolutionKind,
  EncryptedContact,
  Evaluator,
  Founder,
  Grade,
  IsoDate,
  LegalForm,
  PartyOrganizationStatus,
  Tier,
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
  readonly registeredOn: IsoDate;
  readonly founders: readonly Founder[];
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
}

/** Before its first event an organization does not exist. */
export type OrganizationState = Organization | null;
