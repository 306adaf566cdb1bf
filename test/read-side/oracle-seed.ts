/**
 * The oracle specs' seeded log and server: the small seed through the real command path into a
 * fresh DATA_DIR, the compiled server on it, and a few writes over HTTP the seed does not make;
 * answered once every read model has caught up, with the log as the oracle reads it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { teamBody } from '../support/e2e-kit.js';
import { PLACES } from '../support/fixtures.js';
import { httpRequest, signTestToken } from '../support/http-app.js';
import { startServer, type SpawnedServer } from '../support/spawned-server.js';
import {
  foldRows,
  readLog,
  shanghaiToday,
  streetByCode,
  XINCHONG,
  type LogRow,
} from './log-oracle.js';
import { headPosition, seedSmall, waitCaughtUp } from './read-side-kit.js';

export interface SeededServer {
  readonly dataDir: string;
  readonly server: SpawnedServer;
  readonly logRows: LogRow[];
  /** Stops the server and removes the DATA_DIR. */
  stop(): Promise<void>;
}

export async function seedAndServe(seed: number): Promise<SeededServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'read-side-oracle-'));
  const seeded = await seedSmall(dataDir, seed);
  expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  // The small seed's moves stay in their street: one of its teams of 天平路 moves across
  // districts, to 新崇 of 城桥镇 (崇明, outside the seed's communities), over HTTP as the
  // receiving town records it.
  const mover = [...foldRows(readLog(dataDir)).orgs.values()]
    .filter((o) => o.status === 'active' && o.tier === 'team' && o.street === PLACES.tianping)
    .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
  if (!mover) throw new Error('the small seed has no team of 天平路');
  const server = await startServer(dataDir, 30_000);
  const town = await signTestToken('street', PLACES.chengqiao, { sub: 'u-chengqiao' });
  const moved = await httpRequest(server.baseUrl, 'POST', `/organizations/${mover.id}/move`, {
    token: town,
    body: {
      districtCode: streetByCode.get(PLACES.chengqiao)?.district,
      streetCode: PLACES.chengqiao,
      communityCode: XINCHONG,
      movedOn: shanghaiToday(),
    },
  });
  expect({ status: moved.status, text: moved.status === 201 ? '' : moved.text }).toEqual({
    status: 201,
    text: '',
  });
  // The small seed has nothing in the development zones: two teams there, over HTTP, based at
  // 漕河泾 itself (its only community is a placeholder).
  const office = await signTestToken('street', PLACES.caohejing, { sub: 'u-caohejing' });
  for (const [i, category] of ['charity', 'culture-sports'].entries()) {
    const res = await httpRequest(server.baseUrl, 'POST', '/organizations', {
      token: office,
      body: teamBody({
        name: `漕河泾园区志愿服务队${i + 1}`,
        category,
        filingNumber: `漕河泾备〔2024〕00${i + 1}号`,
        streetCode: PLACES.caohejing,
        communityCode: undefined,
      }),
    });
    expect({ status: res.status, text: res.status === 201 ? '' : res.text }).toEqual({
      status: 201,
      text: '',
    });
  }
  const head = headPosition(dataDir);
  await waitCaughtUp(server.baseUrl, head, 60_000);
  const logRows = readLog(dataDir);
  expect(logRows).toHaveLength(head);
  return {
    dataDir,
    server,
    logRows,
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
