import { toProblem } from '../../../src/http/problem-details.filter.js';
import {
  AppendOutcomeUnknownError,
  AppendTooLargeError,
  StreamDeletedError,
} from '../../../src/event-sourcing/ports/event-store.port.js';

describe("the event store's refusals and doubts over HTTP", () => {
  it('a stream deleted for good is 410 Gone', () => {
    expect(toProblem(new StreamDeletedError('organization-1'), '/x')).toMatchObject({
      status: 410,
      title: 'Gone',
      type: expect.stringContaining('stream-deleted') as unknown,
      instance: '/x',
    });
  });

  it('an append too large is 413, naming nothing of the store', () => {
    expect(toProblem(new AppendTooLargeError('organization-1', 1024))).toMatchObject({
      status: 413,
      type: expect.stringContaining('append-too-large') as unknown,
    });
  });

  it('an append of unknown outcome is 503 and says it may have been recorded', () => {
    const problem = toProblem(new AppendOutcomeUnknownError('organization-1'));
    expect(problem).toMatchObject({
      status: 503,
      type: expect.stringContaining('outcome-unknown') as unknown,
    });
    expect(problem.detail).toMatch(/may have been recorded/);
    expect(problem.detail).toMatch(/Idempotency-Key/);
  });
});
