/**
 * Renames and moves (更名, 迁移) in every read model: a move across districts re-homes the
 * organization's record and every counter it makes, timeline included, so that nothing of it
 * stays under the old district; later grants follow it, earlier ones stay where they were made.
 */
import { fundingProjection } from '../../../projections/funding.projection.js';
import { registryProjection } from '../../../projections/registry.projection.js';
import { statisticsProjection } from '../../../projections/statistics.projection.js';
import { PLACES, divisions } from '../../support/fixtures.js';
import {
  fundingGranted,
  groupRegistered,
  moved,
  renamed,
  teamRegistered,
} from '../../support/events.js';
import { fold, logOf, tally } from './projection-harness.js';

const A = 'org-a';
const TO_PUDONG = {
  districtCode: PLACES.pudong,
  streetCode: PLACES.weifang,
  communityCode: PLACES.weifangYicun,
};

describe('changes in the registry', () => {
  const registry = registryProjection(divisions);

  it('a rename shows the new name; a move the new place with its names', () => {
    const entry = fold(
      registry,
      logOf(
        groupRegistered(A),
        renamed(A, '上海新村书画小组', '潍坊书画小组'),
        moved(A, TO_PUDONG),
      ),
    ).get(A);
    expect(entry).toMatchObject({
      name: '潍坊书画小组',
      districtCode: PLACES.pudong,
      districtName: '浦东新区',
      streetCode: PLACES.weifang,
      streetName: '潍坊新村街道',
      communityCode: PLACES.weifangYicun,
      communityName: '潍坊一村居委会',
    });
  });

  it('the supervisory unit and the size facts', () => {
    const entry = fold(
      registry,
      logOf(
        groupRegistered(A),
        {
          type: 'SupervisoryUnitChanged',
          data: { organizationId: A, unit: '徐汇区体育局', changedOn: '2024-02-01' },
        },
        {
          type: 'ProfileUpdated',
          data: {
            organizationId: A,
            members: 30,
            volunteers: 4,
            venue: '活动室',
            updatedOn: '2024-02-01',
          },
        },
      ),
    ).get(A);
    expect(entry).toMatchObject({
      supervisoryUnit: '徐汇区体育局',
      profile: { members: 30, volunteers: 4, venue: '活动室' },
    });
  });
});

describe('a move across districts in the statistics', () => {
  const statistics = statisticsProjection(divisions);

  it('every counter, timeline included, is under the new place and nothing under the old', () => {
    const docs = fold(statistics, logOf(...teamRegistered(A), moved(A, TO_PUDONG)));
    const rollups = tally(statistics, docs.values());
    for (const old of [PLACES.xuhui, PLACES.tianping, PLACES.shanghaiXincun]) {
      expect(rollups[`place:${old}`]).toBeUndefined();
      expect(rollups[`timeline:${old}`]).toBeUndefined();
    }
    expect(rollups[`communities:${PLACES.xuhui}`]).toBeUndefined();
    for (const now of [PLACES.pudong, PLACES.weifang, PLACES.weifangYicun]) {
      expect(rollups[`place:${now}`]).toMatchObject({ total: 1 });
    }
    expect(rollups[`communities:${PLACES.pudong}`]).toEqual({ [PLACES.weifangYicun]: 1 });
    expect(rollups['place:310000']).toMatchObject({ total: 1 });
  });

  it('a move to a special unit without communities counts it at the unit', () => {
    const docs = fold(
      statistics,
      logOf(
        groupRegistered(A),
        moved(A, { districtCode: PLACES.xuhui, streetCode: PLACES.caohejing }),
      ),
    );
    expect(docs.get(A)).toMatchObject({
      streetCode: PLACES.caohejing,
      communityCode: null,
      specialUnit: true,
      atUnit: true,
    });
  });
});

describe('changes in the funding disclosure', () => {
  const funding = fundingProjection(divisions);

  it('a grant stays where and to whom it was made; later grants follow the move and the name', () => {
    const docs = fold(
      funding,
      logOf(
        groupRegistered(A),
        fundingGranted(A, { grantId: 'g-1', amountFen: 100, grantedOn: '2024-01-10' }),
        renamed(A, '上海新村书画小组', '潍坊书画小组'),
        moved(A, TO_PUDONG),
        fundingGranted(A, { grantId: 'g-2', amountFen: 200, grantedOn: '2024-05-10' }),
      ),
    );
    expect(docs.get('grant:g-1')).toMatchObject({
      recipientName: '上海新村书画小组',
      districtCode: PLACES.xuhui,
    });
    expect(docs.get('grant:g-2')).toMatchObject({
      recipientName: '潍坊书画小组',
      districtCode: PLACES.pudong,
      streetCode: PLACES.weifang,
      communityCode: PLACES.weifangYicun,
    });
  });
});
