/**
 * Prints saved bench results as the Markdown table of docs/performance.md:
 * `node dist/bench/results-table.js bench/results/<date>.json [more.json …]`. The baselines are
 * described once in docs/performance.md, so the table gives their values only.
 */
import { readFileSync } from 'node:fs';
import type { Figure } from './figure.js';

interface Report {
  readonly date: string;
  readonly scale?: string;
  readonly quick: boolean;
  readonly machine: { readonly loadAverageAtStart?: readonly number[] };
  readonly figures: readonly Figure[];
}

const digits = (unit: string): number =>
  unit === 'ms' ? 2 : unit === 's' || unit === 'MB' ? 1 : 0;
const format = (value: number, unit: string): string =>
  value.toLocaleString('en', {
    minimumFractionDigits: digits(unit),
    maximumFractionDigits: digits(unit),
  });
const cell = (text: string): string => text.replaceAll('|', '\\|');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage: node dist/bench/results-table.js bench/results/<date>.json …');
  process.exit(2);
}
console.log('| run | figure | value | baseline (same run) | ratio | goal | met |');
console.log('|---|---|---|---|---|---|---|');
for (const file of files) {
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const load = report.machine.loadAverageAtStart?.[0];
  const run = `${report.scale ?? (report.quick ? 'small' : 'district')}${report.quick ? ' (quick)' : ''}, load ${load === undefined ? '?' : load.toFixed(1)}`;
  for (const f of report.figures) {
    console.log(
      `| ${cell(run)} | ${cell(f.name)} | ${format(f.value, f.unit)} ${f.unit} | ${format(f.baselineValue, f.unit)} | ${f.ratio.toFixed(2)} | ${cell(f.goal)} | ${f.informational ? '—' : f.met ? '✔' : '✘'} |`,
    );
  }
}
