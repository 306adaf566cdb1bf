/**
 * GET /organizations/{id} over real HTTP (API.md "Reads", "Authentication and roles"): who may
 * read, the ETag, and 400/401/403/404.
 */
import { PLACES } from '../support/fixtures.js';
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  createGroup,
  createSocialGroup,
  expectNoStackTrace,
  expectProblem,
  send,
  unknownId,
  write,
  type ActorKey,
} from '../support/e2e-kit.js';
import { BAD_TOKENS, badAuthorization } from '../support/write-contract.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const get = (actor: ActorKey | undefined, id: string) =>
  send(app, actor, 'GET', `/organizations/${id}`);

describe('GET /organizations/{id}', () => {
  it.each([
    'shanghaiXincunCommittee',
    'tianpingStreet',
    'xuhuiDistrict',
    'city',
    'auditor',
  ] as const)('200 with the state and ETag for %s', async (actor) => {
    const { id } = await createGroup(app);
    const res = await get(actor, id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('etag')).toBe('"0"');
    expect(res.body).toMatchObject({ id, revision: 0, tier: 'group', status: 'active' });
    expectNoStackTrace(res.text);
  });

  it('the ETag and revision follow every write', async () => {
    const { id } = await createGroup(app);
    const answer = await write(
      app,
      'shanghaiXincunCommittee',
      'PUT',
      `/organizations/${id}/party-organization`,
      {
        status: 'liaison',
      },
    );
    const res = await get('auditor', id);
    expect({ etag: res.headers.get('etag'), revision: res.body.revision }).toEqual({
      etag: answer.headers.get('etag'),
      revision: answer.body.revision,
    });
    expect(res.body.revision).toBe(1);
  });

  it.each([
    ['another community', 'qingyuCommittee'],
    ['another street', 'hunanStreet'],
    ['another district', 'pudongDistrict'],
  ] as const)('403 read-authority for %s', async (_label, actor) => {
    const { id } = await createGroup(app);
    expectProblem(await get(actor, id), 403, { rule: 'read-authority' });
  });

  it('a registered organization is readable by the committee of its base community only', async () => {
    // Every tier now names the community it is based in (DOMAIN §3), 上海新村 for this one.
    const { id } = await createSocialGroup(app);
    expectProblem(await get('qingyuCommittee', id), 403, { rule: 'read-authority' });
    expect((await get('shanghaiXincunCommittee', id)).status).toBe(200);
    expect((await get('tianpingStreet', id)).status).toBe(200);
  });

  it('404 organization-unknown for an unknown id, 400 path:id for a malformed one', async () => {
    expectProblem(await get('auditor', unknownId()), 404, { rule: 'organization-unknown' });
    for (const bad of ['42', 'not-a-uuid', `${unknownId()}x`, '%E4%B8%AD']) {
      expectProblem(await get('auditor', bad), 400, { field: 'path:id' });
    }
  });

  it.each(BAD_TOKENS)('401 with %s authorization', async (kind) => {
    const { id } = await createGroup(app);
    const headers = await badAuthorization(kind, {
      role: 'committee',
      jurisdiction: PLACES.shanghaiXincun,
    });
    expectProblem(await app.request('GET', `/organizations/${id}`, { headers }), 401);
  });

  it('401 for a token whose jurisdiction does not fit its role', async () => {
    const { id } = await createGroup(app);
    const token = await app.token('committee', PLACES.tianping);
    expectProblem(await app.request('GET', `/organizations/${id}`, { token }), 401);
  });
});
