/**
 * Issue #19 item 2: every worklist's count, for committees, streets, districts and the city,
 * equals the same count computed independently from the event log of a seeded dataset.
 *
 * A small seed goes into a DATA_DIR, the compiled server catches up on it, and this file reads
 * the `events` table itself and folds the events' JSON with its own small fold (no projection,
 * no query code of the project). Then, with exact equality on several days (`?on=`): the counts
 * of GET /worklists for the city, every district, every seeded street and community, and the
 * organizations of each list for every seeded street, page by page.
 *
 * Another seed: ORACLE_SEED=<n> npm test -- worklists-oracle. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpRequest, signTestToken, type Json } from '../support/http-app.js';
import { startServer, type SpawnedServer } from '../support/spawned-server.js';
import { headPosition, seedSmall, waitCaughtUp } from './read-side-kit.js';
import {
  expected,
  expectedCounts,
  foldLog,
  LISTS,
  plusDays,
  type List,
  type Oracle,
  type Place,
} from '../support/worklists-oracle.js';

const SEED = Number(process.env['ORACLE_SEED'] ?? 4);
const SLOW = 90_000;
const CITY = '310000';
/**
 * The seed runs to 2026-10-30: its last day, a day inside it, one after it, and (set once the log
 * is folded) a month before the first grade lapses, when grades are expiring.
 */
const DAYS = ['2026-10-30', '2025-03-31', '2027-02-28'];

// ---------------------------------------------------------------------------------------------

let dataDir = '';
let server: SpawnedServer | undefined;
let oracle: Oracle;
const tokens = new Map<string, Promise<string>>();

async function get(place: Place, path: string): Promise<Json> {
  const key = `${place.role}:${place.code}`;
  if (!tokens.has(key)) tokens.set(key, signTestToken(place.role, place.code, { sub: key }));
  const res = await httpRequest(server!.baseUrl, 'GET', path, { token: await tokens.get(key)! });
  if (res.status !== 200) throw new Error(`${path} as ${key}: ${res.status} ${res.text}`);
  return res.body;
}

/** Every organization id on a list, page by page. */
async function served(place: Place, list: List, on: string): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const body = await get(place, `/worklists/${list}?on=${on}&pageSize=100&page=${page}`);
    ids.push(...(body.items as Array<{ organizationId: string }>).map((i) => i.organizationId));
    if (ids.length >= body.total || body.items.length === 0) return ids;
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'worklists-oracle-'));
  const seeded = await seedSmall(dataDir, SEED);
  expect({ code: seeded.code, stderr: seeded.code === 0 ? '' : seeded.stderr }).toEqual({
    code: 0,
    stderr: '',
  });
  server = await startServer(dataDir, 30_000);
  const head = headPosition(dataDir);
  await waitCaughtUp(server.baseUrl, head, 60_000);
  oracle = foldLog(dataDir);
  expect(oracle.eventsRead).toBe(head);
  const lapses = [...oracle.orgs.values()].flatMap((o) => (o.validUntil ? [o.validUntil] : []));
  if (lapses.length > 0) DAYS.push(plusDays(lapses.sort()[0]!, -30));
}, SLOW * 2);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, SLOW);

const unique = (codes: readonly string[]): string[] => [...new Set(codes)];
const sorted = (ids: readonly string[]): string[] => [...ids].sort();

describe(`worklists against an independent fold of the log (small seed ${SEED})`, () => {
  it('has something on every list to compare', () => {
    for (const list of LISTS) {
      const somewhere = DAYS.some(
        (on) => expected(oracle, list, { role: 'city', code: CITY }, on).length > 0,
      );
      expect({ list, somewhere }).toEqual({ list, somewhere: true });
    }
  });

  it(
    'GET /worklists counts: the city, every seeded district, street and community',
    async () => {
      const orgs = [...oracle.orgs.values()];
      const places: Place[] = [
        { role: 'city', code: CITY },
        ...unique(orgs.map((o) => o.district)).map((code): Place => ({ role: 'district', code })),
        ...unique(orgs.map((o) => o.street)).map((code): Place => ({ role: 'street', code })),
        ...unique(orgs.flatMap((o) => (o.community ? [o.community] : []))).map((code): Place => ({
          role: 'committee',
          code,
        })),
      ];
      expect(places.filter((p) => p.role === 'committee').length).toBeGreaterThan(3);
      for (const on of DAYS) {
        for (const place of places) {
          const body = await get(place, `/worklists?on=${on}`);
          expect({ place, on, counts: body.counts }).toEqual({
            place,
            on,
            counts: expectedCounts(oracle, place, on),
          });
        }
      }
    },
    SLOW,
  );

  it(
    'every list of every seeded street, and of the busiest committee and district, item by item',
    async () => {
      const orgs = [...oracle.orgs.values()];
      const busiest = (key: 'community' | 'district'): string => {
        const counts = new Map<string, number>();
        for (const o of orgs) {
          const code = o[key];
          if (code !== null) counts.set(code, (counts.get(code) ?? 0) + 1);
        }
        return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      };
      const places: Place[] = [
        ...unique(orgs.map((o) => o.street)).map((code): Place => ({ role: 'street', code })),
        { role: 'committee', code: busiest('community') },
        { role: 'district', code: busiest('district') },
      ];
      for (const on of DAYS) {
        for (const place of places) {
          for (const list of LISTS) {
            expect({ place, on, list, ids: sorted(await served(place, list, on)) }).toEqual({
              place,
              on,
              list,
              ids: sorted(expected(oracle, list, place, on)),
            });
          }
        }
      }
    },
    SLOW,
  );
});
