/**
 * The shared write contract (write-contract.ts) of every command on an existing organization,
 * iterating the command table: a row without cases fails, and so do cases without a row or
 * naming another route than the row serves. Run with HS256 tokens and with tokens from a real
 * OpenID Connect provider (two spec files).
 */
import {
  COMMAND_TABLE,
  type ChangeRow,
  type CommandRow,
} from '../../src/organizations/command-table.js';
import { startHttpApp, type HttpApp } from './http-app.js';
import { describeWriteContract } from './write-contract.js';
import { WRITE_CASES } from './write-routes.js';

import { startTestProvider, type TestProvider } from './oidc-provider.js';

/** Registers the whole suite; `tokens` says who issues the tokens. */
export function describeWriteContractSuite(tokens: 'hs256' | 'oidc'): void {
  let app: HttpApp;
  let provider: TestProvider | undefined;
  beforeAll(async () => {
    provider = tokens === 'oidc' ? await startTestProvider() : undefined;
    app = await startHttpApp(provider ? { provider } : {});
  });
  afterAll(async () => {
    await app.close();
    await provider?.stop();
  });

  const rows: [string, CommandRow][] = Object.entries(COMMAND_TABLE);
  const changeRows = rows.filter(
    (entry): entry is [string, ChangeRow] => entry[1].kind === 'change',
  );
  const cases = WRITE_CASES as Readonly<
    Record<string, (typeof WRITE_CASES)[keyof typeof WRITE_CASES]>
  >;

  describe('the command table', () => {
    it('every command in the table has write-contract cases, and every case a command', () => {
      expect(Object.keys(WRITE_CASES).sort()).toEqual(changeRows.map(([name]) => name).sort());
    });

    it('registration is its one row that is not a change (registration.e2e tests its contract)', () => {
      expect(rows.filter(([, row]) => row.kind !== 'change').map(([name]) => name)).toEqual([
        'register',
      ]);
    });

    it.each(changeRows)(
      '%s: the cases name the method, path and status the row serves',
      (name, row) => {
        const route = cases[name];
        const path = `/organizations/${row.path}`;
        expect(route && { name: route.name, method: route.method, status: route.status }).toEqual({
          name: `${row.method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`,
          method: row.method,
          status: row.status,
        });
        const arranged = { id: 'ID', noticeId: 'NOTICE', incubationId: 'INCUBATION', role: 'ROLE' };
        expect(route?.path(arranged)).toBe(
          path
            .replace(':id', 'ID')
            .replace(':noticeId', 'NOTICE')
            .replace(':incubationId', 'INCUBATION')
            .replace(':role', 'ROLE'),
        );
      },
    );
  });

  for (const [name] of changeRows) {
    const route = cases[name];
    if (route) describeWriteContract(() => app, route);
  }
}
