/**
 * Tampering with the log behind the application's back (DOMAIN §6, DESIGN §5). Organizations
 * are written through the real HTTP routes; then each case alters the SQLite file directly
 * (better-sqlite3, a connection of its own) — one organization per case — and every verifier
 * must notice and point at the stream and revision:
 *
 * - HTTP `GET /audit/verify/{id}` and `GET /audit/verify[?upTo=P]` (the real app on loopback);
 * - the CLI `node dist/src/cli/audit.js verify --org ID` (exit code and output);
 * - the standalone `tools/verify-history.mjs`, on the JSONL exported AFTER the store was altered,
 *   and on a JSONL exported BEFORE, whose file is then altered the same way.
 *
 * Every case also moves the whole-log digest up to the head position taken before it. Two cases
 * a per-stream chain cannot see (the last event deleted; a tail rewritten with hashes recomputed
 * by the published rule) are caught by that digest only: they come first, while the rest of the
 * log is still intact, so that the whole-log check itself says `ok` for them.
 */
import type Database from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGroup, send, write } from '../support/e2e-kit.js';
import { startHttpApp, type HttpApp, type Json } from '../support/http-app.js';
import {
  auditCli,
  chainHash,
  openRawStore,
  parseOrgVerify,
  rawRow,
  rawStream,
  readJsonl,
  requireCompiledCli,
  verifyHistoryFile,
  writeJsonl,
  type EventRow,
  type Line,
  type RunResult,
} from './audit-kit.js';

type Reason = 'revision-gap' | 'prev-hash-mismatch' | 'hash-mismatch' | 'missing-hash';

let app: HttpApp;
let db: Database.Database;
let outDir: string;

/** One organization per case, by case key, with its pristine export. */
const orgs = new Map<string, { id: string; stream: string; events: number; pristine: string }>();

/**
 * An activity group of 上海新村居委会 with `events` events, each write one event: revision i is a
 * reclassification when i % 5 = 0, an activity report when i % 5 = 3, else a grant of
 * 10,000 × i + 1 fen from the street.
 */
async function writeOrganization(events: number): Promise<string> {
  const { id } = await createGroup(app);
  const categories = ['charity', 'culture-sports'];
  for (let i = 1; i < events; i++) {
    const path = `/organizations/${id}`;
    if (i % 5 === 0) {
      await write(app, 'shanghaiXincunCommittee', 'POST', `${path}/reclassifications`, {
        category: categories[(i / 5 + 1) % 2],
        criteria: '民政部社区社会组织统计口径',
        reason: `第${i}次复核`,
      });
    } else if (i % 5 === 3) {
      await write(app, 'shanghaiXincunCommittee', 'POST', `${path}/activity-reports`, {
        title: `邻里节活动${i}`,
        kind: 'culture',
        startsOn: '2025-04-01',
        endsOn: '2025-04-01',
        communityCode: '310104003001',
        participants: 20 + i,
      });
    } else {
      await write(app, 'tianpingStreet', 'POST', `${path}/fundings`, {
        channel: 'self-governance-fund',
        amountFen: 10_000 * i + 1,
        grantedOn: '2025-03-03',
        funder: { name: '天平路街道办事处', level: 'street', code: '310104003' },
        programme: '2025年社区自治项目',
      });
    }
  }
  return id;
}

const CASES = {
  deletedLast: 15,
  rechained: 15,
  data: 30,
  userId: 12,
  recordedAt: 12,
  type: 10,
  deletedMiddle: 40,
  swappedRevisions: 12,
  swappedData: 12,
  insertedForged: 12,
  insertedRechained: 12,
} as const;
type CaseKey = keyof typeof CASES;

function org(key: CaseKey): { id: string; stream: string; events: number; pristine: string } {
  const found = orgs.get(key);
  if (!found) throw new Error(`no organization for ${key}`);
  return found;
}

beforeAll(async () => {
  requireCompiledCli();
  app = await startHttpApp();
  outDir = mkdtempSync(join(tmpdir(), 'audit-tampering-'));
  for (const [key, events] of Object.entries(CASES)) {
    const id = await writeOrganization(events);
    const res = await send(app, 'auditor', 'GET', `/organizations/${id}/history?format=jsonl`);
    expect(res.status).toBe(200);
    const pristine = join(outDir, `${key}-pristine.jsonl`);
    writeFileSync(pristine, res.text);
    expect(readJsonl(pristine)).toHaveLength(events);
    orgs.set(key, { id, stream: `organization-${id}`, events, pristine });
  }
  db = openRawStore(app.dataDir);
}, 60_000);

afterAll(async () => {
  // Undefined when the set-up failed half-way.
  (db as Database.Database | undefined)?.close();
  await (app as HttpApp | undefined)?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// Reading the verifiers

/** A GET as the auditor that must answer 200: its JSON body. */
async function auditor(path: string): Promise<Json> {
  const res = await send(app, 'auditor', 'GET', path);
  expect({ path, status: res.status }).toEqual({ path, status: 200 });
  return res.body;
}

const headPosition = async (): Promise<number> =>
  (await auditor('/audit/verify')).upToPosition as number;

const digestUpTo = async (position: number): Promise<string> =>
  (await auditor(`/audit/verify?upTo=${position}`)).digest as string;

/** The whole-log check's entry for one stream, if it is broken. */
async function logEntry(stream: string): Promise<Json> {
  const log = await auditor('/audit/verify');
  return (log.broken as Json[]).find((b) => b.streamId === stream);
}

/** Exports the (altered) store over HTTP, for the standalone verifier. */
async function exportNow(key: CaseKey): Promise<string> {
  const res = await send(
    app,
    'auditor',
    'GET',
    `/organizations/${org(key).id}/history?format=jsonl`,
  );
  expect(res.status).toBe(200);
  const file = join(outDir, `${key}-after.jsonl`);
  writeFileSync(file, res.text);
  return file;
}

/** The pristine export with `alter` applied to its lines, as a new file. */
function alteredCopy(key: CaseKey, alter: (lines: Line[]) => Line[]): string {
  const file = join(outDir, `${key}-altered.jsonl`);
  writeJsonl(file, alter(readJsonl(org(key).pristine)));
  return file;
}

function parseVerifierOutput(result: RunResult): { code: number | null; text: string } {
  return { code: result.code, text: result.stdout.trim() };
}

interface Located {
  readonly revision: number;
  readonly reason: Reason;
  /** e.g. 'expected revision 17, found 18' */
  readonly detail?: string;
}

interface FileLocated {
  /** 1-based line of the JSONL file. */
  readonly line: number;
  readonly revision: number;
  readonly reason: RegExp;
}

const HASH_ALTERED = /hash does not match the event: its type, data or metadata were altered$/;
const PREV_HASH = /prevHash is not the previous event's hash/;
const expectedRevision = (n: number): RegExp =>
  new RegExp(`expected revision ${n}: an event was removed, added or moved$`);

function expectBroken(check: Json, located: Located, stream: string): void {
  expect(check).toMatchObject({
    streamId: stream,
    ok: false,
    firstBroken: {
      revision: located.revision,
      // The stored event that holds the reported revision now.
      position: rawRow(db, stream, located.revision).position,
      reason: located.reason,
    },
  });
  if (located.detail) expect(check.firstBroken.detail).toBe(located.detail);
}

function expectFileBroken(result: RunResult, located: FileLocated): void {
  const { code, text } = parseVerifierOutput(result);
  expect({ code, text }).toEqual({
    code: 1,
    text: expect.stringMatching(
      new RegExp(`^BROKEN at line ${located.line}, revision ${located.revision}: `),
    ),
  });
  expect(text).toMatch(located.reason);
}

interface TamperCase {
  readonly key: CaseKey;
  readonly title: string;
  /** Alters the store (inside a transaction). */
  readonly store: (stream: string, rows: EventRow[]) => void;
  /** Alters the lines of the pristine export the same way. */
  readonly file: (lines: Line[]) => Line[];
  /** What GET /audit/verify/{id} and `audit verify --org` report (revision order). */
  readonly stream: Located;
  /** What the whole-log check reports for the stream (it reads in position order). */
  readonly log: Located;
  /** What the standalone verifier reports on the export taken after the store was altered. */
  readonly storeExport: FileLocated;
  /** … and on the export taken before, altered as a file. */
  readonly fileExport: FileLocated;
}

// ---------------------------------------------------------------------------------------------
// Tampering primitives on the raw store

const updateData = (position: number, data: unknown): void => {
  db.prepare('UPDATE events SET data = ? WHERE position = ?').run(JSON.stringify(data), position);
};
const updateMetadata = (position: number, metadata: unknown): void => {
  db.prepare('UPDATE events SET metadata = ? WHERE position = ?').run(
    JSON.stringify(metadata),
    position,
  );
};
const at = (rows: EventRow[], revision: number): EventRow => {
  const row = rows.find((r) => r.revision === revision);
  if (!row) throw new Error(`no revision ${revision}`);
  return row;
};
type Parsed = Pick<Line, 'data' | 'metadata'>;
const parsed = (row: EventRow): Parsed => ({
  data: JSON.parse(row.data) as Line['data'],
  metadata: JSON.parse(row.metadata) as Line['metadata'],
});
const lineAt = (lines: readonly Line[], index: number): Line => {
  const line = lines[index];
  if (!line) throw new Error(`no line ${index}`);
  return line;
};
const headHashOf = (file: string): string => String(readJsonl(file).at(-1)?.metadata.hash);
/** Makes room at `revision`: that event and all after it move one revision up. */
const shiftFrom = (stream: string, revision: number): void => {
  db.prepare(
    'UPDATE events SET revision = -revision - 1 WHERE stream_id = ? AND revision >= ?',
  ).run(stream, revision);
  db.prepare('UPDATE events SET revision = -revision WHERE stream_id = ? AND revision < 0').run(
    stream,
  );
};
const insertEvent = (stream: string, revision: number, e: Line): void => {
  db.prepare(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(randomUUID(), stream, revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
};

/** A forged grant to slip in after `previous` (an event as exported or as parsed). */
function forgedGrant(previous: Parsed, revision: number, hash: 'random' | 'recomputed'): Line {
  const data = {
    ...previous.data,
    grantId: randomUUID(),
    channel: 'other',
    amountFen: 99_999_900,
    programme: '虚构项目',
  };
  const metadata = {
    ...previous.metadata,
    correlationId: randomUUID(),
    causationId: randomUUID(),
    command: 'GrantFunding',
    prevHash: previous.metadata.hash,
  };
  const forged =
    hash === 'random'
      ? createHash('sha256').update(`forged ${randomUUID()}`).digest('hex')
      : chainHash(String(previous.metadata.hash), {
          type: 'FundingGranted',
          data,
          metadata,
          revision,
        });
  // The position is the store's business (a new row gets the next one); files keep 0.
  return {
    type: 'FundingGranted',
    data,
    metadata: { ...metadata, hash: forged },
    revision,
    position: 0,
  };
}

const editLine = (revision: number, edit: (line: Line) => void) => (lines: Line[]) => {
  edit(lineAt(lines, revision));
  return lines;
};

const CASES_CAUGHT_BY_THE_CHAIN: readonly TamperCase[] = [
  {
    key: 'data',
    title: '(a) the amountFen of a grant (revision 7) is altered',
    store: (stream, rows) => {
      const row = at(rows, 7);
      const { data } = parsed(row);
      expect(data.amountFen).toBe(70_001);
      updateData(row.position, { ...data, amountFen: 7_000_100 });
    },
    file: editLine(7, (line) => {
      line.data.amountFen = 7_000_100;
    }),
    stream: { revision: 7, reason: 'hash-mismatch' },
    log: { revision: 7, reason: 'hash-mismatch' },
    storeExport: { line: 8, revision: 7, reason: HASH_ALTERED },
    fileExport: { line: 8, revision: 7, reason: HASH_ALTERED },
  },
  {
    key: 'userId',
    title: "(b) the metadata's userId (revision 6) is altered",
    store: (stream, rows) => {
      const row = at(rows, 6);
      updateMetadata(row.position, { ...parsed(row).metadata, userId: 'u-intruder' });
    },
    file: editLine(6, (line) => {
      line.metadata.userId = 'u-intruder';
    }),
    stream: { revision: 6, reason: 'hash-mismatch' },
    log: { revision: 6, reason: 'hash-mismatch' },
    storeExport: { line: 7, revision: 6, reason: HASH_ALTERED },
    fileExport: { line: 7, revision: 6, reason: HASH_ALTERED },
  },
  {
    key: 'recordedAt',
    title: "(b) the metadata's recordedAt (revision 9) is backdated by a year",
    store: (stream, rows) => {
      const row = at(rows, 9);
      updateMetadata(row.position, {
        ...parsed(row).metadata,
        recordedAt: '2025-01-15T02:00:00.000Z',
      });
    },
    file: editLine(9, (line) => {
      line.metadata.recordedAt = '2025-01-15T02:00:00.000Z';
    }),
    stream: { revision: 9, reason: 'hash-mismatch' },
    log: { revision: 9, reason: 'hash-mismatch' },
    storeExport: { line: 10, revision: 9, reason: HASH_ALTERED },
    fileExport: { line: 10, revision: 9, reason: HASH_ALTERED },
  },
  {
    key: 'type',
    title: '(c) the type of a grant (revision 4) becomes OrganizationDissolved',
    store: (stream, rows) => {
      const row = at(rows, 4);
      expect(row.type).toBe('FundingGranted');
      db.prepare('UPDATE events SET type = ? WHERE position = ?').run(
        'OrganizationDissolved',
        row.position,
      );
    },
    file: editLine(4, (line) => {
      line.type = 'OrganizationDissolved';
    }),
    stream: { revision: 4, reason: 'hash-mismatch' },
    log: { revision: 4, reason: 'hash-mismatch' },
    storeExport: { line: 5, revision: 4, reason: HASH_ALTERED },
    fileExport: { line: 5, revision: 4, reason: HASH_ALTERED },
  },
  {
    key: 'deletedMiddle',
    title: '(d) revision 17 of 40 is deleted',
    store: (stream, rows) => {
      db.prepare('DELETE FROM events WHERE position = ?').run(at(rows, 17).position);
    },
    file: (lines) => lines.filter((line) => line.revision !== 17),
    // The first stored event that does not fit is 18; the detail names the missing 17.
    stream: { revision: 18, reason: 'revision-gap', detail: 'expected revision 17, found 18' },
    log: { revision: 18, reason: 'revision-gap', detail: 'expected revision 17, found 18' },
    storeExport: { line: 18, revision: 18, reason: expectedRevision(17) },
    fileExport: { line: 18, revision: 18, reason: expectedRevision(17) },
  },
  {
    key: 'swappedRevisions',
    title: '(f) revisions 3 and 4 are swapped (the two events reordered)',
    store: (stream) => {
      const set = db.prepare('UPDATE events SET revision = ? WHERE stream_id = ? AND revision = ?');
      set.run(-1, stream, 3);
      set.run(3, stream, 4);
      set.run(4, stream, -1);
    },
    // In the file: the two lines change places.
    file: (lines) => [...lines.slice(0, 3), lineAt(lines, 4), lineAt(lines, 3), ...lines.slice(5)],
    // Read by revision, revision 3 is now the old 4, whose prevHash is not revision 2's hash.
    stream: { revision: 3, reason: 'prev-hash-mismatch' },
    // The whole-log check reports broken streams as the per-stream check sees them.
    log: { revision: 3, reason: 'prev-hash-mismatch' },
    storeExport: { line: 4, revision: 3, reason: PREV_HASH },
    fileExport: { line: 4, revision: 4, reason: expectedRevision(3) },
  },
  {
    key: 'swappedData',
    title: '(f) the data of two grants (revisions 2 and 8) are swapped, totals unchanged',
    store: (stream, rows) => {
      const [two, eight] = [at(rows, 2), at(rows, 8)];
      updateData(two.position, parsed(eight).data);
      updateData(eight.position, parsed(two).data);
    },
    file: (lines) => {
      const [two, eight] = [lineAt(lines, 2), lineAt(lines, 8)];
      [two.data, eight.data] = [eight.data, two.data];
      return lines;
    },
    stream: { revision: 2, reason: 'hash-mismatch' },
    log: { revision: 2, reason: 'hash-mismatch' },
    storeExport: { line: 3, revision: 2, reason: HASH_ALTERED },
    fileExport: { line: 3, revision: 2, reason: HASH_ALTERED },
  },
  {
    key: 'insertedForged',
    title: '(g) a grant is inserted at revision 5 with a forged hash (later events move up)',
    store: (stream, rows) => {
      shiftFrom(stream, 5);
      insertEvent(stream, 5, forgedGrant(parsed(at(rows, 4)), 5, 'random'));
    },
    file: (lines) => [
      ...lines.slice(0, 5),
      forgedGrant(lineAt(lines, 4), 5, 'random'),
      ...lines.slice(5).map((line) => ({ ...line, revision: line.revision + 1 })),
    ],
    stream: { revision: 5, reason: 'hash-mismatch' },
    log: { revision: 5, reason: 'hash-mismatch' },
    storeExport: { line: 6, revision: 5, reason: HASH_ALTERED },
    fileExport: { line: 6, revision: 5, reason: HASH_ALTERED },
  },
  {
    key: 'insertedRechained',
    title:
      '(g) a grant is inserted at revision 5 with a hash recomputed to fit: the next event breaks',
    store: (stream, rows) => {
      shiftFrom(stream, 5);
      insertEvent(stream, 5, forgedGrant(parsed(at(rows, 4)), 5, 'recomputed'));
    },
    file: (lines) => [
      ...lines.slice(0, 5),
      forgedGrant(lineAt(lines, 4), 5, 'recomputed'),
      ...lines.slice(5).map((line) => ({ ...line, revision: line.revision + 1 })),
    ],
    stream: { revision: 6, reason: 'prev-hash-mismatch' },
    log: { revision: 6, reason: 'prev-hash-mismatch' },
    storeExport: { line: 7, revision: 6, reason: PREV_HASH },
    fileExport: { line: 7, revision: 6, reason: PREV_HASH },
  },
];

// ---------------------------------------------------------------------------------------------

describe('tampering the per-stream chain cannot see: only the whole-log digest catches it', () => {
  it('(e) the LAST event of a stream is deleted: every stream still verifies, but the digest up to the earlier head position differs from the one taken before the deletion', async () => {
    const { id, stream, events, pristine } = org('deletedLast');
    const head = await headPosition();
    const before = await auditor(`/audit/verify?upTo=${head}`);
    expect(before).toMatchObject({ ok: true, brokenStreams: 0, upToPosition: head });
    const cliBefore = await auditCli(app.dataDir, ['verify', '--up-to', String(head)]);
    expect(cliBefore.code).toBe(0);

    const last = rawRow(db, stream, events - 1);
    db.prepare('DELETE FROM events WHERE position = ?').run(last.position);

    // Per stream: nothing to see, the chain simply ends one event earlier.
    expect(await auditor(`/audit/verify/${id}`)).toMatchObject({
      streamId: stream,
      ok: true,
      checked: events - 1,
      head: { revision: events - 2 },
    });
    expect(await auditor('/audit/verify')).toMatchObject({ ok: true, brokenStreams: 0 });
    const [cliOrg, cliLog] = await Promise.all([
      auditCli(app.dataDir, ['verify', '--org', id]),
      auditCli(app.dataDir, ['verify', '--up-to', String(head)]),
    ]);
    expect({ code: cliOrg.code, summary: parseOrgVerify(cliOrg.stdout).summary }).toEqual({
      code: 0,
      summary: `audit verify: ok, ${events - 1} events`,
    });
    // The whole log up to the same position: still "ok", but its digest has moved.
    const after = await auditor(`/audit/verify?upTo=${head}`);
    expect(after).toMatchObject({ ok: true, upToPosition: head });
    expect(after.digest).not.toBe(before.digest);
    const digestOf = (r: RunResult) => /digest ([0-9a-f]{64})$/m.exec(r.stdout)?.[1];
    expect(cliLog.code).toBe(0);
    expect(digestOf(cliBefore)).toBe(before.digest);
    expect(digestOf(cliLog)).toBe(after.digest);

    // The standalone verifier cannot see it either: only the event count and head hash differ.
    const pristineHead = headHashOf(pristine);
    const [fromStore, fromFile] = await Promise.all([
      verifyHistoryFile(await exportNow('deletedLast')),
      verifyHistoryFile(alteredCopy('deletedLast', (lines) => lines.slice(0, -1))),
    ]);
    for (const result of [fromStore, fromFile]) {
      expect(parseVerifierOutput(result)).toEqual({
        code: 0,
        text: expect.stringMatching(new RegExp(`^intact: ${events - 1} events, head hash `)),
      });
      expect(result.stdout).not.toContain(pristineHead);
    }
  });

  it('a tail rewritten with hashes recomputed by the published rule (a grant at revision 11 inflated): every stream still verifies, but the digest differs', async () => {
    const { id, stream, events, pristine } = org('rechained');
    const head = await headPosition();
    const before = await digestUpTo(head);

    const rewrite = (lines: Line[]): Line[] => {
      let prevHash = String(lineAt(lines, 10).metadata.hash);
      return lines.map((line, revision) => {
        if (revision < 11) return line;
        const data = revision === 11 ? { ...line.data, amountFen: 900_000_001 } : line.data;
        const metadata = { ...line.metadata, prevHash };
        const hash = chainHash(prevHash, { type: line.type, data, metadata, revision });
        prevHash = hash;
        return { ...line, data, metadata: { ...metadata, hash } };
      });
    };
    const rows = rawStream(db, stream);
    const rewritten = rewrite(rows.map((row) => ({ ...row, ...parsed(row) })));
    db.transaction(() => {
      for (const row of rewritten.slice(11)) {
        updateData(row.position, row.data);
        updateMetadata(row.position, row.metadata);
      }
    })();

    expect(await auditor(`/audit/verify/${id}`)).toMatchObject({ ok: true, checked: events });
    expect(await auditor('/audit/verify')).toMatchObject({ ok: true, brokenStreams: 0 });
    const cli = await auditCli(app.dataDir, ['verify', '--org', id]);
    expect(cli.code).toBe(0);
    expect(await digestUpTo(head)).not.toBe(before);

    const pristineHead = headHashOf(pristine);
    for (const file of [await exportNow('rechained'), alteredCopy('rechained', rewrite)]) {
      const result = await verifyHistoryFile(file);
      expect(parseVerifierOutput(result)).toEqual({
        code: 0,
        text: expect.stringMatching(
          new RegExp(`^intact: ${events} events, head hash [0-9a-f]{64}$`),
        ),
      });
      expect(result.stdout).not.toContain(pristineHead);
    }
  });
});

describe('tampering the chain catches: every verifier locates the stream and the first broken revision', () => {
  it.each(CASES_CAUGHT_BY_THE_CHAIN.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const { id, stream, pristine } = org(c.key);
    const head = await headPosition();
    const digestBefore = await digestUpTo(head);
    const rows = rawStream(db, stream);
    db.transaction(() => {
      c.store(stream, rows);
    })();

    // HTTP, per stream and over the whole log (whose digest up to the old head moved too).
    expectBroken(await auditor(`/audit/verify/${id}`), c.stream, stream);
    expectBroken(await logEntry(stream), c.log, stream);
    expect(await digestUpTo(head)).not.toBe(digestBefore);

    // The CLI, and the standalone verifier on both exports.
    const [cli, fromStore, fromFile] = await Promise.all([
      auditCli(app.dataDir, ['verify', '--org', id]),
      exportNow(c.key).then(verifyHistoryFile),
      verifyHistoryFile(alteredCopy(c.key, c.file)),
    ]);
    const { json, summary } = parseOrgVerify(cli.stdout);
    expect(cli.code).toBe(1);
    expectBroken(json, c.stream, stream);
    expect(summary).toBe(
      `audit verify: BROKEN at revision ${c.stream.revision} (${c.stream.reason})`,
    );
    expectFileBroken(fromStore, c.storeExport);
    expectFileBroken(fromFile, c.fileExport);
    // The pristine export itself still verifies: the file was only altered in the copy.
    expect((await verifyHistoryFile(pristine)).code).toBe(0);
  });
});

describe('the whole log after all the tampering', () => {
  it('HTTP and the CLI list exactly the broken streams, each at its first broken revision; the two undetectable cases are not among them', async () => {
    const expected = new Map(
      CASES_CAUGHT_BY_THE_CHAIN.map((c) => [org(c.key).stream, c.log.revision]),
    );
    const log = await auditor('/audit/verify');
    expect(log).toMatchObject({ ok: false, brokenStreams: expected.size });
    expect(
      new Map((log.broken as Json[]).map((b) => [b.streamId, b.firstBroken.revision])),
    ).toEqual(expected);

    const cli = await auditCli(app.dataDir, ['verify']);
    expect(cli.code).toBe(1);
    const listed = new Map(
      [
        ...cli.stdout.matchAll(
          /^(organization-[0-9a-f-]{36}): broken at revision (\d+) \(position \d+\)/gm,
        ),
      ].map((m) => [m[1], Number(m[2])]),
    );
    expect(listed).toEqual(expected);
    expect(cli.stdout).toMatch(
      new RegExp(
        `^audit verify: BROKEN, \\d+ events in \\d+ streams up to position \\d+, ${expected.size} broken; digest [0-9a-f]{64}$`,
        'm',
      ),
    );
    for (const key of ['deletedLast', 'rechained'] as const) {
      expect((log.broken as Json[]).some((b) => b.streamId === org(key).stream)).toBe(false);
      expect(listed.has(org(key).stream)).toBe(false);
    }
  });

  it('only auditors verify: 403 for the city, 401 without a token', async () => {
    const { id } = org('data');
    for (const path of ['/audit/verify', `/audit/verify/${id}`]) {
      expect((await send(app, 'city', 'GET', path)).status).toBe(403);
      expect((await send(app, 'xuhuiDistrict', 'GET', path)).status).toBe(403);
      expect((await send(app, undefined, 'GET', path)).status).toBe(401);
    }
  });
});
