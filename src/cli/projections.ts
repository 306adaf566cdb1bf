import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commandLine, usageError } from './command-line.js';
import { createProjections } from '../../projections/index.js';
import { openEventStore, openReadStore } from '../adapters/stores.js';
import { SqliteReadStore } from '../adapters/sqlite/sqlite-read-store.js';
import { ConfigError, loadConfig } from '../config.js';
import { loadDivisions } from '../divisions/load-divisions.js';
import { rebuildAll, verify } from '../event-sourcing/projection/rebuild.js';
import { Progress } from './progress.js';

const USAGE = `Usage:
  npm run projections -- rebuild [NAME]   build a fresh generation of every (or one) read model
                                          from the log while the current one keeps serving, then swap
  npm run projections -- verify           rebuild into scratch storage and compare with the live read
                                          models; exit 1 and print the differences when they disagree

Read models: registry, statistics, funding, activity_reports. Uses DATA_DIR like the server,
and can run while the server runs.`;

async function main(): Promise<void> {
  const { positionals } = commandLine(USAGE, { allowPositionals: true, options: {} });
  const [command, name, ...extra] = positionals;
  if (extra.length > 0) usageError(USAGE, `unexpected arguments: ${extra.join(' ')}`);
  const projections = createProjections(loadDivisions());
  const chosen = name === undefined ? projections : projections.filter((p) => p.name === name);
  if (chosen.length === 0) usageError(USAGE, `unknown read model ${String(name)}`);
  if (command !== 'rebuild' && command !== 'verify')
    usageError(USAGE, command === undefined ? 'missing command' : `unknown command ${command}`);
  if (command === 'verify' && name !== undefined)
    usageError(USAGE, 'verify checks every read model; it takes no name');

  const config = loadConfig();
  const events = await openEventStore(config);
  const store = await openReadStore(config);
  const started = Date.now();
  try {
    const head = await events.headPosition();
    if (command === 'rebuild') {
      // Every chosen read model in one pass over the log, swapped in together.
      const progress = new Progress(`rebuild ${chosen.map((p) => p.name).join(', ')}`);
      const results = await rebuildAll(
        events,
        store,
        chosen,
        () => new Date(),
        (_n, position, of) => {
          progress.update(position, of);
        },
      );
      progress.done();
      for (const result of results) {
        console.error(
          `${result.projection}: now serving ${result.collection} at position ${result.position}`,
        );
      }
      console.log(
        `rebuilt ${chosen.length} read model(s) from ${head.toLocaleString('en')} events in ${seconds(started)} s`,
      );
      return;
    }
    const scratchDir = mkdtempSync(join(tmpdir(), 'registry-verify-'));
    const scratch = SqliteReadStore.open(join(scratchDir, 'scratch.sqlite'), {
      synchronous: 'NORMAL',
    });
    try {
      const progress = new Progress('verify');
      const result = await verify(events, store, scratch, chosen, (projection, position, of) => {
        progress.update(position, of, `events (${projection})`);
      });
      progress.done();
      for (const d of result.differences.slice(0, 50)) {
        console.log(
          `${d.projection} ${d.collection} ${d.id}\n  live:    ${JSON.stringify(d.live)}\n  rebuilt: ${JSON.stringify(d.rebuilt)}`,
        );
      }
      if (result.differences.length > 50)
        console.log(`… and ${result.differences.length - 50} more differences`);
      const summary = `${result.compared.toLocaleString('en')} documents compared, ${result.skipped} changed during the check and left out, ${result.differences.length} different (${seconds(started)} s)`;
      console.log(
        result.differences.length === 0 ? `verify: ok, ${summary}` : `verify: FAILED, ${summary}`,
      );
      if (result.differences.length > 0) process.exitCode = 1;
    } finally {
      await scratch.close();
      rmSync(scratchDir, { recursive: true, force: true });
    }
  } finally {
    await store.close();
    await events.close();
  }
}

const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(1);

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
