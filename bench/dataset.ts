import { policyFromConfig } from '../src/organizations/policy-from-config.js';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { loadDivisions } from '../src/divisions/load-divisions.js';
import { seedPlan, type SeedScale } from '../src/seed/seed-plan.js';
import { openSeedTarget, runSeed } from '../src/seed/seed-runner.js';

/**
 * A seeded data directory for the benchmarks, kept outside the clone and reused across runs:
 * the seed is deterministic and resumable, so a second run only checks that it is complete.
 */
export async function benchDataset(scale: SeedScale, log: (line: string) => void): Promise<string> {
  const root = join(
    process.env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'),
    'community-orgs',
    'bench',
  );
  const dir = join(root, `${scale}-seed-1`);
  const fresh = !existsSync(join(dir, 'events.sqlite'));
  mkdirSync(dir, { recursive: true });
  const divisions = loadDivisions();
  const plan = seedPlan(divisions, { scale, seed: 1 });
  const target = openSeedTarget(dir, policyFromConfig(loadConfig({}), divisions));
  try {
    log(
      fresh
        ? `seeding the ${scale} dataset into ${dir} (once; reused by later runs)…`
        : `checking the ${scale} dataset in ${dir}…`,
    );
    const result = await runSeed(plan, target);
    if (result.refused.length > 0)
      throw new Error(`the seed refused ${result.refused.length} commands`);
  } finally {
    await target.close();
  }
  return dir;
}
