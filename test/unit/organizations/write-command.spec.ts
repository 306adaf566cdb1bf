import { positionFromJson } from '../../../src/event-sourcing/ports/event-store.port.js';
/**
 * The one command handler of the table: it builds each row's domain command (ids from the
 * injected generator) and runs it through the writer; the answer's extra fields come from the
 * written events.
 */
import 'reflect-metadata';
import type { CommandContext } from '../../../src/event-sourcing/command-context.js';
import { answer, type CommandAnswer } from '../../../src/organizations/command-answer.js';
import {
  WriteCommand,
  WriteCommandHandler,
} from '../../../src/organizations/commands/write-command.js';
import type { ActivityReported } from '../../../src/organizations/domain/organization.events.js';
import { FundingDto } from '../../../src/organizations/dto/funding.dto.js';
import type { OrganizationWriter } from '../../../src/organizations/organization-writer.js';
import { ACTORS } from '../../support/fixtures.js';

const CONTEXT: CommandContext = {
  actor: ACTORS.tianpingStreet,
  commandId: 'c-1',
  correlationId: 'c-1',
};
const ANSWER: CommandAnswer = {
  id: 'org-1',
  revision: 3,
  position: 9,
  written: true,
  replayed: false,
};

function handlerWithFakeWriter(): { handler: WriteCommandHandler; calls: unknown[][] } {
  const calls: unknown[][] = [];
  const writer = {
    register: (...args: unknown[]) => (calls.push(['register', ...args]), Promise.resolve(ANSWER)),
    change: (...args: unknown[]) => (calls.push(['change', ...args]), Promise.resolve(ANSWER)),
  } as unknown as OrganizationWriter;
  let n = 0;
  return { handler: new WriteCommandHandler(writer, () => `new-${String(++n)}`), calls };
}

describe('WriteCommandHandler', () => {
  it('runs a change with a generated id, the organization from :id and the If-Match revision', async () => {
    const { handler, calls } = handlerWithFakeWriter();
    const dto = Object.assign(new FundingDto(), {
      channel: 'subsidy',
      amountFen: 100,
      grantedOn: '2025-01-10',
      funder: { name: '某街道', level: 'street', code: '310104003' },
      programme: '社区微更新',
    });
    expect(
      await handler.execute(new WriteCommand('grantFunding', dto, { id: 'org-1' }, CONTEXT, 2)),
    ).toBe(ANSWER);
    expect(calls).toEqual([
      [
        'change',
        'org-1',
        {
          type: 'GrantFunding',
          grantId: 'new-1',
          channel: 'subsidy',
          amountFen: 100,
          grantedOn: '2025-01-10',
          funder: { name: '某街道', level: 'street', code: '310104003' },
          programme: '社区微更新',
        },
        CONTEXT,
        2,
      ],
    ]);
  });

  it('takes a second path parameter into the command (the notice to resolve)', async () => {
    const { handler, calls } = handlerWithFakeWriter();
    await handler.execute(
      new WriteCommand(
        'resolveNotice',
        { note: '已整改' },
        { id: 'org-1', noticeId: 'n-1' },
        CONTEXT,
      ),
    );
    expect(calls).toEqual([
      [
        'change',
        'org-1',
        { type: 'ResolveCorrectionNotice', noticeId: 'n-1', note: '已整改' },
        CONTEXT,
        undefined,
      ],
    ]);
  });

  it('registers without an id: the writer names the new stream', async () => {
    const { handler, calls } = handlerWithFakeWriter();
    const body = { name: '书画小组', contact: { name: '王阿姨', phone: '13812345678' } };
    await handler.execute(new WriteCommand('register', body, {}, CONTEXT));
    expect(calls).toEqual([['register', body, CONTEXT]]);
  });
});

describe('answer', () => {
  const reported: ActivityReported = {
    type: 'ActivityReported',
    data: {
      organizationId: 'org-1',
      reportId: 'r-1',
      title: '重阳敬老',
      kind: 'volunteer-service',
      startsOn: '2025-10-01',
      endsOn: '2025-10-01',
      communityCode: '310104003001',
      streetCode: '310104003',
      districtCode: '310104',
      participants: 60,
      level: 'street',
      reportedOn: '2025-09-20',
    },
  };

  it('adds the fields the written events carry, in the order the answer lists them', () => {
    expect(JSON.stringify(answer('org-1', 4, positionFromJson(10), [reported], true))).toBe(
      '{"id":"org-1","revision":4,"position":10,"written":true,"replayed":false,"reportId":"r-1","level":"street"}',
    );
  });

  it('adds none for events without answer fields, or when nothing was written', () => {
    expect(answer('org-1', 4, positionFromJson(10), [], false)).toEqual({
      id: 'org-1',
      revision: 4,
      position: 10,
      written: false,
      replayed: false,
    });
  });
});
