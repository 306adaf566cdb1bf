/**
 * GET /divisions (the dashboard's place picker): public, one level at a time, answers checked
 * against the shipped division data; a malformed or unknown parent is a 400 problem naming it.
 */
import { PLACES, divisions } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';

let app: HttpApp;

beforeAll(async () => {
  app = await startHttpApp();
});

afterAll(async () => {
  await app.close();
});

interface Answer {
  parent: { code: string; name: string; level: string };
  children: Array<{ code: string; name: string; kind?: string }>;
}

describe('GET /divisions', () => {
  it('lists the districts of the city without a token', async () => {
    const response = await app.request('GET', '/divisions');
    expect(response.status).toBe(200);
    const body = response.body as Answer;
    expect(body.parent).toEqual({ code: '310000', name: '上海市', level: 'city' });
    expect(body.children.map((c) => c.code)).toEqual(divisions.data.districts.map((d) => d.code));
  });

  it('lists the streets of a district and the communities of a street, with their kinds', async () => {
    const streets = (await app.request('GET', `/divisions?parent=${PLACES.xuhui}`)).body as Answer;
    expect(streets.parent).toEqual({
      code: PLACES.xuhui,
      name: divisions.district(PLACES.xuhui)?.name,
      level: 'district',
    });
    expect(streets.children).toEqual(
      divisions.data.streets
        .filter((s) => s.district === PLACES.xuhui)
        .map(({ code, name, kind }) => ({ code, name, kind })),
    );
    expect(streets.children.map((s) => s.code)).toContain(PLACES.tianping);

    const communities = (await app.request('GET', `/divisions?parent=${PLACES.tianping}`))
      .body as Answer;
    expect(communities.parent.level).toBe('street');
    expect(communities.children).toEqual(
      divisions.data.communities
        .filter((c) => c.street === PLACES.tianping)
        .map(({ code, name, kind }) => ({ code, name, kind })),
    );
    expect(communities.children.map((c) => c.code)).toContain(PLACES.shanghaiXincun);
  });

  it.each([
    ['a malformed code', 'abc'],
    ['a community code (no children)', PLACES.shanghaiXincun],
    ['an unknown district', '319999'],
  ])('answers 400 naming the parent for %s', async (_, parent) => {
    const response = await app.request('GET', `/divisions?parent=${parent}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(response.body)).toContain('parent');
  });
});
