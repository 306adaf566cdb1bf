/**
 * DOMAIN.md §4: reclassification, evaluation, correction notices, party organization, contact
 * and personal data, dissolution ("nothing but reads afterwards") and unknown organizations.
 */
import type { ExistingOrganizationCommand } from '../../src/organizations/domain/organization.commands.js';
import type { OrganizationEvent } from '../../src/organizations/domain/organization.events.js';
import type { Organization } from '../../src/organizations/domain/organization.state.js';
import type { Actor } from '../../src/organizations/domain/organization.types.js';
import { spec } from '../support/decider-spec.js';
import {
  ACTORS,
  CONTACT,
  FOUNDED_ON,
  FUNDERS,
  ORG_ID,
  OTHER_CONTACT,
  TODAY,
  TOMORROW,
  cancelFiling,
  changeParty,
  decider,
  demote,
  dissolve,
  erasePersonalData,
  fileTeam,
  grantFunding,
  issueCorrectionNotice,
  promoteToRegistered,
  promoteToTeam,
  reclassify,
  recordEvaluation,
  registerGroup,
  reportActivity,
  resolveCorrectionNotice,
  updateContact,
} from '../support/fixtures.js';
import {
  dissolved,
  foundationRegistered,
  groupRegistered,
  socialGroupRegistered,
  teamRegistered,
} from '../support/events.js';

const given = spec(decider).given;

/** Another organization, the survivor of a merger. */
const SURVIVOR = '6f1c2a9e-3b7d-4c5e-8a1f-0d2e3f4a5b6c';

/** Actors who manage nothing of the default group (上海新村居委会's 书画小组). */
const NOT_THE_GROUPS_MANAGER: [string, Actor][] = [
  ['its street office', ACTORS.tianpingStreet],
  ['another committee', ACTORS.qingyuCommittee],
  ['its district bureau', ACTORS.xuhuiDistrict],
  ['the city bureau', ACTORS.city],
  ['the auditor', ACTORS.auditor],
];

describe('reclassify (调整标签): managing level, old and new category and the criteria', () => {
  it('the committee reclassifies its group (OrganizationReclassified)', () => {
    given([groupRegistered(ORG_ID)])
      .when(reclassify())
      .then([
        {
          type: 'OrganizationReclassified',
          data: {
            organizationId: ORG_ID,
            fromCategory: 'culture-sports',
            toCategory: 'charity',
            criteria: '民政部社区社会组织最新统计口径',
            reason: '主要开展助老服务',
            reclassifiedOn: TODAY,
          },
        },
      ]);
  });

  it('the new category is the one in the state', () => {
    const state = given([groupRegistered(ORG_ID)])
      .when(reclassify())
      .stateAfter();
    expect(state?.category).toBe('charity');
  });

  it('the district reclassifies a registered organization of its district', () => {
    const events = given([socialGroupRegistered(ORG_ID)])
      .when(reclassify({ actor: ACTORS.xuhuiDistrict, category: 'life-service' }))
      .events();
    expect(events).toEqual([
      {
        type: 'OrganizationReclassified',
        data: {
          organizationId: ORG_ID,
          fromCategory: 'community-affairs',
          toCategory: 'life-service',
          criteria: '民政部社区社会组织最新统计口径',
          reason: '主要开展助老服务',
          reclassifiedOn: TODAY,
        },
      },
    ]);
  });

  it('reclassifying to the same category is refused (category-unchanged)', () => {
    given([groupRegistered(ORG_ID)])
      .when(reclassify({ category: 'culture-sports' }))
      .thenThrows({ kind: 'rule', rule: 'category-unchanged', field: 'category' });
  });

  it.each(['life-service', 'community-affairs', 'culture-sports'] as const)(
    'a community foundation reclassified as %s is refused: it stays a charity (foundation-category)',
    (category) => {
      given([foundationRegistered(ORG_ID)])
        .when(reclassify({ actor: ACTORS.city, category }))
        .thenThrows({ kind: 'rule', rule: 'foundation-category', field: 'category' });
    },
  );

  it.each(NOT_THE_GROUPS_MANAGER)('a reclassification by %s is forbidden', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(reclassify({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'reclassification-authority' });
  });
});

describe('record an evaluation (评估评议): committee or street', () => {
  it("the organization's committee records an evaluation (EvaluationRecorded)", () => {
    given([groupRegistered(ORG_ID)])
      .when(recordEvaluation())
      .then([
        {
          type: 'EvaluationRecorded',
          data: {
            organizationId: ORG_ID,
            period: '2023',
            evaluator: 'residents',
            grade: 'excellent',
            evaluatedOn: TODAY,
          },
        },
      ]);
  });

  it("the organization's street records its own appraisal of a team (evaluator street)", () => {
    given(teamRegistered(ORG_ID))
      .when(recordEvaluation({ actor: ACTORS.tianpingStreet, evaluator: 'street', grade: 'pass' }))
      .then([
        {
          type: 'EvaluationRecorded',
          data: {
            organizationId: ORG_ID,
            period: '2023',
            evaluator: 'street',
            grade: 'pass',
            evaluatedOn: TODAY,
          },
        },
      ]);
  });

  it.each(['excellent', 'good', 'pass', 'fail'] as const)(
    'the grade %s (优秀 / 良好 / 合格 / 不合格) is recorded as given',
    (grade) => {
      const events = given([groupRegistered(ORG_ID)])
        .when(recordEvaluation({ grade }))
        .events();
      expect(events).toMatchObject([{ type: 'EvaluationRecorded', data: { grade } }]);
    },
  );

  it("the committee or the street records the residents' appraisal", () => {
    for (const actor of [ACTORS.shanghaiXincunCommittee, ACTORS.tianpingStreet]) {
      given(teamRegistered(ORG_ID))
        .when(recordEvaluation({ actor, evaluator: 'residents' }))
        .then([
          {
            type: 'EvaluationRecorded',
            data: {
              organizationId: ORG_ID,
              period: '2023',
              evaluator: 'residents',
              grade: 'excellent',
              evaluatedOn: TODAY,
            },
          },
        ]);
    }
  });

  it.each<[string, Actor, 'committee' | 'street']>([
    ["the street, as the committee's appraisal", ACTORS.tianpingStreet, 'committee'],
    ["the committee, as the street's appraisal", ACTORS.shanghaiXincunCommittee, 'street'],
  ])('an appraisal recorded by %s is forbidden (evaluator-authority)', (_w, actor, evaluator) => {
    given(teamRegistered(ORG_ID))
      .when(recordEvaluation({ actor, evaluator }))
      .thenThrows({ kind: 'forbidden', rule: 'evaluator-authority' });
  });

  it('a stored v1 appraisal graded A–D reads as excellent / good / pass / fail', () => {
    for (const [old, grade] of [
      ['A', 'excellent'],
      ['B', 'good'],
      ['C', 'pass'],
      ['D', 'fail'],
    ] as const) {
      const stored = {
        type: 'EvaluationRecorded',
        data: {
          organizationId: ORG_ID,
          period: '2022',
          evaluator: 'residents',
          grade: old,
          evaluatedOn: '2023-01-10',
        },
        metadata: { schemaVersion: 1 },
      } as unknown as OrganizationEvent;
      expect(given([groupRegistered(ORG_ID), stored]).state?.latestEvaluation).toEqual({
        period: '2022',
        evaluator: 'residents',
        grade,
        evaluatedOn: '2023-01-10',
      });
    }
  });

  it('the street evaluates a registered organization of its street', () => {
    const events = given([socialGroupRegistered(ORG_ID)])
      .when(recordEvaluation({ actor: ACTORS.tianpingStreet }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['EvaluationRecorded']);
  });

  it.each<[string, Actor]>([
    ['another committee', ACTORS.qingyuCommittee],
    ['another street', ACTORS.hunanStreet],
    ['the district bureau', ACTORS.xuhuiDistrict],
    ['the city bureau', ACTORS.city],
    ['the auditor', ACTORS.auditor],
  ])('an evaluation by %s is forbidden (evaluation-authority)', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(recordEvaluation({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'evaluation-authority' });
  });

  it('the latest evaluation is the one in the state', () => {
    const first = given([groupRegistered(ORG_ID)])
      .when(recordEvaluation())
      .events();
    const state = given([groupRegistered(ORG_ID), ...first])
      .when(recordEvaluation({ period: '2024', grade: 'good', evaluator: 'committee' }))
      .stateAfter();
    expect(state?.latestEvaluation).toEqual({
      period: '2024',
      evaluator: 'committee',
      grade: 'good',
      evaluatedOn: TODAY,
    });
  });
});

describe('correction notices (提醒和纠正): issue and resolve, by the managing level', () => {
  const issued: OrganizationEvent = {
    type: 'CorrectionNoticeIssued',
    data: {
      organizationId: ORG_ID,
      noticeId: 'notice-1',
      reason: '活动噪音扰民',
      issuedOn: '2024-05-01',
    },
  };

  it('the committee issues a notice to its group (CorrectionNoticeIssued)', () => {
    given([groupRegistered(ORG_ID)])
      .when(issueCorrectionNotice())
      .then([
        {
          type: 'CorrectionNoticeIssued',
          data: {
            organizationId: ORG_ID,
            noticeId: 'notice-1',
            reason: '活动噪音扰民',
            issuedOn: TODAY,
          },
        },
      ]);
  });

  it('the committee resolves an open notice (CorrectionNoticeResolved, with its note)', () => {
    given([groupRegistered(ORG_ID), issued])
      .when(resolveCorrectionNotice({ note: '已调整活动时间' }))
      .then([
        {
          type: 'CorrectionNoticeResolved',
          data: {
            organizationId: ORG_ID,
            noticeId: 'notice-1',
            resolvedOn: TODAY,
            note: '已调整活动时间',
          },
        },
      ]);
  });

  it('a resolution without a note records none', () => {
    given([groupRegistered(ORG_ID), issued])
      .when(resolveCorrectionNotice())
      .then([
        {
          type: 'CorrectionNoticeResolved',
          data: { organizationId: ORG_ID, noticeId: 'notice-1', resolvedOn: TODAY },
        },
      ]);
  });

  it('resolving an unknown notice is not found (correction-notice-unknown)', () => {
    given([groupRegistered(ORG_ID), issued])
      .when(resolveCorrectionNotice({ noticeId: 'notice-404' }))
      .thenThrows({ kind: 'not-found', rule: 'correction-notice-unknown' });
  });

  it('resolving a notice twice is not found the second time (correction-notice-unknown)', () => {
    const resolved = given([groupRegistered(ORG_ID), issued])
      .when(resolveCorrectionNotice())
      .events();
    given([groupRegistered(ORG_ID), issued, ...resolved])
      .when(resolveCorrectionNotice())
      .thenThrows({ kind: 'not-found', rule: 'correction-notice-unknown' });
  });

  it('open notices and the count of notices are kept in the state', () => {
    const second: OrganizationEvent = {
      type: 'CorrectionNoticeIssued',
      data: {
        organizationId: ORG_ID,
        noticeId: 'notice-2',
        reason: '账目不清',
        issuedOn: '2024-05-02',
      },
    };
    const state = given([groupRegistered(ORG_ID), issued, second])
      .when(resolveCorrectionNotice())
      .stateAfter() as Organization;
    expect(state.openCorrectionNotices).toEqual(['notice-2']);
    expect(state.correctionNoticeCount).toBe(2);
  });

  it.each(NOT_THE_GROUPS_MANAGER)('issuing a notice by %s is forbidden', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(issueCorrectionNotice({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'correction-notice-authority' });
  });

  it.each(NOT_THE_GROUPS_MANAGER)('resolving a notice by %s is forbidden', (_w, actor) => {
    given([groupRegistered(ORG_ID), issued])
      .when(resolveCorrectionNotice({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'correction-notice-authority' });
  });
});

describe('party organization status: managing level, no-op when unchanged', () => {
  it('a change is recorded with the old and new status (PartyOrganizationChanged)', () => {
    given([groupRegistered(ORG_ID)])
      .when(changeParty({ status: 'own-branch' }))
      .then([
        {
          type: 'PartyOrganizationChanged',
          data: { organizationId: ORG_ID, from: 'none', to: 'own-branch', changedOn: TODAY },
        },
      ]);
  });

  it('a change from a joint branch to a liaison records both', () => {
    const joint: OrganizationEvent = {
      type: 'PartyOrganizationChanged',
      data: { organizationId: ORG_ID, from: 'none', to: 'joint-branch', changedOn: '2023-07-01' },
    };
    given([groupRegistered(ORG_ID), joint])
      .when(changeParty({ status: 'liaison' }))
      .then([
        {
          type: 'PartyOrganizationChanged',
          data: { organizationId: ORG_ID, from: 'joint-branch', to: 'liaison', changedOn: TODAY },
        },
      ]);
  });

  it('a party instructor (党建指导员) is a status of its own', () => {
    given([groupRegistered(ORG_ID)])
      .when(changeParty({ status: 'instructor' }))
      .then([
        {
          type: 'PartyOrganizationChanged',
          data: { organizationId: ORG_ID, from: 'none', to: 'instructor', changedOn: TODAY },
        },
      ]);
  });

  it('the unchanged status decides nothing', () => {
    given([groupRegistered(ORG_ID)])
      .when(changeParty({ status: 'none' }))
      .thenNothing();
  });

  it.each(NOT_THE_GROUPS_MANAGER)('a change by %s is forbidden', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(changeParty({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'party-organization-authority' });
  });
});

describe('contact and personal data (§7): managing level', () => {
  it('the committee updates the (encrypted) contact (ContactUpdated)', () => {
    given([groupRegistered(ORG_ID)])
      .when(updateContact())
      .then([{ type: 'ContactUpdated', data: { organizationId: ORG_ID, contact: OTHER_CONTACT } }]);
  });

  it('erasing personal data of an organization with a contact (PersonalDataErased)', () => {
    given([groupRegistered(ORG_ID)])
      .when(erasePersonalData())
      .then([{ type: 'PersonalDataErased', data: { organizationId: ORG_ID, erasedOn: TODAY } }]);
  });

  it('after erasure the state holds no contact and says so', () => {
    const state = given([groupRegistered(ORG_ID)])
      .when(erasePersonalData())
      .stateAfter() as Organization;
    expect(state.contact).toBeUndefined();
    expect(state.personalDataErased).toBe(true);
  });

  it("after erasure the state holds no resident founder's name, and a unit's name stays", () => {
    const state = given(teamRegistered(ORG_ID, { contact: CONTACT }))
      .when(erasePersonalData({ actor: ACTORS.tianpingStreet }))
      .stateAfter() as Organization;
    expect(state.founders).toEqual([
      { kind: 'resident', nameErased: true },
      { kind: 'unit', name: '天平路社区文化活动中心' },
    ]);
  });

  it("a resident founder's name alone is personal data to erase (PersonalDataErased)", () => {
    given(teamRegistered(ORG_ID))
      .when(erasePersonalData({ actor: ACTORS.tianpingStreet }))
      .then([{ type: 'PersonalDataErased', data: { organizationId: ORG_ID, erasedOn: TODAY } }]);
  });

  it('a name stored in plaintext before v3 is erased from the state too (the log keeps it)', () => {
    const legacy = groupRegistered(ORG_ID, {
      founders: [{ kind: 'resident', plaintextName: '王阿姨' }],
      contact: undefined,
    });
    const state = given([legacy]).when(erasePersonalData()).stateAfter() as Organization;
    expect(state.founders).toEqual([{ kind: 'resident', nameErased: true }]);
  });

  it('erasing when there is nothing to erase decides nothing', () => {
    // No contact, and a unit founder only: a unit's name is not personal data.
    given([socialGroupRegistered(ORG_ID, { contact: undefined })])
      .when(erasePersonalData({ actor: ACTORS.xuhuiDistrict }))
      .thenNothing();
    const erased: OrganizationEvent = {
      type: 'PersonalDataErased',
      data: { organizationId: ORG_ID, erasedOn: '2024-01-01' },
    };
    given([groupRegistered(ORG_ID), erased])
      .when(erasePersonalData())
      .thenNothing();
  });

  it("a new contact after erasure is held again; the founders' names stay erased", () => {
    const erased: OrganizationEvent = {
      type: 'PersonalDataErased',
      data: { organizationId: ORG_ID, erasedOn: '2024-01-01' },
    };
    const state = given([groupRegistered(ORG_ID), erased])
      .when(updateContact())
      .stateAfter() as Organization;
    expect(state.contact).toEqual(OTHER_CONTACT);
    expect(state.personalDataErased).toBe(false);
    expect(state.founders).toEqual([{ kind: 'resident', nameErased: true }]);
  });

  it.each(NOT_THE_GROUPS_MANAGER)('a contact update by %s is forbidden', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(updateContact({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'contact-authority' });
  });

  it.each(NOT_THE_GROUPS_MANAGER)('an erasure by %s is forbidden', (_w, actor) => {
    given([groupRegistered(ORG_ID)])
      .when(erasePersonalData({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'contact-authority' });
  });
});

describe('dissolve (注销/撤销): managing level, then nothing but reads', () => {
  it('the committee dissolves its group (OrganizationDissolved, with its kind)', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve())
      .then([
        {
          type: 'OrganizationDissolved',
          data: {
            organizationId: ORG_ID,
            reason: '成员自愿解散',
            dissolvedOn: '2024-06-14',
            kind: 'deregistered',
          },
        },
      ]);
  });

  it.each<[string, OrganizationEvent[], Actor, 'deregistered' | 'revoked' | 'cleared']>([
    [
      'a group cleared by its committee',
      [groupRegistered(ORG_ID)],
      ACTORS.shanghaiXincunCommittee,
      'cleared',
    ],
    ['a team cleared by its street', teamRegistered(ORG_ID), ACTORS.tianpingStreet, 'cleared'],
    ['a team revoked by its street', teamRegistered(ORG_ID), ACTORS.tianpingStreet, 'revoked'],
    [
      'a social group revoked by its district',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.xuhuiDistrict,
      'revoked',
    ],
    [
      'a social group deregistered',
      [socialGroupRegistered(ORG_ID)],
      ACTORS.xuhuiDistrict,
      'deregistered',
    ],
  ])('%s: the kind is in the event and the state', (_w, history, actor, kind) => {
    const events = given(history).when(dissolve({ actor, kind })).events();
    expect(events).toMatchObject([{ type: 'OrganizationDissolved', data: { kind } }]);
    expect(events[0]?.data).not.toHaveProperty('mergedInto');
    const state = given([...history, ...events]).state;
    expect(state).toMatchObject({ status: 'dissolved', dissolutionKind: kind });
  });

  it.each<[string, OrganizationEvent[], Actor]>([
    ['a social group', [socialGroupRegistered(ORG_ID)], ACTORS.xuhuiDistrict],
    ['a community foundation', [foundationRegistered(ORG_ID)], ACTORS.city],
  ])('clearing %s is refused (cleared-not-for-registered)', (_w, history, actor) => {
    given(history)
      .when(dissolve({ actor, kind: 'cleared' }))
      .thenThrows({ kind: 'rule', rule: 'cleared-not-for-registered', field: 'kind' });
  });

  it('a merger into a live organization names the survivor (mergedInto)', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve({ kind: 'merged', mergedInto: SURVIVOR, survivor: 'active' }))
      .then([
        {
          type: 'OrganizationDissolved',
          data: {
            organizationId: ORG_ID,
            reason: '成员自愿解散',
            dissolvedOn: '2024-06-14',
            kind: 'merged',
            mergedInto: SURVIVOR,
          },
        },
      ]);
    const state = given([
      groupRegistered(ORG_ID),
      dissolved(ORG_ID, '2024-06-14', 'merged', SURVIVOR),
    ]).state;
    expect(state).toMatchObject({ dissolutionKind: 'merged', mergedInto: SURVIVOR });
  });

  it('a merger without a survivor is refused (merged-into-required)', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve({ kind: 'merged' }))
      .thenThrows({ kind: 'rule', rule: 'merged-into-required', field: 'mergedInto' });
  });

  it.each(['deregistered', 'revoked', 'cleared'] as const)(
    'a %s dissolution naming a survivor is refused (merged-into-not-applicable)',
    (kind) => {
      given([groupRegistered(ORG_ID)])
        .when(dissolve({ kind, mergedInto: SURVIVOR, survivor: 'active' }))
        .thenThrows({ kind: 'rule', rule: 'merged-into-not-applicable', field: 'mergedInto' });
    },
  );

  it('a merger into itself is refused (merge-into-itself)', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve({ kind: 'merged', mergedInto: ORG_ID, survivor: 'active' }))
      .thenThrows({ kind: 'rule', rule: 'merge-into-itself', field: 'mergedInto' });
  });

  it.each<[string, 'dissolved' | 'unknown' | undefined, string]>([
    ['a dissolved survivor', 'dissolved', 'merge-survivor-dissolved'],
    ['an unknown survivor', 'unknown', 'merge-survivor-unknown'],
    ['a survivor nobody looked up', undefined, 'merge-survivor-unknown'],
  ])('a merger into %s is refused (%s)', (_w, survivor, rule) => {
    given([groupRegistered(ORG_ID)])
      .when(
        dissolve({
          kind: 'merged',
          mergedInto: SURVIVOR,
          ...(survivor !== undefined && { survivor }),
        }),
      )
      .thenThrows({ kind: 'rule', rule, field: 'mergedInto' });
  });

  it('a stored v1 dissolution without a kind reads as deregistered', () => {
    const stored = {
      type: 'OrganizationDissolved',
      data: { organizationId: ORG_ID, reason: '成员自愿解散', dissolvedOn: '2024-01-31' },
      metadata: { schemaVersion: 1 },
    } as unknown as OrganizationEvent;
    expect(given([groupRegistered(ORG_ID), stored]).state).toMatchObject({
      status: 'dissolved',
      dissolvedOn: '2024-01-31',
      dissolutionKind: 'deregistered',
    });
  });

  it.each<[string, OrganizationEvent[], Actor]>([
    ['a team by its street', teamRegistered(ORG_ID), ACTORS.tianpingStreet],
    ['a social group by its district', [socialGroupRegistered(ORG_ID)], ACTORS.xuhuiDistrict],
    ['a community foundation by the city', [foundationRegistered(ORG_ID)], ACTORS.city],
  ])('dissolving %s', (_w, history, actor) => {
    const state = given(history).when(dissolve({ actor })).stateAfter() as Organization;
    expect(state.status).toBe('dissolved');
    expect(state.dissolvedOn).toBe('2024-06-14');
  });

  it.each<[string, OrganizationEvent[], Actor]>([
    ['a group by its street', [groupRegistered(ORG_ID)], ACTORS.tianpingStreet],
    ['a team by its committee', teamRegistered(ORG_ID), ACTORS.shanghaiXincunCommittee],
    ['a team by its district', teamRegistered(ORG_ID), ACTORS.xuhuiDistrict],
    ['a social group by the city', [socialGroupRegistered(ORG_ID)], ACTORS.city],
    ['a social group by another district', [socialGroupRegistered(ORG_ID)], ACTORS.pudongDistrict],
    [
      'a community foundation by its district',
      [foundationRegistered(ORG_ID)],
      ACTORS.xuhuiDistrict,
    ],
    ['a group by the auditor', [groupRegistered(ORG_ID)], ACTORS.auditor],
  ])('dissolving %s is forbidden (dissolution-authority)', (_w, history, actor) => {
    given(history)
      .when(dissolve({ actor }))
      .thenThrows({ kind: 'forbidden', rule: 'dissolution-authority' });
  });

  it('a dissolution dated in the future is refused (date-in-future)', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve({ dissolvedOn: TOMORROW }))
      .thenThrows({ kind: 'rule', rule: 'date-in-future', field: 'dissolvedOn' });
  });

  it('a dissolution dated on no calendar day is refused (date-invalid)', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve({ dissolvedOn: '2024-04-31' }))
      .thenThrows({ kind: 'rule', rule: 'date-invalid', field: 'dissolvedOn' });
  });

  it('a dissolution before the founding date is refused, on it accepted', () => {
    given([groupRegistered(ORG_ID)])
      .when(dissolve({ dissolvedOn: '2020-02-29' }))
      .thenThrows({ kind: 'rule', rule: 'dissolved-before-founding', field: 'dissolvedOn' });
    const events = given([groupRegistered(ORG_ID)])
      .when(dissolve({ dissolvedOn: FOUNDED_ON }))
      .events();
    expect(events[0]).toMatchObject({ data: { dissolvedOn: FOUNDED_ON } });
  });

  const afterDissolution: [string, ExistingOrganizationCommand][] = [
    ['FileTeam', fileTeam()],
    ['CancelFiling (no filing in force)', cancelFiling()],
    ['PromoteTier to team', promoteToTeam()],
    ['PromoteTier to registered', promoteToRegistered()],
    ['DemoteTier', demote()],
    ['ReportActivity', reportActivity()],
    ['GrantFunding', grantFunding()],
    ['Reclassify', reclassify()],
    ['RecordEvaluation', recordEvaluation()],
    ['IssueCorrectionNotice', issueCorrectionNotice()],
    ['ResolveCorrectionNotice', resolveCorrectionNotice()],
    ['ChangePartyOrganization', changeParty()],
    ['UpdateContact', updateContact()],
    ['Dissolve', dissolve()],
  ];

  it('after dissolution personal data can still be erased (PIPL keeps erasure possible)', () => {
    given([groupRegistered(ORG_ID, { contact: CONTACT }), dissolved(ORG_ID)])
      .when(erasePersonalData())
      .then([{ type: 'PersonalDataErased', data: { organizationId: ORG_ID, erasedOn: TODAY } }]);
  });

  it.each(afterDissolution)(
    'after dissolution %s is refused (organization-dissolved)',
    (_w, command) => {
      given([groupRegistered(ORG_ID), dissolved(ORG_ID)])
        .when(command)
        .thenThrows({ kind: 'rule', rule: 'organization-dissolved' });
    },
  );

  it('after dissolution the organization cannot be registered again (organization-exists)', () => {
    given([groupRegistered(ORG_ID), dissolved(ORG_ID)])
      .when(registerGroup())
      .thenThrows({ kind: 'conflict', rule: 'organization-exists' });
  });
});

describe('an unknown organization', () => {
  const commands: [string, ExistingOrganizationCommand][] = [
    ['FileTeam', fileTeam()],
    ['CancelFiling', cancelFiling()],
    ['PromoteTier', promoteToTeam()],
    ['DemoteTier', demote()],
    ['ReportActivity', reportActivity()],
    ['GrantFunding', grantFunding()],
    ['Reclassify', reclassify()],
    ['RecordEvaluation', recordEvaluation()],
    ['IssueCorrectionNotice', issueCorrectionNotice()],
    ['ResolveCorrectionNotice', resolveCorrectionNotice()],
    ['ChangePartyOrganization', changeParty()],
    ['UpdateContact', updateContact()],
    ['ErasePersonalData', erasePersonalData()],
    ['Dissolve', dissolve()],
  ];
  it.each(commands)('%s on no organization is not found (organization-unknown)', (_w, command) => {
    given([]).when(command).thenThrows({ kind: 'not-found', rule: 'organization-unknown' });
  });
});

describe('evolve: the state after a long history', () => {
  it('folds registration, tiers, category, filing, funding, counts and status', () => {
    // Every event below comes from the decider itself, command after command.
    const history: OrganizationEvent[] = [];
    const run = (command: Parameters<typeof decider.decide>[0]) => {
      history.push(...given(history).when(command).events());
    };
    run(registerGroup());
    run(reclassify({ category: 'charity' }));
    run(changeParty({ status: 'joint-branch' }));
    run(reportActivity({ reportId: 'r1', participants: 30 }));
    run(issueCorrectionNotice({ noticeId: 'n1' }));
    run(promoteToTeam({ filingNumber: 'XH-TP-2024-010', filedOn: '2024-06-05' }));
    run(fileTeam({ filingNumber: 'XH-TP-2024-011', filedOn: '2024-06-06' }));
    run(grantFunding({ grantId: 'g1', amountFen: 1_250_000 }));
    run(
      grantFunding({
        grantId: 'g2',
        channel: 'welfare-lottery',
        purpose: 'elderly',
        amountFen: 5,
        funder: FUNDERS.xuhui,
      }),
    );
    run(reportActivity({ reportId: 'r2', participants: 150, actor: ACTORS.tianpingStreet }));
    run(resolveCorrectionNotice({ noticeId: 'n1', actor: ACTORS.tianpingStreet }));
    run(issueCorrectionNotice({ noticeId: 'n2', actor: ACTORS.tianpingStreet }));
    run(recordEvaluation({ actor: ACTORS.tianpingStreet, period: '2024H1', grade: 'good' }));
    run(updateContact({ actor: ACTORS.tianpingStreet }));
    run(erasePersonalData({ actor: ACTORS.tianpingStreet }));
    run(dissolve({ actor: ACTORS.tianpingStreet, dissolvedOn: '2024-06-14' }));

    expect(history.map((e) => e.type)).toEqual([
      'OrganizationRegistered',
      'OrganizationReclassified',
      'PartyOrganizationChanged',
      'ActivityReported',
      'CorrectionNoticeIssued',
      'OrganizationFiled',
      'TierPromoted',
      'FilingAmended',
      'FundingGranted',
      'FundingGranted',
      'ActivityReported',
      'CorrectionNoticeResolved',
      'CorrectionNoticeIssued',
      'EvaluationRecorded',
      'ContactUpdated',
      'PersonalDataErased',
      'OrganizationDissolved',
    ]);
    const state = history.reduce(decider.evolve, decider.initialState);
    expect(state).toEqual({
      id: ORG_ID,
      name: '上海新村书画小组',
      category: 'charity',
      tier: 'team',
      filing: { number: 'XH-TP-2024-011', filedOn: '2024-06-06' },
      districtCode: '310104',
      streetCode: '310104003',
      communityCode: '310104003001',
      foundedOn: FOUNDED_ON,
      // A group promoted to a team: its tier began with the promotion; its scope stays.
      tierSince: '2024-06-05',
      activityScope: 'community',
      // Erased with the contact: the resident founder's name is gone from the state.
      founders: [{ kind: 'resident', nameErased: true }],
      partyOrganization: 'joint-branch',
      personalDataErased: true,
      status: 'dissolved',
      dissolvedOn: '2024-06-14',
      dissolutionKind: 'deregistered',
      openCorrectionNotices: ['n2'],
      correctionNoticeCount: 2,
      fundingTotalFen: 1_250_005,
      grantCount: 2,
      activityReportCount: 2,
      // Where each report was routed, for its receiving level's acknowledgement.
      activityReports: {
        r1: {
          level: 'community',
          districtCode: '310104',
          streetCode: '310104003',
          communityCode: '310104003001',
          reportedOn: '2024-06-15',
        },
        r2: {
          level: 'street',
          districtCode: '310104',
          streetCode: '310104003',
          communityCode: '310104003001',
          reportedOn: '2024-06-15',
        },
      },
      latestEvaluation: {
        period: '2024H1',
        evaluator: 'residents',
        grade: 'good',
        evaluatedOn: TODAY,
      },
    } satisfies Organization);
  });

  it('a registered organization demoted and re-promoted carries the latest credentials only', () => {
    const history: OrganizationEvent[] = [
      socialGroupRegistered(ORG_ID, { communityCode: '310104003001', contact: CONTACT }),
    ];
    const run = (command: Parameters<typeof decider.decide>[0]) => {
      history.push(...given(history).when(command).events());
    };
    run(demote({ actor: ACTORS.xuhuiDistrict, toTier: 'team' }));
    run(fileTeam({ filingNumber: 'XH-TP-2024-020', filedOn: '2024-06-07' }));
    run(cancelFiling({ cancelledOn: '2024-06-08' }));
    const asGroup = history.reduce(decider.evolve, decider.initialState) as Organization;
    expect(asGroup).toMatchObject({ tier: 'group', status: 'active' });
    expect(asGroup.filing).toBeUndefined();
    expect(asGroup.uscc).toBeUndefined();
    expect(asGroup.legalForm).toBeUndefined();
    run(promoteToTeam({ filingNumber: 'XH-TP-2024-021', filedOn: '2024-06-09' }));
    run(promoteToRegistered({ registeredOn: '2024-06-12' }));
    const state = history.reduce(decider.evolve, decider.initialState) as Organization;
    expect(state).toMatchObject({
      tier: 'registered',
      legalForm: 'social-service-institution',
      uscc: '52310104MJ0000122D',
      contact: CONTACT,
    });
    expect(state.filing).toBeUndefined();
  });

  it('events other than registration leave the initial (absent) state absent', () => {
    expect(decider.evolve(decider.initialState, dissolved(ORG_ID))).toBeNull();
  });
});
