/**
 * The recorder GET /organizations/{id} calls before showing personal data: the time from the
 * injected clock, who from the token, nothing for a read that shows nothing, and a failed record
 * is the caller's failure (it must not show the data).
 */
import type { FastifyRequest } from 'fastify';
import type {
  AccessPage,
  PersonalDataAccess,
  PersonalDataAccessLog,
  RecordedAccess,
} from '../../src/event-sourcing/ports/personal-data-access-log.port.js';
import {
  accessRoute,
  PersonalDataAccessRecorder,
} from '../../src/personal-data/access-recorder.js';
import { ACTORS } from '../support/fixtures.js';

class MemoryLog implements PersonalDataAccessLog {
  readonly appended: PersonalDataAccess[] = [];
  failWith: Error | undefined;
  append(access: PersonalDataAccess): Promise<RecordedAccess> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.appended.push(access);
    return Promise.resolve({ ...access, id: String(this.appended.length).padStart(24, '0') });
  }
  query(): Promise<AccessPage> {
    return Promise.resolve({ items: [], next: null });
  }
  ping(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const clock = { now: () => new Date('2026-01-15T02:00:00.000Z') };
const actor = ACTORS.shanghaiXincunCommittee;

describe('PersonalDataAccessRecorder', () => {
  it('records who, when (the injected clock), which organization, the route and what was shown', async () => {
    const log = new MemoryLog();
    await new PersonalDataAccessRecorder(log, clock).record({
      actor,
      organizationId: 'org-1',
      fields: ['contact'],
      route: 'GET /organizations/:id',
      correlationId: 'c-1',
    });
    expect(log.appended).toEqual([
      {
        at: '2026-01-15T02:00:00.000Z',
        actorId: actor.id,
        role: actor.role,
        jurisdiction: actor.jurisdiction,
        organizationId: 'org-1',
        route: 'GET /organizations/:id',
        fields: ['contact'],
        correlationId: 'c-1',
      },
    ]);
  });

  it('records nothing when nothing personal is shown', async () => {
    const log = new MemoryLog();
    await new PersonalDataAccessRecorder(log, clock).record({
      actor,
      organizationId: 'org-1',
      fields: [],
      route: 'GET /organizations/:id',
    });
    expect(log.appended).toEqual([]);
  });

  it('fails when the record cannot be kept', async () => {
    const log = new MemoryLog();
    log.failWith = new Error('disk full');
    await expect(
      new PersonalDataAccessRecorder(log, clock).record({
        actor,
        organizationId: 'org-1',
        fields: ['contact'],
        route: 'GET /organizations/:id',
      }),
    ).rejects.toThrow('disk full');
  });
});

describe('accessRoute', () => {
  const request = (headers: Record<string, string>) =>
    ({
      method: 'GET',
      url: '/organizations/abc?x=1',
      routeOptions: { url: '/organizations/:id' },
      headers,
    }) as unknown as FastifyRequest;

  it('names the route pattern, not the path, and keeps a well-formed correlation id', () => {
    expect(accessRoute(request({ 'x-correlation-id': 'desk-42' }))).toEqual({
      route: 'GET /organizations/:id',
      correlationId: 'desk-42',
    });
  });

  it('leaves out a correlation id that is not an identifier', () => {
    for (const value of ['=cmd()', 'a'.repeat(65), 'two words'])
      expect(accessRoute(request({ 'x-correlation-id': value }))).toEqual({
        route: 'GET /organizations/:id',
      });
  });
});
