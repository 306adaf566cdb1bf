import type {
  Contribution,
  Projection,
  ProjectionDocument,
} from '../src/event-sourcing/projection/projection.js';
import type { Divisions } from '../src/divisions/divisions.js';
import type {
  Category,
  DissolutionKind,
  PartyOrganizationStatus,
  SupportRoleHeld,
  Tier,
} from '../src/organizations/domain/organization.types.js';
import {
  datedContributions,
  redateRegistration,
  type CountedState,
  type DatedChange,
} from './statistics-history.js';
import {
  CITY,
  domainEvent,
  handled,
  monthOf,
  organizationId,
  recordedShanghaiDate,
  registrationFiling,
  yearOf,
} from './projected-events.js';

/**
 * Statistics (分类统计). Each organization keeps one small document of what it counts as; the
 * counters live in rollups the runner keeps in step with those documents:
 * - `place:<code>` for the city, each district, street and community: active organizations by
 *   `category|tier`, by `party|status`, `total` and `specialUnit` (in a development zone, farm or
 *   park), `atUnit` (based at a special unit whose only community is a placeholder) and
 *   `unattributed` (based in no community: registered before the base community was recorded);
 * - `communities:<district>`: active organizations per (real) base community, for the 12 / 7 targets;
 * - `timeline:<city, district, street or community>`: `YYYY-MM|registrations`, `|promotions`,
 *   `|dissolutions` and `|dissolutions|<kind>` (every level, so the dashboard's place filter
 *   reads one document);
 * - `platforms:<district>`: `<street>|<role>`, the active organizations serving the street in a
 *   support-platform role (联合支持平台);
 * - `incubation:<city or the base's district>`: `<baseId>|<year>|incubated` and `|graduated`, by
 *   the business years of the entries and of the graduations.
 * And the same counters as of any past month-end, from each organization's dated changes
 * (statistics-history.ts): `asof-place:`, `asof-communities:` and `asof-platforms:`.
 */
export interface OrganizationStatistic extends ProjectionDocument {
  readonly districtCode: string;
  readonly streetCode: string;
  /** The base community (所在社区); null when based at a special unit, or not recorded. */
  readonly communityCode: string | null;
  readonly specialUnit: boolean;
  /** Based at a special unit whose only community is a placeholder (no community to count in). */
  readonly atUnit: boolean;
  readonly category: Category;
  readonly tier: Tier;
  readonly status: 'active' | 'dissolved';
  readonly partyOrganization: PartyOrganizationStatus;
  readonly registeredMonth: string;
  readonly promotionMonths: readonly string[];
  readonly dissolvedMonth: string | null;
  readonly dissolutionKind: DissolutionKind | null;
  /** Support-platform roles held and the streets each serves; absent: none. */
  readonly supportRoles?: readonly SupportRoleHeld[];
  /** Every incubation it entered, by business year; absent: none. */
  readonly incubations?: readonly IncubationRecord[];
  /** What it counted as, change by change, on business dates: the statistics as of a month. */
  readonly history: readonly DatedChange[];
}

export interface IncubationRecord {
  readonly incubationId: string;
  readonly baseId: string;
  readonly baseDistrictCode: string;
  readonly enteredYear: string;
  /** The year it graduated from this base; null while incubated, or when it withdrew. */
  readonly graduatedYear: string | null;
}

export const placeRollup = (code: string): string => `place:${code}`;
export const communitiesRollup = (district: string): string => `communities:${district}`;
export const timelineRollup = (code: string): string => `timeline:${code}`;
export const platformsRollup = (district: string): string => `platforms:${district}`;
export const incubationRollup = (code: string): string => `incubation:${code}`;

export function statisticsProjection(divisions: Divisions): Projection<OrganizationStatistic> {
  return {
    name: 'statistics',
    // 2: timelines for streets and communities too. 3: placeholder communities count nowhere
    // (organizations there are based at the unit), `atUnit` and `unattributed` counters.
    // 4: registrations by their business date (a team's: the filing recorded with it).
    // 5: dissolutions by kind. 6: support-platform coverage and incubation. 7: dated changes
    // and the `asof-*` rollups (statistics as of a month).
    version: 7,
    handles: handled(
      'OrganizationRegistered',
      'OrganizationFiled',
      'TierPromoted',
      'TierDemoted',
      'OrganizationReclassified',
      'PartyOrganizationChanged',
      'OrganizationDissolved',
      'OrganizationMoved',
      'SupportRoleAssigned',
      'SupportRoleRevoked',
      'IncubationEntered',
      'IncubationEnded',
    ),
    // Read by id and through its rollups only: no query filters or pages its documents, so an
    // index would only slow every write.
    indexes: [],
    ids: (event) => [organizationId(event)],
    evolve: (doc, stored) => {
      const event = domainEvent(stored);
      if (event.type === 'OrganizationRegistered') {
        const d = event.data;
        // The registration's business date; a team's comes with its filing (below); an event
        // without one counts from its recorded Shanghai date.
        const on =
          (d.tier === 'registered' ? d.registeredOn : d.tier === 'group' ? d.recordedOn : null) ??
          recordedShanghaiDate(stored);
        const counted: CountedState = {
          ...basedAt(divisions, d),
          category: d.category,
          tier: d.tier,
          partyOrganization: 'none',
          active: true,
          roles: {},
        };
        return {
          id: d.organizationId,
          ...basedAt(divisions, d),
          category: d.category,
          tier: d.tier,
          status: 'active',
          partyOrganization: 'none',
          registeredMonth: monthOf(on),
          promotionMonths: [],
          dissolvedMonth: null,
          dissolutionKind: null,
          history: [{ on, revision: stored.revision, set: counted }],
        };
      }
      if (doc === null) return null;
      /** The document with a change of what it counts as, on the event's business date. */
      const changed = (
        on: string,
        set: Partial<CountedState>,
        role?: DatedChange['role'],
      ): readonly DatedChange[] => [
        ...doc.history,
        { on, revision: stored.revision, set, ...(role === undefined ? {} : { role }) },
      ];
      switch (event.type) {
        case 'OrganizationFiled':
          return registrationFiling(stored.revision, doc, event.type)
            ? {
                ...doc,
                registeredMonth: monthOf(event.data.filedOn),
                history: redateRegistration(doc.history, event.data.filedOn),
              }
            : doc;
        case 'TierPromoted':
          return {
            ...doc,
            tier: event.data.toTier,
            promotionMonths: [...doc.promotionMonths, monthOf(event.data.promotedOn)],
            history: changed(event.data.promotedOn, { tier: event.data.toTier }),
          };
        case 'TierDemoted': {
          // Roles are for registered organizations only (as the organization's state).
          const { supportRoles: _roles, ...rest } = doc;
          return {
            ...rest,
            tier: event.data.toTier,
            history: changed(event.data.demotedOn, { tier: event.data.toTier, roles: {} }),
          };
        }
        case 'OrganizationReclassified':
          return {
            ...doc,
            category: event.data.toCategory,
            history: changed(event.data.reclassifiedOn, { category: event.data.toCategory }),
          };
        case 'PartyOrganizationChanged':
          return {
            ...doc,
            partyOrganization: event.data.to,
            history: changed(event.data.changedOn, { partyOrganization: event.data.to }),
          };
        case 'OrganizationMoved': {
          // Re-homed: every counter, its timeline included, counts it at its new place only;
          // as of a month, from its movedOn.
          const place = basedAt(divisions, event.data);
          return { ...doc, ...place, history: changed(event.data.movedOn, place) };
        }
        case 'OrganizationDissolved':
          return {
            ...doc,
            status: 'dissolved',
            dissolvedMonth: monthOf(event.data.dissolvedOn),
            dissolutionKind: event.data.kind,
            history: changed(event.data.dissolvedOn, { active: false }),
          };
        case 'SupportRoleAssigned':
        case 'SupportRoleRevoked': {
          const { supportRoles, ...rest } = doc;
          const assigned = event.type === 'SupportRoleAssigned' ? event.data.streets : null;
          const roles = [
            ...(supportRoles ?? []).filter((r) => r.role !== event.data.role),
            ...(assigned === null ? [] : [{ role: event.data.role, streets: assigned }]),
          ];
          const history = changed(
            event.type === 'SupportRoleAssigned' ? event.data.assignedOn : event.data.revokedOn,
            {},
            { role: event.data.role, streets: assigned },
          );
          return roles.length === 0
            ? { ...rest, history }
            : { ...rest, supportRoles: roles, history };
        }
        case 'IncubationEntered':
          return {
            ...doc,
            incubations: [
              ...(doc.incubations ?? []),
              {
                incubationId: event.data.incubationId,
                baseId: event.data.baseId,
                baseDistrictCode: event.data.baseDistrictCode,
                enteredYear: yearOf(event.data.enteredOn),
                graduatedYear: null,
              },
            ],
          };
        case 'IncubationEnded': {
          if (event.data.outcome !== 'graduated') return doc;
          const graduatedYear = yearOf(event.data.endedOn);
          return {
            ...doc,
            incubations: (doc.incubations ?? []).map((i) =>
              i.incubationId === event.data.incubationId ? { ...i, graduatedYear } : i,
            ),
          };
        }
        default:
          return doc;
      }
    },
    rollup: (doc) => {
      const counts: Contribution[] = datedContributions(doc.history);
      const places = [
        CITY,
        doc.districtCode,
        doc.streetCode,
        ...(doc.communityCode === null ? [] : [doc.communityCode]),
      ];
      for (const place of places) {
        const id = timelineRollup(place);
        counts.push({ id, key: `${doc.registeredMonth}|registrations`, amount: 1 });
        for (const month of doc.promotionMonths)
          counts.push({ id, key: `${month}|promotions`, amount: 1 });
        if (doc.dissolvedMonth !== null) {
          counts.push({ id, key: `${doc.dissolvedMonth}|dissolutions`, amount: 1 });
          const kind = doc.dissolutionKind ?? 'deregistered';
          counts.push({ id, key: `${doc.dissolvedMonth}|dissolutions|${kind}`, amount: 1 });
        }
      }
      // Incubations stay counted in the years they happened, whatever became of the organization.
      for (const i of doc.incubations ?? []) {
        for (const id of [incubationRollup(CITY), incubationRollup(i.baseDistrictCode)]) {
          counts.push({ id, key: `${i.baseId}|${i.enteredYear}|incubated`, amount: 1 });
          if (i.graduatedYear !== null)
            counts.push({ id, key: `${i.baseId}|${i.graduatedYear}|graduated`, amount: 1 });
        }
      }
      if (doc.status !== 'active') return counts;
      for (const { role, streets } of doc.supportRoles ?? [])
        for (const street of streets)
          counts.push({
            id: platformsRollup(doc.districtCode),
            key: `${street}|${role}`,
            amount: 1,
          });
      for (const place of places) {
        const id = placeRollup(place);
        counts.push(
          { id, key: 'total', amount: 1 },
          { id, key: `${doc.category}|${doc.tier}`, amount: 1 },
          { id, key: `party|${doc.partyOrganization}`, amount: 1 },
        );
        if (doc.specialUnit) counts.push({ id, key: 'specialUnit', amount: 1 });
        if (doc.atUnit) counts.push({ id, key: 'atUnit', amount: 1 });
        else if (doc.communityCode === null) counts.push({ id, key: 'unattributed', amount: 1 });
      }
      if (doc.communityCode !== null) {
        counts.push({ id: communitiesRollup(doc.districtCode), key: doc.communityCode, amount: 1 });
      }
      return counts;
    },
  };
}

/** Where an organization counts: its base place, as registered or as moved to. */
function basedAt(
  divisions: Divisions,
  place: { districtCode: string; streetCode: string; communityCode?: string },
): Pick<
  OrganizationStatistic,
  'districtCode' | 'streetCode' | 'communityCode' | 'specialUnit' | 'atUnit'
> {
  // Older events may name a placeholder: no organization is based in one (DOMAIN §2).
  const community =
    place.communityCode === undefined ? undefined : divisions.community(place.communityCode);
  return {
    districtCode: place.districtCode,
    streetCode: place.streetCode,
    communityCode: community?.placeholder === true ? null : (place.communityCode ?? null),
    specialUnit: divisions.street(place.streetCode)?.kind === 'special',
    atUnit: !divisions.hasRealCommunities(place.streetCode),
  };
}
