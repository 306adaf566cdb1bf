/**
 * Writes the topic's contract into `contracts/` from the code:
 *
 *   npm run build && node dist/src/gateway/contract/write-contracts.js [--check]
 *
 * `--check` writes nothing and exits 1 when a file differs (test/gateway/contract.spec.ts runs
 * the same comparison). Files are formatted with the project's Prettier settings, so
 * `npm run format:check` accepts them as written.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { projectRoot } from '../../divisions/load-divisions.js';
import { contractFiles, CONTRACTS_DIR, SCHEMAS_DIR } from './contract-files.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } });
  const root = join(projectRoot(), CONTRACTS_DIR);
  const files = contractFiles();
  const stale: string[] = [];
  for (const [name, document] of files) {
    const path = join(root, name);
    const options = (await resolveConfig(path)) ?? {};
    const text = await format(JSON.stringify(document), { ...options, filepath: path });
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === text) continue;
    stale.push(name);
    if (!values.check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  // A schema of an event type that no longer exists is stale too.
  const schemaDir = join(root, SCHEMAS_DIR);
  let present: string[];
  try {
    present = readdirSync(schemaDir).filter((f) => f.endsWith('.json'));
  } catch {
    present = [];
  }
  for (const file of present) {
    const name = `${SCHEMAS_DIR}/${file}`;
    if (files.has(name)) continue;
    stale.push(name);
    if (!values.check) rmSync(join(schemaDir, file));
  }
  if (values.check) {
    if (stale.length > 0) {
      console.error(`contracts/ is out of date: ${stale.join(', ')}`);
      process.exit(1);
    }
    console.log(`contracts/ is up to date (${files.size} files)`);
    return;
  }
  console.log(
    stale.length === 0
      ? `contracts/ was up to date (${files.size} files)`
      : `wrote ${stale.length} of ${files.size} files in contracts/: ${stale.join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
