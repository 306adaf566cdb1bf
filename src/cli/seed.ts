import { policyFromConfig } from '../organizations/policy-from-config.js';
import 'reflect-metadata';
import { commandLine, usageError } from './command-line.js';
import { openPersonalDataVault } from '../adapters/stores.js';
import { ConfigError, loadConfig } from '../config.js';
import { loadDivisions } from '../divisions/load-divisions.js';
import { SEED_SCALES, seedPlan, type SeedScale } from '../seed/seed-plan.js';
import { openSeedTarget, runSeed, type SeedRunResult } from '../seed/seed-runner.js';
import { Progress } from './progress.js';

const USAGE = `Usage: npm run seed -- --scale small|district|city [--seed N]

Writes realistic organizations and their histories (2021-01 to 2026-10) into DATA_DIR through
the real command path: deciders, unique claims, hash chain, event store.
  --scale  small     parts of 天平路街道 (徐汇区) and 城桥镇 (崇明区): ~200 organizations,
                     ~4,000 events, a few seconds (tests and demos)
           district  all of 徐汇区 (urban) and 崇明区 (mostly rural), about a tenth of the city:
                     ~7,500 organizations, ~150,000 events, about a minute
           city      all 16 districts: ~73,600 organizations (~68,500 still active at the end),
                     ~1.5 million events, 5 to 10 minutes (2 cores, more on a busy machine)
  --seed   a whole number from 0 to 2147483647 (default 1): the same seed writes the same data

Safe to interrupt with Ctrl-C (the command in flight is finished and what was done committed)
or to kill (the last group of up to 2,000 commands is lost): run the same command again to
finish the job; commands already written are not written twice. Seed an empty DATA_DIR (or
finish an earlier run of the same scale and seed): other seeds' names would be taken. Read
models catch up when the server runs, or with \`npm run projections -- rebuild\`.`;

async function main(): Promise<void> {
  const { values } = commandLine(USAGE, {
    options: {
      scale: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  if (values.scale === undefined) usageError(USAGE, '--scale is required');
  if (!(SEED_SCALES as readonly string[]).includes(values.scale))
    usageError(USAGE, `--scale must be one of ${SEED_SCALES.join(', ')}`);
  const scale = values.scale as SeedScale;
  if (!/^\d{1,10}$/.test(values.seed) || Number(values.seed) > 2_147_483_647)
    usageError(USAGE, '--seed must be a whole number from 0 to 2147483647');
  const seed = Number(values.seed);

  const config = loadConfig();
  const divisions = loadDivisions();
  let stopping = false;
  process.on('SIGINT', () => {
    if (stopping) process.exit(130);
    stopping = true;
    process.stderr.write(
      '\nstopping after the command in flight (Ctrl-C again to quit now, losing the commands ' +
        'since the last commit: a rerun sends them again)\n',
    );
  });

  process.stderr.write(`planning ${scale} (seed ${seed})…\n`);
  const plan = seedPlan(divisions, {
    scale,
    seed,
    teamsInSpecialUnits: config.TEAMS_IN_SPECIAL_UNITS,
  });
  const vault = await openPersonalDataVault(config, { synchronous: 'NORMAL' });
  const target = openSeedTarget(config.DATA_DIR, policyFromConfig(config, divisions), vault);
  let result: SeedRunResult;
  try {
    const progress = new Progress(`seed ${scale}`);
    let first: number | undefined;
    result = await runSeed(plan, target, {
      shouldStop: () => stopping,
      onProgress: (done, total) => {
        first ??= done - 1;
        progress.update(done - first, total - first, 'commands');
      },
    });
    progress.done();
  } finally {
    await target.close();
  }
  report(result);
  if (!result.complete) process.exit(130);
  if (result.refused.length > 0) process.exitCode = 1;
}

function report(r: SeedRunResult): void {
  const n = (value: number): string => value.toLocaleString('en');
  for (const c of r.refused.slice(0, 20)) {
    console.error(`refused #${c.n} ${c.step} of ${c.organization}: ${c.rule}: ${c.message}`);
  }
  if (r.refused.length > 20) console.error(`… and ${r.refused.length - 20} more refused`);
  // Events are counted where the store counts them cheaply (not on EventStoreDB).
  const written = r.eventsWritten;
  const rate = written !== null && r.seconds > 0 ? Math.round(written / r.seconds) : 0;
  const resumed = r.startedAt > 0 ? `, resumed at command ${n(r.startedAt)}` : '';
  const events =
    written === null
      ? `in ${r.seconds.toFixed(1)} s`
      : `${n(written)} events in ${r.seconds.toFixed(1)} s (${n(rate)} events/s)`;
  const figures =
    `${n(r.registered)} organizations, ${events}; ${n(r.sent)} command${r.sent === 1 ? '' : 's'} sent${resumed}, ${n(r.replayed)} already done, ` +
    `${n(r.refused.length)} refused`;
  console.log(
    r.complete
      ? `seed ${r.scale} (seed ${r.seed}) done: ${figures}`
      : `seed ${r.scale} (seed ${r.seed}) interrupted at command ${n(r.next)} of ${n(r.commands)}: ${figures}; run it again to finish`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
