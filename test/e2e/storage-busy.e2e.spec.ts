/**
 * A busy database: another connection holds the event log's write lock (a command line, another
 * process) past the busy timeout. The write answers 503 problem+json with Retry-After, not a
 * 500; nothing is written, /health does not stay down for it, and the same write goes through
 * once the lock is released.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { expectNoStackTrace, groupBody } from '../support/e2e-kit.js';
import { ACTORS } from '../support/fixtures.js';
import { signTestToken, startHttpApp, type HttpApp } from '../support/http-app.js';

let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app.close();
});

it('answers 503 with Retry-After while another writer holds the lock, and writes after', async () => {
  const committee = ACTORS.shanghaiXincunCommittee;
  const token = await signTestToken(committee.role, committee.jurisdiction, { sub: committee.id });
  const body = groupBody();
  const write = () =>
    app.request('POST', '/organizations', {
      token,
      body,
      headers: { 'idempotency-key': 'busy-1' },
    });
  const headBefore = (await app.request('GET', '/health')).body.eventStore.headPosition as number;

  const other = new Database(join(app.dataDir, 'events.sqlite'));
  try {
    other.prepare('BEGIN IMMEDIATE').run();
    const started = Date.now();
    const busy = await write();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(busy.body).toEqual(
      expect.objectContaining({
        status: 503,
        title: 'Database busy',
        type: 'urn:community-orgs:problem:storage-busy',
      }),
    );
    expectNoStackTrace(busy.text);
  } finally {
    other.prepare('ROLLBACK').run();
    other.close();
  }

  const health = await app.request('GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body.storage).toBeUndefined();
  expect(health.body.eventStore.headPosition).toBe(headBefore);
  const written = await write();
  expect(written.status).toBe(201);
  expect(written.headers.get('idempotent-replayed')).toBeNull();
}, 30_000);
