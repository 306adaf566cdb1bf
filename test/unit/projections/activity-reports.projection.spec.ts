/**
 * DOMAIN §5 "Activity reports": one public row per report (its organization's name from the
 * `org:<id>` document) and `place:<code>` rollups counting reports by `YYYY-MM|level` for the
 * city, district, street and community where the activity takes place.
 */
import {
  activityPlaceRollup,
  activityReportsProjection,
  reportRowId,
  reporterId,
  type ActivityRow,
} from '../../../projections/activity-reports.projection.js';
import { PLACES } from '../../support/fixtures.js';
import { EventLog, fold, logOf, sorted, tally } from './projection-harness.js';
import {
  acknowledged,
  activityReported,
  dissolved,
  groupRegistered,
  renamed,
} from '../../support/events.js';

const projection = activityReportsProjection();
const A = 'org-a';
const B = 'org-b';

const ROW: ActivityRow = {
  id: 'report:r-1',
  kind: 'report',
  organizationId: A,
  organizationName: '上海新村书画小组',
  title: '重阳节书画义卖',
  activityKind: 'culture',
  startsOn: '2024-05-31',
  endsOn: '2024-06-02',
  month: '2024-05',
  participants: 60,
  level: 'community',
  districtCode: PLACES.xuhui,
  streetCode: PLACES.tianping,
  communityCode: PLACES.shanghaiXincun,
  reportedOn: '2024-06-15',
  acknowledgedOn: null,
};

describe('activity reports projection: definition', () => {
  it('is named activity_reports, version 2, handling registrations, renames, reports and receipts', () => {
    expect(projection.name).toBe('activity_reports');
    expect(projection.version).toBe(2);
    expect([...projection.handles].sort()).toEqual([
      'ActivityReportAcknowledged',
      'ActivityReported',
      'OrganizationRegistered',
      'OrganizationRenamed',
    ]);
  });

  it('a report touches report:<id> and reads org:<id>', () => {
    const [registered, report] = logOf(
      groupRegistered(A),
      activityReported(A, { reportId: 'r-1' }),
    );
    expect(projection.ids(registered!)).toEqual(['org:org-a']);
    expect(projection.ids(report!)).toEqual(['report:r-1']);
    expect(projection.reads?.(report!)).toEqual(['org:org-a']);
    expect([reporterId(A), reportRowId('r-1'), activityPlaceRollup('310000')]).toEqual([
      'org:org-a',
      'report:r-1',
      'place:310000',
    ]);
  });
});

describe('activity reports projection: documents', () => {
  it('the reporter keeps only the name', () => {
    expect(fold(projection, logOf(groupRegistered(A))).get('org:org-a')).toEqual({
      id: 'org:org-a',
      kind: 'reporter',
      name: '上海新村书画小组',
    });
  });

  it('a report row: the month is the month the activity starts', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        activityReported(A, { reportId: 'r-1', startsOn: '2024-05-31', endsOn: '2024-06-02' }),
      ),
    );
    expect(docs.get('report:r-1')).toEqual(ROW);
  });

  it('each level, kind and place as reported', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        activityReported(A, {
          reportId: 'r-2',
          title: '社区运动会',
          kind: 'sports',
          startsOn: '2024-09-01',
          endsOn: '2024-09-01',
          participants: 650,
          level: 'district',
          communityCode: PLACES.huaizhong,
          streetCode: PLACES.hunan,
        }),
      ),
    );
    expect(docs.get('report:r-2')).toEqual({
      ...ROW,
      id: 'report:r-2',
      title: '社区运动会',
      activityKind: 'sports',
      startsOn: '2024-09-01',
      endsOn: '2024-09-01',
      month: '2024-09',
      participants: 650,
      level: 'district',
      streetCode: PLACES.hunan,
      communityCode: PLACES.huaizhong,
    });
  });

  it('a report whose organization is unknown still makes a row, without a name', () => {
    const docs = fold(projection, logOf(activityReported(A, { reportId: 'r-1' })));
    expect(docs.get('report:r-1')).toMatchObject({ organizationName: '', organizationId: A });
  });

  it('a report row, once made, is not changed by its event again', () => {
    const [, report] = logOf(groupRegistered(A), activityReported(A, { reportId: 'r-1' }));
    expect(projection.evolve(ROW, report!, { id: ROW.id, get: () => null })).toBe(ROW);
  });

  it('an acknowledgement marks its report received, on its business date', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        activityReported(A, { reportId: 'r-1', startsOn: '2024-05-31', endsOn: '2024-06-02' }),
        acknowledged(A, 'r-1', 'community', '2024-06-18'),
      ),
    );
    expect(docs.get('report:r-1')).toEqual({ ...ROW, acknowledgedOn: '2024-06-18' });
    expect(projection.ids(logOf(acknowledged(A, 'r-1'))[0]!)).toEqual(['report:r-1']);
  });

  it('a rename names the organization in later reports; earlier ones keep their name', () => {
    const docs = fold(
      projection,
      logOf(
        groupRegistered(A),
        activityReported(A, { reportId: 'r-1' }),
        renamed(A, '上海新村书画小组', '上海新村书画社'),
        activityReported(A, { reportId: 'r-2' }),
      ),
    );
    expect(docs.get('report:r-1')).toMatchObject({ organizationName: '上海新村书画小组' });
    expect(docs.get('report:r-2')).toMatchObject({ organizationName: '上海新村书画社' });
  });

  it('rows hold no personal data', () => {
    const docs = fold(
      projection,
      logOf(groupRegistered(A), activityReported(A, { reportId: 'r' })),
    );
    const json = JSON.stringify([...docs.values()]);
    for (const forbidden of ['founders', 'contact', '王阿姨', 'ciphertext'])
      expect(json).not.toContain(forbidden);
  });
});

describe('activity reports projection: place × month × level', () => {
  it('a report counts once in its city, district, street and community', () => {
    expect(sorted(projection.rollup?.(ROW) ?? [])).toEqual(
      sorted(
        ['310000', PLACES.xuhui, PLACES.tianping, PLACES.shanghaiXincun].map((code) => ({
          id: `place:${code}`,
          key: '2024-05|community',
          amount: 1,
        })),
      ),
    );
  });

  it('reporters contribute nothing', () => {
    const reporter = fold(projection, logOf(groupRegistered(A))).get('org:org-a');
    expect(reporter && projection.rollup?.(reporter)).toEqual([]);
  });

  it('reports of several organizations, months, places and levels add up', () => {
    const log = new EventLog();
    log.append(
      groupRegistered(A),
      groupRegistered(B, {
        name: '潍坊一村编织小组',
        districtCode: PLACES.pudong,
        streetCode: PLACES.weifang,
        communityCode: PLACES.weifangYicun,
      }),
    );
    log.append(
      activityReported(A, { reportId: 'a1', startsOn: '2024-05-01' }),
      activityReported(A, { reportId: 'a2', startsOn: '2024-05-20', level: 'street' }),
      activityReported(A, {
        reportId: 'a3',
        startsOn: '2024-06-01',
        level: 'district',
        communityCode: PLACES.huaizhong,
        streetCode: PLACES.hunan,
      }),
      activityReported(A, { reportId: 'a4', startsOn: '2024-05-02' }),
      activityReported(B, {
        reportId: 'b1',
        startsOn: '2024-05-03',
        communityCode: PLACES.weifangYicun,
        streetCode: PLACES.weifang,
        districtCode: PLACES.pudong,
      }),
      dissolved(B, '2024-06-30'),
    );
    const docs = fold(projection, log.events);
    expect([...docs.keys()].sort()).toEqual([
      'org:org-a',
      'org:org-b',
      'report:a1',
      'report:a2',
      'report:a3',
      'report:a4',
      'report:b1',
    ]);
    expect(tally(projection, docs.values())).toEqual({
      'place:310000': { '2024-05|community': 3, '2024-05|street': 1, '2024-06|district': 1 },
      'place:310104': { '2024-05|community': 2, '2024-05|street': 1, '2024-06|district': 1 },
      [`place:${PLACES.tianping}`]: { '2024-05|community': 2, '2024-05|street': 1 },
      [`place:${PLACES.shanghaiXincun}`]: { '2024-05|community': 2, '2024-05|street': 1 },
      [`place:${PLACES.hunan}`]: { '2024-06|district': 1 },
      [`place:${PLACES.huaizhong}`]: { '2024-06|district': 1 },
      'place:310115': { '2024-05|community': 1 },
      [`place:${PLACES.weifang}`]: { '2024-05|community': 1 },
      [`place:${PLACES.weifangYicun}`]: { '2024-05|community': 1 },
    });
  });
});
