/** The seed's target on a DATA_DIR, with the embedded vault the server would open there. */
import type { OrganizationPolicy } from '../../src/organizations/domain/organization.policy.js';
import { openSeedTarget, type SeedTarget } from '../../src/seed/seed-runner.js';
import { openTestVault } from './personal-data-kek.js';

export function openTestSeedTarget(dataDir: string, policy: OrganizationPolicy): SeedTarget {
  return openSeedTarget(dataDir, policy, openTestVault(dataDir, { synchronous: 'NORMAL' }));
}
