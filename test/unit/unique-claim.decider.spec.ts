/**
 * DOMAIN.md §3: a name is unique among the live organizations under the same managing authority,
 * a USCC among the live organizations of the city, a filing number among the live teams of a
 * street. Each (kind, area, normalized value) has a reservation stream; this decider keeps it.
 */
import {
  uniqueClaimDecider,
  type UniqueClaimCommand,
  type UniqueClaimEvent,
} from '../../src/organizations/domain/unique-claim.decider.js';
import { claimStream, type UniqueClaim } from '../../src/organizations/domain/unique-claims.js';
import { PLACES, USCC } from '../support/fixtures.js';
import { spec } from '../support/decider-spec.js';

const given = spec(uniqueClaimDecider).given;

const NAME: UniqueClaim = { kind: 'name', scope: PLACES.tianping, value: '天平路街道夕阳红舞蹈队' };
const USCC_CLAIM: UniqueClaim = { kind: 'uscc', scope: PLACES.city, value: USCC.socialGroupXuhui };
const FILING: UniqueClaim = {
  kind: 'filing-number',
  scope: PLACES.tianping,
  value: 'XH-TP-2024-001',
};

const take = (
  organizationId: string,
  holderStillHolds = true,
  claim: UniqueClaim = NAME,
): UniqueClaimCommand => ({ type: 'TakeClaim', claim, organizationId, holderStillHolds });
const release = (organizationId: string, claim: UniqueClaim = NAME): UniqueClaimCommand => ({
  type: 'ReleaseClaim',
  claim,
  organizationId,
});
const taken = (organizationId: string, claim: UniqueClaim = NAME): UniqueClaimEvent => ({
  type: 'UniqueClaimTaken',
  data: { ...claim, organizationId },
});
const released = (organizationId: string, claim: UniqueClaim = NAME): UniqueClaimEvent => ({
  type: 'UniqueClaimReleased',
  data: { ...claim, organizationId },
});

describe('unique claim: one live holder per (kind, area, value)', () => {
  it('a free value is taken (UniqueClaimTaken)', () => {
    given([])
      .when(take('org-a'))
      .then([taken('org-a')]);
  });

  it('taking again for the same organization changes nothing (idempotent retry)', () => {
    given([taken('org-a')])
      .when(take('org-a'))
      .thenNothing();
  });

  it.each([
    ['a name', NAME, 'name-taken', 'name'],
    ['a USCC', USCC_CLAIM, 'uscc-taken', 'uscc'],
    ['a filing number', FILING, 'filing-number-taken', 'filingNumber'],
  ])('%s held by a live organization is refused (%s)', (_what, claim, rule, field) => {
    given([taken('org-a', claim)])
      .when(take('org-b', true, claim))
      .thenThrows({ kind: 'rule', rule, field });
  });

  it('a value whose holder no longer holds it (dissolved, moved, abandoned) is taken over', () => {
    given([taken('org-a', USCC_CLAIM)])
      .when(take('org-b', false, USCC_CLAIM))
      .then([taken('org-b', USCC_CLAIM)]);
  });

  it('a released value is free again', () => {
    given([taken('org-a', FILING), released('org-a', FILING)])
      .when(take('org-b', true, FILING))
      .then([taken('org-b', FILING)]);
  });

  it('the holder releases its claim (UniqueClaimReleased)', () => {
    given([taken('org-a')])
      .when(release('org-a'))
      .then([released('org-a')]);
  });

  it('only the holder releases: anyone else changes nothing', () => {
    given([taken('org-a')])
      .when(release('org-b'))
      .thenNothing();
    given([]).when(release('org-a')).thenNothing();
  });

  it('evolve keeps the holder', () => {
    const { state } = given([taken('org-a'), released('org-a'), taken('org-c')]);
    expect(state).toEqual({ holder: 'org-c' });
    expect(given([taken('org-a'), released('org-a')]).state).toEqual({});
  });
});

describe('claimStream: one stream per kind, area and normalized value', () => {
  const name = (value: string, scope: string = PLACES.tianping): string =>
    claimStream({ kind: 'name', scope, value });

  it('is the same for names that differ only in spaces, full-width forms or invisible code points', () => {
    expect(name('天平路 夕阳红 舞蹈队')).toBe(name('天平路夕阳红舞蹈队'));
    expect(name('ＡＢＣ舞蹈队')).toBe(name('ABC舞蹈队'));
    expect(name('田林舞蹈队\ufe00')).toBe(name('田林舞蹈队'));
    expect(name('田林\u200b舞蹈\u2060队\ufeff')).toBe(name('田林舞蹈队'));
  });

  it('credentials are compared without case, spaces and full-width forms', () => {
    const filing = (value: string): string =>
      claimStream({ kind: 'filing-number', scope: PLACES.tianping, value });
    expect(filing('xh-tp-2024-001')).toBe(filing('XH-TP-2024-001'));
    expect(filing('ＸＨ－ＴＰ－２０２４－００１ ')).toBe(filing('XH-TP-2024-001'));
  });

  it('differs between areas, between kinds and between values', () => {
    expect(name('太极拳队')).not.toBe(name('太极拳队', PLACES.hunan));
    expect(name('太极拳队')).not.toBe(name('太极拳协会'));
    expect(claimStream({ kind: 'filing-number', scope: PLACES.tianping, value: 'X-1' })).not.toBe(
      claimStream({ kind: 'name', scope: PLACES.tianping, value: 'X-1' }),
    );
  });

  it('names the kind, the area and a fixed-length digest', () => {
    expect(name('太极拳队')).toMatch(/^unique-name-310104003-[0-9a-f]{32}$/);
    expect(claimStream(USCC_CLAIM)).toMatch(/^unique-uscc-310000-[0-9a-f]{32}$/);
    expect(claimStream(FILING)).toMatch(/^unique-filing-number-310104003-[0-9a-f]{32}$/);
  });
});
