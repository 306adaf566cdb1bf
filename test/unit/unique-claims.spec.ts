/**
 * DOMAIN.md §3: what an organization holds alone, and what a command takes and releases. Given a
 * history, when a command is decided, then the claims its events take (before the append) and
 * release (after it): a promotion or demotion moves the name to the new tier's authority.
 */
import type { OrganizationCommand } from '../../src/organizations/domain/organization.commands.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import {
  claimChanges,
  claimsOf,
  nameScope,
  type UniqueClaim,
} from '../../src/organizations/domain/unique-claims.js';
import { foldEvents } from '../support/decider-spec.js';
import {
  ACTORS,
  ORG_ID,
  PLACES,
  USCC,
  cancelFiling,
  decider,
  demote,
  dissolve,
  fileTeam,
  promoteToRegistered,
  promoteToTeam,
  registerFoundation,
  registerGroup,
  registerSocialGroup,
  registerTeam,
  reclassify,
} from '../support/fixtures.js';
import {
  demoted,
  dissolved,
  groupRegistered,
  promoted,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';

const name = (value: string, scope: string): UniqueClaim => ({ kind: 'name', scope, value });
const uscc = (value: string): UniqueClaim => ({ kind: 'uscc', scope: PLACES.city, value });
const filing = (value: string, scope: string = PLACES.tianping): UniqueClaim => ({
  kind: 'filing-number',
  scope,
  value,
});

const GROUP = '上海新村书画小组';
const TEAM = '天平路街道夕阳红舞蹈队';
const SOCIAL_GROUP = '徐汇区天平社区睦邻协会';

/** given(history).when(command): the claims the decided events take and release. */
function given(history: readonly OrganizationEvent[]) {
  const before = foldEvents(decider, history);
  const changes = (events: readonly OrganizationEvent[]) =>
    claimChanges(before, foldEvents(decider, events, before));
  return {
    when: (command: OrganizationCommand) => changes(decider.decide(command, before)),
    /** For transitions the decider of this branch does not decide yet (group → registered). */
    whenEvents: changes,
  };
}

describe('claimsOf: a name under its managing authority, a USCC city-wide, a filing in its street', () => {
  it.each([
    ['a group: its community', [groupRegistered(ORG_ID)], [name(GROUP, PLACES.shanghaiXincun)]],
    [
      'a team: its street, and its filing number in the street',
      teamRegistered(ORG_ID),
      [name(TEAM, PLACES.tianping), filing('XH-TP-2022-003')],
    ],
    [
      'a registered organization: its district, and its USCC city-wide',
      [socialGroupRegistered(ORG_ID)],
      [name(SOCIAL_GROUP, PLACES.xuhui), uscc(USCC.socialGroupXuhui)],
    ],
  ])('%s', (_w, history, claims) => {
    expect(claimsOf(foldEvents(decider, history))).toEqual(claims);
  });

  it('a community foundation: its name city-wide (310000)', () => {
    const state = foldEvents(decider, decider.decide(registerFoundation(), null));
    expect(claimsOf(state)).toEqual([
      name('上海市徐汇区天平社区基金会', PLACES.city),
      uscc(USCC.foundationCity),
    ]);
    expect(nameScope({ ...state!, tier: 'registered' })).toBe('310000');
  });

  it('nothing before it exists, nothing once it is dissolved', () => {
    expect(claimsOf(null)).toEqual([]);
    expect(claimsOf(foldEvents(decider, [...teamRegistered(ORG_ID), dissolved(ORG_ID)]))).toEqual(
      [],
    );
  });
});

describe('claimChanges: registration takes, dissolution releases', () => {
  it.each([
    [
      'a group takes its name in its community',
      registerGroup(),
      [name(GROUP, PLACES.shanghaiXincun)],
    ],
    [
      'a team takes its name in its street and its filing number',
      registerTeam(),
      [name(TEAM, PLACES.tianping), filing('XH-TP-2024-001')],
    ],
    [
      'a registered organization takes its name in its district and its USCC',
      registerSocialGroup(),
      [name(SOCIAL_GROUP, PLACES.xuhui), uscc(USCC.socialGroupXuhui)],
    ],
  ])('%s', (_w, command, take) => {
    expect(given([]).when(command)).toEqual({ take, release: [] });
  });

  it('dissolution releases everything the organization held', () => {
    expect(given(teamRegistered(ORG_ID)).when(dissolve({ actor: ACTORS.tianpingStreet }))).toEqual({
      take: [],
      release: [name(TEAM, PLACES.tianping), filing('XH-TP-2022-003')],
    });
  });

  it('a command that changes neither name, tier nor credential takes and releases nothing', () => {
    expect(given([groupRegistered(ORG_ID)]).when(reclassify())).toEqual({ take: [], release: [] });
  });
});

describe('claimChanges: a promotion or demotion moves the name to the new authority', () => {
  it('group → team: the name moves from the community to the street, the filing number is taken', () => {
    expect(given([groupRegistered(ORG_ID)]).when(promoteToTeam())).toEqual({
      take: [name(GROUP, PLACES.tianping), filing('XH-TP-2024-010')],
      release: [name(GROUP, PLACES.shanghaiXincun)],
    });
  });

  it('team → registered: the name moves from the street to the district, USCC taken, filing released', () => {
    expect(given(teamRegistered(ORG_ID)).when(promoteToRegistered())).toEqual({
      take: [name(TEAM, PLACES.xuhui), uscc(USCC.serviceInstitutionXuhui)],
      release: [name(TEAM, PLACES.tianping), filing('XH-TP-2022-003')],
    });
  });

  it('team → community foundation: the name goes city-wide', () => {
    const toFoundation = promoteToRegistered({
      actor: ACTORS.city,
      legalForm: 'community-foundation',
      uscc: USCC.foundationCity,
    });
    expect(given(teamRegistered(ORG_ID, { category: 'charity' })).when(toFoundation).take).toEqual([
      name(TEAM, PLACES.city),
      uscc(USCC.foundationCity),
    ]);
  });

  it('group → registered directly: the name moves from the community to the district', () => {
    const direct = promoted(ORG_ID, 'group', 'registered', '2024-06-01', {
      legalForm: 'social-group',
      uscc: USCC.socialGroupXuhui,
    });
    expect(given([groupRegistered(ORG_ID)]).whenEvents([direct])).toEqual({
      take: [name(GROUP, PLACES.xuhui), uscc(USCC.socialGroupXuhui)],
      release: [name(GROUP, PLACES.shanghaiXincun)],
    });
  });

  it('registered → team: the name moves to the street, the USCC is released', () => {
    const history = [socialGroupRegistered(ORG_ID, { communityCode: PLACES.shanghaiXincun })];
    expect(given(history).when(demote({ actor: ACTORS.xuhuiDistrict, toTier: 'team' }))).toEqual({
      take: [name(SOCIAL_GROUP, PLACES.tianping)],
      release: [name(SOCIAL_GROUP, PLACES.xuhui), uscc(USCC.socialGroupXuhui)],
    });
  });

  it('team → group: the name moves to the community, the filing number is released', () => {
    expect(given(teamRegistered(ORG_ID)).when(demote())).toEqual({
      take: [name(TEAM, PLACES.shanghaiXincun)],
      release: [name(TEAM, PLACES.tianping), filing('XH-TP-2022-003')],
    });
  });

  it('a demoted team that is dissolved later holds nothing more', () => {
    const history = [...teamRegistered(ORG_ID), demoted(ORG_ID, 'team', 'group', '2024-01-01')];
    expect(claimsOf(foldEvents(decider, [...history, dissolved(ORG_ID)]))).toEqual([]);
  });
});

describe('claimChanges: filings', () => {
  it('an amendment with a new number takes the new one and releases the old one', () => {
    expect(given(teamRegistered(ORG_ID)).when(fileTeam())).toEqual({
      take: [filing('XH-TP-2024-009')],
      release: [filing('XH-TP-2022-003')],
    });
  });

  it('an amendment of the date only keeps the number', () => {
    const sameNumber = fileTeam({ filingNumber: 'XH-TP-2022-003', filedOn: '2024-06-01' });
    expect(given(teamRegistered(ORG_ID)).when(sameNumber)).toEqual({ take: [], release: [] });
  });

  it('a cancellation releases the filing number (and the demotion moves the name)', () => {
    expect(given(teamRegistered(ORG_ID)).when(cancelFiling())).toEqual({
      take: [name(TEAM, PLACES.shanghaiXincun)],
      release: [name(TEAM, PLACES.tianping), filing('XH-TP-2022-003')],
    });
  });
});
