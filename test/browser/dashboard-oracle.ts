/**
 * The figures the dashboard must show for a place, counted independently from the raw event log
 * (the `events` table) and the shipped division file: no projection, query or page code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ORGANIZATIONAL, TARGET, WORK, type DivisionFile } from '../read-side/log-oracle.js';

interface Org {
  /** District, street and (unless none or a placeholder) community: where it is based now. */
  places: string[];
  street: string;
  /** The base community: never a placeholder (DOMAIN §2). */
  community: string | null;
  category: string;
  tier: string;
  party: string;
  active: boolean;
  /** Support-platform roles held → the streets served in each. */
  roles: Map<string, string[]>;
}

/** The four support-platform kinds (联合支持平台), in the order the page lists them. */
export const SUPPORT_ROLES = [
  'federation',
  'service-centre',
  'incubation-base',
  'social-work-station',
] as const;

/** A 街镇 and how many live organizations serve it in each support-platform role. */
export interface StreetPlatforms {
  readonly code: string;
  readonly name: string;
  readonly district: string;
  readonly holders: Readonly<Record<string, number>>;
}

export interface PlatformFigures {
  readonly streets: readonly StreetPlatforms[];
  /** Streets with at least one holder of each kind, and streets with all four. */
  readonly covered: Readonly<Record<string, number>>;
  readonly complete: number;
}

export interface PlaceFigures {
  readonly active: number;
  /** `category|tier` → active organizations. */
  readonly cells: ReadonlyMap<string, number>;
  readonly registrations: number;
  readonly promotions: number;
  readonly dissolutions: number;
  /** Dissolutions by kind (a dissolution stored without one, v1, is a deregistration). */
  readonly dissolutionsByKind: Readonly<Record<string, number>>;
  readonly grants: number;
  readonly amountFen: number;
  readonly reports: Readonly<Record<'community' | 'street' | 'district', number>>;
  readonly urban: { communities: number; organizations: number; below: number };
  readonly rural: { communities: number; organizations: number; below: number };
  /** Active organizations with a branch (own or joint), and with a branch, liaison or instructor. */
  readonly party: { organizational: number; work: number };
  /** Active organizations based in no community of a street that has real communities. */
  readonly notAttributed: number;
  /** Special units whose only community is a placeholder, and the organizations based at them. */
  readonly units: number;
  readonly atUnits: number;
}

type Data = Record<string, unknown>;
const text = (d: Data, key: string): string => {
  const value = d[key];
  if (typeof value !== 'string') throw new Error(`${key} is not a string`);
  return value;
};

export class DashboardOracle {
  private readonly orgs = new Map<string, Org>();
  /**
   * Registrations, promotions and dissolutions count where their organization is based now (a
   * move re-homes them: `of`); grants and reports where they were made (`places`).
   */
  private readonly events: Array<{
    kind: string;
    of?: Org;
    places?: string[];
    fen?: number;
    level?: string;
    dissolution?: string;
  }> = [];
  private readonly divisions: DivisionFile;
  private readonly placeholders: ReadonlySet<string>;
  private readonly streetsWithCommunities: ReadonlySet<string>;

  constructor(dataDir: string, divisionsFile: string) {
    this.divisions = JSON.parse(readFileSync(divisionsFile, 'utf8')) as DivisionFile;
    const real = this.divisions.communities.filter((c) => c.placeholder !== true);
    this.placeholders = new Set(
      this.divisions.communities.filter((c) => c.placeholder === true).map((c) => c.code),
    );
    this.streetsWithCommunities = new Set(real.map((c) => c.street));
    const db = new Database(join(dataDir, 'events.sqlite'), {
      readonly: true,
      fileMustExist: true,
    });
    const rows = db.prepare('SELECT type, data FROM events ORDER BY position').all() as Array<{
      type: string;
      data: string;
    }>;
    db.close();
    for (const row of rows) this.apply(row.type, JSON.parse(row.data) as Data);
  }

  private apply(type: string, d: Data): void {
    if (type === 'OrganizationRegistered') {
      const named = typeof d['communityCode'] === 'string' ? d['communityCode'] : null;
      const community = named !== null && !this.placeholders.has(named) ? named : null;
      const org: Org = {
        places: [text(d, 'districtCode'), text(d, 'streetCode'), ...(community ? [community] : [])],
        street: text(d, 'streetCode'),
        community,
        category: text(d, 'category'),
        tier: text(d, 'tier'),
        party: 'none',
        active: true,
        roles: new Map(),
      };
      this.orgs.set(text(d, 'organizationId'), org);
      this.events.push({ kind: 'registration', of: org });
      return;
    }
    const org =
      typeof d['organizationId'] === 'string' ? this.orgs.get(d['organizationId']) : undefined;
    if (!org) return;
    switch (type) {
      case 'TierPromoted':
        org.tier = text(d, 'toTier');
        this.events.push({ kind: 'promotion', of: org });
        break;
      case 'TierDemoted':
        org.tier = text(d, 'toTier');
        // Roles are for registered organizations: a demotion takes them all (DOMAIN §5).
        org.roles.clear();
        break;
      case 'SupportRoleAssigned':
        // Assigning a role held again replaces its streets.
        org.roles.set(text(d, 'role'), d['streets'] as string[]);
        break;
      case 'SupportRoleRevoked':
        org.roles.delete(text(d, 'role'));
        break;
      case 'OrganizationReclassified':
        org.category = text(d, 'toCategory');
        break;
      case 'PartyOrganizationChanged':
        org.party = text(d, 'to');
        break;
      case 'OrganizationDissolved':
        org.active = false;
        this.events.push({
          kind: 'dissolution',
          of: org,
          dissolution: typeof d['kind'] === 'string' ? d['kind'] : 'deregistered',
        });
        break;
      case 'FundingGranted':
        this.events.push({ kind: 'grant', places: org.places, fen: d['amountFen'] as number });
        break;
      case 'OrganizationMoved': {
        // A new array: the grants made before keep the place they were made in.
        const named = typeof d['communityCode'] === 'string' ? d['communityCode'] : null;
        org.community = named !== null && !this.placeholders.has(named) ? named : null;
        org.street = text(d, 'streetCode');
        org.places = [
          text(d, 'districtCode'),
          org.street,
          ...(org.community ? [org.community] : []),
        ];
        break;
      }
      case 'ActivityReported':
        // A report counts where the activity takes place, which the report names.
        this.events.push({
          kind: 'report',
          places: [text(d, 'districtCode'), text(d, 'streetCode'), text(d, 'communityCode')],
          level: text(d, 'level'),
        });
        break;
      default:
        break;
    }
  }

  /** The figures of the city (`310000`) or of a district, street or community. */
  figures(place: string): PlaceFigures {
    const inPlace = (places: readonly string[]): boolean =>
      place === '310000' || places.includes(place);
    const active = [...this.orgs.values()].filter((o) => o.active && inPlace(o.places));
    const cells = new Map<string, number>();
    for (const o of active) {
      const key = `${o.category}|${o.tier}`;
      cells.set(key, (cells.get(key) ?? 0) + 1);
    }
    const events = this.events.filter((e) => inPlace(e.of?.places ?? e.places ?? []));
    const countOf = (kind: string): number => events.filter((e) => e.kind === kind).length;
    const reports = { community: 0, street: 0, district: 0 };
    for (const e of events) {
      if (e.kind === 'report') reports[e.level as keyof typeof reports]++;
    }
    const perCommunity = new Map<string, number>();
    for (const o of active) {
      if (o.community !== null)
        perCommunity.set(o.community, (perCommunity.get(o.community) ?? 0) + 1);
    }
    const streets = new Map(this.divisions.streets.map((s) => [s.code, s]));
    const kinds = {
      urban: { communities: 0, organizations: 0, below: 0 },
      rural: { communities: 0, organizations: 0, below: 0 },
    };
    for (const c of this.divisions.communities) {
      if (c.placeholder === true) continue;
      const street = streets.get(c.street);
      if (!street || !inPlace([street.district, street.code, c.code])) continue;
      const organizations = perCommunity.get(c.code) ?? 0;
      const k = kinds[c.kind];
      k.communities++;
      k.organizations += organizations;
      if (organizations < TARGET[c.kind]) k.below++;
    }
    return {
      active: active.length,
      cells,
      registrations: countOf('registration'),
      promotions: countOf('promotion'),
      dissolutions: countOf('dissolution'),
      dissolutionsByKind: Object.fromEntries(
        ['deregistered', 'revoked', 'cleared', 'merged'].map((k) => [
          k,
          events.filter((e) => e.kind === 'dissolution' && e.dissolution === k).length,
        ]),
      ),
      grants: countOf('grant'),
      amountFen: events.reduce((s, e) => s + (e.kind === 'grant' ? (e.fen ?? 0) : 0), 0),
      reports,
      urban: kinds.urban,
      rural: kinds.rural,
      party: {
        organizational: active.filter((o) => ORGANIZATIONAL.includes(o.party)).length,
        work: active.filter((o) => WORK.includes(o.party)).length,
      },
      notAttributed:
        place.length === 12
          ? 0
          : active.filter((o) => o.community === null && this.streetsWithCommunities.has(o.street))
              .length,
      units: this.divisions.streets.filter(
        (s) =>
          !this.streetsWithCommunities.has(s.code) &&
          place.length !== 12 &&
          (place === '310000' || s.district === place || s.code === place),
      ).length,
      atUnits: active.filter((o) => !this.streetsWithCommunities.has(o.street)).length,
    };
  }

  /** Live registered organizations based in a district (those that may hold a platform role). */
  registeredIn(district: string): string[] {
    return [...this.orgs.entries()]
      .filter(([, o]) => o.active && o.tier === 'registered' && o.places[0] === district)
      .map(([id]) => id);
  }

  /** The streets and towns of a district (no special units), in the division file's order. */
  streetsOf(district: string): string[] {
    return this.divisions.streets
      .filter((s) => s.district === district && s.kind !== 'special')
      .map((s) => s.code);
  }

  /**
   * Platform coverage of the city (`310000`) or of a district: every 街镇 (special units are none)
   * with the live organizations serving it in each role.
   */
  platforms(place: string): PlatformFigures {
    const holders = new Map<string, number>();
    for (const o of this.orgs.values()) {
      if (!o.active) continue;
      for (const [role, streets] of o.roles)
        for (const street of streets)
          holders.set(`${street}|${role}`, (holders.get(`${street}|${role}`) ?? 0) + 1);
    }
    const streets = this.divisions.streets
      .filter((s) => s.kind !== 'special' && (place === '310000' || s.district === place))
      .map((s) => ({
        code: s.code,
        name: s.name,
        district: s.district,
        holders: Object.fromEntries(
          SUPPORT_ROLES.map((role) => [role, holders.get(`${s.code}|${role}`) ?? 0]),
        ),
      }));
    return {
      streets,
      covered: Object.fromEntries(
        SUPPORT_ROLES.map((role) => [
          role,
          streets.filter((s) => (s.holders[role] ?? 0) > 0).length,
        ]),
      ),
      complete: streets.filter((s) => SUPPORT_ROLES.every((role) => (s.holders[role] ?? 0) > 0))
        .length,
    };
  }
}
