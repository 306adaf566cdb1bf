import { openEventStore, openPersonalDataVault } from '../adapters/stores.js';
import { ConfigError, loadConfig } from '../config.js';
import { LOG_START } from '../event-sourcing/ports/event-store.port.js';
import { loadDivisions } from '../divisions/load-divisions.js';
import { organizationDecider } from '../organizations/domain/organization.decider.js';
import { OrganizationWriter, organizationStream } from '../organizations/organization-writer.js';
import { policyFromConfig } from '../organizations/policy-from-config.js';
import { newId, systemClock } from '../system.js';
import { commandLine, usageError } from './command-line.js';

const USAGE = `Usage: npm run claims -- backfill

Names, USCCs and filing numbers are unique among live organizations through small reservation
streams written with each command. A log written before those existed has none: backfill takes,
for every live organization, the claims its state holds, and lists the values two live
organizations share (exit 1), for an official to resolve by renaming or dissolving one. Safe to
run again, and while the server runs. Uses DATA_DIR (or EVENT_STORE) like the server.`;

const PAGE = 5_000;
const ORGANIZATION_PREFIX = organizationStream('');

async function main(): Promise<void> {
  const { positionals } = commandLine(USAGE, { allowPositionals: true, options: {} });
  const [command, ...extra] = positionals;
  if (command !== 'backfill')
    usageError(USAGE, command === undefined ? 'missing command' : `unknown command ${command}`);
  if (extra.length > 0) usageError(USAGE, `unexpected arguments: ${extra.join(' ')}`);

  const config = loadConfig();
  const store = await openEventStore(config);
  const vault = await openPersonalDataVault(config);
  const decider = organizationDecider(policyFromConfig(config, loadDivisions()));
  const writer = new OrganizationWriter(store, decider, systemClock, vault, newId);
  try {
    const ids: string[] = [];
    for (let from = LOG_START; ;) {
      const page = await store.readAll({ fromPosition: from, maxCount: PAGE });
      if (page.length === 0) break;
      for (const event of page)
        if (
          event.type === 'OrganizationRegistered' &&
          event.streamId.startsWith(ORGANIZATION_PREFIX)
        )
          ids.push(event.streamId.slice(ORGANIZATION_PREFIX.length));
      from = page[page.length - 1]?.position ?? from;
    }
    const id = newId();
    const context = {
      actor: { id: 'claims-backfill', role: 'system', jurisdiction: '310000' },
      commandId: id,
      correlationId: id,
    };
    let taken = 0;
    let shared = 0;
    for (const [index, organizationId] of ids.entries()) {
      const result = await writer.claimHeld(organizationId, context, systemClock.now());
      taken += result.taken;
      for (const { claim, rule } of result.refused) {
        shared++;
        console.log(`${rule}: ${organizationId} ${claim.kind} ${claim.value} (in ${claim.scope})`);
      }
      if ((index + 1) % 10_000 === 0)
        console.error(`claims: ${String(index + 1)} of ${String(ids.length)} organizations`);
    }
    console.error(
      `claims: ${String(ids.length)} organizations, ${String(taken)} claims held, ${String(shared)} shared with another live organization`,
    );
    if (shared > 0) process.exitCode = 1;
  } finally {
    await store.close();
    await vault.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(error instanceof ConfigError ? 2 : 1);
});
