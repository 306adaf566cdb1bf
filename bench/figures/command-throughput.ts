import { loadConfig } from '../../src/config.js';
import { policyFromConfig } from '../../src/organizations/policy-from-config.js';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SqliteEventStore } from '../../src/adapters/sqlite/sqlite-event-store.js';
import { SqlitePersonalDataVault } from '../../src/adapters/sqlite/sqlite-personal-data-vault.js';
import { loadDivisions } from '../../src/divisions/load-divisions.js';
import type { CommandContext } from '../../src/event-sourcing/command-context.js';
import { organizationDecider } from '../../src/organizations/domain/organization.decider.js';
import { OrganizationWriter } from '../../src/organizations/organization-writer.js';
import { composeUscc } from '../../src/organizations/domain/rules/uscc.js';
import { newId, systemClock } from '../../src/system.js';
import { ratePerSecond, type BenchOptions, type Figure } from '../figure.js';
import { benchKek } from '../server-process.js';

/**
 * In-process command throughput (load + fold + decide + hash + append, durably) on warm streams,
 * beside the raw rate of single-row better-sqlite3 inserts with the same durability settings.
 */
export async function commandThroughput({ quick, workDir }: BenchOptions): Promise<Figure> {
  const count = quick ? 1500 : 6000;

  const store = SqliteEventStore.open(join(workDir, 'events.sqlite'));
  const vault = SqlitePersonalDataVault.open(join(workDir, 'keys.sqlite'), benchKek(workDir));
  const decider = organizationDecider(policyFromConfig(loadConfig({}), loadDivisions()));
  const writer = new OrganizationWriter(store, decider, systemClock, vault, newId);
  const context = (): CommandContext => ({
    actor: { id: 'bench', role: 'district', jurisdiction: '310104' },
    commandId: randomUUID(),
    correlationId: randomUUID(),
  });
  // Realistic streams hold tens of events: spread the commands over a pool of organizations.
  const ids: string[] = [];
  for (let i = 0; i < 100; i++) {
    const answer = await writer.register(
      {
        name: `徐汇基准测试社会组织${i}号`,
        category: 'charity',
        tier: 'registered',
        legalForm: 'social-group',
        uscc: composeUscc('51310104', `MJ${String(i).padStart(6, '0')}`),
        districtCode: '310104',
        streetCode: '310104003',
        communityCode: '310104003001',
        foundedOn: '2021-01-01',
        founders: [{ kind: 'unit', name: '徐汇区某单位' }],
      },
      context(),
    );
    ids.push(answer.id);
  }
  const grant = (i: number) =>
    writer.change(
      ids[i % ids.length] ?? '',
      {
        type: 'GrantFunding',
        grantId: randomUUID(),
        channel: 'subsidy',
        amountFen: 100_000 + i,
        grantedOn: '2025-06-01',
        funder: { name: '徐汇区民政局', level: 'district', code: '310104' },
        programme: '基准测试',
      },
      context(),
    );
  await grant(0);
  // The baseline stores rows of the same size as the events the commands write.
  const [sample] = await store.readAll({ direction: 'backwards', maxCount: 1 });
  const raw = rawInserter(
    join(workDir, 'raw.sqlite'),
    JSON.stringify(sample?.data),
    JSON.stringify(sample?.metadata),
  );
  // Disk flush latency drifts during a run: alternate short rounds of both so drift hits both alike.
  const rounds = 10;
  const perRound = Math.ceil(count / rounds);
  let commandSeconds = 0;
  let rawSeconds = 0;
  for (let round = 0; round < rounds; round++) {
    rawSeconds += perRound / raw.rate(perRound);
    commandSeconds +=
      perRound / (await ratePerSecond(perRound, (i) => grant(round * perRound + i + 1)));
  }
  raw.close();
  await store.close();
  await vault.close();
  const value = (rounds * perRound) / commandSeconds;
  const baselineValue = (rounds * perRound) / rawSeconds;
  const ratio = value / baselineValue;
  return {
    name: 'command throughput (decide + append, warm streams)',
    value,
    unit: 'commands/s',
    baseline: 'raw better-sqlite3 single-row inserts of event-sized rows (WAL, synchronous=FULL)',
    baselineValue,
    ratio,
    goal: 'ratio >= 0.5',
    met: ratio >= 0.5,
  };
}

function rawInserter(
  file: string,
  data: string,
  metadata: string,
): { rate: (count: number) => number; close: () => void } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE t (position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT, data TEXT, metadata TEXT)',
  );
  const insert = db.prepare('INSERT INTO t (stream, data, metadata) VALUES (?, ?, ?)');
  let n = 0;
  return {
    rate: (count) => {
      const start = process.hrtime.bigint();
      for (let i = 0; i < count; i++) insert.run(`s-${n++ % 100}`, data, metadata);
      return count / (Number(process.hrtime.bigint() - start) / 1e9);
    },
    close: () => db.close(),
  };
}
