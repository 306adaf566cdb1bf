/**
 * Time travel (DOMAIN §6): `GET /organizations/{id}/state?asOf=YYYY-MM-DD` or `?revision=N`.
 *
 * One organization lives a long life over two simulated weeks — registration, fundings of many
 * sizes, reclassifications, promotions up to registered and demotions back, filings, and its
 * dissolution at the end (65 events) — written through the real HTTP routes while the
 * application's clock is moved day by day (and, on one night, across midnight in Shanghai while
 * it is still the previous day in UTC). Every state the routes return is compared with a fold
 * written here from the list of commands issued, not with the project's evolve.
 */
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import {
  createGroup,
  expectProblem,
  freshUscc,
  send,
  unknownId,
  write,
  type ActorKey,
} from '../support/e2e-kit.js';
import { SteppingClock } from './audit-kit.js';

// ---------------------------------------------------------------------------------------------
// The independent model

interface Snapshot {
  readonly revision: number;
  /** When the event was recorded, and that instant's calendar date in Shanghai (UTC+8). */
  readonly recordedAt: string;
  readonly shanghaiDate: string;
  readonly tier: 'group' | 'team' | 'registered';
  readonly category: string;
  readonly fundingTotalFen: number;
  readonly grantCount: number;
  readonly activityReportCount: number;
  readonly status: 'active' | 'dissolved';
  /** The filing number in force, if any. */
  readonly filing: string | null;
  readonly uscc: string | null;
}
type State = Omit<Snapshot, 'revision' | 'recordedAt' | 'shanghaiDate'>;
/** What each event of a command does to the state, in the order the command records them. */
type Effect = (state: State) => State;

type Command =
  | { kind: 'fund'; amountFen: number; channel?: string; purpose?: string; by?: ActorKey }
  | { kind: 'reclassify'; to: string; by: ActorKey }
  | { kind: 'report'; by: ActorKey }
  | { kind: 'promote-team'; filing: string }
  | { kind: 'file'; filing: string }
  | { kind: 'promote-registered' }
  | { kind: 'demote'; to: 'team' | 'group'; by: ActorKey }
  | { kind: 'dissolve' };

interface Day {
  /** Shanghai calendar date. */
  readonly date: string;
  /** Shanghai local time of the first command (10:00 unless given); then 10 minutes apart. */
  readonly from?: string;
  readonly commands: readonly Command[];
}

const AMOUNTS = [1, 99, 12_345, 1_000_000, 25_000_000, 999_999_999, 50_050, 7, 3_300_000];
let nextAmount = 0;
const fund = (o: Partial<Extract<Command, { kind: 'fund' }>> = {}): Command => ({
  kind: 'fund',
  amountFen: AMOUNTS[nextAmount++ % AMOUNTS.length] ?? 1,
  ...o,
});
const funds = (n: number): Command[] => Array.from({ length: n }, () => fund());

/** Registration happens on 2025-03-03 at 10:00 Shanghai time, before the first day's commands. */
const REGISTERED_ON = '2025-03-03';
const DAYS: readonly Day[] = [
  { date: REGISTERED_ON, from: '10:10', commands: funds(3) },
  {
    date: '2025-03-04',
    commands: [
      { kind: 'reclassify', to: 'charity', by: 'shanghaiXincunCommittee' },
      ...funds(4),
      { kind: 'report', by: 'shanghaiXincunCommittee' },
    ],
  },
  {
    date: '2025-03-05',
    commands: [{ kind: 'promote-team', filing: 'XH-TP-2025-101' }, ...funds(4)],
  },
  {
    date: '2025-03-06',
    commands: [
      { kind: 'file', filing: 'XH-TP-2025-102' },
      { kind: 'reclassify', to: 'life-service', by: 'tianpingStreet' },
      fund({ channel: 'welfare-lottery', purpose: 'elderly', by: 'xuhuiDistrict' }),
      ...funds(3),
    ],
  },
  // 2025-03-07: nothing happens.
  {
    date: '2025-03-08',
    commands: [
      { kind: 'promote-registered' },
      fund({ channel: 'government-purchase', by: 'xuhuiDistrict' }),
      ...funds(3),
    ],
  },
  {
    date: '2025-03-09',
    commands: [{ kind: 'reclassify', to: 'community-affairs', by: 'xuhuiDistrict' }, ...funds(5)],
  },
  {
    date: '2025-03-10',
    commands: [{ kind: 'demote', to: 'team', by: 'xuhuiDistrict' }, ...funds(4)],
  },
  {
    date: '2025-03-11',
    commands: [{ kind: 'file', filing: 'XH-TP-2025-201' }, ...funds(4)],
  },
  {
    date: '2025-03-12',
    commands: [{ kind: 'demote', to: 'group', by: 'tianpingStreet' }, ...funds(3)],
  },
  {
    date: '2025-03-13',
    commands: [
      { kind: 'promote-team', filing: 'XH-TP-2025-301' },
      { kind: 'reclassify', to: 'culture-sports', by: 'tianpingStreet' },
      ...funds(3),
    ],
  },
  // Late on the 14th in Shanghai (15:30 and 15:40 UTC) …
  { date: '2025-03-14', from: '23:30', commands: funds(2) },
  // … and just after midnight: the 15th in Shanghai, still the 14th in UTC (16:30 UTC).
  { date: '2025-03-15', from: '00:30', commands: funds(2) },
  { date: '2025-03-15', commands: [{ kind: 'promote-registered' }, ...funds(3)] },
  { date: '2025-03-16', commands: [...funds(2), { kind: 'dissolve' }] },
];

/** The events a command records, in order, as effects on the state (DOMAIN §3–§5). */
function effectsOf(command: Command, usccGiven: string | undefined): Effect[] {
  switch (command.kind) {
    case 'fund':
      return [
        (s) => ({
          ...s,
          fundingTotalFen: s.fundingTotalFen + command.amountFen,
          grantCount: s.grantCount + 1,
        }),
      ];
    case 'reclassify':
      return [(s) => ({ ...s, category: command.to })];
    case 'report':
      return [(s) => ({ ...s, activityReportCount: s.activityReportCount + 1 })];
    case 'promote-team':
      // The street files the team, then the group becomes a team: two events.
      return [(s) => ({ ...s, filing: command.filing }), (s) => ({ ...s, tier: 'team' })];
    case 'file':
      // A first filing, or an amendment of the one in force: one event either way.
      return [(s) => ({ ...s, filing: command.filing })];
    case 'promote-registered':
      // A registered organization answers to its USCC; the street's filing no longer applies.
      return [(s) => ({ ...s, tier: 'registered', uscc: usccGiven ?? null, filing: null })];
    case 'demote':
      if (command.to === 'team') return [(s) => ({ ...s, tier: 'team', uscc: null })];
      // A team losing its tier loses its filing: cancellation, then demotion.
      return [(s) => ({ ...s, filing: null }), (s) => ({ ...s, tier: 'group' })];
    case 'dissolve':
      return [(s) => ({ ...s, status: 'dissolved' })];
  }
}

const shanghaiDateOf = (instant: number): string =>
  new Date(instant + 8 * 3_600_000).toISOString().slice(0, 10);
const shanghaiInstant = (date: string, time: string): number =>
  Date.parse(`${date}T${time}:00.000+08:00`);

// ---------------------------------------------------------------------------------------------

const clock = new SteppingClock(shanghaiInstant(REGISTERED_ON, '10:00'));
let app: HttpApp;
let id: string;
const snapshots: Snapshot[] = [];

function record(effects: readonly Effect[], revision: number): void {
  const now = clock.now();
  let previous: State | undefined = snapshots.at(-1);
  for (const effect of effects) {
    if (!previous) throw new Error('nothing registered yet');
    const next = effect(previous);
    snapshots.push({
      ...next,
      revision: snapshots.length,
      recordedAt: now.toISOString(),
      shanghaiDate: shanghaiDateOf(now.getTime()),
    });
    previous = next;
  }
  // The model agrees with the write's answer on how many events the command recorded.
  expect(snapshots.length - 1).toBe(revision);
}

async function issue(command: Command): Promise<void> {
  const path = `/organizations/${id}`;
  const today = shanghaiDateOf(clock.now().getTime());
  let res;
  let uscc: string | undefined;
  switch (command.kind) {
    case 'fund': {
      const by = command.by ?? 'tianpingStreet';
      const funder =
        by === 'xuhuiDistrict'
          ? { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui }
          : { name: '天平路街道办事处', level: 'street', code: PLACES.tianping };
      res = await write(app, by, 'POST', `${path}/fundings`, {
        channel: command.channel ?? 'self-governance-fund',
        amountFen: command.amountFen,
        grantedOn: today,
        funder,
        programme: `${today}社区项目`,
        ...(command.purpose !== undefined && { purpose: command.purpose }),
      });
      break;
    }
    case 'reclassify':
      res = await write(app, command.by, 'POST', `${path}/reclassifications`, {
        category: command.to,
        criteria: '民政部社区社会组织统计口径',
        reason: `${today}复核`,
      });
      break;
    case 'report':
      res = await write(app, command.by, 'POST', `${path}/activity-reports`, {
        title: '邻里节',
        kind: 'culture',
        startsOn: today,
        endsOn: today,
        communityCode: PLACES.shanghaiXincun,
        participants: 40,
      });
      break;
    case 'promote-team':
      res = await write(app, 'tianpingStreet', 'POST', `${path}/promotions`, {
        toTier: 'team',
        filingNumber: command.filing,
        filedOn: today,
      });
      break;
    case 'file':
      res = await write(app, 'tianpingStreet', 'POST', `${path}/filings`, {
        filingNumber: command.filing,
        filedOn: today,
      });
      break;
    case 'promote-registered':
      uscc = freshUscc('social-service-institution');
      res = await write(app, 'xuhuiDistrict', 'POST', `${path}/promotions`, {
        toTier: 'registered',
        legalForm: 'social-service-institution',
        uscc,
        registeredOn: today,
      });
      break;
    case 'demote':
      res = await write(app, command.by, 'POST', `${path}/demotions`, {
        toTier: command.to,
        reason: '规模缩小，调整层级',
      });
      break;
    case 'dissolve':
      res = await write(app, 'xuhuiDistrict', 'POST', `${path}/dissolution`, {
        reason: '成员流失，自愿注销',
        dissolvedOn: today,
        kind: 'deregistered',
      });
      break;
  }
  record(effectsOf(command, uscc), res.body.revision as number);
}

beforeAll(async () => {
  app = await startHttpApp({ clock });
  ({ id } = await createGroup(app, { category: 'culture-sports', foundedOn: '2024-05-01' }));
  snapshots.push({
    revision: 0,
    recordedAt: clock.now().toISOString(),
    shanghaiDate: REGISTERED_ON,
    tier: 'group',
    category: 'culture-sports',
    fundingTotalFen: 0,
    grantCount: 0,
    activityReportCount: 0,
    status: 'active',
    filing: null,
    uscc: null,
  });
  for (const day of DAYS) {
    clock.set(new Date(shanghaiInstant(day.date, day.from ?? '10:00')).toISOString());
    for (const command of day.commands) {
      await issue(command);
      clock.advance(10 * 60_000);
    }
  }
}, 60_000);

afterAll(async () => {
  await app.close();
});

// ---------------------------------------------------------------------------------------------

/** As the auditor unless another caller is named (`null`: no token at all). */
const stateAt = (query: string, actor: ActorKey | null = 'auditor') =>
  send(app, actor ?? undefined, 'GET', `/organizations/${id}/state?${query}`);

/** The fields the model predicts, read from an answer. */
function observed(body: Json): Omit<Snapshot, 'shanghaiDate'> {
  return {
    revision: body.revision,
    recordedAt: body.asOf?.recordedAt,
    tier: body.tier,
    category: body.category,
    fundingTotalFen: body.fundingTotalFen,
    grantCount: body.grantCount,
    activityReportCount: body.activityReportCount,
    status: body.status,
    filing: body.filing?.number ?? null,
    uscc: body.uscc ?? null,
  };
}
const expected = ({ shanghaiDate: _date, ...rest }: Snapshot): Omit<Snapshot, 'shanghaiDate'> =>
  rest;

/** The last snapshot recorded by the end of a Shanghai day. */
const asOfModel = (date: string): Snapshot | undefined =>
  snapshots.filter((s) => s.shanghaiDate <= date).at(-1);

const daysBetween = (from: string, to: string): string[] => {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  return days;
};

describe('a 65-event history over two weeks', () => {
  it('was written as modelled: 65 events, dissolved at the end', () => {
    expect(snapshots.length).toBe(65);
    expect(snapshots.at(-1)).toMatchObject({ status: 'dissolved', shanghaiDate: '2025-03-16' });
    expect(new Set(snapshots.map((s) => s.shanghaiDate)).size).toBe(13);
  });

  it('?revision=N, for every revision, is the fold of the first N+1 events', async () => {
    const answers = await Promise.all(snapshots.map((s) => stateAt(`revision=${s.revision}`)));
    for (const [revision, res] of answers.entries()) {
      expect({ revision, status: res.status }).toEqual({ revision, status: 200 });
      expect(observed(res.body)).toEqual(expected(snapshots[revision] as Snapshot));
      expect(res.body.asOf).toEqual(
        expect.objectContaining({ revision, position: expect.any(Number) }),
      );
    }
  });

  it('?asOf=DATE, for every day from registration to long after, is the state at the end of that day in Shanghai', async () => {
    const dates = [...daysBetween(REGISTERED_ON, '2025-03-18'), '2026-01-01', '2099-12-31'];
    for (const date of dates) {
      const model = asOfModel(date);
      if (!model) throw new Error(`no state on ${date}`);
      const res = await stateAt(`asOf=${date}`);
      expect({ date, status: res.status }).toEqual({ date, status: 200 });
      expect({ date, state: observed(res.body) }).toEqual({ date, state: expected(model) });
      expect(res.body.asOf).toEqual(
        expect.objectContaining({ asOf: date, recordedAt: model.recordedAt }),
      );
    }
  });

  it('a day without events answers the state of the day before (2025-03-07 = end of 2025-03-06)', async () => {
    const [quiet, before] = await Promise.all([
      stateAt('asOf=2025-03-07'),
      stateAt('asOf=2025-03-06'),
    ]);
    expect(quiet.body.revision).toBe(before.body.revision);
    expect(observed(quiet.body)).toEqual(expected(asOfModel('2025-03-06') as Snapshot));
  });

  it('days are Shanghai days: the grants recorded at 00:30 on the 15th (16:30 UTC on the 14th) are not in asOf=2025-03-14', async () => {
    const fourteenth = asOfModel('2025-03-14') as Snapshot;
    const afterMidnight = snapshots.filter((s) => s.recordedAt.startsWith('2025-03-14T16:'));
    expect(afterMidnight.map((s) => s.shanghaiDate)).toEqual(['2025-03-15', '2025-03-15']);
    const late = snapshots.filter((s) => s.recordedAt.startsWith('2025-03-14T15:'));
    expect(late.map((s) => s.shanghaiDate)).toEqual(['2025-03-14', '2025-03-14']);
    const res = await stateAt('asOf=2025-03-14');
    expect(observed(res.body)).toEqual(expected(fourteenth));
    expect(res.body.revision).toBe(late.at(-1)?.revision);
    expect(res.body.grantCount).toBe((afterMidnight[0]?.grantCount ?? 0) - 1);
  });

  it('the dates and revisions where the organization changed tier, category or status', async () => {
    // Spot checks written out by hand, beside the model.
    const spots: [string, Partial<Observed>][] = [
      ['asOf=2025-03-03', { tier: 'group', category: 'culture-sports', grantCount: 3 }],
      ['asOf=2025-03-04', { tier: 'group', category: 'charity', grantCount: 7 }],
      ['asOf=2025-03-05', { tier: 'team', filing: 'XH-TP-2025-101' }],
      ['asOf=2025-03-06', { tier: 'team', category: 'life-service', filing: 'XH-TP-2025-102' }],
      ['asOf=2025-03-08', { tier: 'registered', filing: null }],
      ['asOf=2025-03-10', { tier: 'team', category: 'community-affairs', uscc: null }],
      ['asOf=2025-03-12', { tier: 'group', filing: null }],
      ['asOf=2025-03-16', { tier: 'registered', category: 'culture-sports', status: 'dissolved' }],
      ['revision=64', { status: 'dissolved', grantCount: 47 }],
      ['revision=63', { status: 'active' }],
    ];
    for (const [query, fields] of spots) {
      const res = await stateAt(query);
      expect({ query, state: observed(res.body) }).toEqual({
        query,
        state: expect.objectContaining(fields),
      });
    }
    const total = snapshots.at(-1)?.fundingTotalFen;
    expect((await stateAt('revision=64')).body.fundingTotalFen).toBe(total);
  });
});

type Observed = ReturnType<typeof observed>;

describe('points outside the history, and bad queries', () => {
  it('asOf before the registration day → 404', async () => {
    for (const date of ['2025-03-02', '2000-01-01']) {
      expectProblem(await stateAt(`asOf=${date}`), 404);
    }
  });

  it('a revision beyond the end → 404', async () => {
    for (const revision of [65, 66, 1_000_000]) {
      expectProblem(await stateAt(`revision=${revision}`), 404);
    }
  });

  it('an unknown organization → 404', async () => {
    const res = await send(app, 'auditor', 'GET', `/organizations/${unknownId()}/state?revision=0`);
    expectProblem(res, 404);
  });

  it('both asOf and revision, or neither → 400', async () => {
    expectProblem(await stateAt('asOf=2025-03-05&revision=3'), 400);
    expectProblem(await stateAt(''), 400);
  });

  it('an impossible date or a negative revision → 400', async () => {
    expectProblem(await stateAt('asOf=2025-02-30'), 400);
    expectProblem(await stateAt('asOf=2025-3-5'), 400);
    expectProblem(await stateAt('revision=-1'), 400);
    expectProblem(await stateAt('revision=1.5'), 400);
  });
});

describe('who may travel in time', () => {
  it.each([
    'auditor',
    'city',
    'xuhuiDistrict',
    'tianpingStreet',
    'shanghaiXincunCommittee',
  ] as const)('%s reads the state (the auditor and the levels it belongs to)', async (actor) => {
    const res = await stateAt('revision=10', actor);
    expect(res.status).toBe(200);
    expect(observed(res.body)).toEqual(expected(snapshots[10] as Snapshot));
  });

  it.each(['pudongDistrict', 'hunanStreet', 'qingyuCommittee'] as const)(
    '%s (elsewhere) → 403',
    async (actor) => {
      expectProblem(await stateAt('asOf=2025-03-10', actor), 403);
    },
  );

  it('no token → 401', async () => {
    expectProblem(await stateAt('asOf=2025-03-10', null), 401);
  });
});
