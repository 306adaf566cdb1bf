/**
 * DOMAIN §5 "Funding disclosure": one public row per grant carrying the recipient's name and
 * place (kept in `org:<id>` documents), and `totals:<city|district|street|community>` rollups of fen by
 * `channel|year` and counts by `count|channel|year`.
 */
import {
  fundingProjection,
  fundingTotalsRollup,
  grantRowId,
  recipientId,
  type FundingDocument,
  type GrantRow,
} from '../../../projections/funding.projection.js';
import { PLACES, divisions } from '../../support/fixtures.js';
import { EventLog, fold, logOf, sorted, tally } from './projection-harness.js';
import {
  dissolved,
  fundingGranted,
  groupRegistered,
  reclassified,
  socialGroupRegistered,
} from '../../support/events.js';

const projection = fundingProjection(divisions);
const A = 'org-a';
const B = 'org-b';
const C = 'org-c';

const GRANT: GrantRow = {
  id: 'grant:g-1',
  kind: 'grant',
  organizationId: A,
  recipientName: '上海新村书画小组',
  amountFen: 1_250_000,
  currency: 'CNY',
  grantedOn: '2024-06-03',
  year: '2024',
  channel: 'self-governance-fund',
  purpose: null,
  purposeDescription: null,
  programme: '2024年社区自治项目',
  funderName: '天平路街道办事处',
  funderLevel: 'street',
  funderCode: PLACES.tianping,
  districtCode: PLACES.xuhui,
  districtName: '徐汇区',
  streetCode: PLACES.tianping,
  communityCode: PLACES.shanghaiXincun,
};

describe('funding projection: definition', () => {
  it('is named funding, version 3, handling registrations, grants and the recipient changes', () => {
    expect(projection.name).toBe('funding');
    expect(projection.version).toBe(3);
    expect([...projection.handles].sort()).toEqual([
      'FundingGranted',
      'OrganizationMoved',
      'OrganizationRegistered',
      'OrganizationRenamed',
    ]);
  });

  it('a registration touches org:<id>; a grant touches grant:<id> and reads org:<id>', () => {
    const [registered, grant] = logOf(
      groupRegistered(A),
      fundingGranted(A, { grantId: 'g-1', amountFen: 1, grantedOn: '2024-01-01' }),
    );
    expect(projection.ids(registered!)).toEqual(['org:org-a']);
    expect(projection.reads?.(registered!)).toEqual([]);
    expect(projection.ids(grant!)).toEqual(['grant:g-1']);
    expect(projection.reads?.(grant!)).toEqual(['org:org-a']);
    expect([recipientId(A), grantRowId('g-1'), fundingTotalsRollup('310104')]).toEqual([
      'org:org-a',
      'grant:g-1',
      'totals:310104',
    ]);
  });
});

describe('funding projection: documents', () => {
  it('the recipient document keeps name and place, nothing personal', () => {
    const docs = fold(projection, logOf(groupRegistered(A)));
    expect([...docs.values()]).toEqual([
      {
        id: 'org:org-a',
        kind: 'recipient',
        name: '上海新村书画小组',
        districtCode: PLACES.xuhui,
        streetCode: PLACES.tianping,
        communityCode: PLACES.shanghaiXincun,
      },
    ]);
  });

  it('a registered organization is a recipient without community', () => {
    expect(fold(projection, logOf(socialGroupRegistered(A))).get('org:org-a')).toEqual({
      id: 'org:org-a',
      kind: 'recipient',
      name: '徐汇区天平社区睦邻协会',
      districtCode: PLACES.xuhui,
      streetCode: PLACES.tianping,
      communityCode: null,
    });
  });

  it('a grant row carries the recipient name, place, funder, channel and year', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        fundingGranted(A, {
          grantId: 'g-1',
          amountFen: 1_250_000,
          grantedOn: '2024-06-03',
          programme: '2024年社区自治项目',
        }),
      ),
    );
    expect(docs.get('grant:g-1')).toEqual(GRANT);
    expect(docs.size).toBe(2);
  });

  it('a welfare-lottery grant keeps its purpose; a city funder its level and code', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        fundingGranted(A, {
          grantId: 'g-2',
          amountFen: 300_000,
          grantedOn: '2023-09-09',
          channel: 'welfare-lottery',
          purpose: 'elderly',
          programme: '福彩公益金助老项目',
          funder: { name: '上海市民政局', level: 'city', code: PLACES.city },
        }),
      ),
    );
    expect(docs.get('grant:g-2')).toEqual({
      ...GRANT,
      id: 'grant:g-2',
      amountFen: 300_000,
      grantedOn: '2023-09-09',
      year: '2023',
      channel: 'welfare-lottery',
      purpose: 'elderly',
      programme: '福彩公益金助老项目',
      funderName: '上海市民政局',
      funderLevel: 'city',
      funderCode: PLACES.city,
    });
  });

  it('an other-welfare grant keeps its purpose description', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        fundingGranted(A, {
          grantId: 'g-3',
          amountFen: 200_000,
          grantedOn: '2024-03-01',
          channel: 'welfare-lottery',
          purpose: 'other-welfare',
          purposeDescription: '助医：困难家庭就医陪护',
          funder: { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui },
        }),
      ),
    );
    expect(docs.get('grant:g-3')).toMatchObject({
      channel: 'welfare-lottery',
      purpose: 'other-welfare',
      purposeDescription: '助医：困难家庭就医陪护',
      funderLevel: 'district',
    });
  });

  it('a grant of a Pudong organization is placed in Pudong', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(B, {
          name: '潍坊一村编织小组',
          districtCode: PLACES.pudong,
          streetCode: PLACES.weifang,
          communityCode: PLACES.weifangYicun,
        }),
        fundingGranted(B, { grantId: 'g-3', amountFen: 10, grantedOn: '2024-01-01' }),
      ),
    );
    expect(docs.get('grant:g-3')).toMatchObject({
      organizationId: B,
      recipientName: '潍坊一村编织小组',
      districtCode: PLACES.pudong,
      districtName: '浦东新区',
      streetCode: PLACES.weifang,
      communityCode: PLACES.weifangYicun,
    });
  });

  it('a grant whose recipient is unknown makes no row', () => {
    const docs = fold(
      projection,
      logOf(fundingGranted(A, { grantId: 'g-1', amountFen: 1, grantedOn: '2024-01-01' })),
    );
    expect(docs.size).toBe(0);
  });

  it('a grant row, once made, is not changed by its event again', () => {
    const [, grant] = logOf(
      groupRegistered(A),
      fundingGranted(A, { grantId: 'g-1', amountFen: 1, grantedOn: '2024-01-01' }),
    );
    expect(projection.evolve(GRANT, grant!, { id: GRANT.id, get: () => null })).toBe(GRANT);
  });

  it('reclassification and dissolution leave the rows as they were (grants are history)', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        fundingGranted(A, {
          grantId: 'g-1',
          amountFen: 1_250_000,
          grantedOn: '2024-06-03',
          programme: '2024年社区自治项目',
        }),
        reclassified(A, 'culture-sports', 'charity'),
        dissolved(A, '2024-07-01'),
      ),
    );
    expect(docs.get('grant:g-1')).toEqual(GRANT);
  });

  it('rows hold no personal data: founders and contact never appear', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        fundingGranted(A, { grantId: 'g-1', amountFen: 1, grantedOn: '2024-01-01' }),
      ),
    );
    const json = JSON.stringify([...docs.values()]);
    for (const forbidden of ['founders', 'contact', '王阿姨', 'ciphertext'])
      expect(json).not.toContain(forbidden);
  });
});

describe('funding projection: totals by channel × year', () => {
  it('a grant contributes its amount and a count to the city and each of its places', () => {
    expect(sorted(projection.rollup?.(GRANT) ?? [])).toEqual(
      sorted([
        { id: 'totals:310000', key: 'self-governance-fund|2024', amount: 1_250_000 },
        { id: 'totals:310000', key: 'count|self-governance-fund|2024', amount: 1 },
        { id: 'totals:310104', key: 'self-governance-fund|2024', amount: 1_250_000 },
        { id: 'totals:310104', key: 'count|self-governance-fund|2024', amount: 1 },
        { id: 'totals:310104003', key: 'self-governance-fund|2024', amount: 1_250_000 },
        { id: 'totals:310104003', key: 'count|self-governance-fund|2024', amount: 1 },
        { id: 'totals:310104003001', key: 'self-governance-fund|2024', amount: 1_250_000 },
        { id: 'totals:310104003001', key: 'count|self-governance-fund|2024', amount: 1 },
      ]),
    );
  });

  it('recipients contribute nothing', () => {
    const docs = fold(projection, logOf(groupRegistered(A)));
    expect(projection.rollup?.(docs.get('org:org-a') as FundingDocument)).toEqual([]);
  });

  it('grants of several organizations, channels and years add up per place', () => {
    const log = new EventLog();
    log.append(
      groupRegistered(A),
      socialGroupRegistered(B),
      groupRegistered(C, {
        name: '潍坊一村编织小组',
        districtCode: PLACES.pudong,
        streetCode: PLACES.weifang,
        communityCode: PLACES.weifangYicun,
      }),
    );
    log.append(
      fundingGranted(A, { grantId: 'a1', amountFen: 100, grantedOn: '2023-03-01' }),
      fundingGranted(A, { grantId: 'a2', amountFen: 200, grantedOn: '2024-03-01' }),
      fundingGranted(B, {
        grantId: 'b1',
        amountFen: 5_000,
        grantedOn: '2024-05-01',
        channel: 'government-purchase',
      }),
      fundingGranted(B, {
        grantId: 'b2',
        amountFen: 7_000,
        grantedOn: '2024-12-31',
        channel: 'government-purchase',
      }),
      fundingGranted(C, {
        grantId: 'c1',
        amountFen: 30,
        grantedOn: '2024-01-01',
        channel: 'welfare-lottery',
        purpose: 'hardship',
      }),
      dissolved(C, '2024-02-01'),
    );
    const rollups = tally(projection, fold(projection, log.events).values());
    const cityAndDistricts = Object.entries(rollups).filter(([id]) => /^totals:\d{6}$/.test(id));
    expect(Object.fromEntries(cityAndDistricts)).toEqual({
      'totals:310000': {
        'self-governance-fund|2023': 100,
        'count|self-governance-fund|2023': 1,
        'self-governance-fund|2024': 200,
        'count|self-governance-fund|2024': 1,
        'government-purchase|2024': 12_000,
        'count|government-purchase|2024': 2,
        'welfare-lottery|2024': 30,
        'count|welfare-lottery|2024': 1,
      },
      'totals:310104': {
        'self-governance-fund|2023': 100,
        'count|self-governance-fund|2023': 1,
        'self-governance-fund|2024': 200,
        'count|self-governance-fund|2024': 1,
        'government-purchase|2024': 12_000,
        'count|government-purchase|2024': 2,
      },
      'totals:310115': {
        'welfare-lottery|2024': 30,
        'count|welfare-lottery|2024': 1,
      },
    });
    // Streets and communities: B has no community, so 上海新村 holds A's grants only.
    expect(rollups['totals:310104003']).toEqual(rollups['totals:310104']);
    expect(rollups['totals:310104003001']).toEqual({
      'self-governance-fund|2023': 100,
      'count|self-governance-fund|2023': 1,
      'self-governance-fund|2024': 200,
      'count|self-governance-fund|2024': 1,
    });
    expect(rollups['totals:310115004']).toEqual(rollups['totals:310115']);
    expect(rollups['totals:310115004001']).toEqual(rollups['totals:310115']);
  });
});
