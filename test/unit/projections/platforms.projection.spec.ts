/**
 * DOMAIN §5 "support-platform coverage per street" and incubation by base and year: what the
 * statistics documents contribute to `platforms:<district>` and `incubation:<city|district>`,
 * and the registry's public `supportRoles` and `incubation`.
 */
import {
  incubationRollup,
  platformsRollup,
  statisticsProjection,
} from '../../../projections/statistics.projection.js';
import { registryProjection } from '../../../projections/registry.projection.js';
import { PLACES, divisions } from '../../support/fixtures.js';
import { EventLog, fold, tally } from './projection-harness.js';
import {
  demoted,
  dissolved,
  groupRegistered,
  socialGroupRegistered,
} from '../../support/events.js';
import {
  incubationEnded,
  incubationEntered,
  roleAssigned,
  roleRevoked,
} from '../../support/platform-events.js';

const statistics = statisticsProjection(divisions);
const registry = registryProjection(divisions);
const BASE = 'org-base';
const FED = 'org-fed';
const G1 = 'org-g1';
const G2 = 'org-g2';
const { city, xuhui, tianping, hunan } = PLACES;

function history(): EventLog {
  const log = new EventLog();
  log.append(socialGroupRegistered(BASE), roleAssigned(BASE, 'incubation-base', [tianping]));
  log.append(
    socialGroupRegistered(FED, { name: '徐汇区社区社会组织联合会' }),
    roleAssigned(FED, 'federation', [tianping, hunan]),
    roleAssigned(FED, 'service-centre', [hunan]),
  );
  log.append(groupRegistered(G1), incubationEntered(G1, BASE, 'i-1', '2024-04-01'));
  log.append(incubationEnded(G1, BASE, 'graduated', '2025-03-01', 'i-1'));
  log.append(
    groupRegistered(G2, { name: '上海新村合唱小组' }),
    incubationEntered(G2, BASE, 'i-2', '2024-09-01'),
  );
  log.append(incubationEnded(G2, BASE, 'withdrawn', '2024-12-01', 'i-2'));
  return log;
}

describe('support-platform coverage (statistics rollups)', () => {
  it('each active organization counts once per street and role it serves, in its district', () => {
    const rollups = tally(statistics, fold(statistics, history().events).values());
    expect(rollups[platformsRollup(xuhui)]).toEqual({
      [`${tianping}|incubation-base`]: 1,
      [`${tianping}|federation`]: 1,
      [`${hunan}|federation`]: 1,
      [`${hunan}|service-centre`]: 1,
    });
  });

  it('a revoked role, a dissolved holder and a demoted holder count nowhere', () => {
    const log = history();
    log.append(roleRevoked(FED, 'service-centre'));
    log.append(dissolved(BASE, '2025-06-30'));
    const rollups = tally(statistics, fold(statistics, log.events).values());
    expect(rollups[platformsRollup(xuhui)]).toEqual({
      [`${tianping}|federation`]: 1,
      [`${hunan}|federation`]: 1,
    });
    log.append(demoted(FED, 'registered', 'team', '2025-07-01'));
    const after = tally(statistics, fold(statistics, log.events).values());
    expect(after[platformsRollup(xuhui)]).toBeUndefined();
  });
});

describe('incubation by base and year (statistics rollups)', () => {
  it('entries by the year entered, graduations by the year graduated; a withdrawal is no graduation', () => {
    const rollups = tally(statistics, fold(statistics, history().events).values());
    const expected = {
      [`${BASE}|2024|incubated`]: 2,
      [`${BASE}|2025|graduated`]: 1,
    };
    expect(rollups[incubationRollup(xuhui)]).toEqual(expected);
    expect(rollups[incubationRollup(city)]).toEqual(expected);
  });

  it('stay counted after the incubated organization is dissolved', () => {
    const log = history();
    log.append(dissolved(G1, '2025-06-30'));
    const rollups = tally(statistics, fold(statistics, log.events).values());
    expect(rollups[incubationRollup(xuhui)]).toEqual({
      [`${BASE}|2024|incubated`]: 2,
      [`${BASE}|2025|graduated`]: 1,
    });
  });
});

describe('registry: supportRoles and incubation', () => {
  it('shows the roles held with their streets, and the open incubation only', () => {
    const log = history();
    log.append(incubationEntered(G2, BASE, 'i-3', '2025-01-05'));
    const entries = fold(registry, log.events);
    expect(entries.get(FED)?.supportRoles).toEqual([
      { role: 'federation', streets: [tianping, hunan] },
      { role: 'service-centre', streets: [hunan] },
    ]);
    expect(entries.get(G1)?.incubation).toBeNull();
    expect(entries.get(G2)?.incubation).toEqual({ baseId: BASE, since: '2025-01-05' });
    log.append(roleRevoked(FED, 'federation'));
    expect(fold(registry, log.events).get(FED)?.supportRoles).toEqual([
      { role: 'service-centre', streets: [hunan] },
    ]);
  });
});
