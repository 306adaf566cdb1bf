/**
 * DOMAIN.md §4 records reasons, criteria and filing numbers for auditors: blank ones are refused.
 * Also: filing dates belong to teams only, and a correction notice id is issued once.
 */
import { spec } from '../support/decider-spec.js';
import {
  cancelFiling,
  decider,
  demote,
  dissolve,
  fileTeam,
  issueCorrectionNotice,
  reclassify,
  registerGroup,
  ORG_ID,
} from '../support/fixtures.js';
import { groupRegistered, teamRegistered } from '../support/events.js';

const given = spec(decider).given;

describe('recorded text must not be blank (text-required)', () => {
  it.each([
    [
      'demotion reason',
      teamRegistered(ORG_ID),
      demote({ reason: '   ' }),
      'reason',
      'text-required',
    ],
    [
      'filing cancellation reason',
      teamRegistered(ORG_ID),
      cancelFiling({ reason: '' }),
      'reason',
      'text-required',
    ],
    [
      'dissolution reason',
      [groupRegistered(ORG_ID)],
      dissolve({ reason: ' ' }),
      'reason',
      'text-required',
    ],
    [
      'reclassification criteria',
      [groupRegistered(ORG_ID)],
      reclassify({ criteria: '  ' }),
      'criteria',
      'text-required',
    ],
    [
      'reclassification reason',
      [groupRegistered(ORG_ID)],
      reclassify({ reason: '' }),
      'reason',
      'text-required',
    ],
    [
      'correction notice reason',
      [groupRegistered(ORG_ID)],
      issueCorrectionNotice({ reason: ' ' }),
      'reason',
      'text-required',
    ],
    [
      'amended filing number',
      teamRegistered(ORG_ID),
      fileTeam({ filingNumber: ' ' }),
      'filingNumber',
      'filing-number-required',
    ],
  ] as const)('%s', (_name, history, command, field, rule) => {
    given([...history])
      .when(command)
      .thenThrows({ kind: 'rule', rule, field });
  });
});

describe('filing dates belong to teams (credential-not-applicable)', () => {
  it('a group registration with a filedOn is refused', () => {
    given([])
      .when(registerGroup({ filedOn: '2020-01-01' }))
      .thenThrows({ kind: 'rule', rule: 'credential-not-applicable', field: 'filedOn' });
  });
});

describe('a correction notice is issued once (correction-notice-exists)', () => {
  it('issuing the same notice id again is a conflict', () => {
    const issued = given([groupRegistered(ORG_ID)])
      .when(issueCorrectionNotice())
      .events();
    given([groupRegistered(ORG_ID), ...issued])
      .when(issueCorrectionNotice())
      .thenThrows({ kind: 'conflict', rule: 'correction-notice-exists' });
  });
});
