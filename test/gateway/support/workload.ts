/**
 * A burst of writes through the real command path (OrganizationWriter on a DATA_DIR's stores):
 * organizations of 徐汇区 天平路街道 whose histories together hold every one of the event
 * types, interleaved across organizations, with recognizable personal data (contact names and
 * phones, founders' names) that must never reach Kafka.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '../../../src/adapters/sqlite/sqlite-event-store.js';
import { openTestVault } from '../../support/personal-data-kek.js';
import { loadDivisions } from '../../../src/divisions/load-divisions.js';
import type { CommandContext } from '../../../src/event-sourcing/command-context.js';
import { organizationDecider } from '../../../src/organizations/domain/organization.decider.js';
import {
  OrganizationWriter,
  type ChangePayload,
  type RegistrationPayload,
} from '../../../src/organizations/organization-writer.js';
import type { Actor } from '../../../src/organizations/domain/organization.types.js';
import { DEFAULT_ACTIVITY_LEVEL_THRESHOLDS } from '../../../src/organizations/domain/rules/activity-level.js';
import { composeUscc } from '../../../src/organizations/domain/rules/uscc.js';
import { systemClock } from '../../../src/system.js';
import { shanghaiDate } from '../../../src/event-sourcing/clock.js';

/** Personal data written through the workload: none of it may appear on the topic. */
export const PERSONAL_DATA = {
  contactNames: ['王晓测试联系人', '李梅测试联系人'],
  phones: ['13800138000', '13900139000'],
  founderNames: ['赵创始人测试', '钱发起单位测试'],
} as const;
export const ALL_PERSONAL_VALUES: readonly string[] = [
  ...PERSONAL_DATA.contactNames,
  ...PERSONAL_DATA.phones,
  ...PERSONAL_DATA.founderNames,
];

const DISTRICT = '310104'; // 徐汇区
const STREET = '310104003'; // 天平路街道
const COMMUNITIES = ['310104003001', '310104003002']; // 上海新村, 庆余
const street: Actor = { id: 'gw-street', role: 'street', jurisdiction: STREET };
const district: Actor = { id: 'gw-district', role: 'district', jurisdiction: DISTRICT };
const committee = (community: string): Actor => ({
  id: `gw-committee-${community}`,
  role: 'committee',
  jurisdiction: community,
});
const contact = (n: number) => ({
  name: PERSONAL_DATA.contactNames[n % 2] ?? '',
  phone: PERSONAL_DATA.phones[n % 2] ?? '',
});
const founders = [
  { kind: 'resident' as const, name: PERSONAL_DATA.founderNames[0] },
  { kind: 'unit' as const, name: PERSONAL_DATA.founderNames[1] },
];
const streetFunder = { name: '天平路街道办事处', level: 'street' as const, code: STREET };
const districtFunder = { name: '徐汇区民政局', level: 'district' as const, code: DISTRICT };

function activity(
  community: string,
  participants: number,
  n: number,
  reportId = randomUUID(),
): ChangePayload {
  return {
    type: 'ReportActivity',
    reportId,
    title: `邻里互助活动第${n}场`,
    kind: 'volunteer-service',
    startsOn: '2025-05-01',
    endsOn: '2025-05-02',
    communityCode: community,
    participants,
  };
}

function grant(
  amountFen: number,
  funder: typeof streetFunder | typeof districtFunder,
  extra: Partial<Extract<ChangePayload, { type: 'GrantFunding' }>> = {},
): ChangePayload {
  return {
    type: 'GrantFunding',
    grantId: randomUUID(),
    channel: 'subsidy',
    amountFen,
    grantedOn: '2025-06-01',
    funder,
    programme: '社区服务项目',
    ...extra,
  };
}

/** What a step may depend on: earlier answers of its organization, and the organization before it. */
interface WorkloadContext {
  readonly lastNotice?: string;
  readonly lastIncubation?: string;
  /** The organization before this one (an incubation base for a group after a social group). */
  readonly previous?: string;
}

/** Nothing to do (already so): a step kept in place when its organization has no base before it. */
const NOTHING: ChangePayload = { type: 'ChangePartyOrganization', status: 'none' };

type Step =
  | { readonly register: RegistrationPayload; readonly actor: Actor }
  | {
      readonly change: ChangePayload | ((ctx: WorkloadContext) => ChangePayload);
      readonly actor: Actor;
    };

/** The history of organization `i` (its kind is i % 4). */
function history(i: number): Step[] {
  const community = COMMUNITIES[i % 2] ?? '';
  const name = `天平路网关测试组织${i}号`;
  switch (i % 4) {
    case 0: {
      // A group with a contact: promoted to team, filed again, its filing cancelled (demoted);
      // its report acknowledged; renamed, its size facts and unit recorded, moved next door.
      const c = committee(community);
      const reportId = randomUUID();
      const next = COMMUNITIES[(i + 1) % 2] ?? '';
      return [
        {
          actor: c,
          register: {
            name,
            category: 'culture-sports',
            tier: 'group',
            districtCode: DISTRICT,
            streetCode: STREET,
            communityCode: community,
            foundedOn: '2019-04-01',
            founders,
            contact: contact(i),
          },
        },
        { actor: c, change: activity(community, 40, i, reportId) },
        {
          actor: c,
          // A report is made on the day it is recorded; received the same day.
          change: {
            type: 'AcknowledgeActivityReport',
            reportId,
            acknowledgedOn: shanghaiDate(systemClock.now()),
          },
        },
        { actor: street, change: grant(250_000 + i, streetFunder) },
        {
          actor: c,
          change: {
            type: 'RecordEvaluation',
            period: '2024',
            evaluator: 'committee',
            grade: 'excellent',
          },
        },
        { actor: c, change: { type: 'ChangePartyOrganization', status: 'liaison' } },
        {
          actor: c,
          change: { type: 'IssueCorrectionNotice', noticeId: randomUUID(), reason: '活动记录不全' },
        },
        {
          actor: c,
          change: ({ lastNotice }) => ({
            type: 'ResolveCorrectionNotice',
            noticeId: lastNotice ?? '',
            note: '已补齐记录',
          }),
        },
        {
          actor: street,
          change: {
            type: 'PromoteTier',
            toTier: 'team',
            filingNumber: `XH-TP-2025-${100 + i}`,
            filedOn: '2025-03-01',
          },
        },
        {
          actor: street,
          change: {
            type: 'FileTeam',
            filingNumber: `XH-TP-2025-${500 + i}`,
            filedOn: '2025-03-02',
          },
        },
        {
          actor: street,
          change: {
            type: 'CancelFiling',
            reason: '年度清理：连续一年无活动',
            cancelledOn: '2025-09-01',
          },
        },
        { actor: c, change: { type: 'UpdateContact', contact: contact(i + 1) } },
        { actor: c, change: { type: 'ErasePersonalData' } },
        {
          actor: c,
          change: { type: 'RenameOrganization', name: `${name}更名`, renamedOn: '2025-09-02' },
        },
        {
          actor: c,
          change: { type: 'UpdateProfile', members: 12, volunteers: 3, venue: '睦邻点' },
        },
        { actor: c, change: { type: 'ChangeSupervisoryUnit', unit: '天平路街道办事处' } },
        {
          actor: committee(next),
          change: {
            type: 'MoveOrganization',
            districtCode: DISTRICT,
            streetCode: STREET,
            communityCode: next,
            movedOn: '2025-09-03',
          },
        },
      ];
    }
    case 1:
      // A team registered with its filing, promoted to registered, demoted again, dissolved.
      return [
        {
          actor: street,
          register: {
            name,
            category: 'life-service',
            tier: 'team',
            filingNumber: `XH-TP-2024-${i}`,
            filedOn: '2024-11-01',
            districtCode: DISTRICT,
            streetCode: STREET,
            communityCode: community,
            foundedOn: '2018-09-01',
            founders,
          },
        },
        {
          actor: street,
          change: {
            type: 'Reclassify',
            category: 'charity',
            criteria: '民政部最新统计口径',
            reason: '以助老服务为主',
          },
        },
        { actor: street, change: activity(community, 150, i) },
        {
          actor: district,
          change: {
            type: 'PromoteTier',
            toTier: 'registered',
            legalForm: 'social-service-institution',
            uscc: composeUscc(`52${DISTRICT}`, `MJ${String(700_000 + i).padStart(6, '0')}`),
          },
        },
        {
          actor: district,
          change: grant(3_000_000 + i, districtFunder, { channel: 'government-purchase' }),
        },
        {
          actor: district,
          change: grant(120_000, districtFunder, {
            channel: 'welfare-lottery',
            purpose: 'elderly',
          }),
        },
        {
          actor: street,
          change: {
            type: 'RecordEvaluation',
            period: '2025-H1',
            evaluator: 'street',
            grade: 'good',
          },
        },
        {
          actor: district,
          change: { type: 'DemoteTier', toTier: 'team', reason: '登记证书到期未换' },
        },
        {
          actor: street,
          change: {
            type: 'Dissolve',
            kind: 'deregistered',
            reason: '成员自愿解散',
            dissolvedOn: '2025-10-01',
          },
        },
      ];
    case 2:
      // A registered social group of the district, with a contact later erased.
      return [
        {
          actor: district,
          register: {
            name,
            category: 'community-affairs',
            tier: 'registered',
            legalForm: 'social-group',
            uscc: composeUscc(`51${DISTRICT}`, `MJ${String(800_000 + i).padStart(6, '0')}`),
            districtCode: DISTRICT,
            streetCode: STREET,
            communityCode: community,
            foundedOn: '2015-01-15',
            registeredOn: '2015-03-01',
            founders,
            supervisoryUnit: '徐汇区民政局',
            contact: contact(i),
          },
        },
        {
          actor: district,
          change: { type: 'AssignSupportRole', role: 'incubation-base', streets: [STREET] },
        },
        {
          actor: district,
          change: { type: 'AssignSupportRole', role: 'federation', streets: [STREET] },
        },
        { actor: district, change: { type: 'RevokeSupportRole', role: 'federation' } },
        { actor: district, change: { type: 'UpdateContact', contact: contact(i + 1) } },
        { actor: district, change: activity(community, 600, i) },
        { actor: district, change: grant(500_000, districtFunder) },
        {
          actor: street,
          change: grant(80_000 + i, streetFunder, { channel: 'self-governance-fund' }),
        },
        {
          actor: district,
          change: grant(1_000_000, districtFunder, { channel: 'venture-philanthropy' }),
        },
        {
          actor: street,
          change: {
            type: 'RecordEvaluation',
            period: '2025-Q2',
            evaluator: 'residents',
            grade: 'excellent',
          },
        },
        {
          actor: district,
          change: {
            type: 'RecordAnnualReport',
            year: 2024,
            members: 40 + i,
            incomeFen: 8_000_000,
            expenditureFen: 7_500_000,
            activities: 12,
            recordedOn: '2025-07-15',
          },
        },
        {
          actor: district,
          change: {
            type: 'RecordSpotCheck',
            checkId: randomUUID(),
            noticeId: randomUUID(),
            checkedOn: '2025-03-10',
            result: 'rectify',
            findings: '活动台账不全',
            deadline: '2025-04-30',
          },
        },
        { actor: district, change: { type: 'AwardGrade', grade: '3A', awardedOn: '2025-01-15' } },
        {
          actor: district,
          change: {
            type: 'ListAbnormal',
            reason: '未按时报送年度工作报告',
            listedOn: '2025-07-01',
          },
        },
        { actor: district, change: { type: 'ClearAbnormal', clearedOn: '2025-07-16' } },
        {
          actor: district,
          change: { type: 'IssueCorrectionNotice', noticeId: randomUUID(), reason: '年报逾期' },
        },
        { actor: district, change: { type: 'ChangePartyOrganization', status: 'own-branch' } },
        { actor: district, change: { type: 'ErasePersonalData' } },
        {
          actor: district,
          change: {
            type: 'Dissolve',
            kind: 'deregistered',
            reason: '完成使命，依章程注销',
            dissolvedOn: '2025-12-01',
          },
        },
      ];
    default: {
      // A group without a contact, with many activity reports.
      const c = committee(community);
      return [
        {
          actor: c,
          register: {
            name,
            category: 'charity',
            tier: 'group',
            districtCode: DISTRICT,
            streetCode: STREET,
            communityCode: community,
            foundedOn: '2022-02-02',
            founders,
          },
        },
        { actor: c, change: activity(community, 12, i) },
        { actor: c, change: activity(community, 30, i + 1) },
        // Incubated by the social group before it (which holds the base role by now), graduated.
        {
          actor: street,
          change: ({ previous }) =>
            previous === undefined
              ? NOTHING
              : {
                  type: 'EnterIncubation',
                  incubationId: randomUUID(),
                  baseId: previous,
                  enteredOn: '2025-03-01',
                },
        },
        {
          actor: street,
          change: ({ lastIncubation }) =>
            lastIncubation === undefined
              ? NOTHING
              : {
                  type: 'EndIncubation',
                  incubationId: lastIncubation,
                  outcome: 'graduated',
                  endedOn: '2025-09-01',
                },
        },
        { actor: street, change: grant(9_900, streetFunder) },
        { actor: c, change: activity(community, 99, i + 2) },
        {
          actor: c,
          change: {
            type: 'Reclassify',
            category: 'culture-sports',
            criteria: '民政部最新统计口径',
            reason: '以文体活动为主',
          },
        },
        { actor: c, change: activity(community, 45, i + 3) },
        { actor: street, change: grant(19_900, streetFunder, { channel: 'community-foundation' }) },
        {
          actor: c,
          change: {
            type: 'RecordEvaluation',
            period: '2025-07',
            evaluator: 'residents',
            grade: 'pass',
          },
        },
        { actor: c, change: { type: 'ChangePartyOrganization', status: 'joint-branch' } },
      ];
    }
  }
}

export interface WorkloadTarget {
  readonly writer: OrganizationWriter;
  readonly store: SqliteEventStore;
  close(): Promise<void>;
}

/** Opens the writer on a DATA_DIR's files, as the server does (another process may run on them). */
export function openWorkloadTarget(dataDir: string): WorkloadTarget {
  mkdirSync(dataDir, { recursive: true });
  const store = SqliteEventStore.open(join(dataDir, 'events.sqlite'), { synchronous: 'NORMAL' });
  const vault = openTestVault(dataDir);
  const writer = new OrganizationWriter(
    store,
    organizationDecider({
      divisions: loadDivisions(),
      activityLevels: DEFAULT_ACTIVITY_LEVEL_THRESHOLDS,
      teamsInSpecialUnits: true,
      governmentPurchaseRequiresRegistered: true,
      maxGrantFen: 1_000_000_000,
    }),
    systemClock,
    vault,
    randomUUID,
  );
  return {
    writer,
    store,
    close: async () => {
      await store.close();
      await vault.close();
    },
  };
}

export interface WorkloadOptions {
  /** Organizations (default 20: about 220 events). */
  readonly organizations?: number;
  /** Index of the first organization (names stay unique when a test runs two bursts). */
  readonly first?: number;
  /** Called after each command with the count so far and the total (e.g. to start an outage). */
  readonly afterCommand?: (done: number, total: number) => Promise<void> | void;
  /** Called with the time one command took, in ms. */
  readonly onLatency?: (ms: number) => void;
}

export interface WorkloadResult {
  readonly organizations: readonly string[];
  readonly commands: number;
}

/** Runs the histories, one step of every organization after the other (interleaved). */
export async function runWorkload(
  writer: OrganizationWriter,
  options: WorkloadOptions = {},
): Promise<WorkloadResult> {
  const count = options.organizations ?? 20;
  const first = options.first ?? 0;
  const histories = Array.from({ length: count }, (_, k) => history(first + k));
  const total = histories.reduce((sum, h) => sum + h.length, 0);
  const ids: string[] = [];
  const notices = new Map<number, string>();
  const incubations = new Map<number, string>();
  let done = 0;
  const longest = Math.max(...histories.map((h) => h.length));
  for (let step = 0; step < longest; step++) {
    for (let k = 0; k < count; k++) {
      const s = histories[k]?.[step];
      if (!s) continue;
      const context: CommandContext = {
        actor: s.actor,
        commandId: randomUUID(),
        correlationId: randomUUID(),
      };
      const started = performance.now();
      if ('register' in s) {
        ids[k] = (await writer.register(s.register, context)).id;
      } else {
        const lastNotice = notices.get(k);
        const lastIncubation = incubations.get(k);
        const previous = ids[k - 1];
        const payload =
          typeof s.change === 'function'
            ? s.change({
                ...(lastNotice !== undefined && { lastNotice }),
                ...(lastIncubation !== undefined && { lastIncubation }),
                ...(previous !== undefined && { previous }),
              })
            : s.change;
        const id = ids[k] ?? '';
        const answer = await writer.change(id, payload, context);
        if (answer.noticeId !== undefined) notices.set(k, answer.noticeId);
        if (answer.incubationId !== undefined) incubations.set(k, answer.incubationId);
      }
      options.onLatency?.(performance.now() - started);
      done += 1;
      await options.afterCommand?.(done, total);
    }
  }
  return { organizations: ids, commands: done };
}
