/**
 * The seed plan: from (scale, seed) and the division data, which organizations exist and which
 * commands make their histories, in the order they are issued. Pure and deterministic: a seeded
 * PRNG, no clock, no I/O. Steps are kept compact (a city holds about a million of them); the
 * command payload of step n is built on demand by `commandAt(plan, n)`.
 */
import type { Community, Divisions, Street } from '../divisions/divisions.js';
import type { ChangePayload, RegistrationPayload } from '../organizations/organization-writer.js';
import {
  CATEGORY_LABELS,
  LEGAL_FORM_USCC_TYPE,
  SUPPORT_ROLES,
  type ActivityKind,
  type ActivityLevel,
  type Actor,
  type Category,
  type DissolutionKind,
  type Evaluator,
  type FormalGrade,
  type Founder,
  type Funder,
  type FundingChannel,
  type Grade,
  type LegalForm,
  type PartyOrganizationStatus,
  type IncubationOutcome,
  type Role,
  type SpotCheckResult,
  type SupportRole,
  type Tier,
} from '../organizations/domain/organization.types.js';
import {
  activityLevel,
  DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
} from '../organizations/domain/rules/activity-level.js';
import { normalizeName } from '../organizations/domain/rules/organization-name.js';
import { composeUscc } from '../organizations/domain/rules/uscc.js';
import { idempotentId } from '../event-sourcing/commands/idempotency.js';
import type { Contact } from '../event-sourcing/ports/personal-data-vault.port.js';
import { Random, Weights } from './random.js';
import * as words from './seed-vocabulary.js';

export const SEED_SCALES = ['small', 'district', 'city'] as const;
export type SeedScale = (typeof SEED_SCALES)[number];

export interface SeedPlanOptions {
  readonly scale: SeedScale;
  readonly seed: number;
  /** Mirrors the configurable rule (TEAMS_IN_SPECIAL_UNITS): no teams there when false. */
  readonly teamsInSpecialUnits?: boolean;
}

export type StepKind =
  | 'register'
  | 'file'
  | 'promote-team'
  | 'promote-registered'
  | 'cancel-filing'
  | 'party'
  | 'contact'
  | 'report'
  | 'fund'
  | 'evaluate'
  | 'reclassify'
  | 'issue-notice'
  | 'resolve-notice'
  | 'erase'
  | 'dissolve'
  | 'annual-report'
  | 'spot-check'
  | 'grade'
  | 'list-abnormal'
  | 'clear-abnormal'
  | 'assign-role'
  | 'enter-incubation'
  | 'end-incubation'
  | 'rename'
  | 'supervisory-unit'
  | 'profile'
  | 'acknowledge'
  | 'move';

export interface PlannedOrganization {
  readonly index: number;
  readonly name: string;
  /** What it does, as in its name: activity titles and programmes reuse it. */
  readonly activity: string;
  readonly category: Category;
  readonly tier: Tier;
  readonly legalForm?: LegalForm;
  /** USCC (registered) or filing number (team) at registration; set when steps are numbered. */
  readonly credential?: string;
  readonly districtCode: string;
  readonly streetCode: string;
  readonly communityCode?: string;
  readonly foundedOn: string;
  readonly founders: readonly Founder[];
  readonly supervisoryUnit?: string;
  readonly contact?: Contact;
  readonly registeredDay: number;
  readonly dissolvedDay?: number;
  /** Index in `steps` of its registration. */
  readonly registrationStep: number;
}

export interface PlannedStep {
  readonly org: number;
  readonly day: number;
  readonly kind: StepKind;
  /** Tier and category when the command is issued (before its own effect). */
  readonly tier: Tier;
  readonly category: Category;
  /** Seed of the details drawn when the command is built (titles, amounts, grades, …). */
  readonly r: number;
  /**
   * The choice made while planning: funding channel, evaluation period, new category, party
   * status, legal form of a promotion, notice number, why a filing is cancelled, annual report's
   * year, spot check's result, support role, incubation's outcome, new name, the community
   * moved to.
   */
  readonly arg?: string;
  /** Filing number or USCC the step issues (set when steps are numbered in issue order). */
  readonly credential?: string;
  /**
   * The community foundation granting (its organization index), for community-foundation grants;
   * the survivor of a merger; the incubation base (its index) of an incubation; the step number
   * of the activity report an acknowledgement receives.
   */
  readonly ref?: number;
}

export interface SeedPlan {
  readonly scale: SeedScale;
  readonly seed: number;
  readonly organizations: readonly PlannedOrganization[];
  /** In issue order; step n is sent with idempotency key `seed-<seed>-<scale>-<n>`. */
  readonly steps: readonly PlannedStep[];
  readonly districtNames: ReadonlyMap<string, string>;
  readonly streets: ReadonlyMap<string, Street>;
  /** Communities of each street in the plan's scope (activities of orgs without one happen there). */
  readonly streetCommunities: ReadonlyMap<string, readonly string[]>;
  /** First step index and number of steps of each day (clock times are spread over the day). */
  readonly days: ReadonlyMap<number, { readonly first: number; readonly count: number }>;
}

/** A change command as planned (a new contact in plaintext: the writer encrypts it). */
export type SeedChangePayload = ChangePayload;

export type SeedCommand =
  | { readonly kind: 'register'; readonly payload: RegistrationPayload }
  | { readonly kind: 'change'; readonly payload: SeedChangePayload };

export interface PlannedCommand {
  readonly n: number;
  readonly key: string;
  readonly step: PlannedStep;
  readonly organization: PlannedOrganization;
  readonly actor: Actor;
  /** The clock's instant for this command: its business day, 10:00 Shanghai time onwards. */
  readonly at: Date;
  readonly command: SeedCommand;
}

// ---------------------------------------------------------------------------------------------
// Calendar: days are whole days since 1970-01-01 (UTC), business dates their ISO form.

const DAY_MS = 86_400_000;
const dayCache = new Map<string, number>();
export function dayOf(iso: string): number {
  let day = dayCache.get(iso);
  if (day === undefined)
    dayCache.set(iso, (day = Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS)));
  return day;
}
// A seed formats a few thousand distinct days millions of times: remember them.
const isoCache = new Map<number, string>();
export function isoOf(day: number): string {
  let iso = isoCache.get(day);
  if (iso === undefined)
    isoCache.set(day, (iso = new Date(day * DAY_MS).toISOString().slice(0, 10)));
  return iso;
}
const yearOf = (day: number): number => Number(isoOf(day).slice(0, 4));
/** 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;

export const FIRST_DAY = dayOf('2021-01-04');
export const LAST_DAY = dayOf('2026-10-30');
/** 10:00 in Shanghai (UTC+8) is 02:00 UTC; commands of a day are spread over the next 14 hours. */
const OPENING_MS = 2 * 3_600_000;
const BUSINESS_DAY_MS = 14 * 3_600_000;
const COMMAND_SPACING_MS = 2_000;

/** A weekday in [from, to] (offices work on weekdays), or undefined when there is none. */
function workday(rng: Random, from: number, to: number): number | undefined {
  const lo = Math.max(from, FIRST_DAY);
  const hi = Math.min(to, LAST_DAY);
  if (lo > hi) return undefined;
  const day = rng.int(lo, hi);
  const dow = weekday(day);
  if (dow !== 0 && dow !== 6) return day;
  const back = day - (dow === 6 ? 1 : 2);
  if (back >= lo) return back;
  const forward = day + (dow === 6 ? 2 : 1);
  return forward <= hi ? forward : undefined;
}

// ---------------------------------------------------------------------------------------------
// Proportions (see the README of src/seed for why these numbers).

const TIER_WEIGHTS = new Weights<Tier>({ group: 62, team: 30, registered: 8 });
const LEGAL_FORM_WEIGHTS = new Weights<LegalForm>({
  'social-group': 35,
  'social-service-institution': 65,
});
const CATEGORY_WEIGHTS: Record<'urban' | 'rural', Weights<Category>> = {
  urban: new Weights({
    'culture-sports': 38,
    charity: 22,
    'life-service': 20,
    'community-affairs': 20,
  }),
  rural: new Weights({
    'culture-sports': 30,
    charity: 18,
    'life-service': 20,
    'community-affairs': 32,
  }),
};
const REGISTRATION_YEARS = new Weights({
  2021: 40,
  2022: 17,
  2023: 15,
  2024: 13,
  2025: 10,
  2026: 5,
});
const DISSOLVED_REGISTRATION_YEARS = new Weights({ 2021: 50, 2022: 27, 2023: 15, 2024: 8 });
const FOUNDATION_YEARS = new Weights({ 2021: 60, 2022: 25, 2023: 15 });
const PLATFORM_YEARS = new Weights({ 2021: 70, 2022: 15, 2023: 10, 2024: 5 });
/** Share of organizations dissolved during the period, on top of those still active. */
const DISSOLUTION_RATE = 0.075;
/** Activity reports and grants per year of life, by tier. */
const REPORT_RATE: Record<Tier, number> = { group: 1.8, team: 3.0, registered: 4.5 };
const FUND_RATE: Record<Tier, number> = { group: 0.9, team: 1.6, registered: 2.8 };

const CHANNEL_WEIGHTS: Record<Tier, Weights<FundingChannel>> = {
  group: new Weights({
    'self-governance-fund': 34,
    subsidy: 20,
    'venture-philanthropy': 9,
    'community-foundation': 12,
    other: 12,
    'welfare-lottery': 5,
    'transfer-payment': 8,
  }),
  team: new Weights({
    'self-governance-fund': 20,
    subsidy: 18,
    'venture-philanthropy': 15,
    'community-foundation': 12,
    other: 12,
    'welfare-lottery': 10,
    'transfer-payment': 8,
  }),
  registered: new Weights({
    'government-purchase': 34,
    'venture-philanthropy': 15,
    'welfare-lottery': 14,
    subsidy: 8,
    'transfer-payment': 8,
    'community-foundation': 7,
    other: 8,
    'self-governance-fund': 3,
  }),
};
/** The welfare-lottery fund serves 扶老、助残、救孤、济困: seldom a culture or sports group. */
const CULTURE_CHANNEL_WEIGHTS: Record<Tier, Weights<FundingChannel>> = {
  group: lessWelfareLottery(CHANNEL_WEIGHTS.group),
  team: lessWelfareLottery(CHANNEL_WEIGHTS.team),
  registered: lessWelfareLottery(CHANNEL_WEIGHTS.registered),
};
const FOUNDATION_CHANNELS = new Weights<FundingChannel>({
  other: 50,
  subsidy: 25,
  'welfare-lottery': 25,
});
/** Grant sizes in yuan (log-uniform within the range); groups and teams get the lower part. */
const GRANT_YUAN: Record<FundingChannel, readonly [number, number]> = {
  'welfare-lottery': [20_000, 300_000],
  'government-purchase': [30_000, 500_000],
  'venture-philanthropy': [10_000, 200_000],
  subsidy: [2_000, 50_000],
  'transfer-payment': [10_000, 150_000],
  'self-governance-fund': [1_000, 30_000],
  'community-foundation': [5_000, 100_000],
  other: [2_000, 80_000],
};
const LEVEL_WEIGHTS: Record<Tier, Weights<ActivityLevel>> = {
  group: new Weights({ community: 85, street: 14, district: 1 }),
  team: new Weights({ community: 70, street: 26, district: 4 }),
  registered: new Weights({ community: 50, street: 38, district: 12 }),
};
const PARTY_CHANCE: Record<Tier, number> = { group: 0.1, team: 0.25, registered: 0.55 };
const PARTY_WEIGHTS: Record<Tier, Weights<PartyOrganizationStatus>> = {
  group: new Weights({ liaison: 60, instructor: 20, 'joint-branch': 20, none: 0 }),
  team: new Weights({ liaison: 45, instructor: 15, 'joint-branch': 40 }),
  registered: new Weights({ 'own-branch': 30, 'joint-branch': 50, liaison: 20 }),
};
const GRADE_WEIGHTS = new Weights<Grade>({ excellent: 25, good: 45, pass: 24, fail: 6 });
/** Appraisals the committee records (its own or the residents'), and those the street records. */
const COMMITTEE_EVALUATORS = new Weights<Evaluator>({ committee: 60, residents: 40 });
const STREET_EVALUATORS = new Weights<Evaluator>({ street: 70, residents: 30 });
/** Share of a team's or registered organization's appraisals recorded by the street. */
const STREET_APPRAISAL_SHARE = 0.4;
/**
 * How organizations end: groups and teams mostly by deregistration or the street's clean-up of
 * inactive ones (清理), registered organizations never cleared; a few sanctions and mergers.
 */
const DISSOLUTION_KIND_WEIGHTS: Record<'community' | 'registered', Weights<DissolutionKind>> = {
  community: new Weights({ deregistered: 48, cleared: 38, revoked: 5, merged: 9 }),
  registered: new Weights({ deregistered: 72, revoked: 14, merged: 14 }),
};
const PURPOSE_WEIGHTS: Record<Category, Weights<keyof typeof words.WELFARE_PURPOSE_LABELS>> = {
  'culture-sports': new Weights({ elderly: 90, disability: 10 }),
  'life-service': new Weights({ elderly: 70, disability: 20, hardship: 10 }),
  'community-affairs': new Weights({ elderly: 40, disability: 40, hardship: 20 }),
  charity: new Weights({
    elderly: 45,
    disability: 25,
    hardship: 20,
    orphans: 10,
    'other-welfare': 6,
  }),
};
const ACTIVITY_KIND_WEIGHTS: Record<Category, Weights<ActivityKind>> = {
  'culture-sports': new Weights(words.ACTIVITY_KINDS_BY_CATEGORY['culture-sports']),
  charity: new Weights(words.ACTIVITY_KINDS_BY_CATEGORY.charity),
  'life-service': new Weights(words.ACTIVITY_KINDS_BY_CATEGORY['life-service']),
  'community-affairs': new Weights(words.ACTIVITY_KINDS_BY_CATEGORY['community-affairs']),
};

function lessWelfareLottery(weights: Weights<FundingChannel>): Weights<FundingChannel> {
  const index = weights.keys.indexOf('welfare-lottery');
  const record: Partial<Record<FundingChannel, number>> = {};
  weights.keys.forEach((key, i) => {
    const share = (weights.cumulative[i] ?? 0) - (weights.cumulative[i - 1] ?? 0);
    record[key] = i === index ? share * 0.3 : share;
  });
  return new Weights(record);
}

/** When a retired district code was merged away: older USCCs keep it (data README). */
const RETIRED_REGIONS: Readonly<Record<string, { code: string; until: string; share: number }>> = {
  '310101': { code: '310103', until: '2011-06-08', share: 0.3 },
  '310106': { code: '310108', until: '2015-11-04', share: 0.4 },
  '310115': { code: '310119', until: '2009-05-06', share: 0.3 },
  '310151': { code: '310230', until: '2016-07-22', share: 0.9 },
};

const CITY = '310000';
const STEP_PRIORITY: Record<StepKind, number> = {
  register: 0,
  file: 1,
  'promote-team': 2,
  'promote-registered': 3,
  party: 4,
  contact: 5,
  report: 6,
  fund: 7,
  evaluate: 8,
  reclassify: 9,
  'issue-notice': 10,
  'resolve-notice': 11,
  'assign-role': 12,
  'annual-report': 13,
  'spot-check': 14,
  grade: 15,
  'list-abnormal': 16,
  'clear-abnormal': 17,
  'enter-incubation': 18,
  'end-incubation': 19,
  rename: 20,
  'supervisory-unit': 21,
  profile: 22,
  acknowledge: 23,
  'cancel-filing': 24,
  erase: 25,
  dissolve: 26,
  move: 27,
};

// ---------------------------------------------------------------------------------------------
// Scope of each scale.

interface ScopeStreet {
  readonly street: Street;
  readonly communities: readonly Community[];
  readonly foundation: 'always' | 'maybe';
}

/** `small`: part of 天平路街道 (徐汇) and of 城桥镇 (崇明); `district`: all of 徐汇区 and 崇明区. */
function scopeOf(scale: SeedScale, divisions: Divisions): ScopeStreet[] {
  const communitiesOf = (street: string): Community[] =>
    divisions.data.communities.filter((c) => c.street === street);
  const streetsOf = (districts: readonly string[]): ScopeStreet[] =>
    divisions.data.streets
      .filter((s) => districts.includes(s.district))
      .map((street) => ({ street, communities: communitiesOf(street.code), foundation: 'maybe' }));
  switch (scale) {
    case 'city':
      return streetsOf(divisions.data.districts.map((d) => d.code));
    case 'district':
      return streetsOf(['310104', '310151']);
    case 'small': {
      const street = (code: string): Street => {
        const found = divisions.street(code);
        if (!found) throw new Error(`street ${code} missing from the division data`);
        return found;
      };
      const tianping = communitiesOf('310104003').slice(0, 8);
      const chengqiao = communitiesOf('310151101');
      return [
        { street: street('310104003'), communities: tianping, foundation: 'always' },
        {
          street: street('310151101'),
          communities: [
            ...chengqiao.filter((c) => c.kind === 'urban').slice(0, 2),
            ...chengqiao.filter((c) => c.kind === 'rural').slice(0, 6),
          ],
          foundation: 'maybe',
        },
      ];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Names.

const COMMUNITY_SUFFIX = /(社区居委会|居民委员会|社区居委|居委会|村委会|虚拟社区|虚拟生活区)$/u;
const communityStem = (name: string): string => {
  const stem = name.replace(COMMUNITY_SUFFIX, '');
  return stem.length >= 2 ? stem : name;
};
const streetStem = (street: Street): string =>
  street.kind === 'street' ? street.name.replace(/街道$/u, '') : street.name;
const officeOf = (street: Street): string =>
  street.kind === 'street'
    ? `${street.name}办事处`
    : street.kind === 'special'
      ? `${street.name}管理委员会`
      : `${street.name}人民政府`;

/** Names taken in one district (normalized as the domain compares them). */
class NameBook {
  private readonly taken = new Set<string>();

  claim(candidate: string): boolean {
    const key = normalizeName(candidate);
    if (this.taken.has(key)) return false;
    this.taken.add(key);
    return true;
  }

  has(candidate: string): boolean {
    return this.taken.has(normalizeName(candidate));
  }
}

function uniqueName(
  book: NameBook,
  rng: Random,
  stems: readonly string[],
  activities: readonly string[],
  suffixes: readonly string[],
): { name: string; activity: string } {
  const [stem, ...others] = stems;
  if (stem === undefined) throw new Error('a name needs a stem');
  for (let i = 0; i < 8; i++) {
    const activity = rng.pick(activities);
    const name = `${stem}${activity}${rng.pick(suffixes)}`;
    if (book.claim(name)) return { name, activity };
  }
  const activity = rng.pick(activities);
  const suffix = rng.pick(suffixes);
  for (const other of others) {
    const name = `${other}${activity}${suffix}`;
    if (book.claim(name)) return { name, activity };
  }
  for (const ordinal of words.ORDINALS) {
    const name = `${stem}第${ordinal}${activity}${suffix}`;
    if (book.claim(name)) return { name, activity };
  }
  for (let k = 11; ; k++) {
    const name = `${stem}${activity}${suffix}${k}`;
    if (book.claim(name)) return { name, activity };
  }
}

const personName = (rng: Random): string =>
  `${rng.pick(words.SURNAMES)}${rng.pick(words.GIVEN_NAMES)}`;
const phoneNumber = (rng: Random): string =>
  `1${rng.pick(['3', '5', '8', '9'])}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;

// ---------------------------------------------------------------------------------------------
// The plan.

interface OrgDraft {
  index: number;
  name: string;
  activity: string;
  category: Category;
  tier: Tier;
  legalForm?: LegalForm;
  credential?: string;
  districtCode: string;
  streetCode: string;
  communityCode?: string;
  foundedOn: string;
  founders: Founder[];
  supervisoryUnit?: string;
  contact?: Contact;
  registeredDay: number;
  dissolvedDay?: number;
  registrationStep: number;
  /** USCC region at registration (a retired district code for some older organizations). */
  region?: string;
  rural: boolean;
  special: boolean;
  seed: number;
  /** A street's service centre (社区公益服务中心): the one that takes support-platform roles. */
  platform?: boolean;
  /** Support-platform roles it is assigned for its street, and when. */
  roles?: { role: SupportRole; day: number }[];
  /** The name it changes to, once, if it is renamed (unique in its district like every name). */
  rename?: string;
  /** The community it moves to as its last step, if it moves, and (once planned) the day. */
  move?: { communityCode: string; day?: number };
}

/** One shape for every step (a city plan holds over a million of them). */
class Step implements PlannedStep {
  tier: Tier = 'group';
  category: Category = 'charity';
  credential: string | undefined = undefined;

  constructor(
    readonly org: number,
    readonly day: number,
    readonly kind: StepKind,
    readonly r: number,
    public arg: string | undefined,
    public ref: number | undefined,
  ) {}
}

/** Community foundations by street and by district, in registration order. */
interface FoundationIndex {
  readonly byStreet: ReadonlyMap<string, readonly OrgDraft[]>;
  readonly byDistrict: ReadonlyMap<string, readonly OrgDraft[]>;
}

export function seedPlan(divisions: Divisions, options: SeedPlanOptions): SeedPlan {
  const { scale, seed } = options;
  const teamsInSpecialUnits = options.teamsInSpecialUnits ?? true;
  const rng = Random.fromText(`seed-plan:${seed}:${scale}`);
  const scope = scopeOf(scale, divisions);
  const districtNames = new Map(divisions.data.districts.map((d) => [d.code, d.name]));
  const books = new Map<string, NameBook>();
  const orgs: OrgDraft[] = [];

  const add = (draft: Omit<OrgDraft, 'index' | 'registrationStep' | 'seed'>): void => {
    orgs.push({ ...draft, index: orgs.length, registrationStep: -1, seed: rng.uint32() });
  };

  for (const { street, communities, foundation } of scope) {
    const district = street.district;
    const districtName = districtNames.get(district) ?? district;
    let book = books.get(district);
    if (!book) books.set(district, (book = new NameBook()));
    const special = street.kind === 'special';
    const office = officeOf(street);
    const sStem = streetStem(street);
    // Every organization is based in a real community of its street (所在社区), if it has one.
    const real = communities.filter((c) => c.placeholder !== true);
    const baseCommunity = (): { communityCode?: string } => {
      const community = real[orgs.length % Math.max(1, real.length)];
      return community ? { communityCode: community.code } : {};
    };

    // City level: a community foundation for about 40% of the streets and towns (~90 city-wide).
    if (!special && (foundation === 'always' || rng.chance(0.4))) {
      const name = `上海市${districtName}${sStem}社区基金会`;
      if (book.claim(name)) {
        const registeredDay = workdayIn(rng, FOUNDATION_YEARS);
        add({
          name,
          activity: '社区公益',
          category: 'charity',
          tier: 'registered',
          legalForm: 'community-foundation',
          region: CITY,
          districtCode: district,
          streetCode: street.code,
          ...baseCommunity(),
          foundedOn: isoOf(registeredDay - rng.int(0, 120)),
          founders: [
            { kind: 'unit', name: office },
            { kind: 'unit', name: `上海${sStem}${rng.pick(words.UNIT_KINDS)}` },
          ],
          // 直接登记: a community foundation has no business supervisory unit.
          contact: { name: personName(rng), phone: phoneNumber(rng) },
          registeredDay,
          rural: false,
          special,
        });
      }
    }
    // District level: a support platform (service centre) for the whole street, no community.
    if (!special && (foundation === 'always' || rng.chance(0.7))) {
      const name = `${districtName}${sStem}${rng.pick(words.PLATFORM_NAMES)}`;
      if (book.claim(name)) {
        const registeredDay = workdayIn(rng, PLATFORM_YEARS);
        add({
          name,
          activity: '社区服务',
          category: rng.pick(['charity', 'life-service', 'community-affairs'] as const),
          tier: 'registered',
          legalForm: 'social-service-institution',
          region: district,
          districtCode: district,
          streetCode: street.code,
          ...baseCommunity(),
          foundedOn: isoOf(registeredDay - rng.int(30, 3000)),
          founders: [{ kind: 'unit', name: office }],
          supervisoryUnit: office,
          contact: { name: personName(rng), phone: phoneNumber(rng) },
          registeredDay,
          rural: false,
          special,
          platform: true,
        });
      }
    }

    for (const community of communities) {
      const rural = community.kind === 'rural';
      const active = communityCount(rng, community, special);
      const dissolved = rng.poisson(active * DISSOLUTION_RATE);
      const cStem = communityStem(community.name);
      for (let i = 0; i < active + dissolved; i++) {
        const dissolving = i >= active;
        const category = rng.weighted(CATEGORY_WEIGHTS[rural ? 'rural' : 'urban']);
        let tier = rng.weighted(TIER_WEIGHTS);
        if (tier === 'team' && special && !teamsInSpecialUnits) tier = 'group';
        // A placeholder has no committee: its unit's organizations are teams or registered ones,
        // based at the unit itself.
        if (tier === 'group' && community.placeholder === true)
          tier = teamsInSpecialUnits ? 'team' : 'registered';
        const legalForm = tier === 'registered' ? rng.weighted(LEGAL_FORM_WEIGHTS) : undefined;
        const activities =
          rural && category === 'community-affairs'
            ? [...words.ACTIVITIES[category], ...words.RURAL_AFFAIRS]
            : words.ACTIVITIES[category];
        const { name, activity } =
          tier === 'registered'
            ? uniqueName(
                book,
                rng,
                [`${districtName}${cStem}`, `${districtName}${sStem}${cStem}`],
                activities,
                legalForm === 'social-group'
                  ? words.SOCIAL_GROUP_SUFFIXES
                  : words.SERVICE_INSTITUTION_SUFFIXES,
              )
            : uniqueName(
                book,
                rng,
                [cStem, `${sStem}${cStem}`],
                activities,
                tier === 'team' ? words.TEAM_SUFFIXES[category] : words.GROUP_SUFFIXES,
              );
        const registeredDay = workdayIn(
          rng,
          dissolving ? DISSOLVED_REGISTRATION_YEARS : REGISTRATION_YEARS,
        );
        // Those entered in the first half of 2021 (the initial census) are often years older.
        const foundedDay =
          registeredDay < dayOf('2021-07-01')
            ? registeredDay - rng.int(60, 365 * 12)
            : registeredDay - rng.int(0, 200);
        const dissolvedDay = dissolving ? workday(rng, registeredDay + 180, LAST_DAY) : undefined;
        const region =
          tier === 'registered'
            ? (retiredRegion(rng, district, foundedDay) ?? district)
            : undefined;
        add({
          name,
          activity,
          category,
          tier,
          ...(legalForm && { legalForm }),
          ...(region !== undefined && { region }),
          districtCode: district,
          streetCode: street.code,
          ...(community.placeholder !== true && { communityCode: community.code }),
          foundedOn: isoOf(foundedDay),
          founders: founders(rng, tier, community, sStem),
          ...(tier === 'registered' && { supervisoryUnit: office }),
          ...(rng.chance(0.92) && { contact: { name: personName(rng), phone: phoneNumber(rng) } }),
          registeredDay,
          ...(dissolvedDay !== undefined && { dissolvedDay }),
          rural,
          special,
        });
        // 更名: a few change their name once, keeping what they do (its own draws: the shared
        // generator's sequence, and so every other organization, stays as it was).
        const draft = orgs[orgs.length - 1];
        const own = Random.fromNumbers(draft?.seed ?? 0, RENAME_DRAWS);
        if (draft && own.chance(RENAME_RATE)) {
          draft.rename = uniqueName(
            book,
            own,
            tier === 'registered'
              ? [`${districtName}${cStem}`, `${districtName}${sStem}${cStem}`]
              : [cStem, `${sStem}${cStem}`],
            [activity],
            tier === 'registered'
              ? legalForm === 'social-group'
                ? words.SOCIAL_GROUP_SUFFIXES
                : words.SERVICE_INSTITUTION_SUFFIXES
              : tier === 'team'
                ? words.TEAM_SUFFIXES[category]
                : words.GROUP_SUFFIXES,
          ).name;
        }
      }
    }
  }

  const foundations = indexFoundations(orgs);
  const bases = planPlatforms(orgs);
  planMoves(orgs, scope, books);
  const streetCommunities = new Map<string, readonly string[]>(
    scope.map(({ street, communities }) => [street.code, communities.map((c) => c.code)]),
  );

  // Every step in issue order: by day, and within a day by organization and its own order.
  const byDay = new Map<number, Step[]>();
  for (const org of orgs) {
    for (const step of lifeOf(org, foundations, bases, teamsInSpecialUnits)) {
      let bucket = byDay.get(step.day);
      if (!bucket) byDay.set(step.day, (bucket = []));
      bucket.push(step);
    }
  }
  const steps: Step[] = [];
  const days = new Map<number, { first: number; count: number }>();
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const bucket = byDay.get(day) ?? [];
    days.set(day, { first: steps.length, count: bucket.length });
    for (const step of bucket) steps.push(step);
  }
  issueCredentials(steps, orgs, divisions, rng);
  chooseSurvivors(steps, orgs);
  linkAcknowledgements(steps);

  return {
    scale,
    seed,
    organizations: orgs.map(toPlanned),
    steps,
    districtNames,
    streets: new Map(scope.map(({ street }) => [street.code, street])),
    streetCommunities,
    days,
  };
}

function toPlanned(org: OrgDraft): PlannedOrganization {
  const {
    region: _region,
    rural: _rural,
    special: _special,
    seed: _seed,
    platform: _platform,
    roles: _roles,
    rename: _rename,
    move: _move,
    ...planned
  } = org;
  return planned;
}

/** A weekday of a year drawn with the given weights (2021 mostly its first half: the initial census). */
function workdayIn(rng: Random, years: Weights<string>): number {
  const year = Number(rng.weighted(years));
  const [from, to] =
    year === 2021
      ? rng.chance(0.7)
        ? ['2021-01-04', '2021-06-30']
        : ['2021-07-01', '2021-12-31']
      : year === 2026
        ? ['2026-01-05', '2026-09-30']
        : [`${year}-01-04`, `${year}-12-31`];
  const day = workday(rng, dayOf(from), dayOf(to));
  if (day === undefined) throw new Error(`no workday in ${from}..${to}`);
  return day;
}

/** Active organizations of a community at the end: most near the 12 / 7 targets, a tail below. */
function communityCount(rng: Random, community: Community, special: boolean): number {
  if (/虚拟/u.test(community.name)) return rng.int(0, 3);
  if (special) return community.kind === 'urban' ? rng.int(2, 9) : rng.int(1, 6);
  if (community.kind === 'urban') {
    return rng.chance(0.18) ? rng.int(4, 11) : 12 + Math.min(6, rng.poisson(1.4));
  }
  return rng.chance(0.18) ? rng.int(2, 6) : 7 + Math.min(4, rng.poisson(1.0));
}

function retiredRegion(rng: Random, district: string, foundedDay: number): string | undefined {
  const retired = RETIRED_REGIONS[district];
  if (!retired || foundedDay >= dayOf(retired.until) || !rng.chance(retired.share))
    return undefined;
  return retired.code;
}

function founders(rng: Random, tier: Tier, community: Community, sStem: string): Founder[] {
  const residents = (count: number): Founder[] =>
    Array.from({ length: count }, () => ({ kind: 'resident' as const, name: personName(rng) }));
  switch (tier) {
    case 'group':
      return residents(rng.int(1, 3));
    case 'team':
      return [
        ...residents(rng.int(1, 3)),
        ...(rng.chance(0.25) ? [{ kind: 'unit' as const, name: community.name }] : []),
      ];
    case 'registered':
      return [
        { kind: 'unit', name: `${sStem}${rng.pick(words.UNIT_KINDS)}` },
        ...(rng.chance(0.4) ? [{ kind: 'unit' as const, name: community.name }] : []),
        ...residents(rng.int(0, 3)),
      ];
  }
}

function indexFoundations(orgs: readonly OrgDraft[]): FoundationIndex {
  const byStreet = new Map<string, OrgDraft[]>();
  const byDistrict = new Map<string, OrgDraft[]>();
  const foundations = orgs
    .filter((o) => o.legalForm === 'community-foundation')
    .sort((a, b) => a.registeredDay - b.registeredDay || a.index - b.index);
  for (const f of foundations) {
    byStreet.set(f.streetCode, [...(byStreet.get(f.streetCode) ?? []), f]);
    byDistrict.set(f.districtCode, [...(byDistrict.get(f.districtCode) ?? []), f]);
  }
  return { byStreet, byDistrict };
}

// ---------------------------------------------------------------------------------------------
// One organization's life: candidate steps, then a walk that keeps only what the rules allow and
// records the tier and category each command meets.

function lifeOf(
  org: OrgDraft,
  foundations: FoundationIndex,
  bases: ReadonlyMap<string, IncubationBase>,
  teamsInSpecialUnits: boolean,
): Step[] {
  const rng = Random.fromNumbers(org.seed);
  const R = org.registeredDay;
  /** First day the organization no longer acts (its dissolution day, or after the period). */
  const end = org.dissolvedDay ?? LAST_DAY + 1;
  const candidates: Step[] = [];
  const push = (day: number | undefined, kind: StepKind, arg?: string): void => {
    if (day !== undefined)
      candidates.push(new Step(org.index, day, kind, rng.uint32(), arg, undefined));
  };
  push(R, 'register');

  // Tier changes: the segments they cut decide how busy the organization is.
  const segments: { from: number; tier: Tier }[] = [{ from: R, tier: org.tier }];
  let teamSince = org.tier === 'team' ? R : undefined;
  if (org.tier === 'group' && (teamsInSpecialUnits || !org.special) && rng.chance(0.16)) {
    const day = workday(rng, R + 120, Math.min(R + 900, end - 30));
    if (day !== undefined) {
      push(day, 'promote-team');
      segments.push({ from: day, tier: 'team' });
      teamSince = day;
    }
  }
  if (teamSince !== undefined) {
    let teamUntil = end;
    const u = rng.next();
    if (u < 0.08) {
      const day = workday(rng, teamSince + 180, Math.min(teamSince + 1100, end - 30));
      if (day !== undefined) {
        push(
          day,
          'promote-registered',
          rng.chance(0.4) ? 'social-group' : 'social-service-institution',
        );
        segments.push({ from: day, tier: 'registered' });
        teamUntil = day;
        if (rng.chance(0.4)) push(workday(rng, day + 30, Math.min(day + 200, end - 1)), 'party');
      }
    } else if (u < 0.11 && org.communityCode !== undefined) {
      // A group is always recorded by the committee of its community.
      const day = workday(rng, teamSince + 365, end - 1);
      if (day !== undefined) {
        push(day, 'cancel-filing', 'demote');
        segments.push({ from: day, tier: 'group' });
        teamUntil = day;
      }
    }
    if (rng.chance(0.04)) push(workday(rng, teamSince + 30, teamUntil - 1), 'file');
  }

  // Activity reports and grants over each segment, at the rate of its tier.
  const foundation = org.legalForm === 'community-foundation';
  segments.forEach((segment, i) => {
    const until = segments[i + 1]?.from ?? end;
    const years = Math.max(0, until - segment.from) / 365;
    const reports = rng.poisson((foundation ? 3 : REPORT_RATE[segment.tier]) * years);
    for (let k = 0; k < reports; k++) push(workday(rng, segment.from + 7, until - 25), 'report');
    const grants = rng.poisson((foundation ? 1 : FUND_RATE[segment.tier]) * years);
    for (let k = 0; k < grants; k++) push(workday(rng, segment.from + 14, until - 1), 'fund');
  });

  // Annual evaluations (评估评议) early the next year, some half-year ones in summer.
  for (let year = 2021; year <= 2026; year++) {
    if (year <= 2025 && R <= dayOf(`${year}-06-30`) && rng.chance(0.7)) {
      const day = workday(rng, dayOf(`${year + 1}-01-05`), dayOf(`${year + 1}-03-31`));
      if (day !== undefined && day < end) push(day, 'evaluate', String(year));
    }
    if (R <= dayOf(`${year}-03-31`) && rng.chance(0.12)) {
      const day = workday(rng, dayOf(`${year}-07-06`), dayOf(`${year}-08-31`));
      if (day !== undefined && day < end) push(day, 'evaluate', `${year}-H1`);
    }
  }

  // A community foundation is a charity and stays one (the draw is kept for the others' sake).
  if (rng.chance(0.04) && !foundation) push(workday(rng, R + 90, end - 1), 'reclassify');
  const notices = rng.chance(0.06) ? (rng.chance(0.15) ? 2 : 1) : 0;
  for (let k = 0; k < notices; k++) {
    const issued = workday(rng, R + 60, end - 1);
    if (issued === undefined) continue;
    push(issued, 'issue-notice', String(k));
    if (rng.chance(0.75)) {
      push(workday(rng, issued + 10, Math.min(issued + 90, end - 1)), 'resolve-notice', String(k));
    }
  }
  if (rng.chance(foundation ? 0.5 : PARTY_CHANCE[org.tier])) {
    const day = workday(rng, R + 30, end - 1);
    push(day, 'party');
    if (day !== undefined && rng.chance(0.12)) push(workday(rng, day + 180, end - 1), 'party');
  }
  const contactUpdates = org.contact
    ? rng.chance(0.18)
      ? rng.chance(0.25)
        ? 2
        : 1
      : 0
    : rng.chance(0.5)
      ? 1
      : 0;
  for (let k = 0; k < contactUpdates; k++) push(workday(rng, R + 30, end - 1), 'contact');
  if (rng.chance(0.02)) {
    const day = workday(rng, R + 180, end - 1);
    push(day, 'erase');
    if (day !== undefined && rng.chance(0.6))
      push(workday(rng, day + 1, Math.min(day + 30, end - 1)), 'contact');
  }
  if (org.dissolvedDay !== undefined) {
    const D = org.dissolvedDay;
    if (rng.chance(0.35)) push(workday(rng, Math.max(R + 1, D - 10), D), 'erase');
    push(D, 'dissolve');
    if (rng.chance(0.5)) push(workday(rng, D + 1, D + 30), 'cancel-filing', 'dissolved');
  }

  const registeredFrom = segments.find((s) => s.tier === 'registered')?.from;
  candidates.push(...oversightOf(org, registeredFrom, end, candidates, bases));

  candidates.sort((a, b) => a.day - b.day || STEP_PRIORITY[a.kind] - STEP_PRIORITY[b.kind]);
  const life = walk(org, candidates, foundations, rng);
  const move = lastMove(org, life);
  return move ? [...life.steps, move] : life.steps;
}

// ---------------------------------------------------------------------------------------------
// Oversight and change (issue 18): annual reports, spot checks, grades, the abnormal list,
// support platforms, incubation, renames, supervisory units, profiles, acknowledgements. Drawn
// from generators of their own, so the rest of each life is what it was before they existed.

const PLATFORM_DRAWS = 18;
const OVERSIGHT_DRAWS = 19;
const RENAME_DRAWS = 20;
const RENAME_RATE = 0.015;
/** Roles a street's service centre is assigned (so some streets lack one kind or another). */
const ROLE_CHANCE: Record<SupportRole, number> = {
  'service-centre': 0.9,
  'incubation-base': 0.7,
  'social-work-station': 0.5,
  federation: 0.35,
};
const ANNUAL_REPORT_FILED = 0.85;
const ANNUAL_REPORT_ON_TIME = 0.8;
const SPOT_CHECK_CHANCE: Record<Tier, number> = { group: 0.005, team: 0.03, registered: 0.15 };
const SPOT_CHECK_WEIGHTS = new Weights<SpotCheckResult>({ passed: 60, rectify: 30, failed: 10 });
const GRADE_CHANCE = 0.25;
const FORMAL_GRADE_WEIGHTS = new Weights<FormalGrade>({
  '1A': 3,
  '2A': 12,
  '3A': 45,
  '4A': 30,
  '5A': 10,
});
const ABNORMAL_CHANCE: Record<Tier, number> = { group: 0.003, team: 0.008, registered: 0.05 };
const INCUBATION_CHANCE = 0.1;
const SUPERVISORY_UNIT_CHANCE = 0.06;
const PROFILE_CHANCE = 0.2;
const ACKNOWLEDGED_SHARE = 0.3;

/** A street's incubation base: its organization and the first day it holds the role. */
interface IncubationBase {
  readonly index: number;
  readonly day: number;
}

/** The activity report each acknowledgement receives (numbered once the steps are in order). */
const acknowledgedReport = new WeakMap<Step, Step>();

/**
 * Support-platform roles for the streets' service centres (the district assigns them for the
 * centre's own street), and the incubation base of each street that has one.
 */
function planPlatforms(orgs: OrgDraft[]): Map<string, IncubationBase> {
  const bases = new Map<string, IncubationBase>();
  for (const org of orgs) {
    if (org.platform !== true) continue;
    const rng = Random.fromNumbers(org.seed, PLATFORM_DRAWS);
    org.roles = [];
    for (const role of SUPPORT_ROLES) {
      if (!rng.chance(ROLE_CHANCE[role])) continue;
      const day = workday(rng, org.registeredDay + 20, org.registeredDay + 400);
      if (day === undefined) continue;
      org.roles.push({ role, day });
      if (role === 'incubation-base' && !bases.has(org.streetCode))
        bases.set(org.streetCode, { index: org.index, day });
    }
  }
  // At least one base in every plan (a small one has one or two centres), so incubation is in it.
  const first = orgs.find((o) => o.platform === true);
  if (bases.size === 0 && first) {
    const day =
      workday(
        Random.fromNumbers(first.seed, PLATFORM_DRAWS, 1),
        first.registeredDay + 20,
        first.registeredDay + 400,
      ) ?? first.registeredDay + 30;
    first.roles?.push({ role: 'incubation-base', day });
    bases.set(first.streetCode, { index: first.index, day });
  }
  return bases;
}

function oversightOf(
  org: OrgDraft,
  registeredFrom: number | undefined,
  end: number,
  candidates: readonly Step[],
  bases: ReadonlyMap<string, IncubationBase>,
): Step[] {
  const rng = Random.fromNumbers(org.seed, OVERSIGHT_DRAWS);
  const R = org.registeredDay;
  const last = Math.min(end - 1, LAST_DAY);
  const steps: Step[] = [];
  const push = (
    day: number | undefined,
    kind: StepKind,
    arg?: string,
    ref?: number,
  ): Step | undefined => {
    if (day === undefined) return undefined;
    const step = new Step(org.index, day, kind, rng.uint32(), arg, ref);
    steps.push(step);
    return step;
  };
  for (const { role, day } of org.roles ?? []) push(day, 'assign-role', role);

  if (registeredFrom !== undefined) {
    const S = registeredFrom;
    // 年度工作报告 for each year it was registered in, the next year: most by 30 June, some late.
    for (let year = yearOf(S); year <= 2025; year++) {
      if (!rng.chance(ANNUAL_REPORT_FILED)) continue;
      const [from, to] = rng.chance(ANNUAL_REPORT_ON_TIME)
        ? [`${year + 1}-01-05`, `${year + 1}-06-30`]
        : [`${year + 1}-07-01`, `${year + 1}-12-20`];
      push(workday(rng, dayOf(from), Math.min(dayOf(to), last)), 'annual-report', String(year));
    }
    if (rng.chance(GRADE_CHANCE)) push(workday(rng, S + 730, last), 'grade');
    if (org.legalForm !== 'community-foundation' && rng.chance(SUPERVISORY_UNIT_CHANCE))
      push(workday(rng, S + 180, last), 'supervisory-unit');
  }
  const since = registeredFrom ?? R;
  if (rng.chance(SPOT_CHECK_CHANCE[registeredFrom === undefined ? org.tier : 'registered'])) {
    const result = rng.weighted(SPOT_CHECK_WEIGHTS);
    const checked = push(workday(rng, since + 180, last), 'spot-check', result);
    if (checked && result === 'rectify' && rng.chance(0.75))
      push(workday(rng, checked.day + 10, Math.min(checked.day + 90, last)), 'resolve-notice', 's');
  }
  if (rng.chance(ABNORMAL_CHANCE[registeredFrom === undefined ? org.tier : 'registered'])) {
    const listed = push(workday(rng, since + 365, last), 'list-abnormal');
    if (listed && rng.chance(0.5))
      push(workday(rng, listed.day + 60, Math.min(listed.day + 365, last)), 'clear-abnormal');
  }
  const base = bases.get(org.streetCode);
  if (base && base.index !== org.index && org.tier !== 'registered') {
    if (rng.chance(INCUBATION_CHANCE)) {
      const from = Math.max(R + 7, base.day + 1);
      const entered = push(workday(rng, from, Math.min(from + 540, last)), 'enter-incubation');
      if (entered) entered.ref = base.index;
      const outcome = rng.chance(0.8) ? 'graduated' : 'withdrawn';
      if (entered && rng.chance(0.75)) {
        const day = workday(rng, entered.day + 120, Math.min(entered.day + 720, last));
        push(day, 'end-incubation', outcome, base.index);
      }
    }
  }
  if (org.rename !== undefined) push(workday(rng, R + 180, last), 'rename', org.rename);
  if (rng.chance(PROFILE_CHANCE)) push(workday(rng, R + 30, last), 'profile');
  // 事前报告的接收: the level a report was routed to acknowledges some of them within two weeks.
  for (const report of candidates) {
    if (report.kind !== 'report' || !rng.chance(ACKNOWLEDGED_SHARE)) continue;
    const ack = push(workday(rng, report.day + 1, Math.min(report.day + 14, last)), 'acknowledge');
    if (ack) acknowledgedReport.set(ack, report);
  }
  return steps;
}

// ---------------------------------------------------------------------------------------------
// Moves (迁移): a few groups and teams move their base community once, as their last step — a
// committee split mostly sends them next door, sometimes to another street of the district,
// rarely to another district. Drawn from generators of their own, like the rest of issue 18.

const MOVE_DRAWS = 21;
/** Share of the groups and teams still active at the end that move (some find no date). */
const MOVE_RATE = 0.04;
type MoveKind = 'same-street' | 'other-street' | 'other-district';
const MOVE_KIND_WEIGHTS = new Weights<MoveKind>({
  'same-street': 75,
  'other-street': 20,
  'other-district': 5,
});

/**
 * Chooses where the movers go: a real community (never a placeholder, nor a virtual one) of the
 * plan's scope, in no special unit but their own; across districts only where their names (the
 * first and a renamed one) are free in the new district (the rule is per community or street:
 * the district-wide book is stricter) and their street's name differs from the new one's (a
 * team's filing number names its street and is claimed again in the new one). When the drawn
 * kind has no destination the move stays in the street; with none there it is skipped.
 */
function planMoves(
  orgs: readonly OrgDraft[],
  scope: readonly ScopeStreet[],
  books: ReadonlyMap<string, NameBook>,
): void {
  const destinations = (s: ScopeStreet): Community[] =>
    s.communities.filter((c) => c.placeholder !== true && !/虚拟/u.test(c.name));
  const streets = new Map(scope.map((s) => [s.street.code, s]));
  const byDistrict = new Map<string, ScopeStreet[]>();
  for (const s of scope) {
    if (s.street.kind === 'special' || destinations(s).length === 0) continue;
    byDistrict.set(s.street.district, [...(byDistrict.get(s.street.district) ?? []), s]);
  }
  const districts = [...byDistrict.keys()];
  for (const org of orgs) {
    if (org.tier === 'registered' || org.dissolvedDay !== undefined) continue;
    const from = streets.get(org.streetCode);
    if (org.communityCode === undefined || !from) continue;
    const rng = Random.fromNumbers(org.seed, MOVE_DRAWS);
    if (!rng.chance(MOVE_RATE)) continue;
    const kind = rng.weighted(MOVE_KIND_WEIGHTS);
    const otherStreets = (byDistrict.get(org.districtCode) ?? []).filter((s) => s !== from);
    const otherDistricts = districts.filter((d) => d !== org.districtCode);
    let to: ScopeStreet = from;
    if (kind === 'other-street' && otherStreets.length > 0) to = rng.pick(otherStreets);
    if (kind === 'other-district' && otherDistricts.length > 0)
      to = rng.pick(byDistrict.get(rng.pick(otherDistricts)) ?? [from]);
    const choices = destinations(to).filter((c) => c.code !== org.communityCode);
    if (choices.length === 0) continue;
    if (to.street.district !== org.districtCode) {
      const book = books.get(to.street.district);
      const names = org.rename === undefined ? [org.name] : [org.name, org.rename];
      if (!book || to.street.name === from.street.name || names.some((n) => book.has(n))) continue;
      for (const name of names) book.claim(name);
    }
    org.move = { communityCode: rng.pick(choices).code };
  }
}

/**
 * The planned move, after every other step of a group or team still active at the end (a
 * registered organization stays in its USCC's district: those promoted on the way do not move),
 * within two years and by the seed's last day; none when no weekday is left.
 */
function lastMove(org: OrgDraft, life: Life): Step | undefined {
  const last = life.steps[life.steps.length - 1];
  if (!org.move || !last || life.tier === 'registered') {
    delete org.move;
    return undefined;
  }
  const rng = Random.fromNumbers(org.seed, MOVE_DRAWS, 1);
  const day = workday(rng, last.day + 14, Math.min(last.day + 730, LAST_DAY));
  if (day === undefined) {
    delete org.move;
    return undefined;
  }
  org.move.day = day;
  const step = new Step(org.index, day, 'move', rng.uint32(), org.move.communityCode, undefined);
  step.tier = life.tier;
  step.category = life.category;
  return step;
}

/** Where a move step takes its organization: the community it names, its street and district. */
export function moveDestination(
  plan: Pick<SeedPlan, 'streets' | 'streetCommunities'>,
  step: PlannedStep,
): { districtCode: string; streetCode: string; communityCode: string } {
  const communityCode = step.arg ?? '';
  for (const [streetCode, communities] of plan.streetCommunities) {
    const street = plan.streets.get(streetCode);
    if (street && communities.includes(communityCode))
      return { districtCode: street.district, streetCode, communityCode };
  }
  throw new Error(`a move to ${communityCode}, outside the plan's scope`);
}

/** Points each acknowledgement at the number of the report it receives. */
function linkAcknowledgements(steps: readonly Step[]): void {
  const numbers = new Map<Step, number>();
  const wanted = new Set<Step>();
  for (const step of steps) {
    const report = step.kind === 'acknowledge' ? acknowledgedReport.get(step) : undefined;
    if (report) wanted.add(report);
  }
  steps.forEach((step, n) => {
    if (wanted.has(step)) numbers.set(step, n);
    if (step.kind !== 'acknowledge') return;
    const report = acknowledgedReport.get(step);
    step.ref = report && numbers.get(report);
  });
}

/** The steps the rules allow, and the tier and category they leave the organization in. */
interface Life {
  readonly steps: Step[];
  readonly tier: Tier;
  readonly category: Category;
}

function walk(
  org: OrgDraft,
  candidates: readonly Step[],
  foundations: FoundationIndex,
  rng: Random,
): Life {
  let tier = org.tier;
  let category = org.category;
  let filed = tier === 'team';
  let hasContact = org.contact !== undefined;
  let party: PartyOrganizationStatus = 'none';
  let dissolved = false;
  let abnormal = false;
  let incubated = false;
  const open = new Set<string | undefined>();
  const kept: Step[] = [];
  for (const step of candidates) {
    step.tier = tier;
    step.category = category;
    if (dissolved && !(step.kind === 'cancel-filing' && filed)) continue;
    switch (step.kind) {
      case 'register':
      case 'report':
      case 'evaluate':
        break;
      case 'promote-team':
        if (tier !== 'group') continue;
        tier = 'team';
        filed = true;
        break;
      case 'promote-registered':
        if (tier !== 'team') continue;
        tier = 'registered';
        filed = false;
        break;
      case 'cancel-filing':
        if (!filed) continue;
        if (!dissolved) tier = 'group';
        filed = false;
        break;
      case 'file':
        if (tier !== 'team' || !filed) continue;
        break;
      case 'party': {
        // Always a change (a command that changes nothing would leave no trace to resume by).
        let weights = PARTY_WEIGHTS[tier];
        if (weights.keys.includes(party)) weights = weights.without(party);
        party = party !== 'none' && rng.chance(0.1) ? 'none' : rng.weighted(weights);
        step.arg = party;
        break;
      }
      case 'contact':
        hasContact = true;
        break;
      case 'erase':
        if (!hasContact) continue;
        hasContact = false;
        break;
      case 'fund': {
        const channel = chooseChannel(rng, org, tier, category);
        const granting =
          channel === 'community-foundation'
            ? grantingFoundation(org, foundations, step.day)
            : undefined;
        if (channel === 'community-foundation' && granting === undefined) {
          step.arg = tier === 'registered' ? 'government-purchase' : 'venture-philanthropy';
        } else {
          step.arg = channel;
          step.ref = granting?.index;
        }
        break;
      }
      case 'reclassify':
        category = rng.weighted(CATEGORY_WEIGHTS[org.rural ? 'rural' : 'urban'].without(category));
        step.arg = category;
        break;
      case 'issue-notice':
        open.add(step.arg);
        break;
      case 'resolve-notice':
        if (!open.delete(step.arg)) continue;
        break;
      case 'annual-report':
      case 'grade':
      case 'supervisory-unit':
      case 'assign-role':
        if (tier !== 'registered') continue;
        break;
      case 'spot-check':
        if (step.arg === 'rectify') open.add('s');
        break;
      case 'list-abnormal':
        if (abnormal) continue;
        abnormal = true;
        break;
      case 'clear-abnormal':
        if (!abnormal) continue;
        abnormal = false;
        break;
      case 'enter-incubation':
        if (incubated) continue;
        incubated = true;
        break;
      case 'end-incubation':
        if (!incubated) continue;
        incubated = false;
        break;
      case 'rename':
      case 'profile':
      case 'acknowledge':
        break;
      case 'dissolve':
        dissolved = true;
        step.arg = rng.weighted(
          DISSOLUTION_KIND_WEIGHTS[tier === 'registered' ? 'registered' : 'community'],
        );
        break;
    }
    kept.push(step);
  }
  return { steps: kept, tier, category };
}

function chooseChannel(rng: Random, org: OrgDraft, tier: Tier, category: Category): FundingChannel {
  if (org.legalForm === 'community-foundation') return rng.weighted(FOUNDATION_CHANNELS);
  return rng.weighted(
    (category === 'culture-sports' ? CULTURE_CHANNEL_WEIGHTS : CHANNEL_WEIGHTS)[tier],
  );
}

/** The earliest foundation of the street (else of the district) registered before the grant. */
function grantingFoundation(
  org: OrgDraft,
  foundations: FoundationIndex,
  day: number,
): OrgDraft | undefined {
  const ready = (f: OrgDraft): boolean => f.registeredDay < day && f.index !== org.index;
  return (
    foundations.byStreet.get(org.streetCode)?.find(ready) ??
    foundations.byDistrict.get(org.districtCode)?.find(ready)
  );
}

/**
 * A merger's survivor (step.ref): an organization of the same tier under the same managing level
 * (a group of its community, a team of its street, a registered organization of its district, no
 * foundation), registered before, never dissolved and not moved away. Without one the dissolution is a
 * deregistration.
 */
function chooseSurvivors(steps: readonly Step[], orgs: readonly OrgDraft[]): void {
  const scopeOf = (tier: Tier, org: OrgDraft): string | undefined => {
    if (org.legalForm === 'community-foundation') return undefined;
    if (tier === 'group') return org.communityCode && `group:${org.communityCode}`;
    return tier === 'team' ? `team:${org.streetCode}` : `registered:${org.districtCode}`;
  };
  const lasting = new Map<string, OrgDraft[]>();
  for (const org of orgs) {
    const scope = org.dissolvedDay === undefined ? scopeOf(org.tier, org) : undefined;
    if (scope !== undefined) lasting.set(scope, [...(lasting.get(scope) ?? []), org]);
  }
  for (const step of steps) {
    if (step.kind !== 'dissolve' || step.arg !== 'merged') continue;
    const org = orgs[step.org];
    const scope = org && scopeOf(step.tier, org);
    // Still there on the day: not moved away before (a move is its last step).
    const survivor =
      scope === undefined
        ? undefined
        : lasting
            .get(scope)
            ?.find(
              (o) =>
                o.registeredDay < step.day &&
                o.index !== step.org &&
                (o.move?.day === undefined || o.move.day > step.day),
            );
    if (survivor === undefined) step.arg = 'deregistered';
    else step.ref = survivor.index;
  }
}

/** Issues filing numbers (per street and year) and USCCs (per region) in issue order. */
function issueCredentials(
  steps: readonly Step[],
  orgs: OrgDraft[],
  divisions: Divisions,
  rng: Random,
): void {
  const filings = new Map<string, number>();
  const bodies = new Map<string, number>();
  const filingNumber = (org: OrgDraft, day: number): string => {
    const year = yearOf(day);
    const key = `${org.streetCode}:${year}`;
    const next = (filings.get(key) ?? 0) + 1;
    filings.set(key, next);
    const street = divisions.street(org.streetCode)?.name ?? org.streetCode;
    return `${street}备〔${year}〕${String(next).padStart(3, '0')}号`;
  };
  const uscc = (region: string, legalForm: LegalForm): string => {
    const next = bodies.get(region) ?? rng.int(100, 900) * 100;
    bodies.set(region, next + 1);
    return composeUscc(
      `5${LEGAL_FORM_USCC_TYPE[legalForm]}${region}`,
      `MJ${String(next).padStart(6, '0')}`,
    );
  };
  steps.forEach((step, n) => {
    const org = orgs[step.org];
    if (!org) throw new Error(`step ${n} names no organization`);
    switch (step.kind) {
      case 'register':
        org.registrationStep = n;
        if (org.tier === 'team') org.credential = filingNumber(org, step.day);
        if (org.tier === 'registered' && org.legalForm) {
          org.credential = uscc(org.region ?? org.districtCode, org.legalForm);
        }
        step.credential = org.credential;
        break;
      case 'file':
      case 'promote-team':
        step.credential = filingNumber(org, step.day);
        break;
      case 'promote-registered':
        step.credential = uscc(org.districtCode, (step.arg ?? 'social-group') as LegalForm);
        break;
      default:
        break;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Commands, built on demand.

export const idempotencyKey = (plan: Pick<SeedPlan, 'seed' | 'scale'>, n: number): string =>
  `seed-${plan.seed}-${plan.scale}-${n}`;

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex32 = (v: number): string =>
  `${HEX[v >>> 24] ?? ''}${HEX[(v >>> 16) & 0xff] ?? ''}${HEX[(v >>> 8) & 0xff] ?? ''}${HEX[v & 0xff] ?? ''}`;

/** A UUID (version 4 layout) drawn from a generator: deterministic ids for grants, reports, notices. */
function uuidFrom(rng: Random): string {
  const a = hex32(rng.uint32());
  const b = hex32(rng.uint32());
  const c = hex32(((rng.uint32() & 0x3fffffff) | 0x80000000) >>> 0);
  const d = hex32(rng.uint32());
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${c.slice(0, 4)}-${c.slice(4, 8)}${d}`;
}

const SCALE_NUMBER: Record<SeedScale, number> = { small: 1, district: 2, city: 3 };
/** Ids unique per (seed, scale, purpose, number): one generator per id, seeded by all of them. */
const planUuid = (plan: SeedPlan, purpose: number, n: number): string =>
  uuidFrom(Random.fromNumbers(n, plan.seed, (SCALE_NUMBER[plan.scale] << 8) | purpose));

/**
 * The id an organization of the plan gets: the writer derives it from its registration's actor
 * and idempotency key (as seed-runner's seededOrganizationId checks).
 */
export function plannedOrganizationId(plan: SeedPlan, org: PlannedOrganization): string {
  return idempotentId(manager(org, org.tier).id, idempotencyKey(plan, org.registrationStep));
}

/** The command id (and correlation id) of step n. */
export const commandUuid = (plan: SeedPlan, n: number): string => planUuid(plan, 0, n);

const actors = new Map<Role, Map<string, Actor>>();
/** The acting user of a level: `seed-<role>-<jurisdiction>` (one object per actor). */
export function seedActor(role: Role, jurisdiction: string): Actor {
  let ofRole = actors.get(role);
  if (!ofRole) actors.set(role, (ofRole = new Map<string, Actor>()));
  let actor = ofRole.get(jurisdiction);
  if (!actor)
    ofRole.set(jurisdiction, (actor = { id: `seed-${role}-${jurisdiction}`, role, jurisdiction }));
  return actor;
}

/** The level that manages an organization of this tier (DOMAIN §1): it issues most commands. */
function manager(org: PlannedOrganization, tier: Tier): Actor {
  switch (tier) {
    case 'registered':
      return org.legalForm === 'community-foundation'
        ? seedActor('city', CITY)
        : seedActor('district', org.districtCode);
    case 'team':
      return seedActor('street', org.streetCode);
    case 'group':
      return seedActor('committee', org.communityCode ?? '');
  }
}

export function commandAt(plan: SeedPlan, n: number): PlannedCommand {
  const step = plan.steps[n];
  const org = step && plan.organizations[step.org];
  if (!step || !org) throw new RangeError(`no step ${n} in the plan`);
  const rng = Random.fromNumbers(step.r, n, plan.seed);
  const day = plan.days.get(step.day) ?? { first: n, count: 1 };
  const spacing = Math.min(COMMAND_SPACING_MS, Math.floor(BUSINESS_DAY_MS / day.count));
  const at = new Date(step.day * DAY_MS + OPENING_MS + (n - day.first) * spacing);
  const { actor, command } = build(plan, step, org, rng, n);
  return { n, key: idempotencyKey(plan, n), step, organization: org, actor, at, command };
}

/**
 * A weekday up to `lag` days before the record is entered on `day`, never before the founding
 * nor before the seed's first day (business dates spread over 2021–2026, never in the future).
 */
function businessDate(rng: Random, org: PlannedOrganization, day: number, lag: number): string {
  return isoOf(workday(rng, Math.max(dayOf(org.foundedOn), day - lag), day) ?? day);
}

/** A change of an existing organization, as the actor records it. */
function change(actor: Actor, payload: SeedChangePayload): { actor: Actor; command: SeedCommand } {
  return { actor, command: { kind: 'change', payload } };
}

function build(
  plan: SeedPlan,
  step: PlannedStep,
  org: PlannedOrganization,
  rng: Random,
  n: number,
): { actor: Actor; command: SeedCommand } {
  const today = isoOf(step.day);
  switch (step.kind) {
    case 'register':
      return {
        actor: manager(org, org.tier),
        command: {
          kind: 'register',
          payload: {
            name: org.name,
            category: org.category,
            tier: org.tier,
            ...(org.legalForm && { legalForm: org.legalForm }),
            ...(org.tier === 'registered' && { uscc: step.credential ?? '' }),
            ...(org.tier === 'team' && {
              filingNumber: step.credential ?? '',
              filedOn: businessDate(rng, org, step.day, 45),
              // Most teams are active street-wide (the default); some only in their community.
              ...(rng.chance(0.3) && { activityScope: 'community' as const }),
            }),
            // The registration's business date (DOMAIN §4): the bureau registered it, or the
            // committee recorded the group, a few days or weeks before the record was entered.
            ...(org.tier === 'registered' && {
              registeredOn: businessDate(rng, org, step.day, 90),
            }),
            ...(org.tier === 'group' && { recordedOn: businessDate(rng, org, step.day, 30) }),
            districtCode: org.districtCode,
            streetCode: org.streetCode,
            ...(org.communityCode !== undefined && { communityCode: org.communityCode }),
            foundedOn: org.foundedOn,
            founders: org.founders,
            ...(org.supervisoryUnit !== undefined && { supervisoryUnit: org.supervisoryUnit }),
            ...(org.contact && { contact: org.contact }),
          },
        },
      };
    case 'file':
      return change(seedActor('street', org.streetCode), {
        type: 'FileTeam',
        filingNumber: step.credential ?? '',
        filedOn: today,
      });
    case 'promote-team':
      return change(seedActor('street', org.streetCode), {
        type: 'PromoteTier',
        toTier: 'team',
        filingNumber: step.credential ?? '',
        filedOn: today,
      });
    case 'promote-registered':
      return change(seedActor('district', org.districtCode), {
        type: 'PromoteTier',
        toTier: 'registered',
        uscc: step.credential ?? '',
        legalForm: (step.arg ?? 'social-group') as LegalForm,
        registeredOn: today,
      });
    case 'cancel-filing':
      return change(seedActor('street', org.streetCode), {
        type: 'CancelFiling',
        reason:
          step.arg === 'dissolved'
            ? words.CANCELLATION_AFTER_DISSOLUTION
            : rng.pick(words.DEMOTION_REASONS),
        cancelledOn: today,
      });
    case 'party':
      return change(manager(org, step.tier), {
        type: 'ChangePartyOrganization',
        status: (step.arg ?? 'liaison') as PartyOrganizationStatus,
      });
    case 'contact':
      return change(manager(org, step.tier), {
        type: 'UpdateContact',
        contact: { name: personName(rng), phone: phoneNumber(rng) },
      });
    case 'erase':
      return change(manager(org, step.tier), { type: 'ErasePersonalData' });
    case 'dissolve': {
      const kind = (step.arg ?? 'deregistered') as DissolutionKind;
      const survivor = kind === 'merged' ? plan.organizations[step.ref ?? -1] : undefined;
      return change(manager(org, step.tier), {
        type: 'Dissolve',
        kind,
        reason: rng.pick(
          words.DISSOLUTION_REASONS[kind][step.tier === 'registered' ? 'registered' : 'community'],
        ),
        dissolvedOn: today,
        ...(survivor && { mergedInto: plannedOrganizationId(plan, survivor) }),
      });
    }
    case 'reclassify': {
      const to = (step.arg ?? org.category) as Category;
      return change(manager(org, step.tier), {
        type: 'Reclassify',
        category: to,
        criteria: rng.pick(words.RECLASSIFICATION_CRITERIA),
        reason: `主要活动已转向${CATEGORY_LABELS[to]}领域`,
      });
    }
    case 'evaluate': {
      // The committee appraises the organizations of its community; the street some of its teams
      // and registered organizations, and those based in no community.
      const community = org.communityCode;
      const byStreet =
        community === undefined || (step.tier !== 'group' && rng.chance(STREET_APPRAISAL_SHARE));
      return change(
        byStreet ? seedActor('street', org.streetCode) : seedActor('committee', community),
        {
          type: 'RecordEvaluation',
          period: step.arg ?? String(yearOf(step.day) - 1),
          evaluator: rng.weighted(byStreet ? STREET_EVALUATORS : COMMITTEE_EVALUATORS),
          grade: rng.weighted(GRADE_WEIGHTS),
        },
      );
    }
    case 'issue-notice':
      return change(manager(org, step.tier), {
        type: 'IssueCorrectionNotice',
        noticeId: noticeId(plan, org, step),
        reason: rng.pick(words.CORRECTION_REASONS),
      });
    case 'resolve-notice':
      return change(manager(org, step.tier), {
        type: 'ResolveCorrectionNotice',
        noticeId: noticeId(plan, org, step),
        note: rng.pick(words.RESOLUTION_NOTES),
      });
    case 'report':
      return change(manager(org, step.tier), activityReport(plan, step, org, rng, n));
    case 'fund':
      return funding(plan, step, org, rng, n);
    default:
      return oversightCommand(plan, step, org, rng, n);
  }
}

/** The commands of oversight and change (issue 18), as planned by `oversightOf`. */
function oversightCommand(
  plan: SeedPlan,
  step: PlannedStep,
  org: PlannedOrganization,
  rng: Random,
  n: number,
): { actor: Actor; command: SeedCommand } {
  const today = isoOf(step.day);
  const district = seedActor('district', org.districtCode);
  const street = plan.streets.get(org.streetCode);
  switch (step.kind) {
    case 'annual-report': {
      const incomeFen = Math.round(rng.logUniform(20_000, 3_000_000) / 100) * 100 * 100;
      return change(manager(org, 'registered'), {
        type: 'RecordAnnualReport',
        year: Number(step.arg),
        members: rng.int(15, 300),
        incomeFen,
        expenditureFen: Math.round((incomeFen * rng.int(70, 105)) / 100 / 100) * 100,
        activities: rng.int(4, 40),
        recordedOn: today,
      });
    }
    case 'spot-check': {
      const result = (step.arg ?? 'passed') as SpotCheckResult;
      return change(rng.chance(0.85) ? district : seedActor('city', CITY), {
        type: 'RecordSpotCheck',
        checkId: planUuid(plan, 4, n),
        noticeId: noticeId(plan, org, { ...step, arg: 's' }),
        checkedOn: today,
        result,
        findings: rng.pick(words.SPOT_CHECK_FINDINGS[result]),
        ...(result === 'rectify' && { deadline: isoOf(step.day + rng.int(30, 90)) }),
      });
    }
    case 'grade':
      return change(manager(org, 'registered'), {
        type: 'AwardGrade',
        grade: rng.weighted(FORMAL_GRADE_WEIGHTS),
        awardedOn: today,
      });
    case 'list-abnormal':
      return change(district, {
        type: 'ListAbnormal',
        reason: rng.pick(words.ABNORMAL_REASONS),
        listedOn: today,
      });
    case 'clear-abnormal':
      return change(district, { type: 'ClearAbnormal', clearedOn: today });
    case 'assign-role':
      return change(district, {
        type: 'AssignSupportRole',
        role: (step.arg ?? 'service-centre') as SupportRole,
        streets: [org.streetCode],
      });
    case 'enter-incubation':
    case 'end-incubation': {
      const base = plan.organizations[step.ref ?? -1];
      if (!base) throw new Error(`step ${n}: an incubation names no base`);
      const incubationId = planUuid(plan, 6, org.index);
      const actor = seedActor('street', base.streetCode);
      return step.kind === 'enter-incubation'
        ? change(actor, {
            type: 'EnterIncubation',
            incubationId,
            baseId: plannedOrganizationId(plan, base),
            enteredOn: today,
          })
        : change(actor, {
            type: 'EndIncubation',
            incubationId,
            outcome: (step.arg ?? 'graduated') as IncubationOutcome,
            endedOn: today,
          });
    }
    case 'rename':
      return change(manager(org, step.tier), {
        type: 'RenameOrganization',
        name: step.arg ?? org.name,
        renamedOn: today,
      });
    case 'supervisory-unit': {
      const districtName = plan.districtNames.get(org.districtCode) ?? org.districtCode;
      return change(manager(org, step.tier), {
        type: 'ChangeSupervisoryUnit',
        unit: `${districtName}${rng.pick(words.SUPERVISORY_UNITS)}`,
      });
    }
    case 'profile': {
      const members =
        step.tier === 'group'
          ? rng.int(6, 40)
          : step.tier === 'team'
            ? rng.int(12, 80)
            : rng.int(15, 300);
      return change(manager(org, step.tier), {
        type: 'UpdateProfile',
        members,
        volunteers: rng.int(0, members * 2),
        venue: `${street ? streetStem(street) : ''}${rng.pick(words.VENUES)}`,
      });
    }
    case 'move': {
      // Recorded by the level that manages it at its new place (DOMAIN §4), which then manages it.
      const to = moveDestination(plan, step);
      return change(manager({ ...org, ...to }, step.tier), {
        type: 'MoveOrganization',
        ...to,
        movedOn: today,
      });
    }
    case 'acknowledge': {
      // The report as it was sent (built again from its step), and the level it was routed to
      // under the default thresholds (the seed's reports are drawn for them).
      const sent = commandAt(plan, step.ref ?? -1).command;
      if (sent.kind !== 'change' || sent.payload.type !== 'ReportActivity')
        throw new Error(`step ${n}: an acknowledgement names no activity report`);
      const level = activityLevel(sent.payload.participants, DEFAULT_ACTIVITY_LEVEL_THRESHOLDS);
      const actor =
        level === 'community'
          ? seedActor('committee', sent.payload.communityCode)
          : level === 'street'
            ? seedActor('street', org.streetCode)
            : district;
      return change(actor, {
        type: 'AcknowledgeActivityReport',
        reportId: sent.payload.reportId,
        acknowledgedOn: today,
      });
    }
    default:
      throw new Error(`step ${n}: no command for ${step.kind}`);
  }
}

/** A correction notice's id: by its number, or (arg `s`) the one a spot check opened. */
const noticeId = (plan: SeedPlan, org: PlannedOrganization, step: PlannedStep): string =>
  step.arg === 's'
    ? planUuid(plan, 5, org.index)
    : planUuid(plan, 3, org.index * 4 + Number(step.arg ?? 0));

function activityReport(
  plan: SeedPlan,
  step: PlannedStep,
  org: PlannedOrganization,
  rng: Random,
  n: number,
): SeedChangePayload {
  const kind = rng.weighted(ACTIVITY_KIND_WEIGHTS[step.category]);
  const level = rng.weighted(LEVEL_WEIGHTS[step.tier]);
  const participants = Math.round(
    level === 'community'
      ? rng.logUniform(12, 99)
      : level === 'street'
        ? rng.logUniform(100, 499)
        : rng.logUniform(500, 3000),
  );
  // Mostly in its own community; street- and district-wide ones sometimes next door.
  const neighbours = plan.streetCommunities.get(org.streetCode) ?? [];
  const communityCode =
    org.communityCode !== undefined && !(level !== 'community' && rng.chance(0.15))
      ? org.communityCode
      : neighbours.length > 0
        ? rng.pick(neighbours)
        : (org.communityCode ?? '');
  // Reported ahead of the activity (重大活动事前报告).
  const startsDay = step.day + rng.int(3, 20);
  const endsDay = startsDay + (rng.chance(0.85) ? 0 : rng.int(1, 2));
  const title = rng.pick(words.ACTIVITY_TITLES[kind]).replace('@', org.activity);
  return {
    type: 'ReportActivity',
    reportId: planUuid(plan, 1, n),
    title: rng.chance(0.5) ? `${yearOf(startsDay)}年${title}` : title,
    kind,
    startsOn: isoOf(startsDay),
    endsOn: isoOf(endsDay),
    communityCode,
    participants: Math.min(Math.max(1, participants), level === 'community' ? 99 : 3000),
  };
}

function funding(
  plan: SeedPlan,
  step: PlannedStep,
  org: PlannedOrganization,
  rng: Random,
  n: number,
): { actor: Actor; command: SeedCommand } {
  const channel = (step.arg ?? 'subsidy') as FundingChannel;
  const year = yearOf(step.day);
  const district = plan.districtNames.get(org.districtCode) ?? org.districtCode;
  const street = plan.streets.get(org.streetCode);
  const cityFunder: Funder = { name: '上海市民政局', level: 'city', code: CITY };
  const districtFunder: Funder = {
    name: `${district}民政局`,
    level: 'district',
    code: org.districtCode,
  };
  const streetFunder: Funder = {
    name: street ? officeOf(street) : org.streetCode,
    level: 'street',
    code: org.streetCode,
  };
  const [min, max] = GRANT_YUAN[channel];
  const top =
    step.tier === 'registered' ? max : Math.sqrt(min * max) * (step.tier === 'team' ? 1.5 : 1);
  // Whole hundreds of yuan, in fen (分): integers only.
  const amountFen = Math.round(rng.logUniform(min, Math.max(min, top)) / 100) * 100 * 100;
  let funder: Funder;
  let purpose: string | undefined;
  let purposeDescription: string | undefined;
  let programme: string;
  switch (channel) {
    case 'welfare-lottery': {
      // From the city or the district only, each recorded by its own bureau (below).
      funder = rng.chance(0.35) ? cityFunder : districtFunder;
      const p = rng.weighted(PURPOSE_WEIGHTS[step.category]);
      purpose = p;
      let label: string = words.WELFARE_PURPOSE_LABELS[p];
      if (p === 'other-welfare') {
        purposeDescription = rng.pick(words.OTHER_WELFARE_PURPOSES);
        label = purposeDescription.slice(0, 2);
      }
      programme = `${year}年度福利彩票公益金${label}项目：${org.activity}`;
      break;
    }
    case 'government-purchase':
      funder = rng.chance(0.5) ? districtFunder : streetFunder;
      programme = `${year}年政府购买社区${org.activity}服务项目`;
      break;
    case 'venture-philanthropy':
      funder = rng.chance(0.6) ? districtFunder : streetFunder;
      programme = `${district}第${year - 2012}届社区公益创投：${org.activity}`;
      break;
    case 'subsidy':
      funder = rng.chance(0.7) ? streetFunder : districtFunder;
      programme = `${year}年社区社会组织运营补贴`;
      break;
    case 'transfer-payment':
      funder = rng.chance(0.3) ? cityFunder : districtFunder;
      programme = `${year}年社区服务专项转移支付`;
      break;
    case 'self-governance-fund':
      funder = streetFunder;
      programme = `${year}年社区自治金项目：${org.activity}`;
      break;
    case 'community-foundation': {
      const foundation = step.ref === undefined ? undefined : plan.organizations[step.ref];
      funder = foundation
        ? { name: foundation.name, level: 'foundation', code: foundation.credential ?? '' }
        : streetFunder;
      programme = `${year}年社区微公益资助：${org.activity}`;
      break;
    }
    case 'other': {
      const body = rng.pick(words.DISTRICT_FUNDERS);
      funder = { name: `${district}${body}`, level: 'district', code: org.districtCode };
      programme = `${district}${body}${year}年社区项目资助`;
      break;
    }
  }
  // The grant is recorded by the funder's own level, so the funder is always the recorder's place
  // (or, for a committee, inside it); a foundation's grant (named by its USCC) by the street (or,
  // for a foundation of another street, the district) of the organization it funds.
  const foundationStreet =
    step.ref === undefined ? undefined : plan.organizations[step.ref]?.streetCode;
  const actor =
    funder.level === 'city'
      ? seedActor('city', CITY)
      : funder.level === 'district' ||
          (funder.level === 'foundation' && foundationStreet !== org.streetCode)
        ? seedActor('district', org.districtCode)
        : seedActor('street', org.streetCode);
  return {
    actor,
    command: {
      kind: 'change',
      payload: {
        type: 'GrantFunding',
        grantId: planUuid(plan, 2, n),
        channel,
        amountFen,
        grantedOn: today(step),
        funder,
        programme,
        ...(purpose !== undefined && { purpose }),
        ...(purposeDescription !== undefined && { purposeDescription }),
      },
    },
  };
}

const today = (step: PlannedStep): string => isoOf(step.day);
