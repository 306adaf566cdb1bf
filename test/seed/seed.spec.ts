/**
 * The seed (`npm run seed`): a deterministic plan with plausible proportions, run through the
 * real command path without a single refused command, idempotent when run again, and an
 * interrupted run finished by a rerun ends exactly like an uninterrupted one.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChainVerifier } from '../../src/audit/chain-verification.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import type { OrganizationPolicy } from '../../src/organizations/domain/organization.policy.js';
import { OrganizationWriter } from '../../src/organizations/organization-writer.js';
import {
  CATEGORIES,
  FUNDING_CHANNELS,
  TIERS,
  type Category,
  type FundingChannel,
  type Tier,
} from '../../src/organizations/domain/organization.types.js';
import {
  activityLevel,
  DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
} from '../../src/organizations/domain/rules/activity-level.js';
import { normalizeName } from '../../src/organizations/domain/rules/organization-name.js';
import { parseUscc } from '../../src/organizations/domain/rules/uscc.js';
import { shanghaiDate } from '../../src/event-sourcing/clock.js';
import {
  commandAt,
  dayOf,
  moveDestination,
  seedPlan,
  type PlannedCommand,
  type SeedPlan,
  type StepKind,
} from '../../src/seed/seed-plan.js';
import {
  runSeed,
  seededOrganizationId,
  type SeedRunResult,
  type SeedTarget,
} from '../../src/seed/seed-runner.js';
import { allEvents, normalizedLog, sealedAsSuch } from './seed-log.js';
import { openTestSeedTarget } from '../support/seed-target.js';

/** Running the seed takes seconds; more on a busy machine. */
const SLOW = 180_000;

const divisions = loadDivisions();
const policy: OrganizationPolicy = {
  divisions,
  activityLevels: DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
  teamsInSpecialUnits: true,
  governmentPurchaseRequiresRegistered: true,
  maxGrantFen: 1_000_000_000,
};

const small = seedPlan(divisions, { scale: 'small', seed: 1 });
const commandsOf = (plan: SeedPlan): PlannedCommand[] =>
  plan.steps.map((_, n) => commandAt(plan, n));
const smallCommands = commandsOf(small);

const digest = (plan: SeedPlan): string =>
  createHash('sha256')
    .update(JSON.stringify(plan.organizations))
    .update(JSON.stringify(commandsOf(plan)))
    .digest('hex');

const countBy = <T>(items: Iterable<T>, key: (item: T) => string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** Each organization's tier and status after the last step of the plan. */
function finalStates(plan: SeedPlan): { tier: Tier; active: boolean; community?: string }[] {
  const states = plan.organizations.map((o) => ({
    tier: o.tier,
    active: true,
    ...(o.communityCode !== undefined && { community: o.communityCode }),
  }));
  for (const step of plan.steps) {
    const state = states[step.org];
    if (!state) continue;
    if (step.kind === 'promote-team') state.tier = 'team';
    if (step.kind === 'promote-registered') state.tier = 'registered';
    if (step.kind === 'cancel-filing' && state.active) state.tier = 'group';
    if (step.kind === 'dissolve') state.active = false;
    if (step.kind === 'move') state.community = step.arg;
  }
  return states;
}

describe('the seed plan', () => {
  it('is the same for the same scale and seed, and differs for another seed', () => {
    expect(digest(seedPlan(divisions, { scale: 'small', seed: 1 }))).toBe(digest(small));
    expect(digest(seedPlan(divisions, { scale: 'small', seed: 2 }))).not.toBe(digest(small));
  });

  it('keeps "small" to a few thousand commands', () => {
    expect(small.steps.length).toBeGreaterThan(2000);
    expect(small.steps.length).toBeLessThan(8000);
  });

  it('holds every tier, category, channel, activity level and kind of command', () => {
    const kinds = countBy(small.steps, (s) => s.kind);
    const everyKind: StepKind[] = [
      'register',
      'file',
      'promote-team',
      'promote-registered',
      'cancel-filing',
      'party',
      'contact',
      'report',
      'fund',
      'evaluate',
      'reclassify',
      'issue-notice',
      'resolve-notice',
      'erase',
      'dissolve',
      'annual-report',
      'spot-check',
      'grade',
      'list-abnormal',
      'clear-abnormal',
      'assign-role',
      'enter-incubation',
      'end-incubation',
      'rename',
      'supervisory-unit',
      'profile',
      'acknowledge',
      'move',
    ];
    // Filing amendments are rare (4% of teams): a small plan may hold none.
    expect(everyKind.filter((kind) => kind !== 'file' && !kinds.get(kind))).toEqual([]);
    // Filings: teams registered with one, groups promoted with one.
    expect(small.organizations.filter((o) => o.tier === 'team').length).toBeGreaterThan(10);

    const tiers = countBy(small.organizations, (o) => o.tier);
    for (const tier of TIERS) expect(tiers.get(tier)).toBeGreaterThan(0);
    const categories = countBy(small.organizations, (o) => o.category);
    for (const category of CATEGORIES) expect(categories.get(category)).toBeGreaterThan(0);
    const channels = countBy(
      smallCommands.flatMap((c) =>
        c.command.kind === 'change' && c.command.payload.type === 'GrantFunding'
          ? [c.command.payload.channel]
          : [],
      ),
      (channel) => channel,
    );
    expect(FUNDING_CHANNELS.filter((channel) => !channels.get(channel))).toEqual([]);
    const levels = countBy(
      smallCommands.flatMap((c) =>
        c.command.kind === 'change' && c.command.payload.type === 'ReportActivity'
          ? [activityLevel(c.command.payload.participants, DEFAULT_ACTIVITY_LEVEL_THRESHOLDS)]
          : [],
      ),
      (level) => level,
    );
    expect(levels.get('community')).toBeGreaterThan(levels.get('street') ?? 0);
    expect(levels.get('street')).toBeGreaterThan(levels.get('district') ?? 0);
    expect(levels.get('district')).toBeGreaterThan(0);
    expect(small.organizations.some((o) => o.legalForm === 'community-foundation')).toBe(true);
  });

  it(
    'has plausible proportions and community counts near the 12 / 7 targets (district scale)',
    () => {
      const plan = seedPlan(divisions, { scale: 'district', seed: 1 });
      const share = (counts: Map<string, number>, key: string, of: number): number =>
        (counts.get(key) ?? 0) / of;
      const orgs = plan.organizations.length;
      expect(orgs).toBeGreaterThan(6000);
      expect(orgs).toBeLessThan(9000);

      const tiers = countBy(plan.organizations, (o) => o.tier);
      expect(share(tiers, 'group', orgs)).toBeGreaterThan(0.5);
      expect(share(tiers, 'team', orgs)).toBeGreaterThan(0.2);
      expect(share(tiers, 'registered', orgs)).toBeGreaterThan(0.05);
      expect(share(tiers, 'registered', orgs)).toBeLessThan(0.15);
      const categories = countBy(plan.organizations, (o) => o.category);
      const largest = [...categories.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      expect(largest).toBe<Category>('culture-sports');
      for (const category of CATEGORIES) {
        expect(share(categories, category, orgs)).toBeGreaterThan(0.15);
      }
      const dissolved = plan.organizations.filter((o) => o.dissolvedDay !== undefined).length;
      expect(dissolved / orgs).toBeGreaterThan(0.04);
      expect(dissolved / orgs).toBeLessThan(0.12);
      const grants = plan.steps.filter((s) => s.kind === 'fund');
      const channels = countBy(grants, (s) => s.arg ?? '');
      const rare = FUNDING_CHANNELS.filter((c) => share(channels, c, grants.length) < 0.03);
      expect(rare).toEqual([]);
      expect(
        grants.every(
          (s) =>
            s.arg !== ('government-purchase' satisfies FundingChannel) || s.tier === 'registered',
        ),
      ).toBe(true);

      // Active organizations per community at the end, against the policy's targets.
      const perCommunity = countBy(
        finalStates(plan).filter((s) => s.active && s.community !== undefined),
        (s) => s.community ?? '',
      );
      const communities = divisions.data.communities.filter(
        (c) => ['310104', '310151'].some((d) => c.code.startsWith(d)) && c.placeholder !== true,
      );
      for (const [kind, target] of [
        ['urban', 12],
        ['rural', 7],
      ] as const) {
        const ofKind = communities.filter((c) => c.kind === kind);
        const counts = ofKind.map((c) => perCommunity.get(c.code) ?? 0);
        const average = counts.reduce((a, b) => a + b, 0) / counts.length;
        const below = counts.filter((n) => n < target).length / counts.length;
        expect(average).toBeGreaterThan(target * 0.95);
        expect(average).toBeLessThan(target * 1.15);
        // Mostly on target, with a realistic tail below it.
        expect(below).toBeGreaterThan(0.08);
        expect(below).toBeLessThan(0.35);
      }
    },
    SLOW,
  );

  it(
    'oversees a realistic share: annual reports mostly on time, platforms in most but not all streets (district scale)',
    () => {
      const plan = seedPlan(divisions, { scale: 'district', seed: 1 });
      const reports = plan.steps.filter((s) => s.kind === 'annual-report');
      const late = reports.filter((s) => s.day > dayOf(`${Number(s.arg) + 1}-06-30`));
      expect(late.length / reports.length).toBeGreaterThan(0.1);
      expect(late.length / reports.length).toBeLessThan(0.35);
      // Organizations registered from the start: most have reported for 2021–2025, some not every year.
      const registered = finalStates(plan).flatMap((state, i) => {
        const org = plan.organizations[i];
        return state.active && org?.tier === 'registered' && org.registeredDay < dayOf('2022-01-01')
          ? [i]
          : [];
      });
      const years = countBy(reports, (s) => String(s.org));
      const complete = registered.filter((i) => years.get(String(i)) === 5).length;
      const some = registered.filter((i) => (years.get(String(i)) ?? 0) > 0).length;
      expect(some / registered.length).toBeGreaterThan(0.9);
      expect(complete / registered.length).toBeGreaterThan(0.2);
      expect(complete / registered.length).toBeLessThan(0.8);

      const covered = new Set(
        plan.steps
          .filter((s) => s.kind === 'assign-role' && s.arg === 'service-centre')
          .map((s) => plan.organizations[s.org]?.streetCode),
      );
      const streets = [...plan.streets.values()].filter((s) => s.kind !== 'special').length;
      expect(covered.size / streets).toBeGreaterThan(0.4);
      expect(covered.size / streets).toBeLessThan(0.95);

      const kinds = countBy(plan.steps, (s) => s.kind);
      const orgs = plan.organizations.length;
      for (const [kind, min, max] of [
        ['list-abnormal', 10, orgs * 0.02],
        ['spot-check', 20, orgs * 0.05],
        ['grade', 20, orgs * 0.05],
        ['rename', 20, orgs * 0.03],
        ['enter-incubation', 20, orgs * 0.1],
      ] as const) {
        expect(kinds.get(kind)).toBeGreaterThanOrEqual(min);
        expect(kinds.get(kind)).toBeLessThanOrEqual(max);
      }
    },
    SLOW,
  );

  it(
    'moves about 4% of the active groups and teams as their last step, by the receiving level, mostly within the street (district scale)',
    () => {
      const plan = seedPlan(divisions, { scale: 'district', seed: 1 });
      const moves = plan.steps.flatMap((s, n) => (s.kind === 'move' ? [commandAt(plan, n)] : []));
      const movers = finalStates(plan).filter((s) => s.active && s.tier !== 'registered');
      expect(moves.length / movers.length).toBeGreaterThan(0.025);
      expect(moves.length / movers.length).toBeLessThan(0.06);
      const lastSteps = new Map(plan.steps.map((s, n) => [s.org, n]));
      const names = countBy(
        plan.steps.flatMap((s) => {
          const org = plan.organizations[s.org];
          if (!org || (s.kind !== 'register' && s.kind !== 'rename')) return [];
          return [
            `${org.districtCode}:${normalizeName(s.kind === 'rename' ? (s.arg ?? '') : org.name)}`,
          ];
        }),
        (key) => key,
      );
      const renamed = new Map<number, string[]>();
      for (const s of plan.steps)
        if (s.kind === 'rename') renamed.set(s.org, [...(renamed.get(s.org) ?? []), s.arg ?? '']);
      const kinds = countBy(moves, ({ n, step, organization: org, actor, command }) => {
        const to = moveDestination(plan, step);
        const community = divisions.community(to.communityCode);
        expect(lastSteps.get(step.org)).toBe(n);
        expect(step.tier).not.toBe('registered');
        expect(community?.placeholder).toBeUndefined();
        expect(community?.street).toBe(to.streetCode);
        expect(to.communityCode).not.toBe(org.communityCode);
        expect(actor).toMatchObject(
          step.tier === 'group'
            ? { role: 'committee', jurisdiction: to.communityCode }
            : { role: 'street', jurisdiction: to.streetCode },
        );
        expect(command.payload).toEqual({
          type: 'MoveOrganization',
          ...to,
          movedOn: expect.any(String),
        });
        // Its names, at home and renamed, are no one else's in the new district.
        for (const name of [org.name, ...(renamed.get(step.org) ?? [])])
          expect(names.get(`${to.districtCode}:${normalizeName(name)}`) ?? 0).toBeLessThanOrEqual(
            1,
          );
        return to.districtCode !== org.districtCode
          ? 'other-district'
          : to.streetCode !== org.streetCode
            ? 'other-street'
            : 'same-street';
      });
      const share = (kind: string): number => (kinds.get(kind) ?? 0) / moves.length;
      expect(share('same-street')).toBeGreaterThan(0.6);
      expect(share('other-street')).toBeGreaterThan(0.08);
      expect(share('other-district')).toBeGreaterThan(0.01);
      expect(share('other-district')).toBeLessThan(0.15);
    },
    SLOW,
  );

  it('bases every organization in a real community of its street, or at a unit without one (DOMAIN §2, §3)', () => {
    const plan = seedPlan(divisions, { scale: 'district', seed: 1 });
    const wrong = plan.organizations.filter((o) => {
      if (o.communityCode === undefined)
        return o.tier === 'group' || divisions.hasRealCommunities(o.streetCode);
      const community = divisions.community(o.communityCode);
      return community?.street !== o.streetCode || community.placeholder === true;
    });
    expect(wrong).toEqual([]);
    // Not vacuous: registered organizations have one, and some are based at a unit.
    const registered = plan.organizations.filter((o) => o.tier === 'registered');
    expect(
      registered.every(
        (o) => o.communityCode !== undefined || !divisions.hasRealCommunities(o.streetCode),
      ),
    ).toBe(true);
    expect(plan.organizations.some((o) => o.communityCode === undefined)).toBe(true);
  });

  it('issues valid, unique credentials and names', () => {
    const names = new Set<string>();
    for (const org of small.organizations) {
      const key = `${org.districtCode}:${normalizeName(org.name)}`;
      expect(names.has(key)).toBe(false);
      names.add(key);
    }
    const usccs = smallCommands.flatMap((c) => {
      const p = c.command.payload as { uscc?: string };
      return p.uscc === undefined ? [] : [p.uscc];
    });
    expect(usccs.length).toBeGreaterThan(10);
    expect(new Set(usccs).size).toBe(usccs.length);
    for (const uscc of usccs) {
      expect(typeof parseUscc(uscc, (region) => divisions.isShanghaiRegion(region))).toBe('object');
    }
    const filings = smallCommands.flatMap((c) => {
      const p = c.command.payload as { filingNumber?: string };
      return p.filingNumber === undefined ? [] : [`${c.organization.streetCode}:${p.filingNumber}`];
    });
    expect(filings.length).toBeGreaterThan(10);
    expect(new Set(filings).size).toBe(filings.length);
  });

  it("names every funder at the recorder's place or above; welfare lottery only from a district or the city (district scale)", () => {
    const plan = seedPlan(divisions, { scale: 'district', seed: 1 });
    const grants = commandsOf(plan).flatMap(({ actor, command }) =>
      command.kind === 'change' && command.payload.type === 'GrantFunding'
        ? [{ actor, grant: command.payload }]
        : [],
    );
    const wrong = grants.filter(({ actor, grant }) => {
      const { level, code } = grant.funder;
      const parsed = parseUscc(code, () => true);
      const placed =
        level === 'foundation'
          ? typeof parsed === 'object' && parsed.type === '3'
          : level === 'committee'
            ? divisions.encloses(actor.jurisdiction, code)
            : divisions.encloses(code, actor.jurisdiction);
      const lottery =
        grant.channel !== 'welfare-lottery' || level === 'district' || level === 'city';
      const described =
        (grant.purpose === 'other-welfare') === (grant.purposeDescription !== undefined);
      return !placed || !lottery || !described;
    });
    expect(grants.length).toBeGreaterThan(10_000);
    expect(wrong).toEqual([]);
    // Not vacuous: every funder level the seed uses, and other-welfare, occur.
    const levels = new Set(grants.map(({ grant }) => grant.funder.level));
    expect([...levels].sort()).toEqual(['city', 'district', 'foundation', 'street']);
    expect(grants.some(({ grant }) => grant.purpose === 'other-welfare')).toBe(true);
  });

  it('registers community foundations directly: charity, no supervisory unit, USCC of 310000', () => {
    const foundations = smallCommands.flatMap(({ command }) =>
      command.kind === 'register' && command.payload.legalForm === 'community-foundation'
        ? [command.payload]
        : [],
    );
    expect(foundations.length).toBeGreaterThan(0);
    for (const p of foundations) {
      expect(p.supervisoryUnit).toBeUndefined();
      expect(p.category).toBe('charity');
      expect(p.uscc?.slice(2, 8)).toBe('310000');
    }
  });

  it('dates every command on its business day, in order, never after the clock', () => {
    let previous = 0;
    for (const c of smallCommands) {
      const today = shanghaiDate(c.at);
      expect(c.at.getTime()).toBeGreaterThan(previous);
      previous = c.at.getTime();
      expect(today >= '2021-01-04' && today <= '2026-10-30').toBe(true);
      const p = c.command.payload as Record<string, unknown>;
      for (const field of [
        'filedOn',
        'grantedOn',
        'dissolvedOn',
        'cancelledOn',
        'registeredOn',
        'movedOn',
      ]) {
        const value = p[field];
        if (typeof value === 'string') expect(value <= today).toBe(true);
      }
      if (typeof p['foundedOn'] === 'string') expect(p['foundedOn'] <= today).toBe(true);
    }
  });
});

describe('running the small seed', () => {
  const dirs: string[] = [];
  const open = (): SeedTarget => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-spec-'));
    dirs.push(dir);
    return openTestSeedTarget(dir, policy);
  };
  let whole: SeedTarget;
  let first: SeedRunResult;

  beforeAll(async () => {
    whole = open();
    first = await runSeed(small, whole);
  }, SLOW);

  afterAll(async () => {
    await whole.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('sends every command through the command path with none refused', async () => {
    expect(first.refused).toEqual([]);
    expect(first.complete).toBe(true);
    expect(first.sent).toBe(small.steps.length);
    expect(first.registered).toBe(small.organizations.length);
    expect(first.eventsWritten).toBe(await whole.store.headPosition());
    // Registrations reserve names and some commands write two events.
    expect(first.eventsWritten).toBeGreaterThan(small.steps.length);
    // Every stream's hash chain holds.
    const chains = new Map<string, ChainVerifier>();
    for (const event of await allEvents(whole)) {
      let chain = chains.get(event.streamId);
      if (!chain) chains.set(event.streamId, (chain = new ChainVerifier(event.streamId)));
      chain.add(event);
    }
    const broken = [...chains.values()].map((c) => c.result()).filter((r) => !r.ok);
    expect(broken).toEqual([]);
  });

  it("writes the current shape: residents' names sealed (OrganizationRegistered v3), units' plain", async () => {
    const registrations = (await allEvents(whole)).filter(
      (e) => e.type === 'OrganizationRegistered',
    );
    expect(registrations).toHaveLength(small.organizations.length);
    const founders = registrations.flatMap((e) => {
      expect(e.metadata['schemaVersion']).toBe(3);
      return (e.data as { founders: Record<string, unknown>[] }).founders;
    });
    const residents = founders.filter((f) => f['kind'] === 'resident');
    expect(residents.length).toBeGreaterThan(100);
    expect(residents.filter((f) => 'name' in f || !('sealedName' in f))).toEqual([]);
    expect(founders.filter((f) => f['kind'] === 'unit' && typeof f['name'] !== 'string')).toEqual(
      [],
    );
  });

  it('leaves each organization in the writer cache as folding its stream from the log gives it', async () => {
    // The writer folds what it appends into its cache instead of reading it back: a writer with
    // an empty cache reads every stream from the store.
    const reader = new OrganizationWriter(
      whole.store,
      organizationDecider(policy),
      whole.clock,
      whole.vault,
      randomUUID,
    );
    for (const org of small.organizations) {
      const id = seededOrganizationId(small, org);
      const remembered = await whole.writer.load(id);
      expect(remembered.keyed).toBeDefined();
      expect(remembered).toEqual(await reader.load(id));
    }
  });

  it(
    'writes nothing when run again, resuming or from the start',
    async () => {
      const resumed = await runSeed(small, whole);
      expect(resumed).toMatchObject({ eventsWritten: 0, complete: true, refused: [] });
      expect(resumed.startedAt).toBe(small.steps.length - 1);
      const replayed = await runSeed(small, whole, { from: 'start' });
      expect(replayed).toMatchObject({ eventsWritten: 0, complete: true, refused: [] });
      expect(replayed.replayed).toBe(small.steps.length);
      expect(await whole.store.headPosition()).toBe(first.headPosition);
    },
    SLOW,
  );

  it(
    'finishes an interrupted run on a rerun, ending like an uninterrupted run',
    async () => {
      const target = open();
      try {
        const half = Math.floor(small.steps.length / 2);
        const cut = await runSeed(small, target, { stopAfter: half });
        expect(cut).toMatchObject({ complete: false, next: half, sent: half });
        const stopped = await runSeed(small, target, { shouldStop: () => true });
        expect(stopped).toMatchObject({ complete: false, sent: 0, eventsWritten: 0 });

        const rest = await runSeed(small, target);
        expect(rest.refused).toEqual([]);
        expect(rest.complete).toBe(true);
        expect(rest.startedAt).toBe(half - 1);
        expect(rest.replayed).toBe(1);
        expect(rest.headPosition).toBe(first.headPosition);
        expect(await normalizedLog(target)).toEqual(await normalizedLog(whole));

        // Same head state of every organization (personal data aside: each run seals with its own keys).
        const headState = async (t: SeedTarget, id: string): Promise<unknown> => {
          const view = await t.writer.load(id);
          const { contact, founders, ...state } = view.state ?? {
            contact: undefined,
            founders: [],
          };
          return {
            ...state,
            contact: contact === undefined ? 'none' : 'sealed',
            founders: founders.map(sealedAsSuch),
            tip: view.tip.revision,
          };
        };
        for (const org of small.organizations) {
          const id = seededOrganizationId(small, org);
          expect(await headState(target, id)).toEqual(await headState(whole, id));
        }
      } finally {
        await target.close();
      }
    },
    SLOW,
  );
});
