import type { Decider } from '../../event-sourcing/decider.js';
import { checkBusinessDate } from './rules/business-date.js';
import { DomainError, forbid, refuse } from '../../event-sourcing/domain-error.js';
import type {
  Dissolve,
  ExistingOrganizationCommand,
  OrganizationCommand,
  RegisterOrganization,
} from './organization.commands.js';
import { evolveOrganization } from './organization.evolve.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationPolicy } from './organization.policy.js';
import type { Organization, OrganizationState } from './organization.state.js';
import {
  DEFAULT_ACTIVITY_SCOPE,
  TIERS,
  type ActivityScope,
  type Actor,
  type FounderOnFile,
  type IsoDate,
} from './organization.types.js';
import { decideFunding, decideActivityReport } from './rules/support.rules.js';
import { isLevel, managingLevel, manages } from './rules/authority.js';
import {
  checkPlace,
  checkRegisteredCredentials,
  checkFounding,
  needsCommunity,
} from './rules/registration.rules.js';
import { nameProblem } from './rules/organization-name.js';
import {
  decideAbnormalClearance,
  decideAbnormalListing,
  decideAnnualReport,
  decideGrade,
  decideSpotCheck,
} from './oversight.decide.js';
import {
  decideAcknowledgement,
  decideMove,
  decideProfile,
  decideRename,
  decideSupervisoryUnit,
} from './changes.decide.js';
import {
  decideAssignSupportRole,
  decideEndIncubation,
  decideEnterIncubation,
  decideRevokeSupportRole,
} from './platforms.decide.js';

export type OrganizationDecider = Decider<
  OrganizationCommand,
  OrganizationEvent,
  OrganizationState
>;

export function organizationDecider(policy: OrganizationPolicy): OrganizationDecider {
  return {
    initialState: null,
    evolve: evolveOrganization,
    decide: (command, state) => decide(policy, command, state),
  };
}

function decide(
  policy: OrganizationPolicy,
  command: OrganizationCommand,
  state: OrganizationState,
): OrganizationEvent[] {
  if (command.type === 'RegisterOrganization') {
    if (state !== null) {
      throw new DomainError(
        'conflict',
        'organization-exists',
        `Organization ${state.id} already exists`,
      );
    }
    return register(policy, command);
  }
  if (state === null)
    throw new DomainError('not-found', 'organization-unknown', 'No such organization');
  // After dissolution only reads remain, but for two clean-ups: the street's cancellation of a
  // filing still in force, and erasing personal data, which PIPL keeps possible at any time.
  // The receiving level's acknowledgement of a report made before is its own record, too.
  const cleanUp =
    (command.type === 'CancelFiling' && state.filing) ||
    command.type === 'ErasePersonalData' ||
    command.type === 'AcknowledgeActivityReport';
  if (state.status === 'dissolved' && !cleanUp) {
    throw refuse(
      'organization-dissolved',
      'The organization is dissolved: nothing but reads afterwards',
    );
  }
  return decideExisting(policy, command, state);
}

function register(policy: OrganizationPolicy, c: RegisterOrganization): OrganizationEvent[] {
  // A group's manager is its community's committee: without a community there is no one to
  // check the caller against, and the missing field is the problem to name.
  if (c.tier === 'group' && c.communityCode === undefined) {
    throw refuse(
      'community-required',
      'A group is based in one community (所在社区) and recorded by its committee',
      'communityCode',
    );
  }
  const level = managingLevel(c);
  if (c.legalForm === 'community-foundation' && c.actor.role !== 'city') {
    throw forbid('foundation-city-only', 'Only the city bureau registers community foundations');
  }
  if (!isLevel(c.actor, level)) {
    throw forbid(
      'register-authority',
      `A ${c.tier} is registered by the ${level.role} level that manages it (${level.jurisdiction ?? 'its community'})`,
    );
  }
  const problem = nameProblem(c.name);
  if (problem) throw refuse('name-invalid', problem, 'name');
  checkPlace(policy, c);
  checkFounding(c);
  if (c.tier === 'registered') {
    checkRegisteredCredentials(policy, c);
  } else if (c.uscc !== undefined || c.legalForm !== undefined) {
    throw refuse(
      'credential-not-applicable',
      'Only registered organizations have a USCC and a legal form',
      c.uscc !== undefined ? 'uscc' : 'legalForm',
    );
  }
  if (c.tier === 'team' && !c.filingNumber) {
    throw refuse(
      'filing-number-required',
      'A team is registered with the filing number its street issued',
      'filingNumber',
    );
  }
  if (c.tier !== 'team' && c.filingNumber !== undefined) {
    throw refuse('credential-not-applicable', 'Only teams have a filing number', 'filingNumber');
  }
  const businessDate = registrationDate(c);
  const scope = activityScope(c);
  const organizationId = c.organizationId;
  const registered: OrganizationEvent = {
    type: 'OrganizationRegistered',
    data: {
      organizationId,
      name: c.name.trim(),
      category: c.category,
      tier: c.tier,
      ...(c.legalForm && { legalForm: c.legalForm }),
      ...(c.uscc && { uscc: c.uscc }),
      districtCode: c.districtCode,
      streetCode: c.streetCode,
      ...(c.communityCode && { communityCode: c.communityCode }),
      foundedOn: c.foundedOn,
      ...(c.tier === 'registered' && { registeredOn: businessDate }),
      ...(c.tier === 'group' && { recordedOn: businessDate }),
      activityScope: scope,
      founders: c.founders.map((f) =>
        f.kind === 'unit'
          ? { kind: 'unit', name: f.name }
          : { kind: 'resident', sealedName: f.sealedName },
      ),
      ...(c.supervisoryUnit && { supervisoryUnit: c.supervisoryUnit }),
      ...(c.contact && { contact: c.contact }),
    },
  };
  const filedOn = businessDate;
  if (c.tier !== 'team' || !c.filingNumber) return [registered];
  return [
    registered,
    { type: 'OrganizationFiled', data: { organizationId, filingNumber: c.filingNumber, filedOn } },
  ];
}

/** The business date field of each tier (DOMAIN §4); the other two do not apply to it. */
const DATE_FIELD = { registered: 'registeredOn', team: 'filedOn', group: 'recordedOn' } as const;

/**
 * The registration's business date: `registeredOn` (registered), `filedOn` (team) or
 * `recordedOn` (group), default today; never in the future, never before the founding.
 */
function registrationDate(c: RegisterOrganization): IsoDate {
  const field = DATE_FIELD[c.tier];
  for (const other of Object.values(DATE_FIELD)) {
    if (other !== field && c[other] !== undefined) {
      throw refuse(
        'credential-not-applicable',
        `A ${c.tier}'s business date is ${field}, not ${other}`,
        other,
      );
    }
  }
  const date = c[field] ?? c.today;
  checkBusinessDate(date, c.today, field);
  checkNotBeforeFounding(date, c.foundedOn, field);
  return date;
}

/** A group is active in its community; a team or registered organization as it says (§3). */
function activityScope(c: RegisterOrganization): ActivityScope {
  const scope = c.activityScope ?? DEFAULT_ACTIVITY_SCOPE[c.tier];
  if (c.tier === 'group' && scope !== 'community') {
    throw refuse(
      'group-scope-community',
      "A group's activity scope is its community",
      'activityScope',
    );
  }
  return scope;
}

function checkNotBeforeFounding(date: IsoDate, foundedOn: IsoDate, field: string): void {
  if (date < foundedOn) {
    throw refuse(
      'date-before-founding',
      `${field} (${date}) is before the organization was founded (${foundedOn})`,
      field,
    );
  }
}

function decideExisting(
  policy: OrganizationPolicy,
  c: ExistingOrganizationCommand,
  org: Organization,
): OrganizationEvent[] {
  const organizationId = org.id;
  switch (c.type) {
    case 'FileTeam':
      requireStreetOffice(c.actor, org);
      if (org.tier !== 'team') {
        throw refuse(
          'filing-requires-team',
          'Only a team is filed; promote the group to a team with its filing',
        );
      }
      requireText(c.filingNumber, 'filingNumber', 'filing-number-required');
      checkBusinessDate(c.filedOn, c.today, 'filedOn');
      if (!org.filing)
        return [
          {
            type: 'OrganizationFiled',
            data: { organizationId, filingNumber: c.filingNumber, filedOn: c.filedOn },
          },
        ];
      if (org.filing.number === c.filingNumber && org.filing.filedOn === c.filedOn) return [];
      return [
        {
          type: 'FilingAmended',
          data: {
            organizationId,
            filingNumber: c.filingNumber,
            filedOn: c.filedOn,
            previousFilingNumber: org.filing.number,
          },
        },
      ];
    case 'CancelFiling': {
      requireStreetOffice(c.actor, org);
      requireText(c.reason, 'reason');
      if (!org.filing)
        throw refuse('filing-not-in-force', 'The organization has no filing in force to cancel');
      checkBusinessDate(c.cancelledOn, c.today, 'cancelledOn');
      const cancelled: OrganizationEvent = {
        type: 'FilingCancelled',
        data: {
          organizationId,
          filingNumber: org.filing.number,
          reason: c.reason,
          cancelledOn: c.cancelledOn,
        },
      };
      if (org.status === 'dissolved' || org.tier !== 'team') return [cancelled];
      return [
        cancelled,
        {
          type: 'TierDemoted',
          data: {
            organizationId,
            fromTier: 'team',
            toTier: 'group',
            reason: c.reason,
            demotedOn: c.cancelledOn,
          },
        },
      ];
    }
    case 'PromoteTier':
      return promote(policy, c, org);
    case 'DemoteTier':
      return demote(policy, c, org);
    case 'ReportActivity':
      requireManager(c.actor, org, 'activity-report-authority');
      return [decideActivityReport(policy, c, org)];
    case 'GrantFunding':
      return [decideFunding(policy, c, org)];
    case 'Reclassify':
      requireManager(c.actor, org, 'reclassification-authority');
      requireText(c.criteria, 'criteria');
      requireText(c.reason, 'reason');
      if (org.legalForm === 'community-foundation' && c.category !== 'charity') {
        throw refuse(
          'foundation-category',
          'A community foundation is a charity (公益慈善类) and stays one',
          'category',
        );
      }
      if (c.category === org.category)
        throw refuse('category-unchanged', `The organization is already ${c.category}`, 'category');
      return [
        {
          type: 'OrganizationReclassified',
          data: {
            organizationId,
            fromCategory: org.category,
            toCategory: c.category,
            criteria: c.criteria,
            reason: c.reason,
            reclassifiedOn: c.today,
          },
        },
      ];
    case 'RecordEvaluation': {
      const byCommittee =
        c.actor.role === 'committee' && c.actor.jurisdiction === org.communityCode;
      const byStreet = c.actor.role === 'street' && c.actor.jurisdiction === org.streetCode;
      if (!byCommittee && !byStreet) {
        throw forbid(
          'evaluation-authority',
          "Evaluations are recorded by the organization's committee or street",
        );
      }
      // The residents' appraisal is recorded by either; the committee's and the street's own
      // appraisals only by that body.
      if (
        (c.evaluator === 'committee' && !byCommittee) ||
        (c.evaluator === 'street' && !byStreet)
      ) {
        throw forbid(
          'evaluator-authority',
          `Only the ${c.evaluator} records its own appraisal; record the residents' appraisal or your own`,
        );
      }
      return [
        {
          type: 'EvaluationRecorded',
          data: {
            organizationId,
            period: c.period,
            evaluator: c.evaluator,
            grade: c.grade,
            evaluatedOn: c.today,
          },
        },
      ];
    }
    case 'IssueCorrectionNotice':
      requireManager(c.actor, org, 'correction-notice-authority');
      requireText(c.reason, 'reason');
      if (org.openCorrectionNotices.includes(c.noticeId)) {
        throw new DomainError(
          'conflict',
          'correction-notice-exists',
          `Correction notice ${c.noticeId} already exists`,
        );
      }
      return [
        {
          type: 'CorrectionNoticeIssued',
          data: { organizationId, noticeId: c.noticeId, reason: c.reason, issuedOn: c.today },
        },
      ];
    case 'ResolveCorrectionNotice':
      requireManager(c.actor, org, 'correction-notice-authority');
      if (!org.openCorrectionNotices.includes(c.noticeId)) {
        throw new DomainError(
          'not-found',
          'correction-notice-unknown',
          `No open correction notice ${c.noticeId}`,
        );
      }
      return [
        {
          type: 'CorrectionNoticeResolved',
          data: {
            organizationId,
            noticeId: c.noticeId,
            resolvedOn: c.today,
            ...(c.note && { note: c.note }),
          },
        },
      ];
    case 'ChangePartyOrganization':
      requireManager(c.actor, org, 'party-organization-authority');
      if (c.status === org.partyOrganization) return [];
      return [
        {
          type: 'PartyOrganizationChanged',
          data: { organizationId, from: org.partyOrganization, to: c.status, changedOn: c.today },
        },
      ];
    case 'UpdateContact':
      requireManager(c.actor, org, 'contact-authority');
      return [{ type: 'ContactUpdated', data: { organizationId, contact: c.contact } }];
    case 'ErasePersonalData':
      requireManager(c.actor, org, 'contact-authority');
      // Nothing to erase: no contact, and no resident founder's name left.
      if (!org.contact && !org.founders.some(hasResidentName)) return [];
      return [{ type: 'PersonalDataErased', data: { organizationId, erasedOn: c.today } }];
    case 'Dissolve':
      requireManager(c.actor, org, 'dissolution-authority');
      requireText(c.reason, 'reason');
      checkBusinessDate(c.dissolvedOn, c.today, 'dissolvedOn');
      if (c.dissolvedOn < org.foundedOn)
        throw refuse(
          'dissolved-before-founding',
          'An organization cannot be dissolved before it was founded',
          'dissolvedOn',
        );
      checkDissolutionKind(c, org);
      return [
        {
          type: 'OrganizationDissolved',
          data: {
            organizationId,
            reason: c.reason,
            dissolvedOn: c.dissolvedOn,
            kind: c.kind,
            ...(c.kind === 'merged' && { mergedInto: c.mergedInto }),
          },
        },
      ];
    case 'RecordAnnualReport':
      return decideAnnualReport(policy, c, org);
    case 'RecordSpotCheck':
      return decideSpotCheck(c, org);
    case 'AwardGrade':
      return decideGrade(c, org);
    case 'ListAbnormal':
      return decideAbnormalListing(c, org);
    case 'ClearAbnormal':
      return decideAbnormalClearance(c, org);
    case 'RenameOrganization':
      return decideRename(c, org);
    case 'MoveOrganization':
      return decideMove(policy, c, org);
    case 'ChangeSupervisoryUnit':
      return decideSupervisoryUnit(c, org);
    case 'UpdateProfile':
      return decideProfile(c, org);
    case 'AcknowledgeActivityReport':
      return decideAcknowledgement(c, org);
    case 'AssignSupportRole':
      return decideAssignSupportRole(policy, c, org);
    case 'RevokeSupportRole':
      return decideRevokeSupportRole(c, org);
    case 'EnterIncubation':
      return decideEnterIncubation(c, org);
    case 'EndIncubation':
      return decideEndIncubation(c, org);
  }
}

/**
 * 清理 is the clean-up of inactive groups and teams, never of a registered organization (it is
 * deregistered or revoked); a merger names its survivor, which must be another live organization.
 */
function checkDissolutionKind(c: Dissolve, org: Organization): void {
  if (c.kind === 'cleared' && org.tier === 'registered') {
    throw refuse(
      'cleared-not-for-registered',
      'Clearing (清理) is for inactive groups and teams; a registered organization is deregistered or revoked',
      'kind',
    );
  }
  if (c.kind !== 'merged') {
    if (c.mergedInto !== undefined)
      throw refuse(
        'merged-into-not-applicable',
        'Only a merger names a surviving organization',
        'mergedInto',
      );
    return;
  }
  if (c.mergedInto === undefined)
    throw refuse(
      'merged-into-required',
      'A merger names the surviving organization (mergedInto)',
      'mergedInto',
    );
  if (c.mergedInto === org.id)
    throw refuse('merge-into-itself', 'An organization cannot merge into itself', 'mergedInto');
  if (c.survivor === 'dissolved')
    throw refuse(
      'merge-survivor-dissolved',
      `The surviving organization ${c.mergedInto} is dissolved`,
      'mergedInto',
    );
  if (c.survivor !== 'active')
    throw refuse(
      'merge-survivor-unknown',
      `No organization ${c.mergedInto} to merge into`,
      'mergedInto',
    );
}

function promote(
  policy: OrganizationPolicy,
  c: Extract<ExistingOrganizationCommand, { type: 'PromoteTier' }>,
  org: Organization,
): OrganizationEvent[] {
  const organizationId = org.id;
  const from = TIERS.indexOf(org.tier);
  if (from === TIERS.length - 1)
    throw refuse('already-top-tier', 'A registered organization has no higher tier', 'toTier');
  // Tiers are classifications, not a ladder (DOMAIN §4): a group that meets the legal conditions
  // is registered directly; a promotion only has to go up.
  if (TIERS.indexOf(c.toTier) <= from) {
    throw refuse(
      'promotion-one-step',
      `A ${org.tier} is promoted to a higher tier (${TIERS.slice(from + 1).join(' or ')})`,
      'toTier',
    );
  }
  if (c.toTier === 'team') {
    if (!(c.actor.role === 'street' && c.actor.jurisdiction === org.streetCode)) {
      throw forbid(
        'promotion-authority',
        "A group becomes a team through its street office's filing",
      );
    }
    if (
      !policy.teamsInSpecialUnits &&
      policy.divisions.street(org.streetCode)?.kind === 'special'
    ) {
      throw refuse('team-in-special-unit', 'Teams may not belong to a special unit (configured)');
    }
    if (!c.filingNumber)
      throw refuse(
        'filing-number-required',
        'Promotion to team needs the filing number',
        'filingNumber',
      );
    const filedOn = c.filedOn ?? c.today;
    checkBusinessDate(filedOn, c.today, 'filedOn');
    checkNotBeforeFounding(filedOn, org.foundedOn, 'filedOn');
    return [
      {
        type: 'OrganizationFiled',
        data: { organizationId, filingNumber: c.filingNumber, filedOn },
      },
      {
        type: 'TierPromoted',
        data: { organizationId, fromTier: org.tier, toTier: 'team', promotedOn: filedOn },
      },
    ];
  }
  const target = managingLevel({
    ...org,
    tier: 'registered',
    ...(c.legalForm && { legalForm: c.legalForm }),
  });
  if (c.legalForm === 'community-foundation' && c.actor.role !== 'city') {
    throw forbid('foundation-city-only', 'Only the city bureau registers community foundations');
  }
  if (!isLevel(c.actor, target)) {
    throw forbid(
      'promotion-authority',
      "A group or team is promoted to a registered organization by its district's bureau (the city's for a foundation)",
    );
  }
  const parsed = checkRegisteredCredentials(policy, {
    uscc: c.uscc,
    legalForm: c.legalForm,
    districtCode: org.districtCode,
    category: org.category,
    supervisoryUnit: org.supervisoryUnit,
  });
  const promotedOn = c.registeredOn ?? c.today;
  checkBusinessDate(promotedOn, c.today, 'registeredOn');
  checkNotBeforeFounding(promotedOn, org.foundedOn, 'registeredOn');
  return [
    {
      type: 'TierPromoted',
      data: {
        organizationId,
        fromTier: org.tier,
        toTier: 'registered',
        promotedOn,
        legalForm: parsed.legalForm,
        uscc: parsed.uscc,
      },
    },
  ];
}

/**
 * One tier down. A team belongs to a community and, where configured, not to a special unit; a
 * team losing its tier loses its filing, recorded as a cancellation so read models see it end.
 */
function demote(
  policy: OrganizationPolicy,
  c: Extract<ExistingOrganizationCommand, { type: 'DemoteTier' }>,
  org: Organization,
): OrganizationEvent[] {
  const organizationId = org.id;
  if (!manages(c.actor, org)) {
    throw forbid('demotion-authority', `Only the level that manages this ${org.tier} demotes it`);
  }
  requireText(c.reason, 'reason');
  const from = TIERS.indexOf(org.tier);
  if (TIERS.indexOf(c.toTier) !== from - 1) {
    throw refuse(
      'demotion-one-step',
      `A ${org.tier} is demoted one tier at a time, to ${TIERS[from - 1] ?? 'nothing lower'}`,
      'toTier',
    );
  }
  if (org.communityCode === undefined && needsCommunity(policy, c.toTier, org.streetCode)) {
    throw refuse(
      'community-required',
      `A ${c.toTier} is based in one community of its street; this organization has none`,
    );
  }
  if (
    c.toTier === 'team' &&
    !policy.teamsInSpecialUnits &&
    policy.divisions.street(org.streetCode)?.kind === 'special'
  ) {
    throw refuse('team-in-special-unit', 'Teams may not belong to a special unit (configured)');
  }
  const demoted: OrganizationEvent = {
    type: 'TierDemoted',
    data: {
      organizationId,
      fromTier: org.tier,
      toTier: c.toTier,
      reason: c.reason,
      demotedOn: c.today,
    },
  };
  if (!org.filing) return [demoted];
  const cancelled: OrganizationEvent = {
    type: 'FilingCancelled',
    data: {
      organizationId,
      filingNumber: org.filing.number,
      reason: c.reason,
      cancelledOn: c.today,
    },
  };
  return [cancelled, demoted];
}

/** Reasons, criteria and numbers are recorded for auditors: blank text is no reason. */
function requireText(value: string, field: string, rule = 'text-required'): void {
  if (value.trim().length === 0) throw refuse(rule, `${field} must not be blank`, field);
}

function requireManager(actor: Actor, org: Organization, rule: string): void {
  if (!manages(actor, org)) {
    const level = managingLevel(org);
    throw forbid(
      rule,
      `Only the ${level.role} level that manages this ${org.tier} (${level.jurisdiction ?? '?'}) may do this`,
    );
  }
}

function requireStreetOffice(actor: Actor, org: Organization): void {
  if (!(actor.role === 'street' && actor.jurisdiction === org.streetCode)) {
    throw forbid(
      'filing-authority',
      "Filings are made and cancelled by the organization's own street office",
    );
  }
}

/** Business dates are real calendar dates, not in the future. */
/** A resident founder whose name the organization still holds (sealed, or from before v3). */
function hasResidentName(founder: FounderOnFile): boolean {
  return founder.kind === 'resident' && !('nameErased' in founder);
}
