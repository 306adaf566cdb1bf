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
import { readModelCheckpoints } from '../event-sourcing/projection/read-model-checkpoints.js';
import {
  checkCheckpoints,
  ForeignCheckpointError,
  recordOrigin,
} from '../event-sourcing/positions/checkpoint-check.js';
import { LOG_START, positionToJson } from '../event-sourcing/ports/event-store.port.js';
import { GATEWAY_CHECKPOINT } from '../gateway/kafka-gateway.js';
import { Progress } from './progress.js';

const USAGE = `Usage:
  npm run projections -- rebuild [NAME]   build a fresh generation of every (or one) read model
                                          from the log while the current one keeps serving, then swap
  npm run projections -- verify           rebuild into scratch storage and compare with the live read
                                          models; exit 1 and print the differences when they disagree
  npm run projections -- reset-gateway    move the Kafka gateway's checkpoint to the head of the log
                                          (after a change of event store: see docs/operators.md)

Read models: registry, statistics, funding, activity_reports. Uses DATA_DIR like the server,
and can run while the server runs.`;

async function main(): Promise<void> {
  const { positionals } = commandLine(USAGE, { allowPositionals: true, options: {} });
  const [command, name, ...extra] = positionals;
  if (extra.length > 0) usageError(USAGE, `unexpected arguments: ${extra.join(' ')}`);
  const projections = createProjections(loadDivisions());
  const chosen = name === undefined ? projections : projections.filter((p) => p.name === name);
  if (chosen.length === 0) usageError(USAGE, `unknown read model ${String(name)}`);
  if (command !== 'rebuild' && command !== 'verify' && command !== 'reset-gateway')
    usageError(USAGE, command === undefined ? 'missing command' : `unknown command ${command}`);
  if (command === 'verify' && name !== undefined)
    usageError(USAGE, 'verify checks every read model; it takes no name');
  if (command === 'reset-gateway' && name !== undefined)
    usageError(USAGE, 'reset-gateway takes no name');

  const config = loadConfig();
  const events = await openEventStore(config);
  const store = await openReadStore(config);
  const started = Date.now();
  try {
    if (command === 'rebuild') {
      // Every chosen read model in one pass over the log, swapped in together.
      const progress = new Progress(`rebuild ${chosen.map((p) => p.name).join(', ')}`);
      const results = await rebuildAll(
        events,
        store,
        chosen,
        () => new Date(),
        (_n, folded, of) => {
          progress.update(folded, of);
        },
      );
      progress.done();
      // Every read model now counts from this store's positions: it is their origin from now on.
      if (chosen.length === projections.length) await recordOrigin(events, store);
      for (const result of results) {
        console.error(
          `${result.projection}: now serving ${result.collection} at position ${positionToJson(result.position)}`,
        );
      }
      const counted = await events.countBetween(LOG_START, await events.headPosition());
      console.log(
        `rebuilt ${chosen.length} read model(s) from ${counted === null ? 'the' : counted.toLocaleString('en')} events in ${seconds(started)} s`,
      );
      return;
    }
    if (command === 'reset-gateway') {
      // Only the events appended from now on are published: the operator chose so, after a
      // change of event store (see docs/operators.md).
      const head = await events.headPosition();
      // Checkpoints only move forward: one from another store may lie past this head, so the
      // old one goes first.
      await store.deleteCheckpoint(GATEWAY_CHECKPOINT);
      await store.commit({ checkpoints: { [GATEWAY_CHECKPOINT]: head } });
      await recordOrigin(events, store);
      console.log(`gateway checkpoint moved to the head, position ${positionToJson(head)}`);
      return;
    }
    // Verifying against read models from another store would only list differences.
    await checkCheckpoints(events, store, await readModelCheckpoints(store, projections));
    const scratchDir = mkdtempSync(join(tmpdir(), 'registry-verify-'));
    const scratch = SqliteReadStore.open(join(scratchDir, 'scratch.sqlite'), {
      synchronous: 'NORMAL',
    });
    try {
      const progress = new Progress('verify');
      const result = await verify(events, store, scratch, chosen, (projection, folded, of) => {
        progress.update(folded, of, `events (${projection})`);
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
  // A foreign checkpoint is an operator's matter: one line that names it and the way out.
  const oneLine = error instanceof ConfigError || error instanceof ForeignCheckpointError;
  console.error(oneLine ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
