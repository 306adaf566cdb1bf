import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/divisions/load-divisions.js';
import type { BenchOptions, Figure } from './figure.js';
import { benchDataset } from './dataset.js';
import { commandThroughput } from './figures/command-throughput.js';
import { gatewayThroughput } from './figures/gateway-throughput.js';
import { historyReplay } from './figures/history-replay.js';
import { queryLatency } from './figures/query-latency.js';
import { rebuildThroughput } from './figures/rebuild-throughput.js';

/** Every figure of the suite, each measuring its own baseline in the same run. */
const FIGURES: ReadonlyArray<(options: BenchOptions) => Promise<Figure | Figure[]>> = [
  commandThroughput,
  rebuildThroughput,
  historyReplay,
  queryLatency,
  gatewayThroughput,
];

const USAGE = 'Usage: npm run bench [-- --quick] [-- --json]';

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const workDir = mkdtempSync(join(tmpdir(), 'registry-bench-'));
  const figures: Figure[] = [];
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  // --quick runs on a few thousand events; the full run on a tenth of the city.
  const dataset = await benchDataset(values.quick ? 'small' : 'district', log);
  try {
    for (const [index, figure] of FIGURES.entries()) {
      log(`measuring ${figure.name}…`);
      const dir = join(workDir, String(index));
      mkdirSync(dir);
      figures.push(...[await figure({ quick: values.quick, workDir: dir, dataset })].flat());
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const report = { date: new Date().toISOString(), quick: values.quick, machine, figures };
  const resultsDir = join(projectRoot(), 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    join(resultsDir, `${report.date.slice(0, 10)}${values.quick ? '-quick' : ''}.json`),
    JSON.stringify(report, null, 2) + '\n',
  );
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return;
  }
  console.table(
    figures.map((f) => ({
      figure: f.name,
      value: `${f.value.toFixed(f.unit === 'ms' ? 2 : 0)} ${f.unit}`,
      baseline: `${f.baselineValue.toFixed(f.unit === 'ms' ? 2 : 0)} (${f.baseline})`,
      ratio: f.ratio.toFixed(2),
      goal: f.goal,
      met: f.met ? 'yes' : 'NO',
    })),
  );
  console.log(
    `${figures.filter((f) => f.met).length} of ${figures.length} goals met on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
