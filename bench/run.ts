import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/divisions/load-divisions.js';
import { SEED_SCALES, type SeedScale } from '../src/seed/seed-plan.js';
import type { BenchOptions, Figure } from './figure.js';
import { benchDataset } from './dataset.js';
import { commandThroughput } from './figures/command-throughput.js';
import { gatewayThroughput } from './figures/gateway-throughput.js';
import { historyReplay } from './figures/history-replay.js';
import { httpWrites } from './figures/http-writes.js';
import { queryLatency } from './figures/query-latency.js';
import { rebuildThroughput } from './figures/rebuild-throughput.js';
import { rebuildTime } from './figures/rebuild-time.js';
import { seedTime } from './figures/seed-time.js';
import { serverMemory } from './figures/server-memory.js';

/**
 * Every figure of the suite by the name --only takes, each measuring its own baseline in the same
 * run. The seed and rebuild durations have goals for the whole city, so they join at city scale.
 */
const FIGURES: Readonly<Record<string, (options: BenchOptions) => Promise<Figure | Figure[]>>> = {
  command: commandThroughput,
  seed: (options) => (options.data.scale === 'city' ? seedTime(options) : Promise.resolve([])),
  rebuild: async (options) => {
    const figures = [await rebuildThroughput(options)].flat();
    const [throughput] = figures;
    return options.data.scale === 'city' && throughput
      ? [...figures, rebuildTime(throughput, options.data)]
      : figures;
  },
  replay: historyReplay,
  queries: queryLatency,
  writes: httpWrites,
  memory: serverMemory,
  gateway: gatewayThroughput,
};

const USAGE = `Usage: npm run bench -- [--quick] [--json] [--scale small|district|city] [--only NAME,…] [--prepare]

  --quick    a run under two minutes on the small dataset (fewer samples)
  --json     print the report as JSON on stdout instead of a table
  --scale    the seeded dataset the figures read (default: city, small with --quick); seeded once
             into ~/.cache/community-orgs/bench and reused
  --only     run only the figures named (${Object.keys(FIGURES).join(', ')})
  --prepare  seed the dataset and build its read models, measure nothing`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        scale: { type: 'string' },
        only: { type: 'string' },
        prepare: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.scale !== undefined && !(SEED_SCALES as readonly string[]).includes(values.scale)) {
    console.error(`--scale must be one of ${SEED_SCALES.join(', ')}\n\n${USAGE}`);
    process.exit(2);
  }
  const only = values.only?.split(',').map((name) => name.trim());
  const unknown = only?.filter((name) => !(name in FIGURES)) ?? [];
  if (unknown.length > 0) {
    console.error(`unknown figure(s) ${unknown.join(', ')}\n\n${USAGE}`);
    process.exit(2);
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // --quick runs on a few thousand events; the full run on the whole city (issue 7).
  const scale = (values.scale ?? (values.quick ? 'small' : 'city')) as SeedScale;
  const data = await benchDataset(scale, log);
  if (values.prepare) {
    log(`${scale} dataset ready in ${data.dir}: ${data.events.toLocaleString('en')} events`);
    return;
  }
  const loadAtStart = loadavg();
  const workDir = mkdtempSync(join(tmpdir(), 'registry-bench-'));
  const figures: Figure[] = [];
  try {
    for (const [name, figure] of Object.entries(FIGURES)) {
      if (only && !only.includes(name)) continue;
      log(`measuring ${name}…`);
      const dir = join(workDir, name);
      mkdirSync(dir);
      const options: BenchOptions = { quick: values.quick, workDir: dir, dataset: data.dir, data };
      figures.push(...[await figure(options)].flat());
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    // Other work on the machine skews every figure: keep the load beside them.
    loadAverageAtStart: loadAtStart.map((l) => Number(l.toFixed(2))),
    loadAverageAtEnd: loadavg().map((l) => Number(l.toFixed(2))),
  };
  const report = {
    date: new Date().toISOString(),
    quick: values.quick,
    scale,
    dataset: { events: data.events, organizations: data.organizations },
    machine,
    figures,
  };
  const resultsDir = join(projectRoot(), 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const suffix = `${values.quick ? '-quick' : ''}${scale === (values.quick ? 'small' : 'city') ? '' : `-${scale}`}${only ? '-partial' : ''}`;
  writeFileSync(
    join(resultsDir, `${report.date.slice(0, 10)}${suffix}.json`),
    JSON.stringify(report, null, 2) + '\n',
  );
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  const digits = (unit: string): number =>
    unit === 'ms' ? 2 : unit === 's' || unit === 'MB' ? 1 : 0;
  console.table(
    figures.map((f) => ({
      figure: f.name,
      value: `${f.value.toFixed(digits(f.unit))} ${f.unit}`,
      baseline: `${f.baselineValue.toFixed(digits(f.unit))} (${f.baseline})`,
      ratio: f.ratio.toFixed(2),
      goal: f.goal,
      met: f.informational ? '—' : f.met ? 'yes' : 'NO',
    })),
  );
  const goals = figures.filter((f) => !f.informational);
  console.log(
    `${goals.filter((f) => f.met).length} of ${goals.length} goals met on the ${scale} dataset ` +
      `(${data.events.toLocaleString('en')} events), ${machine.cpus} × ${machine.cpuModel}, ` +
      `Node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')} at start`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
