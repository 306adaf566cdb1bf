import type { Contribution } from '../src/event-sourcing/projection/projection.js';
import type {
  Category,
  PartyOrganizationStatus,
  SupportRole,
  Tier,
} from '../src/organizations/domain/organization.types.js';
import { CITY, monthOf, yearOf } from './projected-events.js';

/**
 * Statistics as of a past month (issue #19): what an organization counts as, dated by business
 * dates, and the monthly deltas that makes. An organization keeps its dated changes; its
 * contributions are +1 / -1 at each month-end its counted state changed, so a query sums the
 * deltas up to a month instead of replaying the log. Changes recorded out of business-date order
 * simply land in their own month: the runner applies the difference of the contributions.
 *
 * - `asof-place:<city, district, street or community>`: `YYYY-MM|<place counter>` (the counters
 *   of `place:<code>`: `total`, `category|tier`, `party|status`, `specialUnit`, `atUnit`,
 *   `unattributed`);
 * - `asof-communities:<district>`: `YYYY|<community>` by year, and
 *   `asof-communities:<district>:<YYYY>`: `YYYY-MM|<community>` by month within the year (a
 *   city-wide answer reads two documents per district, not every month of every community);
 * - `asof-platforms:<district>`: `YYYY-MM|<street>|<role>`.
 */
export const asOfPlaceRollup = (code: string): string => `asof-place:${code}`;
export const asOfCommunitiesRollup = (district: string): string => `asof-communities:${district}`;
export const asOfCommunitiesMonthsRollup = (district: string, year: string): string =>
  `asof-communities:${district}:${year}`;
export const asOfPlatformsRollup = (district: string): string => `asof-platforms:${district}`;

/** What an organization counts as in the statistics at a moment. */
export interface CountedState {
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode: string | null;
  readonly specialUnit: boolean;
  readonly atUnit: boolean;
  readonly category: Category;
  readonly tier: Tier;
  readonly partyOrganization: PartyOrganizationStatus;
  readonly active: boolean;
  /** Support-platform roles held, each with the streets it serves. */
  readonly roles: Readonly<Partial<Record<SupportRole, readonly string[]>>>;
}

/**
 * One change of what an organization counts as, on its business date (`on`, `YYYY-MM-DD`);
 * `revision` orders changes of the same date as they were recorded. The registration is the
 * change at revision 0 and sets every field.
 */
export interface DatedChange {
  readonly on: string;
  readonly revision: number;
  readonly set: Partial<CountedState>;
  /** A role assigned (its streets) or revoked (null). */
  readonly role?: { readonly role: SupportRole; readonly streets: readonly string[] | null };
}

/** The registration's change re-dated (a team's registration dates from the filing with it). */
export function redateRegistration(
  history: readonly DatedChange[],
  on: string,
): readonly DatedChange[] {
  return history.map((c) => (c.revision === 0 ? { ...c, on } : c));
}

/**
 * The state at the end of each month in which it changed, oldest first. A change dated before
 * the registration takes effect with it: nothing counts before the organization does.
 */
export function monthEnds(
  history: readonly DatedChange[],
): Array<{ readonly month: string; readonly state: CountedState }> {
  const registration = history.find((c) => c.revision === 0);
  if (registration === undefined) return [];
  const effective = (c: DatedChange): string => (c.on < registration.on ? registration.on : c.on);
  const ordered = [...history].sort((a, b) => {
    const x = effective(a);
    const y = effective(b);
    return x < y ? -1 : x > y ? 1 : a.revision - b.revision;
  });
  const ends: Array<{ month: string; state: CountedState }> = [];
  let state = registration.set as CountedState;
  for (const change of ordered) {
    state = { ...state, ...change.set };
    if (change.role !== undefined) {
      const { [change.role.role]: _old, ...others } = state.roles;
      state = {
        ...state,
        roles:
          change.role.streets === null
            ? others
            : { ...others, [change.role.role]: change.role.streets },
      };
    }
    const month = monthOf(effective(change));
    const last = ends[ends.length - 1];
    if (last?.month === month) last.state = state;
    else ends.push({ month, state });
  }
  return ends;
}

/**
 * The cells an organization in `state` adds one to, month-free: `kind|rollup-part|key`. Kinds:
 * `P` a place counter, `C` a base community of a district, `R` a street served in a role.
 */
function cellsOf(state: CountedState): string[] {
  if (!state.active) return [];
  const cells: string[] = [];
  const places = [
    CITY,
    state.districtCode,
    state.streetCode,
    ...(state.communityCode === null ? [] : [state.communityCode]),
  ];
  for (const place of places) {
    const counters = [
      'total',
      `${state.category}|${state.tier}`,
      `party|${state.partyOrganization}`,
      ...(state.specialUnit ? ['specialUnit'] : []),
      ...(state.atUnit ? ['atUnit'] : state.communityCode === null ? ['unattributed'] : []),
    ];
    for (const counter of counters) cells.push(`P|${place}|${counter}`);
  }
  if (state.communityCode !== null) cells.push(`C|${state.districtCode}|${state.communityCode}`);
  for (const [role, streets] of Object.entries(state.roles))
    for (const street of streets) cells.push(`R|${state.districtCode}|${street}|${role}`);
  return cells;
}

/** A cell's delta in a month, as the contributions that date it. */
function dated(cell: string, month: string, amount: number): Contribution[] {
  const [kind = '', part = '', ...rest] = cell.split('|');
  const key = rest.join('|');
  switch (kind) {
    case 'P':
      return [{ id: asOfPlaceRollup(part), key: `${month}|${key}`, amount }];
    case 'C': {
      const year = yearOf(month);
      return [
        { id: asOfCommunitiesRollup(part), key: `${year}|${key}`, amount },
        { id: asOfCommunitiesMonthsRollup(part, year), key: `${month}|${key}`, amount },
      ];
    }
    default:
      return [{ id: asOfPlatformsRollup(part), key: `${month}|${key}`, amount }];
  }
}

/** The dated deltas of an organization's history: +1 / -1 at each month-end its cells changed. */
export function datedContributions(history: readonly DatedChange[]): Contribution[] {
  const contributions: Contribution[] = [];
  let before = new Set<string>();
  for (const { month, state } of monthEnds(history)) {
    const after = new Set(cellsOf(state));
    for (const cell of after) if (!before.has(cell)) contributions.push(...dated(cell, month, 1));
    for (const cell of before) if (!after.has(cell)) contributions.push(...dated(cell, month, -1));
    before = after;
  }
  return contributions;
}
