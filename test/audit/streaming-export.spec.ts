/**
 * Exports stream: an organization with 10,000 events is exported through the CLI (JSON Lines
 * and CSV, `/usr/bin/time -v` giving the process's peak RSS) and through HTTP
 * (`?format=jsonl`, from the compiled server, its VmHWM read in /proc) without the exporting
 * process holding the history in memory: from a 2,000-event export to a 10,000-event one the
 * output grows by 13 MB of JSON (1.6 KB per event) but the peak only by what the runtime's own
 * heuristics add (see GROWTH_BOUND_MB); the exported JSONL passes tools/verify-history.mjs.
 */
import { createHash, randomUUID } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { get } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { makeUscc } from '../support/e2e-kit.js';
import { ACTORS, PLACES } from '../support/fixtures.js';
import { httpRequest, signTestToken } from '../support/http-app.js';
import { spawnServer, type SpawnedServer } from '../support/spawned-server.js';
import { waitUntil } from '../support/wait.js';
import { envelope, tipOf, type StreamTip } from '../../src/event-sourcing/event-envelope.js';
import { EVENT_SCHEMA_VERSIONS } from '../../src/organizations/domain/organization.events.js';
import { organizationStream } from '../../src/organizations/organization-writer.js';
import {
  AUDIT_CLI,
  openWriter,
  type InProcessWriter,
  requireCompiledCli,
  run,
  SteppingClock,
  verifyHistoryFile,
  type RunResult,
} from './audit-kit.js';

const SMALL = 2_000;
const LARGE = 10_000;
const MB = 1024 * 1024;
/**
 * How much the exporting process's peak RSS may grow from the 2,000- to the 10,000-event export.
 * Even a streamed export's peak rises by about 30 MB before it levels off (V8 enlarges its young
 * generation as allocation goes on, and the allocator keeps freed pages; a 20,000-event export
 * peaks at the same RSS as 10,000), so the bound leaves room for that. An export that first
 * collects the history (entries into an array, then written) measured +90 MB here.
 */
const GROWTH_BOUND_MB = 45;

/** 200 characters (the DTO's maximum), so every event carries a realistic amount of text. */
const PROGRAMME = '社区自治金项目'.repeat(28) + '徐汇区天平路街道公益';

let dataDir: string;
let outDir: string;
const ids = { small: '', large: '' };

/**
 * A new registered organization through the in-process writer (the real command path), then
 * `count - 1` grants appended in batches straight to the event store, wrapped with the project's
 * own `envelope` so the hash chain is the one the writer would have made (the writer runs one
 * command per transaction, about 650 a second here: 18 s for 12,000 events, too slow for a test).
 */
async function writeHistory(
  w: InProcessWriter,
  clock: SteppingClock,
  name: string,
  serial: number,
  count: number,
): Promise<string> {
  const district = ACTORS.xuhuiDistrict;
  const { id } = await w.writer.register(
    {
      name,
      category: 'charity',
      tier: 'registered',
      legalForm: 'social-group',
      uscc: makeUscc('1', PLACES.xuhui, serial),
      districtCode: PLACES.xuhui,
      streetCode: PLACES.tianping,
      communityCode: PLACES.shanghaiXincun,
      foundedOn: '2020-01-01',
      founders: [{ kind: 'unit', name: '天平路街道社区服务中心' }],
    },
    w.context(district),
  );
  const streamId = organizationStream(id);
  let tip: StreamTip = { revision: 0, hash: '' };
  for await (const event of w.store.readStream(streamId)) tip = tipOf(event);
  for (let written = 1; written < count;) {
    const batch = Math.min(500, count - written);
    const grants = Array.from({ length: batch }, (_, i) => ({
      type: 'FundingGranted',
      data: {
        organizationId: id,
        grantId: randomUUID(),
        channel: 'subsidy',
        amountFen: 1 + ((written + i) % 997),
        currency: 'CNY',
        grantedOn: '2025-01-02',
        funder: { name: '徐汇区民政局', level: 'district', code: PLACES.xuhui },
        programme: PROGRAMME,
      },
    }));
    clock.advance(60_000);
    const events = envelope(
      grants,
      tip,
      w.context(district),
      'GrantFunding',
      clock.now(),
      EVENT_SCHEMA_VERSIONS.FundingGranted,
      randomUUID,
    );
    await w.store.appendToStream(streamId, events, tip.revision);
    tip = { revision: tip.revision + batch, hash: String(events.at(-1)?.metadata.hash) };
    written += batch;
  }
  return id;
}

// ---------------------------------------------------------------------------------------------
// Peak memory of a child process

const TIME = '/usr/bin/time';
const HAS_GNU_TIME = existsSync(TIME);
/** Without GNU time: a preload that prints the process's VmHWM from /proc when it exits. */
const HWM_PRELOAD = `data:text/javascript,${encodeURIComponent(
  "import{readFileSync,writeSync}from'node:fs';process.on('exit',()=>{const m=/VmHWM:\\s+(\\d+)/.exec(readFileSync('/proc/self/status','utf8'));writeSync(2,'Maximum resident set size (kbytes): '+(m?m[1]:'0')+'\\n')});",
)}`;

interface Measured extends RunResult {
  readonly peakMb: number;
}

/** Runs `node ARGS` and reports its peak resident set size. */
async function measuredNode(
  args: readonly string[],
  env: Record<string, string>,
): Promise<Measured> {
  const result = HAS_GNU_TIME
    ? await run(TIME, ['-v', process.execPath, ...args], env, 60_000)
    : await run(process.execPath, ['--import', HWM_PRELOAD, ...args], env, 60_000);
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
  if (!match) throw new Error(`no peak memory in:\n${result.stderr}`);
  return { ...result, peakMb: Number(match[1]) / 1024 };
}

function exportWithCli(id: string, format: 'jsonl' | 'csv', out: string): Promise<Measured> {
  return measuredNode([AUDIT_CLI, 'export', '--org', id, '--format', format, '--out', out], {
    DATA_DIR: dataDir,
  });
}

/** VmHWM (peak resident set) of a running process, in MB. */
function peakOf(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmHWM for ${pid}`);
  return Number(match[1]) / 1024;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function lineCount(file: string): number {
  let count = 0;
  const text = readFileSync(file, 'utf8');
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** The compiled server on the same DATA_DIR, started while the history is written. */
let server: Promise<SpawnedServer> | undefined;

beforeAll(async () => {
  requireCompiledCli();
  dataDir = mkdtempSync(join(tmpdir(), 'audit-export-'));
  outDir = mkdtempSync(join(tmpdir(), 'audit-export-out-'));
  const clock = new SteppingClock(Date.parse('2025-01-02T01:00:00.000Z'));
  const w = openWriter(dataDir, clock);
  try {
    ids.small = await writeHistory(w, clock, '徐汇区流式导出测试协会甲', 9001, SMALL);
    // Meanwhile it starts, and its projections catch up in its own process while the CLI runs.
    // V8's young generation is sized differently from one Node.js release to the next (24 may
    // grow it past 16 MB); pinned, the peak measures the export's streaming, not the GC's policy.
    server = spawnServer({
      dataDir,
      timeoutMs: 30_000,
      env: { NODE_OPTIONS: '--max-semi-space-size=16' },
    }).then(async (started) => {
      await started.ready;
      return started;
    });
    server.catch(() => undefined);
    ids.large = await writeHistory(w, clock, '徐汇区流式导出测试协会乙', 9002, LARGE);
  } finally {
    await w.close();
  }
}, 60_000);

afterAll(async () => {
  await (await server?.catch(() => undefined))?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('audit export of a 10,000-event history', () => {
  type Exports = Record<'jsonl' | 'csv', { small: Measured; large: Measured }>;
  let cli: Exports;

  beforeAll(async () => {
    // Each process's peak is its own: the four exports run side by side.
    const [jsonlSmall, jsonlLarge, csvSmall, csvLarge] = await Promise.all([
      exportWithCli(ids.small, 'jsonl', join(outDir, 'small.jsonl')),
      exportWithCli(ids.large, 'jsonl', join(outDir, 'large.jsonl')),
      exportWithCli(ids.small, 'csv', join(outDir, 'small.csv')),
      exportWithCli(ids.large, 'csv', join(outDir, 'large.csv')),
    ]);
    cli = {
      jsonl: { small: jsonlSmall, large: jsonlLarge },
      csv: { small: csvSmall, large: csvLarge },
    };
  }, 60_000);

  it('the CLI streams JSON Lines: 10,000 lines that the standalone verifier accepts', async () => {
    const { small, large } = cli.jsonl;
    expect([small.code, large.code]).toEqual([0, 0]);
    const file = join(outDir, 'large.jsonl');
    expect(lineCount(file)).toBe(LARGE);
    expect(lineCount(join(outDir, 'small.jsonl'))).toBe(SMALL);
    const verified = await verifyHistoryFile(file);
    expect({ code: verified.code, stdout: verified.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(`^intact: ${LARGE} events, head hash [0-9a-f]{64}\\n$`),
      ),
    });
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(JSON.parse(lines[LARGE - 1] ?? '')).toEqual(
      expect.objectContaining({ revision: LARGE - 1, type: 'FundingGranted' }),
    );
  });

  it(`JSON Lines: the CLI's peak RSS grows by less than ${GROWTH_BOUND_MB} MB from 2,000 to 10,000 events`, () => {
    const { small, large } = cli.jsonl;
    // The bound means something: the 8,000 extra events are far more text than the bound
    // (held as JS strings and objects, several times more).
    const extraBytes =
      statSync(join(outDir, 'large.jsonl')).size - statSync(join(outDir, 'small.jsonl')).size;
    expect(extraBytes / MB).toBeGreaterThan(GROWTH_BOUND_MB / 4);
    expect(large.peakMb - small.peakMb).toBeLessThan(GROWTH_BOUND_MB);
  });

  it(`CSV: 10,000 rows; the CLI's peak RSS grows by less than ${GROWTH_BOUND_MB} MB from 2,000 events`, () => {
    const { small, large } = cli.csv;
    expect([small.code, large.code]).toEqual([0, 0]);
    const rows = readFileSync(join(outDir, 'large.csv'), 'utf8').split('\r\n');
    expect(rows[0]).toBe(
      '\uFEFFrevision,position,eventId,type,recordedAt,userId,role,jurisdiction,correlationId,causationId,schemaVersion,data,prevHash,hash',
    );
    // A header, one CRLF-terminated record per event (data stays JSON inside quotes), nothing else.
    expect(rows.length).toBe(LARGE + 2);
    expect(rows.at(-1)).toBe('');
    expect(rows[LARGE]).toMatch(new RegExp(`^${LARGE - 1},\\d+,[0-9a-f-]{36},FundingGranted,`));
    expect(large.peakMb - small.peakMb).toBeLessThan(GROWTH_BOUND_MB);
  });

  it(`HTTP: GET …/history?format=jsonl streams the CLI's bytes; the server's peak RSS grows by less than ${GROWTH_BOUND_MB} MB for the 10,000 events`, async () => {
    if (!server) throw new Error('the server was not started');
    const spawned = await server;
    const { baseUrl, pid } = spawned;
    // Let the projections catch up on the 12,000 events first: their work is not the export's.
    await waitUntil(
      'the projections to catch up',
      async () => (await httpRequest(baseUrl, 'GET', '/health')).body?.status === 'ok',
      60_000,
      { pollMs: 100 },
    );
    const token = await signTestToken('auditor', PLACES.city);
    const download = (id: string, file: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const request = get(
          `${baseUrl}/organizations/${id}/history?format=jsonl`,
          { headers: { authorization: `Bearer ${token}` } },
          (res) => {
            if (
              res.statusCode !== 200 ||
              !/^application\/x-ndjson/.test(res.headers['content-type'] ?? '')
            ) {
              res.resume();
              reject(new Error(`${String(res.statusCode)} ${String(res.headers['content-type'])}`));
              return;
            }
            // A cut-off answer says how far it got and what the server said meanwhile.
            const started = Date.now();
            let received = 0;
            res.on('data', (chunk: Buffer) => (received += chunk.length));
            pipeline(res, createWriteStream(file)).then(resolve, (error: unknown) => {
              reject(
                new Error(
                  `${String(error)} after ${String(received)} bytes in ${String(Date.now() - started)} ms; the server said:\n${spawned.output().slice(-4000)}`,
                ),
              );
            });
          },
        );
        request.once('error', reject);
      });
    // Warm-up: the route compiled and a 2,000-event export done; the rest is the difference.
    await download(ids.small, join(outDir, 'http-small.jsonl'));
    const before = peakOf(pid);
    const file = join(outDir, 'http-large.jsonl');
    await download(ids.large, file);
    expect(peakOf(pid) - before).toBeLessThan(GROWTH_BOUND_MB);

    expect(await sha256Of(file)).toBe(await sha256Of(join(outDir, 'large.jsonl')));
    expect(await sha256Of(join(outDir, 'http-small.jsonl'))).toBe(
      await sha256Of(join(outDir, 'small.jsonl')),
    );
    const verified = await verifyHistoryFile(file);
    expect({ code: verified.code, stdout: verified.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^intact: ${LARGE} events`)),
    });
    // The projections' catch-up on a busy CI machine comes first (up to a minute).
  }, 120_000);
});
