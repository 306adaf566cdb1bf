import type { OrganizationEvent } from './organization.events.js';
import type { FounderOnFile } from './organization.types.js';
import type { Organization, OrganizationState } from './organization.state.js';
import { ORGANIZATION_UPCASTER } from './organization.upcasts.js';
import { evolvePlatforms } from './platforms.evolve.js';

/**
 * Folds one event into the state. Total: events are facts, so nothing here can refuse. A stored
 * event of an older schema version (its metadata says which) is lifted to the current shape
 * first, so every fold — the write side, time travel, tests — sees one shape per type.
 */
export function evolveOrganization(
  state: OrganizationState,
  event: OrganizationEvent,
): OrganizationState {
  return evolveCurrent(state, ORGANIZATION_UPCASTER.upcast(event));
}

function evolveCurrent(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  if (event.type === 'OrganizationRegistered') {
    const d = event.data;
    const since =
      d.tier === 'registered' ? d.registeredOn : d.tier === 'group' ? d.recordedOn : undefined;
    return {
      id: d.organizationId,
      name: d.name,
      category: d.category,
      tier: d.tier,
      ...(d.legalForm && { legalForm: d.legalForm }),
      ...(d.uscc && { uscc: d.uscc }),
      districtCode: d.districtCode,
      streetCode: d.streetCode,
      ...(d.communityCode && { communityCode: d.communityCode }),
      foundedOn: d.foundedOn,
      ...(d.tier === 'registered' && d.registeredOn && { registeredOn: d.registeredOn }),
      ...(d.tier === 'group' && d.recordedOn && { recordedOn: d.recordedOn }),
      // A team's tier begins with the filing that comes with its registration.
      ...(since && { tierSince: since }),
      activityScope: d.activityScope,
      founders: d.founders,
      ...(d.supervisoryUnit && { supervisoryUnit: d.supervisoryUnit }),
      partyOrganization: 'none',
      ...(d.contact && { contact: d.contact }),
      personalDataErased: false,
      status: 'active',
      openCorrectionNotices: [],
      correctionNoticeCount: 0,
      fundingTotalFen: 0,
      grantCount: 0,
      activityReportCount: 0,
    };
  }
  if (state === null) return state;
  return evolveExisting(state, event);
}

function evolveExisting(org: Organization, event: OrganizationEvent): Organization {
  switch (event.type) {
    case 'OrganizationRegistered':
      return org;
    case 'OrganizationFiled':
    case 'FilingAmended':
      return {
        ...org,
        filing: { number: event.data.filingNumber, filedOn: event.data.filedOn },
        ...(org.tierSince === undefined && { tierSince: event.data.filedOn }),
      };
    case 'FilingCancelled': {
      const { filing: _cancelled, ...rest } = org;
      return rest;
    }
    case 'TierPromoted': {
      // A registered organization answers to its USCC; the street's filing no longer applies.
      const { filing, recordedOn: _group, ...rest } = org;
      return {
        ...rest,
        ...(event.data.toTier === 'team' && filing && { filing }),
        ...(event.data.toTier === 'registered' && { registeredOn: event.data.promotedOn }),
        tier: event.data.toTier,
        tierSince: event.data.promotedOn,
        ...(event.data.legalForm && { legalForm: event.data.legalForm }),
        ...(event.data.uscc && { uscc: event.data.uscc }),
      };
    }
    case 'TierDemoted': {
      // A demoted organization keeps no credential of the tier it left; a team needs a new filing.
      // A group is active in its community (DOMAIN §3).
      // Support-platform roles are for registered organizations only (DOMAIN §4): they go too.
      const {
        legalForm: _lf,
        uscc: _uscc,
        filing: _filing,
        registeredOn: _r,
        supportRoles: _roles,
        ...rest
      } = org;
      return {
        ...rest,
        tier: event.data.toTier,
        tierSince: event.data.demotedOn,
        ...(event.data.toTier === 'group' && { activityScope: 'community' as const }),
      };
    }
    case 'ActivityReported': {
      const d = event.data;
      return {
        ...org,
        activityReportCount: org.activityReportCount + 1,
        activityReports: {
          ...org.activityReports,
          [d.reportId]: {
            level: d.level,
            districtCode: d.districtCode,
            streetCode: d.streetCode,
            communityCode: d.communityCode,
            reportedOn: d.reportedOn,
          },
        },
      };
    }
    case 'FundingGranted':
      return {
        ...org,
        fundingTotalFen: org.fundingTotalFen + event.data.amountFen,
        grantCount: org.grantCount + 1,
      };
    case 'OrganizationReclassified':
      return { ...org, category: event.data.toCategory };
    case 'EvaluationRecorded':
      return {
        ...org,
        latestEvaluation: {
          period: event.data.period,
          evaluator: event.data.evaluator,
          grade: event.data.grade,
          evaluatedOn: event.data.evaluatedOn,
        },
      };
    case 'CorrectionNoticeIssued':
      return {
        ...org,
        openCorrectionNotices: [...org.openCorrectionNotices, event.data.noticeId],
        correctionNoticeCount: org.correctionNoticeCount + 1,
      };
    case 'CorrectionNoticeResolved':
      return {
        ...org,
        openCorrectionNotices: org.openCorrectionNotices.filter((id) => id !== event.data.noticeId),
      };
    case 'PartyOrganizationChanged':
      return { ...org, partyOrganization: event.data.to };
    case 'ContactUpdated':
      return { ...org, contact: event.data.contact, personalDataErased: false };
    case 'PersonalDataErased': {
      // The key is gone: the sealed names are unreadable, and a name the log holds in plaintext
      // (an event from before v3) is no longer shown either.
      const { contact: _erased, ...rest } = org;
      return { ...rest, founders: org.founders.map(eraseName), personalDataErased: true };
    }
    case 'OrganizationDissolved':
      return {
        ...org,
        status: 'dissolved',
        dissolvedOn: event.data.dissolvedOn,
        dissolutionKind: event.data.kind,
        ...(event.data.mergedInto !== undefined && { mergedInto: event.data.mergedInto }),
      };
    case 'AnnualReportRecorded': {
      const { year, onTime } = event.data;
      const latest = org.latestAnnualReport;
      return {
        ...org,
        annualReportYears: [...(org.annualReportYears ?? []), year],
        // A late report for an earlier year does not hide a later year's.
        latestAnnualReport: latest && latest.year > year ? latest : { year, onTime },
      };
    }
    case 'SpotCheckRecorded':
      return org;
    case 'GradeAwarded': {
      const { grade, awardedOn, validUntil } = event.data;
      return { ...org, grade: { grade, awardedOn, validUntil } };
    }
    case 'AbnormalListed':
      return { ...org, abnormal: { listedOn: event.data.listedOn, reason: event.data.reason } };
    case 'AbnormalCleared': {
      const { abnormal: _cleared, ...rest } = org;
      return rest;
    }
    case 'OrganizationRenamed':
      return { ...org, name: event.data.name };
    case 'OrganizationMoved': {
      const { communityCode: _old, ...rest } = org;
      const d = event.data;
      return {
        ...rest,
        districtCode: d.districtCode,
        streetCode: d.streetCode,
        ...(d.communityCode !== undefined && { communityCode: d.communityCode }),
      };
    }
    case 'SupervisoryUnitChanged':
      return { ...org, supervisoryUnit: event.data.unit };
    case 'ProfileUpdated':
      return {
        ...org,
        profile: {
          members: event.data.members,
          volunteers: event.data.volunteers,
          venue: event.data.venue,
        },
      };
    case 'ActivityReportAcknowledged': {
      const report = org.activityReports?.[event.data.reportId];
      if (!report) return org;
      return {
        ...org,
        activityReports: {
          ...org.activityReports,
          [event.data.reportId]: { ...report, acknowledgedOn: event.data.acknowledgedOn },
        },
      };
    }
    case 'SupportRoleAssigned':
    case 'SupportRoleRevoked':
    case 'IncubationEntered':
    case 'IncubationEnded':
      return evolvePlatforms(org, event);
  }
}

/** A resident founder's name as erased; a unit's name is not personal data and stays. */
function eraseName(founder: FounderOnFile): FounderOnFile {
  return founder.kind === 'resident' ? { kind: 'resident', nameErased: true } : founder;
}
