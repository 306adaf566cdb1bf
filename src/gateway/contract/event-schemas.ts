/**
 * JSON Schemas (draft 2020-12) of the public value of every integration event: the event's data
 * as `publicData` (../integration-event.ts) publishes it, without personal data (DOMAIN §7).
 *
 * The fields of each event are typed against the event's data type, so adding, removing or
 * making optional a field of an event in organization.events.ts fails the typecheck here until
 * the contract follows; test/gateway/contract.spec.ts then fails until `contracts/` is written
 * again (write-contracts.ts).
 */
import { publishedVersion } from '../integration-event.js';
import {
  type OrganizationEvent,
  type OrganizationEventType,
} from '../../organizations/domain/organization.events.js';
import {
  ACTIVITY_KINDS,
  ACTIVITY_LEVELS,
  ACTIVITY_SCOPES,
  CATEGORIES,
  DISSOLUTION_KINDS,
  EVALUATORS,
  FOUNDER_KINDS,
  FUNDER_LEVELS,
  FUNDING_CHANNELS,
  GRADES,
  INCUBATION_OUTCOMES,
  LEGAL_FORMS,
  PARTY_ORGANIZATION_STATUSES,
  SUPPORT_ROLES,
  TIERS,
  FORMAL_GRADES,
  SPOT_CHECK_RESULTS,
} from '../../organizations/domain/organization.types.js';

/** A JSON Schema as plain data. */
export type JsonSchema = { readonly [keyword: string]: unknown };

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export { publishedVersion };

/** `contracts/schemas/<file>`: one file per event type and schema version. */
export const schemaFileName = (type: string, version = publishedVersion(type)): string =>
  `${type}.v${version}.json`;

/** A URN, not a URL: the schema is shipped with the project and with the AsyncAPI document. */
export const schemaId = (type: string, version = publishedVersion(type)): string =>
  `urn:community-orgs:schema:${type}.v${version}`;

type DataOf<T extends OrganizationEventType> = Extract<OrganizationEvent, { type: T }>['data'];

interface RequiredField {
  readonly schema: JsonSchema;
  readonly optional?: never;
}
interface OptionalField {
  readonly schema: JsonSchema;
  readonly optional: true;
}
/**
 * One entry per published field of the data: the contact never is (personal data), every other
 * field must be described, and marked optional exactly when the data type makes it optional.
 */
type Fields<D> = {
  readonly [K in Exclude<keyof D, 'contact'>]-?: Partial<Pick<D, K>> extends Pick<D, K>
    ? OptionalField
    : RequiredField;
};

interface EventDescription<T extends OrganizationEventType> {
  readonly summary: string;
  readonly fields: Fields<DataOf<T>>;
}

// ---------------------------------------------------------------------------------------------
// Field schemas

const text = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
const date = (description: string): JsonSchema => ({ type: 'string', format: 'date', description });
const uuid = (description: string): JsonSchema => ({ type: 'string', format: 'uuid', description });
const oneOf = (values: readonly string[], description: string): JsonSchema => ({
  type: 'string',
  enum: [...values],
  description,
});
const count = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });
const required = (schema: JsonSchema): RequiredField => ({ schema });
const optional = (schema: JsonSchema): OptionalField => ({ schema, optional: true });

const ORGANIZATION_ID = required(
  uuid('The organization: the same as the message key and the ce_subject header.'),
);
const DISTRICT_CODE: JsonSchema = {
  type: 'string',
  pattern: '^31[0-9]{4}$',
  description: 'District (区) code, 6 digits (GB/T 2260), e.g. 310104 徐汇区.',
};
const STREET_CODE: JsonSchema = {
  type: 'string',
  pattern: '^31[0-9]{7}$',
  description: 'Street (街道) or town (镇) code, 9 digits, e.g. 310104003 天平路街道.',
};
const COMMUNITY_CODE: JsonSchema = {
  type: 'string',
  pattern: '^31[0-9]{10}$',
  description: 'Community (居委会) or village (村委会) code, 12 digits.',
};
const USCC: JsonSchema = {
  type: 'string',
  pattern: '^5[1-3][0-9A-Z]{16}$',
  description:
    'Unified Social Credit Code (统一社会信用代码) issued by civil affairs: 5, then the legal-form digit (1 social group, 2 social service institution, 3 foundation).',
};
const TIER = (description: string): JsonSchema => oneOf(TIERS, description);
const CATEGORY = (description: string): JsonSchema => oneOf(CATEGORIES, description);
const LEGAL_FORM = oneOf(LEGAL_FORMS, 'Legal form of a registered organization.');
const REASON = required(text('Why, as recorded for auditors.'));
const FILING_NUMBER = text('The filing number (备案号) the street office issued.');

// ---------------------------------------------------------------------------------------------
// The events

/** Every event type, its summary and its published fields. */
export const EVENT_CONTRACTS: { readonly [T in OrganizationEventType]: EventDescription<T> } = {
  OrganizationRegistered: {
    summary:
      'An organization was registered (登记/备案). Founders are published by kind only; the contact is never published.',
    fields: {
      organizationId: ORGANIZATION_ID,
      name: required({
        type: 'string',
        minLength: 2,
        maxLength: 50,
        description: 'Name, in Chinese, unique among the live organizations of its district.',
      }),
      category: required(CATEGORY('Category (分类).')),
      tier: required(TIER('Tier at registration.')),
      legalForm: optional(LEGAL_FORM),
      uscc: optional(USCC),
      districtCode: required(DISTRICT_CODE),
      streetCode: required(STREET_CODE),
      communityCode: optional(COMMUNITY_CODE),
      foundedOn: required(date('Founding date.')),
      registeredOn: optional(
        date(
          'Registration date (登记日期), the business date, for tier registered only. A team is dated by its OrganizationFiled.filedOn, a group by recordedOn.',
        ),
      ),
      recordedOn: optional(
        date(
          "The date the community's committee recorded the group (记录日期), for tier group only.",
        ),
      ),
      activityScope: required(
        oneOf(
          ACTIVITY_SCOPES,
          "Activity scope (活动范围): its community, street or district; a group's is always its community.",
        ),
      ),
      founders: required({
        type: 'array',
        minItems: 1,
        description: 'Founders by kind only: their names are personal data and stay inside.',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['kind'],
          properties: { kind: oneOf(FOUNDER_KINDS, 'A resident or a unit.') },
        },
      }),
      supervisoryUnit: optional(text('Supervisory unit (业务主管单位), where there is one.')),
    },
  },
  OrganizationFiled: {
    summary: 'A team was filed (备案) by its street office.',
    fields: {
      organizationId: ORGANIZATION_ID,
      filingNumber: required(FILING_NUMBER),
      filedOn: required(date('Filing date.')),
    },
  },
  FilingAmended: {
    summary: 'The filing of a team was amended (filed again with another number or date).',
    fields: {
      organizationId: ORGANIZATION_ID,
      filingNumber: required(FILING_NUMBER),
      filedOn: required(date('Filing date.')),
      previousFilingNumber: required(text('The filing number it replaces.')),
    },
  },
  FilingCancelled: {
    summary: 'A filing was cancelled; a team is demoted by a TierDemoted that follows.',
    fields: {
      organizationId: ORGANIZATION_ID,
      filingNumber: required(text('The filing number cancelled.')),
      reason: REASON,
      cancelledOn: required(date('Cancellation date.')),
    },
  },
  TierPromoted: {
    summary: 'Promoted one tier up (group → team, team → registered).',
    fields: {
      organizationId: ORGANIZATION_ID,
      fromTier: required(TIER('Tier before.')),
      toTier: required(TIER('Tier after.')),
      promotedOn: required(date('Business date of the promotion.')),
      legalForm: optional(LEGAL_FORM),
      uscc: optional(USCC),
    },
  },
  TierDemoted: {
    summary: 'Demoted one tier down.',
    fields: {
      organizationId: ORGANIZATION_ID,
      fromTier: required(TIER('Tier before.')),
      toTier: required(TIER('Tier after.')),
      reason: REASON,
      demotedOn: required(date('Business date of the demotion.')),
    },
  },
  ActivityReported: {
    summary: 'A major activity was reported (重大活动报告), graded by size to the receiving level.',
    fields: {
      organizationId: ORGANIZATION_ID,
      reportId: required(uuid('The report.')),
      title: required(text('Title of the activity.')),
      kind: required(oneOf(ACTIVITY_KINDS, 'Kind of activity.')),
      startsOn: required(date('First day.')),
      endsOn: required(date('Last day (not before startsOn).')),
      communityCode: required(COMMUNITY_CODE),
      streetCode: required(STREET_CODE),
      districtCode: required(DISTRICT_CODE),
      participants: required({
        type: 'integer',
        minimum: 1,
        description: 'Number of participants.',
      }),
      level: required(oneOf(ACTIVITY_LEVELS, 'The level that must receive the report.')),
      reportedOn: required(date('Business date of the report.')),
    },
  },
  FundingGranted: {
    summary: 'A grant was recorded.',
    fields: {
      organizationId: ORGANIZATION_ID,
      grantId: required(uuid('The grant.')),
      channel: required(oneOf(FUNDING_CHANNELS, 'Source channel of the money.')),
      amountFen: required({
        type: 'integer',
        minimum: 1,
        description: 'Amount in fen (分, 1 yuan = 100 fen): always a whole number, never a float.',
      }),
      currency: required({ type: 'string', const: 'CNY', description: 'Always CNY.' }),
      grantedOn: required(date('Business date of the grant.')),
      funder: required({
        type: 'object',
        additionalProperties: false,
        required: ['name', 'level', 'code'],
        description: 'The funding body (a public body or a foundation, not a person).',
        properties: {
          name: text('Name of the funding body.'),
          level: oneOf(FUNDER_LEVELS, 'Level of the funding body.'),
          code: {
            type: 'string',
            pattern: '^([0-9]{6}|[0-9]{9}|[0-9]{12}|[0-9A-Z]{18})$',
            description: 'Division code of the funding body, or the USCC of a foundation.',
          },
        },
      }),
      programme: required(text('Programme (项目) the grant belongs to.')),
      purpose: optional(
        text(
          'Purpose code, e.g. elderly, disability, orphans, hardship or other-welfare for welfare lottery.',
        ),
      ),
      purposeDescription: optional({
        ...text(
          'What an other-welfare purpose is (present exactly when purpose is other-welfare).',
        ),
        maxLength: 200,
      }),
    },
  },
  OrganizationReclassified: {
    summary: 'The category changed (调整标签).',
    fields: {
      organizationId: ORGANIZATION_ID,
      fromCategory: required(CATEGORY('Category before.')),
      toCategory: required(CATEGORY('Category after.')),
      criteria: required(text('The criteria applied.')),
      reason: REASON,
      reclassifiedOn: required(date('Business date of the change.')),
    },
  },
  EvaluationRecorded: {
    summary: 'A community appraisal (评议) was recorded.',
    fields: {
      organizationId: ORGANIZATION_ID,
      period: required({
        type: 'string',
        pattern: '^[0-9]{4}(-(H[12]|Q[1-4]|0[1-9]|1[0-2]))?$',
        description:
          'Period evaluated: a year, half-year, quarter or month (2025, 2025-H1, 2025-Q3, 2025-07).',
      }),
      evaluator: required(
        oneOf(EVALUATORS, 'Who appraised: the residents, the committee or the street.'),
      ),
      grade: required(
        oneOf(GRADES, 'Grade: 优秀 excellent, 良好 good, 合格 pass, 不合格 fail (v1: A–D).'),
      ),
      evaluatedOn: required(date('Business date of the evaluation.')),
    },
  },
  CorrectionNoticeIssued: {
    summary: 'A correction notice (提醒和纠正) was issued.',
    fields: {
      organizationId: ORGANIZATION_ID,
      noticeId: required(uuid('The notice.')),
      reason: REASON,
      issuedOn: required(date('Business date of the notice.')),
    },
  },
  CorrectionNoticeResolved: {
    summary: 'A correction notice was resolved.',
    fields: {
      organizationId: ORGANIZATION_ID,
      noticeId: required(uuid('The notice, as in CorrectionNoticeIssued.')),
      resolvedOn: required(date('Business date of the resolution.')),
      note: optional(text('Note on the resolution.')),
    },
  },
  PartyOrganizationChanged: {
    summary: 'The party organization status changed.',
    fields: {
      organizationId: ORGANIZATION_ID,
      from: required(oneOf(PARTY_ORGANIZATION_STATUSES, 'Status before.')),
      to: required(oneOf(PARTY_ORGANIZATION_STATUSES, 'Status after.')),
      changedOn: required(date('Business date of the change.')),
    },
  },
  ContactUpdated: {
    summary:
      'The contact changed. The contact is personal data and is never published: the value names the organization only.',
    fields: { organizationId: ORGANIZATION_ID },
  },
  PersonalDataErased: {
    summary: 'The personal data of the organization was erased (crypto-shredding, PIPL).',
    fields: {
      organizationId: ORGANIZATION_ID,
      erasedOn: required(date('Business date of the erasure.')),
    },
  },
  OrganizationDissolved: {
    summary:
      'The organization was dissolved (注销/撤销/清理/合并): no further events but clean-ups.',
    fields: {
      organizationId: ORGANIZATION_ID,
      reason: REASON,
      dissolvedOn: required(date('Dissolution date.')),
      kind: required(
        oneOf(
          DISSOLUTION_KINDS,
          '注销 deregistered (voluntary), 撤销 revoked (a sanction), 清理 cleared (inactive groups and teams), 合并 merged (v1 had none: deregistered).',
        ),
      ),
      mergedInto: optional(uuid('The surviving organization of a merger (kind merged only).')),
    },
  },
  AnnualReportRecorded: {
    summary: 'An annual work report (年度工作报告) of a registered organization was recorded.',
    fields: {
      organizationId: ORGANIZATION_ID,
      year: required({ type: 'integer', minimum: 1900, description: 'The year reported on.' }),
      members: required(count('Members at the end of the year.')),
      incomeFen: required(count('Income of the year, in integer fen (分).')),
      expenditureFen: required(count('Expenditure of the year, in integer fen (分).')),
      activities: required(count('Activities held in the year.')),
      recordedOn: required(date('Business date the report was recorded.')),
      dueOn: required(
        date('The day it was due: by then it is on time (configured when recorded).'),
      ),
      onTime: required({ type: 'boolean', description: 'Whether it was recorded by dueOn.' }),
    },
  },
  SpotCheckRecorded: {
    summary:
      'A spot check (抽查) was recorded; a `rectify` result comes with the CorrectionNoticeIssued it opens.',
    fields: {
      organizationId: ORGANIZATION_ID,
      checkId: required(uuid('The spot check.')),
      checkedOn: required(date('Business date of the check.')),
      result: required(
        oneOf(
          SPOT_CHECK_RESULTS,
          '合格 passed, 限期整改 rectify (with a deadline) or 不合格 failed.',
        ),
      ),
      findings: required(text('What the check found.')),
      deadline: optional(date('By when to rectify (result rectify only).')),
      noticeId: optional(uuid('The correction notice a rectify result opened.')),
      checkedBy: required(oneOf(['district', 'city'], 'The bureau that checked.')),
    },
  },
  GradeAwarded: {
    summary: 'A formal grade (等级评估) 1A–5A was awarded, valid five years.',
    fields: {
      organizationId: ORGANIZATION_ID,
      grade: required(oneOf(FORMAL_GRADES, 'The grade, 1A (lowest) to 5A.')),
      awardedOn: required(date('Business date of the award.')),
      validUntil: required(date('The last day the grade is valid (five years less a day).')),
    },
  },
  AbnormalListed: {
    summary: 'The organization was listed in the abnormal-activity list (活动异常名录).',
    fields: {
      organizationId: ORGANIZATION_ID,
      reason: REASON,
      listedOn: required(date('Business date of the listing.')),
    },
  },
  AbnormalCleared: {
    summary: 'The organization was cleared from the abnormal-activity list.',
    fields: {
      organizationId: ORGANIZATION_ID,
      clearedOn: required(date('Business date of the clearance.')),
      listedOn: required(date('When the listing it clears was made.')),
    },
  },
  OrganizationRenamed: {
    summary: 'The organization was renamed (更名); the old name is free again in its scope.',
    fields: {
      organizationId: ORGANIZATION_ID,
      from: required(text('Name before.')),
      name: required({
        type: 'string',
        minLength: 2,
        maxLength: 50,
        description: 'Name after, unique among the live organizations under the same authority.',
      }),
      renamedOn: required(date('Business date of the renaming.')),
    },
  },
  OrganizationMoved: {
    summary:
      'The organization moved its base community (迁移); the level that manages it at the new place manages it from now on.',
    fields: {
      organizationId: ORGANIZATION_ID,
      districtCode: required(DISTRICT_CODE),
      streetCode: required(STREET_CODE),
      communityCode: optional(COMMUNITY_CODE),
      from: required({
        type: 'object',
        additionalProperties: false,
        required: ['districtCode', 'streetCode'],
        description: 'Where it was based before.',
        properties: {
          districtCode: DISTRICT_CODE,
          streetCode: STREET_CODE,
          communityCode: COMMUNITY_CODE,
        },
      }),
      movedOn: required(date('Business date of the move.')),
    },
  },
  SupervisoryUnitChanged: {
    summary: 'The business supervisory unit (业务主管单位) changed.',
    fields: {
      organizationId: ORGANIZATION_ID,
      from: optional(text('Unit before; absent when it had none.')),
      unit: required(text('Unit after.')),
      changedOn: required(date('Business date of the change.')),
    },
  },
  ProfileUpdated: {
    summary: 'The size facts (members, volunteers, regular activity venue) were updated.',
    fields: {
      organizationId: ORGANIZATION_ID,
      members: required({ type: 'integer', minimum: 0, description: 'Number of members.' }),
      volunteers: required({ type: 'integer', minimum: 0, description: 'Number of volunteers.' }),
      venue: required({
        type: 'string',
        description: 'Regular activity venue (a place, not a person); empty when it has none.',
      }),
      updatedOn: required(date('Business date of the update.')),
    },
  },
  ActivityReportAcknowledged: {
    summary:
      'The level a major-activity report was routed to acknowledged receiving it (分级报告).',
    fields: {
      organizationId: ORGANIZATION_ID,
      reportId: required(uuid('The report, as in ActivityReported.')),
      level: required(oneOf(ACTIVITY_LEVELS, 'The level that received it.')),
      acknowledgedOn: required(date('Business date of the receipt.')),
    },
  },
  SupportRoleAssigned: {
    summary:
      'The district bureau assigned a support-platform role (联合支持平台) with every street it serves in it; a later assignment of the same role replaces the streets.',
    fields: {
      organizationId: ORGANIZATION_ID,
      role: required(
        oneOf(
          SUPPORT_ROLES,
          'federation 联合会, service-centre 服务中心, incubation-base 孵化基地, social-work-station 社工站.',
        ),
      ),
      streets: required({
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: STREET_CODE,
        description:
          "The streets (街镇) it serves in the role, in the organization's district, in code order.",
      }),
      assignedOn: required(date('Business date of the assignment.')),
    },
  },
  SupportRoleRevoked: {
    summary: 'The district bureau revoked a support-platform role.',
    fields: {
      organizationId: ORGANIZATION_ID,
      role: required(oneOf(SUPPORT_ROLES, 'The role revoked.')),
      revokedOn: required(date('Business date of the revocation.')),
    },
  },
  IncubationEntered: {
    summary: 'The organization entered an incubation base (孵化基地).',
    fields: {
      organizationId: ORGANIZATION_ID,
      incubationId: required(uuid('The incubation.')),
      baseId: required(uuid('The base: an organization holding the incubation-base role.')),
      baseDistrictCode: required(DISTRICT_CODE),
      baseStreetCode: required(STREET_CODE),
      enteredOn: required(date('Business date of the entry.')),
    },
  },
  IncubationEnded: {
    summary: 'The organization left its incubation base, graduated (出壳) or withdrawn.',
    fields: {
      organizationId: ORGANIZATION_ID,
      incubationId: required(uuid('The incubation, as in IncubationEntered.')),
      baseId: required(uuid('The base.')),
      baseDistrictCode: required(DISTRICT_CODE),
      outcome: required(oneOf(INCUBATION_OUTCOMES, 'graduated or withdrawn.')),
      endedOn: required(date('Business date of the end.')),
    },
  },
};

/** Every event type, in the order of EVENT_CONTRACTS (which TypeScript keeps complete and exact). */
export const ORGANIZATION_EVENT_TYPES = Object.keys(
  EVENT_CONTRACTS,
) as readonly OrganizationEventType[];

/** The JSON Schema document of one event type's public value. */
export function eventValueSchema(type: OrganizationEventType): JsonSchema {
  const { summary, fields } = EVENT_CONTRACTS[type] as EventDescription<OrganizationEventType>;
  const entries = Object.entries(fields as Record<string, RequiredField | OptionalField>);
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: schemaId(type),
    title: `${type} v${publishedVersion(type)}`,
    description: `${summary} This schema describes the JSON value of the ${type} messages on the registry's Kafka topic.`,
    type: 'object',
    additionalProperties: false,
    required: entries.filter(([, field]) => field.optional !== true).map(([name]) => name),
    properties: Object.fromEntries(entries.map(([name, field]) => [name, field.schema])),
  };
}
