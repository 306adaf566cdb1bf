/**
 * Crash safety of the compiled server: a burst of writes (team registrations and grants, each
 * with an Idempotency-Key, several in flight at once), SIGKILL in the middle, restart on the same
 * DATA_DIR. Every acknowledged write must be there, nothing half-written, and retries of the
 * unacknowledged writes with their keys must succeed without duplicates. Twice, killed at
 * different points. Needs `npm run build` (dist/src/main.js).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLACES } from '../support/fixtures.js';
import { httpRequest, signTestToken, type HttpResponse, type Json } from '../support/http-app.js';
import { fundingBody, groupBody, teamBody, type Body } from '../support/e2e-kit.js';
import {
  requireCompiledServer,
  startServer,
  type SpawnedServer,
} from '../support/spawned-server.js';

interface Op {
  readonly kind: 'register' | 'fund';
  readonly key: string;
  readonly path: string;
  readonly body: Body;
  /** For grants: the organization and the amount. */
  readonly orgId?: string;
  readonly amount?: number;
  state: 'pending' | 'in-flight' | 'acked' | 'refused' | 'lost';
  answer?: HttpResponse;
}

const CONCURRENCY = 6;
const BURST = 60;

let dataDir = '';
let server: SpawnedServer | undefined;
let streetToken = '';
let committeeToken = '';
/** The organizations the grants go to, registered (and acknowledged) before the first burst. */
const targets: string[] = [];
/** Every write of every round, in order. */
const allOps: Op[] = [];
/** Events the log must hold once every write has landed exactly once. */
let expectedEvents = 0;

beforeAll(async () => {
  requireCompiledServer();
  dataDir = mkdtempSync(join(tmpdir(), 'community-orgs-crash-'));
  streetToken = await signTestToken('street', PLACES.tianping, { sub: 'u-tianping' });
  committeeToken = await signTestToken('committee', PLACES.shanghaiXincun, { sub: 'u-shxc' });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function send(s: SpawnedServer, op: Op): Promise<HttpResponse> {
  return httpRequest(s.baseUrl, 'POST', op.path, {
    token: streetToken, // the street registers its teams and grants to its organizations
    body: op.body,
    headers: { 'idempotency-key': op.key },
  });
}

function buildBurst(round: number): Op[] {
  return Array.from({ length: BURST }, (_, i): Op => {
    if (i % 3 === 0) {
      return {
        kind: 'register',
        key: `crash-r${String(round)}-reg-${String(i)}`,
        path: '/organizations',
        body: teamBody({ filingNumber: `XH-TP-${String(round)}-${String(i)}` }),
        state: 'pending',
      };
    }
    const orgId = targets[i % targets.length]!;
    const amount = 100_000 * round + 100 * i + 7;
    return {
      kind: 'fund',
      key: `crash-r${String(round)}-fund-${String(i)}`,
      path: `/organizations/${orgId}/fundings`,
      body: fundingBody({ amountFen: amount, programme: `第${String(round)}轮项目${String(i)}` }),
      orgId,
      amount,
      state: 'pending',
    };
  });
}

/** Sends the ops CONCURRENCY at a time and SIGKILLs the server once `killAfter` were acknowledged. */
async function burstAndKill(s: SpawnedServer, ops: Op[], killAfter: number): Promise<void> {
  let next = 0;
  let acked = 0;
  const kill: { done?: Promise<void> } = {};
  const worker = async (): Promise<void> => {
    while (kill.done === undefined && next < ops.length) {
      const op = ops[next++]!;
      op.state = 'in-flight';
      try {
        op.answer = await send(s, op);
        op.state = op.answer.status === 201 ? 'acked' : 'refused';
        if (op.state === 'acked' && ++acked >= killAfter) kill.done ??= s.kill();
      } catch {
        op.state = 'lost'; // no answer: the write may or may not have landed
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  expect(kill.done).toBeDefined();
  await kill.done;
  expect(ops.filter((op) => op.state === 'refused').map((op) => op.answer?.text)).toEqual([]);
  // The kill came in the middle: some writes were acknowledged, some were never answered or sent.
  expect(ops.filter((op) => op.state === 'acked').length).toBeGreaterThanOrEqual(killAfter);
  expect(ops.filter((op) => op.state !== 'acked').length).toBeGreaterThan(0);
}

async function getOrg(s: SpawnedServer, id: string): Promise<Json> {
  const res = await httpRequest(s.baseUrl, 'GET', `/organizations/${id}`, { token: streetToken });
  expect({ id, status: res.status }).toEqual({ id, status: 200 });
  return res.body;
}

async function head(s: SpawnedServer): Promise<number> {
  return (await httpRequest(s.baseUrl, 'GET', '/health')).body.eventStore.headPosition as number;
}

/** Whether some of the amounts add up to `sum` using exactly `count` of them. */
function subsetAddsUp(amounts: readonly number[], sum: number, count: number): boolean {
  for (let mask = 0; mask < 1 << amounts.length; mask++) {
    const chosen = amounts.filter((_, i) => (mask & (1 << i)) !== 0);
    if (chosen.length === count && chosen.reduce((a, b) => a + b, 0) === sum) return true;
  }
  return false;
}

/** After a restart: every acknowledged write is there, complete; grants only add up from real ones. */
async function checkAcknowledged(s: SpawnedServer, ops: readonly Op[]): Promise<void> {
  const headNow = await head(s);
  for (const op of ops.filter((o) => o.state === 'acked')) {
    expect(op.answer!.body.position).toBeLessThanOrEqual(headNow);
    if (op.kind !== 'register') continue;
    const org = await getOrg(s, op.answer!.body.id as string);
    // Registered and filed, both: a team registration is never half-written.
    expect({
      name: org.name,
      tier: org.tier,
      filing: org.filing?.number,
      revision: org.revision,
    }).toEqual({
      name: op.body.name,
      tier: 'team',
      filing: op.body.filingNumber,
      revision: 1,
    });
  }
  for (const orgId of targets) {
    const mine = allOps.filter((o) => o.kind === 'fund' && o.orgId === orgId);
    const acked = mine.filter((o) => o.state === 'acked');
    const maybe = mine.filter((o) => o.state === 'lost' && ops.includes(o)).map((o) => o.amount!);
    const ackedSum = acked.reduce((total, o) => total + o.amount!, 0);
    const org = await getOrg(s, orgId);
    const extra = { sum: org.fundingTotalFen - ackedSum, count: org.grantCount - acked.length };
    expect(extra.sum).toBeGreaterThanOrEqual(0);
    // Anything beyond the acknowledged grants is a whole in-flight grant that landed, nothing else.
    expect({ orgId, ...extra, fromInFlight: subsetAddsUp(maybe, extra.sum, extra.count) }).toEqual({
      orgId,
      ...extra,
      fromInFlight: true,
    });
  }
}

/** Retries every unacknowledged write with its key (all succeed), then every write once more. */
async function retryAndCheck(s: SpawnedServer, ops: Op[]): Promise<void> {
  for (const op of ops.filter((o) => o.state !== 'acked')) {
    const res = await send(s, op);
    expect({ key: op.key, status: res.status }).toEqual({ key: op.key, status: 201 });
    op.answer = res;
    op.state = 'acked';
    if (op.kind === 'register') {
      expect(res.body.revision).toBe(1); // OrganizationRegistered + OrganizationFiled, never one
      const org = await getOrg(s, res.body.id as string);
      expect(org.filing?.number).toBe(op.body.filingNumber);
    }
  }
  // A second retry of everything answers the same as the first answer: nothing new is written.
  const before = await head(s);
  for (const op of ops) {
    const again = await send(s, op);
    const pick = (b: Json) => ({
      id: b.id,
      revision: b.revision,
      position: b.position,
      grantId: b.grantId,
    });
    expect({ key: op.key, status: again.status, answer: pick(again.body) }).toEqual({
      key: op.key,
      status: 201,
      answer: pick(op.answer!.body),
    });
  }
  expect(await head(s)).toBe(before);

  expectedEvents += ops.reduce((n, op) => n + (op.kind === 'register' ? 4 : 1), 0);
  // Exactly one copy of every write: the name and filing-number claims plus two events per team,
  // one per grant.
  expect(await head(s)).toBe(expectedEvents);
  for (const orgId of targets) {
    const grants = allOps.filter((o) => o.kind === 'fund' && o.orgId === orgId);
    const org = await getOrg(s, orgId);
    expect({ total: org.fundingTotalFen, count: org.grantCount }).toEqual({
      total: grants.reduce((total, o) => total + o.amount!, 0),
      count: grants.length,
    });
  }
}

describe('SIGKILL during a burst of writes, then restart on the same DATA_DIR', () => {
  it('starts the compiled server and registers the organizations the grants go to', async () => {
    server = await startServer(dataDir);
    for (let i = 0; i < 4; i++) {
      const res = await httpRequest(server.baseUrl, 'POST', '/organizations', {
        token: committeeToken,
        body: groupBody({ name: `崩溃测试书画小组${String(i)}` }),
        headers: { 'idempotency-key': `crash-target-${String(i)}` },
      });
      expect(res.status).toBe(201);
      targets.push(res.body.id as string);
    }
    expectedEvents = 4 * 2; // a name reservation and OrganizationRegistered each
    expect(await head(server)).toBe(expectedEvents);
  });

  it.each([
    [1, 8],
    [2, 31],
  ])(
    'round %i: killed after %i acknowledged writes; recovered, retried, no duplicates',
    async (round, killAfter) => {
      const ops = buildBurst(round);
      allOps.push(...ops);
      await burstAndKill(server!, ops, killAfter);
      const killed = server!;
      server = await startServer(dataDir);
      try {
        await checkAcknowledged(server, ops);
        await retryAndCheck(server, ops);
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\n--- killed server output ---\n${killed.output()}\n--- restarted server output ---\n${server.output()}`,
          { cause: error },
        );
      }
    },
  );
});
