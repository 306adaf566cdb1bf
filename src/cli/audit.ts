import 'reflect-metadata';
import { csvExport } from '../http/csv-export.js';
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { commandLine, usageError } from './command-line.js';
import { openEventStore, openLogTree, openPersonalDataAccessLog } from '../adapters/stores.js';
import { checkLogTree } from '../audit/log-tree-check.js';
import { signerKeyString, verifierKeyString } from '../audit/merkle/signed-note.js';
import { resolveLogSigner } from '../adapters/log-signing-key.js';
import { randomBytes } from 'node:crypto';
import { AuditService, type HistoryEntry } from '../audit/audit.service.js';
import { HISTORY_CSV_COLUMNS, historyCsvRow } from '../audit/http/history-csv.js';
import { ACCESS_CSV_COLUMNS, accessCsvRow } from '../audit/http/personal-data-access-csv.js';
import { accessQuery, allAccesses, type AccessFilter } from '../audit/personal-data-access.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { isIsoDate } from '../event-sourcing/iso-date.js';
import { positionFromJson, type EventStore } from '../event-sourcing/ports/event-store.port.js';
import { organizationStream } from '../organizations/organization-writer.js';
import { Progress } from './progress.js';

const USAGE = `Usage:
  npm run audit -- verify [--org ID] [--up-to POSITION]
      recompute the hash chain of one organization, or of every stream with the digest over the
      whole log (up to a position, to compare with a digest taken earlier); exit 1 on any break
  npm run audit -- verify-log
      rebuild the Merkle tree over the log (RFC 9162) from the events and compare every stored
      hash with it; exit 1 on any difference
  npm run audit -- log-key [--new]
      the public key that verifies the log's checkpoints, as a C2SP vkey
      (<origin>+<key id>+<base64 key>); with --new, a new signing key for LOG_SIGNING_KEY instead
  npm run audit -- export --org ID --format jsonl|csv [--out FILE]
      an organization's full history, streamed to stdout or FILE
  npm run audit -- access --format jsonl|csv [--org ID] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--out FILE]
      the personal-data access log (who read personal data, when, of which organization, by
      which route), by Shanghai days, both included, streamed to stdout or FILE

An exported JSONL history can be checked without this application: node tools/verify-history.mjs FILE`;

async function main(): Promise<void> {
  const { positionals, values } = commandLine(USAGE, {
    allowPositionals: true,
    options: {
      org: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'up-to': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      new: { type: 'boolean' },
    },
  });
  const [command, ...extra] = positionals;
  if (extra.length > 0) usageError(USAGE, `unexpected arguments: ${extra.join(' ')}`);
  if (values.org !== undefined && !/^[0-9a-f-]{36}$/i.test(values.org))
    usageError(USAGE, '--org must be an organization id (UUID)');
  if (values['up-to'] !== undefined && !/^\d+$/.test(values['up-to']))
    usageError(USAGE, '--up-to must be a position (a whole number)');
  for (const option of ['from', 'to'] as const) {
    const value = values[option];
    if (value !== undefined && (command !== 'access' || !isIsoDate(value)))
      usageError(USAGE, `--${option} is a day YYYY-MM-DD of the access command`);
  }
  if (values.from !== undefined && values.to !== undefined && values.from > values.to)
    usageError(USAGE, '--to must not be before --from');
  if (command === 'export' || command === 'access') {
    if (command === 'export' && values.org === undefined)
      usageError(USAGE, 'export needs --org ID');
    if (values.format !== 'jsonl' && values.format !== 'csv')
      usageError(USAGE, `${command} needs --format jsonl or csv`);
  } else if (command !== 'verify' && command !== 'verify-log' && command !== 'log-key') {
    usageError(USAGE, command === undefined ? 'missing command' : `unknown command ${command}`);
  }

  if (values.new === true && command !== 'log-key')
    usageError(USAGE, '--new is an option of the log-key command');
  const config = loadConfig();
  if (command === 'log-key') {
    console.log(
      values.new === true
        ? signerKeyString(config.LOG_ORIGIN, randomBytes(32))
        : verifierKeyString(resolveLogSigner(config)),
    );
    return;
  }
  if (command === 'access') {
    await exportAccesses(config, {
      format: values.format === 'csv' ? 'csv' : 'jsonl',
      ...(values.org !== undefined && { organization: values.org }),
      ...(values.from !== undefined && { from: values.from }),
      ...(values.to !== undefined && { to: values.to }),
      ...(values.out !== undefined && { out: values.out }),
    });
    return;
  }
  const store = await openEventStore(config);
  const audit = new AuditService(store);
  try {
    if (command === 'verify-log') {
      await verifyLogTree(config, store);
      return;
    }
    if (command === 'export') {
      const out: Writable =
        values.out === undefined ? process.stdout : createWriteStream(values.out);
      const entries = audit.history(organizationStream(values.org ?? ''));
      if (values.format === 'csv') {
        await pipeline(
          Readable.from(map(entries, historyCsvRow)),
          csvExport(HISTORY_CSV_COLUMNS),
          out,
        );
      } else {
        await pipeline(
          Readable.from(map(entries, (e: HistoryEntry) => `${JSON.stringify(e)}\n`)),
          out,
        );
      }
      return;
    }
    if (values.org !== undefined) {
      const check = await audit.verifyStream(organizationStream(values.org));
      if (check.checked === 0) {
        console.error(`no organization ${values.org}`);
        process.exitCode = 1;
        return;
      }
      console.log(JSON.stringify(check, null, 2));
      console.log(
        check.ok
          ? `audit verify: ok, ${check.checked} events`
          : `audit verify: BROKEN at revision ${check.firstBroken?.revision ?? '?'} (${check.firstBroken?.reason ?? ''})`,
      );
      if (!check.ok) process.exitCode = 1;
      return;
    }
    const progress = new Progress('verify log');
    const upTo =
      values['up-to'] === undefined ? undefined : positionFromJson(Number(values['up-to']));
    const check = await audit.verifyLog(upTo, 100, (checked, total) => {
      progress.update(checked, total);
    });
    progress.done();
    for (const broken of check.broken) {
      console.log(
        `${broken.streamId}: broken at revision ${broken.firstBroken?.revision ?? '?'} (position ${broken.firstBroken?.position ?? '?'}): ${broken.firstBroken?.detail ?? ''}`,
      );
    }
    console.log(
      `audit verify: ${check.ok ? 'ok' : 'BROKEN'}, ${check.checked} events in ${check.streams} streams up to position ${check.upToPosition}, ${check.brokenStreams} broken; digest ${check.digest}`,
    );
    if (!check.ok) process.exitCode = 1;
  } finally {
    await store.close();
  }
}

/** Rebuilds the tree from the log and compares it with the stored one (exit 1 on a difference). */
async function verifyLogTree(config: Config, store: EventStore): Promise<void> {
  const handle = openLogTree(config);
  try {
    // EventStoreDB: the side store first takes in what the log has beyond it (as the server would).
    const catchingUp = new Progress('log tree catch-up');
    await handle.catchUp(store, (leaves) => {
      catchingUp.update(leaves, null, 'leaves');
    });
    catchingUp.done();
    const progress = new Progress('verify log tree');
    const check = await checkLogTree(store, handle.tree, (events) => {
      progress.update(events, null);
    });
    progress.done();
    for (const difference of check.differences)
      console.log(
        `level ${String(difference.level)} node ${String(difference.index)} (event at position ${String(difference.position)}): ${difference.detail}`,
      );
    console.log(
      `audit verify-log: ${check.ok ? 'ok' : 'DIFFERENT'}, ${String(check.events)} events, ${String(check.nodesChecked)} tree hashes compared, tree size ${String(check.treeSize)}, ${String(check.differenceCount)} differences`,
    );
    if (!check.ok) process.exitCode = 1;
  } finally {
    await handle.close();
  }
}

/** The access log, filtered, as JSON Lines or CSV (the formats of the HTTP export). */
async function exportAccesses(
  config: Config,
  options: AccessFilter & { format: 'jsonl' | 'csv'; out?: string },
): Promise<void> {
  const log = await openPersonalDataAccessLog(config);
  try {
    const out: Writable =
      options.out === undefined ? process.stdout : createWriteStream(options.out);
    const records = allAccesses(log, accessQuery(options));
    if (options.format === 'csv')
      await pipeline(Readable.from(map(records, accessCsvRow)), csvExport(ACCESS_CSV_COLUMNS), out);
    else await pipeline(Readable.from(map(records, (r) => `${JSON.stringify(r)}\n`)), out);
  } finally {
    await log.close();
  }
}

async function* map<T, U>(source: AsyncIterable<T>, f: (value: T) => U): AsyncGenerator<U> {
  for await (const value of source) yield f(value);
}

// `… | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
