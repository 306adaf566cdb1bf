/**
 * Work per request is bounded: a body over its route's limit is refused before it is read, an
 * over-long array before its items are validated, a problem answer lists at most 50 fields, and
 * a client that sends its request slowly is cut off. Meanwhile the server keeps answering.
 */
import { connect } from 'node:net';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  createGroup,
  expectProblem,
  fundingBody,
  groupBody,
  send,
  tokenOf,
} from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp({ env: { REQUEST_TIMEOUT_SECONDS: '2' } });
});
afterAll(async () => {
  await app.close();
});

/** Sends a raw JSON body as the committee, timing the answer. */
async function post(
  path: string,
  body: string,
): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await tokenOf(app, 'shanghaiXincunCommittee')}`,
    },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** Polls /health/live until `done` settles; returns the slowest answer's time. */
async function livenessWhile(done: Promise<unknown>): Promise<number> {
  const state = { settled: false };
  void done.finally(() => (state.settled = true));
  let slowest = 0;
  while (!state.settled) {
    const started = performance.now();
    const res = await fetch(`${app.baseUrl}/health/live`);
    await res.text();
    slowest = Math.max(slowest, performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return slowest;
}

const manyFounders = (count: number): string =>
  JSON.stringify(groupBody({ founders: Array.from({ length: count }, () => ({})) }));

describe('bodies over the limit', () => {
  it('a 1 MB body of 340,000 empty founders is a 413 at once', async () => {
    const body = manyFounders(340_000);
    expect(body.length).toBeGreaterThan(1_000_000);
    const res = await post('/organizations', body);
    expect(res.status).toBe(413);
    expect(res.ms).toBeLessThan(1000);
    expect(JSON.parse(res.text)).toMatchObject({ status: 413 });
  });

  it('a 60 KB body of 20,000 empty founders is a short 400 in under a second, and liveness stays fast', async () => {
    const body = manyFounders(20_000);
    expect(body.length).toBeGreaterThan(59_000);
    await post('/organizations', body); // warm the route once
    const answer = post('/organizations', body);
    const slowestLive = await livenessWhile(answer);
    const res = await answer;
    expect(res.status).toBe(400);
    // Bounds with room for a loaded 2-core CI machine: before the limits it took 11.6 s, and the
    // event loop was blocked as long. Liveness is tens of milliseconds on a quiet machine; a
    // full CI run beside it once took it to 824 ms, so its bound is the answer's.
    expect(res.ms).toBeLessThan(1000);
    expect(Buffer.byteLength(res.text)).toBeLessThan(16 * 1024);
    expect(res.text).toContain('founders');
    expect(slowestLive).toBeLessThan(1000);
  });

  it('a write other than a registration is limited to 32 KB', async () => {
    const { id } = await createGroup(app);
    const res = await send(
      app,
      'xuhuiDistrict',
      'POST',
      `/organizations/${id}/fundings`,
      fundingBody({ purpose: '社区'.repeat(20_000) }),
    );
    expectProblem(res, 413);
  });

  it('a registration of 200 founders with 100-character names fits its route', async () => {
    const founders = Array.from({ length: 200 }, () => ({
      kind: 'resident',
      name: '张'.repeat(100),
    }));
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody({ founders }),
    );
    expect(res.status).not.toBe(413);
  });
});

describe('problem answers stay small', () => {
  it('lists at most 50 bad fields, counts the rest, and keeps detail short', async () => {
    const founders = Array.from({ length: 200 }, () => ({ kind: 'nobody', name: '' }));
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody({ founders }),
    );
    const problem = expectProblem(res, 400);
    expect(problem.errors).toHaveLength(50);
    expect(res.body).toMatchObject({ errorsOmitted: expect.any(Number) as number });
    expect((res.body as { errorsOmitted: number }).errorsOmitted).toBeGreaterThan(300);
    expect(String(problem.detail).length).toBeLessThan(600);
    expect(String(problem.detail)).toMatch(/and \d+ more$/);
  });
});

/** Opens a connection, sends `head`, then one more byte every `everyMs`; resolves with what came back and when. */
function slowClient(
  head: string,
  everyMs: number,
  trickle = '{',
): Promise<{ answer: string; ms: number }> {
  return new Promise((resolve) => {
    const url = new URL(app.baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    const started = performance.now();
    let answer = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (socket.writable) socket.write(trickle);
      }, everyMs);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, ms: performance.now() - started });
    });
  });
}

describe('slow clients are cut off', () => {
  it('a body trickling in a byte at a time is answered 408 once REQUEST_TIMEOUT_SECONDS pass', async () => {
    const head =
      'POST /organizations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n';
    const clients = await Promise.all(Array.from({ length: 5 }, () => slowClient(head, 200)));
    for (const { answer, ms } of clients) {
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(ms).toBeGreaterThan(1500);
      expect(ms).toBeLessThan(5000);
    }
  }, 15_000);

  it('headers that never finish are cut off too', async () => {
    const { answer, ms } = await slowClient(
      'GET /health/live HTTP/1.1\r\nHost: x\r\nX-Slow: ',
      200,
      'a',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeGreaterThan(1500);
    expect(ms).toBeLessThan(5000);
  }, 15_000);
});
