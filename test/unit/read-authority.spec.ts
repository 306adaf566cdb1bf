/**
 * DOMAIN §1: who may read an organization. Given an organization of 徐汇区 (a group of 上海新村),
 * when an actor asks, then its levels and the auditors of the city and of 徐汇区 may read it,
 * and a district's auditor of another district may not.
 */
import { audits, mayRead } from '../../src/organizations/domain/rules/authority.js';
import type { Actor } from '../../src/organizations/domain/organization.types.js';
import type { Organization } from '../../src/organizations/domain/organization.state.js';
import { ACTORS, PLACES } from '../support/fixtures.js';

const group = {
  tier: 'group',
  districtCode: PLACES.xuhui,
  streetCode: PLACES.tianping,
  communityCode: PLACES.shanghaiXincun,
} as unknown as Organization;

describe('given a group of 上海新村 in 徐汇区', () => {
  it.each<[string, Actor, boolean]>([
    ['the city auditor', ACTORS.auditor, true],
    ['the auditor of 徐汇区', ACTORS.xuhuiAuditor, true],
    ['the auditor of 浦东新区', ACTORS.pudongAuditor, false],
    ['its committee', ACTORS.shanghaiXincunCommittee, true],
    ['another committee', ACTORS.qingyuCommittee, false],
    ['another district office', ACTORS.pudongDistrict, false],
  ])('when %s reads it', (_who, actor, expected) => {
    expect(mayRead(actor, group)).toBe(expected);
  });

  it('then only auditors audit it: its district office does not', () => {
    expect(audits(ACTORS.xuhuiDistrict, group)).toBe(false);
    expect(audits(ACTORS.xuhuiAuditor, group)).toBe(true);
  });
});
