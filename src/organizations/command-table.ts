import { ActivityReportDto } from './dto/activity-report.dto.js';
import { MoveDto, ProfileDto, RenameDto, SupervisoryUnitDto } from './dto/changes.dto.js';
import { ContactDto } from './dto/contact.dto.js';
import { CancelFilingDto, FileTeamDto } from './dto/filing.dto.js';
import { FundingDto } from './dto/funding.dto.js';
import { RegisterOrganizationDto } from './dto/register-organization.dto.js';
import {
  CorrectionNoticeDto,
  CorrectionResolutionDto,
  DissolutionDto,
  EvaluationDto,
  PartyOrganizationDto,
  ReclassifyDto,
} from './dto/supervision.dto.js';
import { DemoteDto, PromoteDto } from './dto/tier.dto.js';
import {
  AbnormalClearanceDto,
  AbnormalListingDto,
  AnnualReportDto,
  GradeDto,
  SpotCheckDto,
} from './dto/oversight.dto.js';
import { IncubationDto, IncubationEndDto, SupportRoleDto } from './dto/platforms.dto.js';
import { SUPPORT_ROLES, type SupportRole } from './domain/organization.types.js';
import type { ChangePayload, RegistrationPayload } from './organization-writer.js';

/** A fresh id for what a command creates (a report, a grant, a notice). */
export type NewId = () => string;

/** The path parameters of a route, already checked to be UUIDs (`id` is the organization). */
export type RouteParams = Readonly<Record<string, string>>;

/** `':id/notices/:noticeId'` → `{ id: string; noticeId: string }`. */
type ParamsOf<Path extends string> = Path extends `${string}:${infer Name}/${infer Rest}`
  ? { readonly [K in Name]: string } & ParamsOf<Rest>
  : Path extends `${string}:${infer Name}`
    ? { readonly [K in Name]: string }
    : unknown;

interface RowFields<Dto, Payload, Path extends string> {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  /** Relative to /organizations; every `:param` in it is a UUID unless `enumParams` names it. */
  readonly path: Path;
  /** Path parameters that take one of a few codes instead of a UUID (a support role). */
  readonly enumParams?: Readonly<Record<string, readonly string[]>>;
  /** The validated body; a route without one (DELETE) has none. */
  readonly dto?: new () => Dto;
  /** The status of a write that changed something (a write that changed nothing answers 200). */
  readonly status: 200 | 201;
  /** The domain command the request asks for. */
  toCommand(dto: Dto, params: ParamsOf<Path>, newId: NewId): Payload;
}

/** Creates the organization's stream; answers its Location. */
export interface RegistrationRow extends RowFields<
  RegisterOrganizationDto,
  RegistrationPayload,
  ''
> {
  readonly kind: 'registration';
}

/** A command on an existing organization (`:id`); takes If-Match. */
export interface ChangeRow<Dto = object, Path extends string = string> extends RowFields<
  Dto,
  ChangePayload,
  Path
> {
  readonly kind: 'change';
}

export type CommandRow = RegistrationRow | ChangeRow;

const change = <Dto, Path extends `:id/${string}`>(
  row: RowFields<Dto, ChangePayload, Path>,
): ChangeRow<Dto, Path> => ({ kind: 'change', ...row });

/**
 * Every write of API.md ("Writes"), by name (the controller method and the OpenAPI operation).
 * The controller, the command handler, the OpenAPI document and the write-contract tests are
 * generated from or checked against this table.
 */
export const COMMAND_TABLE = {
  register: {
    kind: 'registration',
    method: 'POST',
    path: '',
    dto: RegisterOrganizationDto,
    status: 201,
    toCommand: ({ contact, ...rest }) => ({
      ...rest,
      ...(contact && { contact: { name: contact.name, phone: contact.phone } }),
    }),
  } satisfies RegistrationRow,
  file: change({
    method: 'POST',
    path: ':id/filings',
    dto: FileTeamDto,
    status: 201,
    toCommand: (dto) => ({ type: 'FileTeam', ...dto }),
  }),
  cancelFiling: change({
    method: 'POST',
    path: ':id/filing-cancellation',
    dto: CancelFilingDto,
    status: 201,
    toCommand: (dto) => ({ type: 'CancelFiling', ...dto }),
  }),
  promote: change({
    method: 'POST',
    path: ':id/promotions',
    dto: PromoteDto,
    status: 201,
    toCommand: (dto) => ({ type: 'PromoteTier', ...dto }),
  }),
  demote: change({
    method: 'POST',
    path: ':id/demotions',
    dto: DemoteDto,
    status: 201,
    toCommand: (dto) => ({ type: 'DemoteTier', ...dto }),
  }),
  reportActivity: change({
    method: 'POST',
    path: ':id/activity-reports',
    dto: ActivityReportDto,
    status: 201,
    toCommand: (dto, _params, newId) => ({ type: 'ReportActivity', reportId: newId(), ...dto }),
  }),
  grantFunding: change({
    method: 'POST',
    path: ':id/fundings',
    dto: FundingDto,
    status: 201,
    toCommand: (dto, _params, newId) => {
      const funder = { name: dto.funder.name, level: dto.funder.level, code: dto.funder.code };
      return { type: 'GrantFunding', grantId: newId(), ...dto, funder };
    },
  }),
  reclassify: change({
    method: 'POST',
    path: ':id/reclassifications',
    dto: ReclassifyDto,
    status: 201,
    toCommand: (dto) => ({ type: 'Reclassify', ...dto }),
  }),
  evaluate: change({
    method: 'POST',
    path: ':id/evaluations',
    dto: EvaluationDto,
    status: 201,
    toCommand: (dto) => ({ type: 'RecordEvaluation', ...dto }),
  }),
  issueNotice: change({
    method: 'POST',
    path: ':id/correction-notices',
    dto: CorrectionNoticeDto,
    status: 201,
    toCommand: (dto, _params, newId) => ({
      type: 'IssueCorrectionNotice',
      noticeId: newId(),
      ...dto,
    }),
  }),
  resolveNotice: change({
    method: 'POST',
    path: ':id/correction-notices/:noticeId/resolution',
    dto: CorrectionResolutionDto,
    status: 201,
    toCommand: (dto, { noticeId }) => ({ type: 'ResolveCorrectionNotice', noticeId, ...dto }),
  }),
  changeParty: change({
    method: 'PUT',
    path: ':id/party-organization',
    dto: PartyOrganizationDto,
    status: 200,
    toCommand: (dto) => ({ type: 'ChangePartyOrganization', ...dto }),
  }),
  updateContact: change({
    method: 'PUT',
    path: ':id/contact',
    dto: ContactDto,
    status: 200,
    toCommand: (dto) => ({ type: 'UpdateContact', contact: { name: dto.name, phone: dto.phone } }),
  }),
  erase: change({
    method: 'DELETE',
    path: ':id/personal-data',
    status: 200,
    toCommand: () => ({ type: 'ErasePersonalData' }),
  }),
  dissolve: change({
    method: 'POST',
    path: ':id/dissolution',
    dto: DissolutionDto,
    status: 201,
    toCommand: (dto) => ({ type: 'Dissolve', ...dto }),
  }),
  recordAnnualReport: change({
    method: 'POST',
    path: ':id/annual-reports',
    dto: AnnualReportDto,
    status: 201,
    toCommand: (dto) => ({ type: 'RecordAnnualReport', ...dto }),
  }),
  recordSpotCheck: change({
    method: 'POST',
    path: ':id/spot-checks',
    dto: SpotCheckDto,
    status: 201,
    toCommand: (dto, _params, newId) => ({
      type: 'RecordSpotCheck',
      checkId: newId(),
      noticeId: newId(),
      ...dto,
    }),
  }),
  awardGrade: change({
    method: 'POST',
    path: ':id/grades',
    dto: GradeDto,
    status: 201,
    toCommand: (dto) => ({ type: 'AwardGrade', ...dto }),
  }),
  listAbnormal: change({
    method: 'POST',
    path: ':id/abnormal-listing',
    dto: AbnormalListingDto,
    status: 201,
    toCommand: (dto) => ({ type: 'ListAbnormal', ...dto }),
  }),
  clearAbnormal: change({
    method: 'POST',
    path: ':id/abnormal-clearance',
    dto: AbnormalClearanceDto,
    status: 201,
    toCommand: (dto) => ({ type: 'ClearAbnormal', ...dto }),
  }),
  rename: change({
    method: 'POST',
    path: ':id/renaming',
    dto: RenameDto,
    status: 201,
    toCommand: (dto) => ({ type: 'RenameOrganization', ...dto }),
  }),
  move: change({
    method: 'POST',
    path: ':id/move',
    dto: MoveDto,
    status: 201,
    toCommand: (dto) => ({ type: 'MoveOrganization', ...dto }),
  }),
  changeSupervisoryUnit: change({
    method: 'PUT',
    path: ':id/supervisory-unit',
    dto: SupervisoryUnitDto,
    status: 200,
    toCommand: (dto) => ({ type: 'ChangeSupervisoryUnit', ...dto }),
  }),
  updateProfile: change({
    method: 'PUT',
    path: ':id/profile',
    dto: ProfileDto,
    status: 200,
    toCommand: (dto) => ({ type: 'UpdateProfile', ...dto }),
  }),
  assignSupportRole: change({
    method: 'POST',
    path: ':id/support-roles',
    dto: SupportRoleDto,
    status: 201,
    toCommand: (dto) => ({ type: 'AssignSupportRole', role: dto.role, streets: dto.streets }),
  }),
  revokeSupportRole: change({
    method: 'DELETE',
    path: ':id/support-roles/:role',
    enumParams: { role: SUPPORT_ROLES },
    status: 200,
    toCommand: (_dto, { role }) => ({ type: 'RevokeSupportRole', role: role as SupportRole }),
  }),
  enterIncubation: change({
    method: 'POST',
    path: ':id/incubations',
    dto: IncubationDto,
    status: 201,
    toCommand: (dto, _params, newId) => ({
      type: 'EnterIncubation',
      incubationId: newId(),
      baseId: dto.baseId.toLowerCase(),
      enteredOn: dto.enteredOn,
    }),
  }),
  endIncubation: change({
    method: 'POST',
    path: ':id/incubations/:incubationId/end',
    dto: IncubationEndDto,
    status: 201,
    toCommand: (dto, { incubationId }) => ({ type: 'EndIncubation', incubationId, ...dto }),
  }),
} satisfies Record<string, CommandRow>;

export type CommandName = keyof typeof COMMAND_TABLE;
/** The commands on an existing organization, which share the write contract (If-Match, 404…). */
export type ChangeCommandName = {
  [K in CommandName]: (typeof COMMAND_TABLE)[K] extends ChangeRow ? K : never;
}[CommandName];
