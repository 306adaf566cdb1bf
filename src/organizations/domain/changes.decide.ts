import { DomainError, forbid, refuse } from '../../event-sourcing/domain-error.js';
import type {
  AcknowledgeActivityReport,
  ChangeSupervisoryUnit,
  MoveOrganization,
  RenameOrganization,
  UpdateProfile,
} from './organization.commands.js';
import { checkBusinessDate } from './rules/business-date.js';
import type { BasePlace, OrganizationEvent } from './organization.events.js';
import type { OrganizationPolicy } from './organization.policy.js';
import type { Organization } from './organization.state.js';
import type { Actor } from './organization.types.js';
import { isLevel, managingLevel, manages } from './rules/authority.js';
import { nameProblem } from './rules/organization-name.js';
import { checkPlace } from './rules/registration.rules.js';

/**
 * Changes over an organization's life (DOMAIN §4: 更名, 迁移, supervisory unit, size facts) and
 * the receipt of its routed activity reports. Pure: the date comes in with the command.
 */

export function decideRename(c: RenameOrganization, org: Organization): OrganizationEvent[] {
  requireManager(c.actor, org, 'rename-authority');
  const problem = nameProblem(c.name);
  if (problem) throw refuse('name-invalid', problem, 'name');
  checkChangeDate(c.renamedOn, c.today, org, 'renamedOn');
  const name = c.name.trim();
  if (name === org.name) return [];
  // The new name's uniqueness in its scope, and the old one's release, are the writer's claims.
  return [
    {
      type: 'OrganizationRenamed',
      data: { organizationId: org.id, from: org.name, name, renamedOn: c.renamedOn },
    },
  ];
}

export function decideMove(
  policy: OrganizationPolicy,
  c: MoveOrganization,
  org: Organization,
): OrganizationEvent[] {
  const to: BasePlace = {
    districtCode: c.districtCode,
    streetCode: c.streetCode,
    ...(c.communityCode !== undefined && { communityCode: c.communityCode }),
  };
  // A group's manager is its community's committee: without a community there is no one to
  // check the caller against, and the missing field is the problem to name.
  if (org.tier === 'group' && c.communityCode === undefined) {
    throw refuse(
      'community-required',
      'A group is based in one community (所在社区) and recorded by its committee',
      'communityCode',
    );
  }
  // The receiving level decides: whoever manages the organization at its new place.
  const receiving = managingLevel({ ...org, ...to, communityCode: c.communityCode });
  if (!isLevel(c.actor, receiving)) {
    throw forbid(
      'move-authority',
      `A move is recorded by the level that manages the ${org.tier} at its new place (${receiving.role} ${receiving.jurisdiction ?? '?'})`,
    );
  }
  checkPlace(policy, { tier: org.tier, ...to });
  checkChangeDate(c.movedOn, c.today, org, 'movedOn');
  if (
    to.districtCode === org.districtCode &&
    to.streetCode === org.streetCode &&
    to.communityCode === org.communityCode
  )
    return [];
  checkUsccDistrict(policy, org, to.districtCode);
  // The name and the filing number are claimed again in the new scope by the writer.
  return [
    {
      type: 'OrganizationMoved',
      data: {
        organizationId: org.id,
        ...to,
        from: {
          districtCode: org.districtCode,
          streetCode: org.streetCode,
          ...(org.communityCode !== undefined && { communityCode: org.communityCode }),
        },
        movedOn: c.movedOn,
      },
    },
  ];
}

/**
 * A district's registered organization answers to a USCC its district bureau issued: it cannot
 * be moved to a district whose bureau did not (it is deregistered and registered there anew).
 */
function checkUsccDistrict(policy: OrganizationPolicy, org: Organization, district: string): void {
  if (org.uscc === undefined || org.legalForm === 'community-foundation') return;
  // Characters 3–8: the registration authority's region (checked when the USCC was given).
  const region = org.uscc.slice(2, 8);
  if (!policy.divisions.usccRegionsOf(district).includes(region)) {
    throw refuse(
      'uscc-region',
      `The USCC ${org.uscc} was issued by the bureau of ${region}, not of ${district}: a registered organization moves to another district by registering there`,
      'districtCode',
    );
  }
}

export function decideSupervisoryUnit(
  c: ChangeSupervisoryUnit,
  org: Organization,
): OrganizationEvent[] {
  requireManager(c.actor, org, 'supervisory-unit-authority');
  if (org.legalForm === 'community-foundation') {
    throw refuse(
      'foundation-supervisory-unit',
      'A community foundation is registered directly (直接登记): it has no business supervisory unit',
      'unit',
    );
  }
  const unit = c.unit.trim();
  if (unit.length === 0) throw refuse('text-required', 'unit must not be blank', 'unit');
  if (unit === org.supervisoryUnit) return [];
  return [
    {
      type: 'SupervisoryUnitChanged',
      data: {
        organizationId: org.id,
        ...(org.supervisoryUnit !== undefined && { from: org.supervisoryUnit }),
        unit,
        changedOn: c.today,
      },
    },
  ];
}

export function decideProfile(c: UpdateProfile, org: Organization): OrganizationEvent[] {
  requireManager(c.actor, org, 'profile-authority');
  for (const field of ['members', 'volunteers'] as const) {
    if (!Number.isSafeInteger(c[field]) || c[field] < 0)
      throw refuse('count-invalid', `${field} is a whole number, 0 or more`, field);
  }
  const venue = c.venue.trim();
  const p = org.profile;
  if (p && p.members === c.members && p.volunteers === c.volunteers && p.venue === venue) return [];
  return [
    {
      type: 'ProfileUpdated',
      data: {
        organizationId: org.id,
        members: c.members,
        volunteers: c.volunteers,
        venue,
        updatedOn: c.today,
      },
    },
  ];
}

/**
 * 分级报告 received: only the level the report was routed to — the committee, street office or
 * district bureau of the report's community, by its graded level — and once.
 */
export function decideAcknowledgement(
  c: AcknowledgeActivityReport,
  org: Organization,
): OrganizationEvent[] {
  const report = org.activityReports?.[c.reportId];
  if (!report)
    throw new DomainError(
      'not-found',
      'activity-report-unknown',
      `No activity report ${c.reportId} of this organization`,
    );
  const receiver = {
    community: { role: 'committee', jurisdiction: report.communityCode },
    street: { role: 'street', jurisdiction: report.streetCode },
    district: { role: 'district', jurisdiction: report.districtCode },
  } as const;
  if (!isLevel(c.actor, receiver[report.level])) {
    throw forbid(
      'acknowledgement-authority',
      `This ${report.level}-level report is acknowledged by the ${receiver[report.level].role} ${receiver[report.level].jurisdiction}`,
    );
  }
  if (report.acknowledgedOn !== undefined) {
    throw new DomainError(
      'conflict',
      'report-already-acknowledged',
      `The report was acknowledged on ${report.acknowledgedOn}`,
    );
  }
  checkBusinessDate(c.acknowledgedOn, c.today, 'acknowledgedOn');
  if (c.acknowledgedOn < report.reportedOn)
    throw refuse(
      'acknowledged-before-report',
      `acknowledgedOn (${c.acknowledgedOn}) is before the report was made (${report.reportedOn})`,
      'acknowledgedOn',
    );
  return [
    {
      type: 'ActivityReportAcknowledged',
      data: {
        organizationId: org.id,
        reportId: c.reportId,
        level: report.level,
        acknowledgedOn: c.acknowledgedOn,
      },
    },
  ];
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

/** A change's business date: a real date, not in the future, not before the founding. */
function checkChangeDate(date: string, today: string, org: Organization, field: string): void {
  checkBusinessDate(date, today, field);
  if (date < org.foundedOn)
    throw refuse(
      'date-before-founding',
      `${field} (${date}) is before the organization was founded (${org.foundedOn})`,
      field,
    );
}
