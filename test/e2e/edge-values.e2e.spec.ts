/**
 * Values at the edges the outside fuzzer found: business dates before 1900 are refused with
 * one message whatever the year (0001, 0099, 0100, 1899), and a query key every object inherits
 * (`constructor`, `toString`, …) is an unknown key like any other.
 */
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import { expectProblem, groupBody, headPosition, send } from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

describe('business dates start in 1900', () => {
  it.each(['0001-01-01', '0099-12-31', '0100-01-01', '1899-12-31'])(
    'foundedOn %s is a 400 naming foundedOn, nothing written',
    async (foundedOn) => {
      const before = await headPosition(app);
      const res = await send(
        app,
        'shanghaiXincunCommittee',
        'POST',
        '/organizations',
        groupBody({ foundedOn }),
      );
      const problem = expectProblem(res, 400, { field: 'foundedOn' });
      expect(JSON.stringify(problem.errors)).toContain('from 1900 on');
      expect(await headPosition(app)).toBe(before);
    },
  );

  it('1900-01-01 is a date', async () => {
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'POST',
      '/organizations',
      groupBody({ foundedOn: '1900-01-01' }),
    );
    expect(res.status).toBe(201);
  });
});

describe('inherited names are unknown query keys', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
    '/registry?%s=1 is a 400 naming it, like /registry?bogus=1',
    async (key) => {
      for (const name of [key, 'bogus']) {
        const res = await fetch(`${app.baseUrl}/registry?${name}=1`);
        expect(res.status).toBe(400);
        const body = (await res.json()) as { errors: { field: string }[] };
        expect(body.errors.map((e) => e.field)).toContain(`query:${name}`);
      }
    },
  );
});
