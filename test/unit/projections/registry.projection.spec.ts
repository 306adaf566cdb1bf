/**
 * DOMAIN §5 "Disclosure registry (信息公开)": one public record per organization, folded from its
 * events through the pure `evolve`. Exact documents; no personal data.
 */
import {
  registryProjection,
  type RegistryEntry,
} from '../../../projections/registry.projection.js';
import { ORGANIZATION_EVENT_TYPES } from '../../../src/gateway/contract/event-schemas.js';
import type { OrganizationEvent } from '../../../src/organizations/domain/organization.events.js';
import { PLACES, USCC, divisions } from '../../support/fixtures.js';
import { EventLog, fold, logOf } from './projection-harness.js';
import {
  activityReported,
  contactUpdated,
  demoted,
  dissolved,
  evaluated,
  filed,
  filingAmended,
  filingCancelled,
  foundationRegistered,
  fundingGranted,
  groupRegistered,
  noticeIssued,
  partyChanged,
  promoted,
  reclassified,
  socialGroupRegistered,
  teamRegistered,
} from '../../support/events.js';

const projection = registryProjection(divisions);

const A = 'org-a';
const B = 'org-b';

function entryOf(...events: Parameters<typeof logOf>): RegistryEntry | undefined {
  return fold(projection, logOf(...events)).get(A);
}

/** The record of the group of groupRegistered(A) right after its registration. */
const GROUP: RegistryEntry = {
  id: A,
  name: '上海新村书画小组',
  category: 'culture-sports',
  tier: 'group',
  legalForm: null,
  uscc: null,
  filingNumber: null,
  districtCode: PLACES.xuhui,
  districtName: '徐汇区',
  streetCode: PLACES.tianping,
  streetName: '天平路街道',
  communityCode: PLACES.shanghaiXincun,
  communityName: '上海新村居委会',
  status: 'active',
  foundedOn: '2020-03-01',
  registeredOn: null,
  filedOn: null,
  recordedOn: '2021-01-10',
  tierSince: '2021-01-10',
  activityScope: 'community',
  dissolvedOn: null,
  dissolutionKind: null,
  mergedInto: null,
  supervisoryUnit: null,
  partyOrganization: 'none',
  fundingByYear: {},
  fundingTotalFen: 0,
  grantCount: 0,
  activityCount: 0,
  latestEvaluation: null,
  annualReport: null,
  grade: null,
  abnormal: null,
  profile: null,
  supportRoles: [],
  incubation: null,
};

const PUBLIC_KEYS = [
  'abnormal',
  'annualReport',
  'grade',
  'activityCount',
  'activityScope',
  'filedOn',
  'recordedOn',
  'tierSince',
  'category',
  'communityCode',
  'communityName',
  'districtCode',
  'districtName',
  'dissolutionKind',
  'dissolvedOn',
  'filingNumber',
  'foundedOn',
  'fundingByYear',
  'fundingTotalFen',
  'grantCount',
  'id',
  'incubation',
  'latestEvaluation',
  'legalForm',
  'mergedInto',
  'name',
  'partyOrganization',
  'profile',
  'registeredOn',
  'status',
  'streetCode',
  'streetName',
  'supervisoryUnit',
  'supportRoles',
  'tier',
  'uscc',
].sort();

describe('registry projection: definition', () => {
  it('is named registry, version 4, and handles the events that change a public record', () => {
    expect(projection.name).toBe('registry');
    // 2: business dates and the activity scope; 3: dissolution kinds; 4: oversight fields,
    // changes (更名, 迁移…), support roles and incubation.
    expect(projection.version).toBe(4);
    expect([...projection.handles].sort()).toEqual(
      [
        'AbnormalCleared',
        'AbnormalListed',
        'AnnualReportRecorded',
        'GradeAwarded',
        'ActivityReported',
        'EvaluationRecorded',
        'FilingAmended',
        'FilingCancelled',
        'FundingGranted',
        'IncubationEnded',
        'IncubationEntered',
        'OrganizationDissolved',
        'OrganizationFiled',
        'OrganizationReclassified',
        'OrganizationRegistered',
        'PartyOrganizationChanged',
        'SupportRoleAssigned',
        'SupportRoleRevoked',
        'TierDemoted',
        'TierPromoted',
        'OrganizationRenamed',
        'OrganizationMoved',
        'SupervisoryUnitChanged',
        'ProfileUpdated',
      ].sort(),
    );
    // Personal data and internal supervision never reach the public record.
    for (const type of [
      'ContactUpdated',
      'PersonalDataErased',
      'CorrectionNoticeIssued',
      'SpotCheckRecorded',
    ])
      expect(projection.handles).not.toContain(type);
    for (const type of projection.handles) expect(ORGANIZATION_EVENT_TYPES).toContain(type);
  });

  it('indexes the fields the registry filters and sorts on, then the id that breaks ties', () => {
    expect(projection.indexes).toEqual(
      expect.arrayContaining([
        ['districtCode', 'name', 'id'],
        ['streetCode', 'name', 'id'],
        ['communityCode', 'name', 'id'],
        ['category', 'name', 'id'],
        ['tier', 'name', 'id'],
        ['status', 'name', 'id'],
        ['name', 'id'],
      ]),
    );
  });

  it('an event touches exactly the record of its organization', () => {
    const [registered, grant] = logOf(
      groupRegistered(A),
      fundingGranted(A, { grantId: 'g', amountFen: 1, grantedOn: '2024-01-01' }),
    );
    expect(projection.ids(registered!)).toEqual([A]);
    expect(projection.ids(grant!)).toEqual([A]);
  });

  it('keeps no rollups', () => {
    expect('rollup' in projection).toBe(false);
  });
});

describe('registry projection: registration of each tier', () => {
  it('an activity group: names of district, street and community, no credentials', () => {
    expect(entryOf(groupRegistered(A))).toEqual(GROUP);
  });

  it('a team registered with its filing carries the filing number', () => {
    expect(entryOf(...teamRegistered(A, {}, 'XH-TP-2022-003'))).toEqual({
      ...GROUP,
      name: '天平路街道夕阳红舞蹈队',
      tier: 'team',
      filingNumber: 'XH-TP-2022-003',
      filedOn: '2022-04-01',
      recordedOn: null,
      tierSince: '2022-04-01',
      activityScope: 'street',
    });
  });

  it('a registered social group: legal form, USCC, supervisory unit, no community', () => {
    expect(entryOf(socialGroupRegistered(A))).toEqual({
      ...GROUP,
      name: '徐汇区天平社区睦邻协会',
      category: 'community-affairs',
      tier: 'registered',
      legalForm: 'social-group',
      uscc: USCC.socialGroupXuhui,
      communityCode: null,
      communityName: null,
      foundedOn: '2019-05-01',
      registeredOn: '2021-02-01',
      recordedOn: null,
      tierSince: '2021-02-01',
      activityScope: 'district',
      supervisoryUnit: '天平路街道办事处',
    });
  });

  it('a community foundation', () => {
    expect(entryOf(foundationRegistered(A))).toEqual({
      ...GROUP,
      name: '上海市徐汇区天平社区基金会',
      category: 'charity',
      tier: 'registered',
      legalForm: 'community-foundation',
      uscc: USCC.foundationCity,
      communityCode: null,
      communityName: null,
      foundedOn: '2019-05-01',
      registeredOn: '2021-02-01',
      recordedOn: null,
      tierSince: '2021-02-01',
      activityScope: 'district',
    });
  });

  it('an organization of another district and a special unit get their own names', () => {
    const pudong = fold(
      projection,
      logOf(
        groupRegistered(A, {
          districtCode: PLACES.pudong,
          streetCode: PLACES.weifang,
          communityCode: PLACES.weifangYicun,
        }),
        groupRegistered(B, {
          streetCode: PLACES.caohejing,
          communityCode: PLACES.caohejingCommunity,
        }),
      ),
    );
    expect(pudong.get(A)).toMatchObject({
      districtName: '浦东新区',
      streetName: '潍坊新村街道',
      communityName: '潍坊一村居委会',
    });
    expect(pudong.get(B)).toMatchObject({
      districtName: '徐汇区',
      streetName: '漕河泾新兴技术开发区',
      communityName: '漕河泾新兴技术开发区虚拟社区',
    });
  });
});

describe('registry projection: no personal data (DOMAIN §7)', () => {
  it.each([
    ['group', [groupRegistered(A)]],
    ['team', teamRegistered(A)],
    ['registered', [socialGroupRegistered(A)]],
  ] as const)('a %s record has exactly the public keys', (_tier, events) => {
    const entry = entryOf(...events);
    expect(Object.keys(entry ?? {}).sort()).toEqual(PUBLIC_KEYS);
  });

  it('neither founders, contact nor their values appear anywhere in the record', () => {
    const entry = entryOf(
      ...teamRegistered(A),
      contactUpdated(A),
      noticeIssued(A, 'n-1'),
      evaluated(A, '2023', 'good'),
    );
    const json = JSON.stringify(entry);
    for (const forbidden of [
      'founders',
      'contact',
      'ciphertext',
      '李老师',
      '天平路社区文化活动中心',
      'AAECAwQFBgcICQoLDA0ODw==',
      'EBESExQVFhcYGRobHB0eHw==',
      'keyVersion',
    ])
      expect(json).not.toContain(forbidden);
  });
});

describe('registry projection: filing, amendment, cancellation', () => {
  it('an amendment replaces the filing number', () => {
    expect(
      entryOf(...teamRegistered(A, {}, 'XH-1'), filingAmended(A, 'XH-2', 'XH-1'))?.filingNumber,
    ).toBe('XH-2');
  });

  it('a cancellation clears the filing and the demotion that follows makes it a group', () => {
    expect(
      entryOf(
        ...teamRegistered(A, {}, 'XH-1'),
        filingCancelled(A, 'XH-1'),
        demoted(A, 'team', 'group', '2024-03-10'),
      ),
    ).toEqual({
      ...GROUP,
      name: '天平路街道夕阳红舞蹈队',
      // A demoted group: its tier began with the demotion; it was never recorded as a group.
      recordedOn: null,
      tierSince: '2024-03-10',
    });
  });

  it('a cancelled filing of a dissolved team leaves it a dissolved team without filing', () => {
    expect(
      entryOf(
        ...teamRegistered(A, {}, 'XH-1'),
        dissolved(A, '2024-01-31'),
        filingCancelled(A, 'XH-1'),
      ),
    ).toMatchObject({
      tier: 'team',
      filingNumber: null,
      status: 'dissolved',
      dissolvedOn: '2024-01-31',
    });
  });
});

describe('registry projection: promotions and demotions', () => {
  it('group → team (filed, then promoted) → registered (USCC and legal form, no filing)', () => {
    const log = new EventLog();
    log.append(groupRegistered(A), filed(A, 'XH-TP-2023-010', '2023-05-05'));
    log.append(promoted(A, 'group', 'team', '2023-05-05'));
    const asTeam = fold(projection, log.events).get(A);
    expect(asTeam).toEqual({
      ...GROUP,
      tier: 'team',
      filingNumber: 'XH-TP-2023-010',
      filedOn: '2023-05-05',
      recordedOn: null,
      tierSince: '2023-05-05',
    });
    log.append(
      promoted(A, 'team', 'registered', '2024-06-12', {
        legalForm: 'social-service-institution',
        uscc: USCC.serviceInstitutionXuhui,
      }),
    );
    expect(fold(projection, log.events).get(A)).toEqual({
      ...GROUP,
      tier: 'registered',
      legalForm: 'social-service-institution',
      uscc: USCC.serviceInstitutionXuhui,
      filingNumber: null,
      recordedOn: null,
      registeredOn: '2024-06-12',
      tierSince: '2024-06-12',
    });
  });

  it('a demotion from registered to team drops the USCC and the legal form', () => {
    expect(
      entryOf(socialGroupRegistered(A), demoted(A, 'registered', 'team', '2024-05-01')),
    ).toMatchObject({ tier: 'team', legalForm: null, uscc: null, filingNumber: null });
  });
});

describe('registry projection: business dates (成立/登记/备案/记录日期, 现层级起始日期) and scope', () => {
  const dates = (entry: RegistryEntry | undefined) =>
    entry && {
      foundedOn: entry.foundedOn,
      registeredOn: entry.registeredOn,
      filedOn: entry.filedOn,
      recordedOn: entry.recordedOn,
      tierSince: entry.tierSince,
      activityScope: entry.activityScope,
    };

  it('a group registered directly as a registered organization: the promotion dates it', () => {
    expect(
      dates(
        entryOf(
          groupRegistered(A),
          promoted(A, 'group', 'registered', '2024-06-12', {
            legalForm: 'social-group',
            uscc: USCC.socialGroupXuhui,
          }),
        ),
      ),
    ).toEqual({
      foundedOn: '2020-03-01',
      registeredOn: '2024-06-12',
      filedOn: null,
      recordedOn: null,
      tierSince: '2024-06-12',
      activityScope: 'community',
    });
  });

  it('an amended filing moves the filing date, not the date the tier began', () => {
    expect(
      dates(
        entryOf(
          ...teamRegistered(A, { filedOn: '2022-04-01' }, 'XH-1'),
          filingAmended(A, 'XH-2', 'XH-1', '2023-01-05'),
        ),
      ),
    ).toMatchObject({ filedOn: '2023-01-05', tierSince: '2022-04-01' });
  });

  it('a registered organization demoted to a team, then filed: no registration date, tier since the demotion', () => {
    expect(
      dates(
        entryOf(
          socialGroupRegistered(A),
          demoted(A, 'registered', 'team', '2023-01-01'),
          filed(A, 'XH-9', '2023-02-01'),
        ),
      ),
    ).toEqual({
      foundedOn: '2019-05-01',
      registeredOn: null,
      filedOn: '2023-02-01',
      recordedOn: null,
      tierSince: '2023-01-01',
      activityScope: 'district',
    });
  });

  it('a street-wide team demoted to a group is active in its community', () => {
    expect(
      entryOf(
        ...teamRegistered(A, { activityScope: 'street' }),
        filingCancelled(A, 'XH-TP-2022-003'),
        demoted(A, 'team', 'group', '2024-03-10'),
      )?.activityScope,
    ).toBe('community');
  });
});

describe('registry projection: reclassification, party organization, evaluations', () => {
  it('a reclassification changes the category', () => {
    expect(entryOf(groupRegistered(A), reclassified(A, 'culture-sports', 'charity'))).toEqual({
      ...GROUP,
      category: 'charity',
    });
  });

  it('the party organization follows every change', () => {
    expect(
      entryOf(
        groupRegistered(A),
        partyChanged(A, 'none', 'liaison'),
        partyChanged(A, 'liaison', 'joint-branch'),
      )?.partyOrganization,
    ).toBe('joint-branch');
  });

  it('the latest recorded evaluation is shown', () => {
    expect(
      entryOf(groupRegistered(A), evaluated(A, '2022', 'pass'), evaluated(A, '2023', 'excellent'))
        ?.latestEvaluation,
    ).toEqual({ period: '2023', grade: 'excellent' });
  });
});

describe('registry projection: funding and activities', () => {
  it('funding is summed per year of the grant date, in total and counted', () => {
    expect(
      entryOf(
        groupRegistered(A),
        fundingGranted(A, { grantId: 'g1', amountFen: 100_000, grantedOn: '2023-12-31' }),
        fundingGranted(A, { grantId: 'g2', amountFen: 250_000, grantedOn: '2024-01-01' }),
        fundingGranted(A, {
          grantId: 'g3',
          amountFen: 5,
          grantedOn: '2024-07-01',
          channel: 'welfare-lottery',
          purpose: 'elderly',
        }),
      ),
    ).toEqual({
      ...GROUP,
      fundingByYear: { '2023': 100_000, '2024': 250_005 },
      fundingTotalFen: 350_005,
      grantCount: 3,
    });
  });

  it('activities are counted', () => {
    expect(
      entryOf(
        groupRegistered(A),
        activityReported(A, { reportId: 'r1' }),
        activityReported(A, { reportId: 'r2', participants: 150, level: 'street' }),
      )?.activityCount,
    ).toBe(2);
  });

  it("one organization's events never change another's record", () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        groupRegistered(B, { name: '庆余太极拳小组', communityCode: PLACES.qingyu }),
        fundingGranted(B, { grantId: 'g', amountFen: 7, grantedOn: '2024-01-01' }),
        activityReported(B, { reportId: 'r' }),
        dissolved(B, '2024-05-05'),
      ),
    );
    expect(docs.get(A)).toEqual(GROUP);
    expect(docs.get(B)).toMatchObject({
      name: '庆余太极拳小组',
      communityName: '庆余居委会',
      grantCount: 1,
      activityCount: 1,
      status: 'dissolved',
    });
  });
});

describe('registry projection: dissolution and order', () => {
  it('a dissolved organization stays in the registry, marked dissolved with its date and kind', () => {
    expect(entryOf(groupRegistered(A), dissolved(A, '2024-01-31', 'cleared'))).toEqual({
      ...GROUP,
      status: 'dissolved',
      dissolvedOn: '2024-01-31',
      dissolutionKind: 'cleared',
    });
  });

  it('a merged organization names its survivor', () => {
    expect(entryOf(groupRegistered(A), dissolved(A, '2024-01-31', 'merged', B))).toMatchObject({
      status: 'dissolved',
      dissolutionKind: 'merged',
      mergedInto: B,
    });
  });

  it('stored v1 events read in the current shape: a dissolution without a kind is deregistered, grade A excellent', () => {
    const log = new EventLog();
    const events = log.append(
      groupRegistered(A),
      evaluated(A, '2023', 'excellent'),
      dissolved(A, '2024-01-31'),
    );
    const v1 = events.map((e) => {
      if (e.type === 'EvaluationRecorded')
        return { ...e, schemaVersion: 1, data: { ...(e.data as object), grade: 'A' } };
      if (e.type === 'OrganizationDissolved') {
        const { kind: _kind, ...data } = e.data as Record<string, unknown>;
        return { ...e, schemaVersion: 1, data };
      }
      return e;
    });
    expect(fold(projection, v1).get(A)).toEqual({
      ...GROUP,
      latestEvaluation: { period: '2023', grade: 'excellent' },
      status: 'dissolved',
      dissolvedOn: '2024-01-31',
      dissolutionKind: 'deregistered',
    });
  });

  it('events of an organization never registered create no record', () => {
    expect(
      fold(
        projection,
        logOf(
          filed(A, 'XH-1', '2024-01-01'),
          fundingGranted(A, { grantId: 'g', amountFen: 1, grantedOn: '2024-01-01' }),
          dissolved(A, '2024-01-31'),
        ),
      ).size,
    ).toBe(0);
  });

  it('evolve is pure: the previous record is not mutated', () => {
    const before = entryOf(groupRegistered(A));
    const frozen = JSON.stringify(before);
    const [, grant] = logOf(
      groupRegistered(A),
      fundingGranted(A, { grantId: 'g', amountFen: 9, grantedOn: '2024-01-01' }),
    );
    const after = projection.evolve(before ?? null, grant!, { id: A, get: () => null });
    expect(JSON.stringify(before)).toBe(frozen);
    expect(after).toMatchObject({ fundingByYear: { '2024': 9 }, fundingTotalFen: 9 });
  });
});

describe('registry projection: oversight (annual report, formal grade, abnormal list)', () => {
  const report = (year: number, onTime: boolean): OrganizationEvent => ({
    type: 'AnnualReportRecorded',
    data: {
      organizationId: A,
      year,
      members: 40,
      incomeFen: 100,
      expenditureFen: 90,
      activities: 3,
      recordedOn: onTime ? `${year + 1}-05-01` : `${year + 1}-08-01`,
      dueOn: `${year + 1}-06-30`,
      onTime,
    },
  });

  it('shows the latest year reported and whether it was on time; an older late one does not hide it', () => {
    expect(entryOf(socialGroupRegistered(A), report(2023, false))?.annualReport).toEqual({
      year: 2023,
      onTime: false,
    });
    expect(
      entryOf(socialGroupRegistered(A), report(2023, true), report(2022, false))?.annualReport,
    ).toEqual({ year: 2023, onTime: true });
  });

  it('keeps the latest grade with its last valid day, whatever the day of the projection', () => {
    const awarded: OrganizationEvent = {
      type: 'GradeAwarded',
      data: { organizationId: A, grade: '4A', awardedOn: '2019-03-15', validUntil: '2024-03-14' },
    };
    expect(entryOf(socialGroupRegistered(A), awarded)?.grade).toEqual({
      grade: '4A',
      validUntil: '2024-03-14',
    });
  });

  it('shows the abnormal listing until it is cleared', () => {
    const listed: OrganizationEvent = {
      type: 'AbnormalListed',
      data: { organizationId: A, reason: '住所无法联系', listedOn: '2024-05-01' },
    };
    const cleared: OrganizationEvent = {
      type: 'AbnormalCleared',
      data: { organizationId: A, clearedOn: '2024-06-01', listedOn: '2024-05-01' },
    };
    expect(entryOf(groupRegistered(A), listed)?.abnormal).toEqual({
      listedOn: '2024-05-01',
      reason: '住所无法联系',
    });
    expect(entryOf(groupRegistered(A), listed, cleared)?.abnormal).toBeNull();
  });
});
