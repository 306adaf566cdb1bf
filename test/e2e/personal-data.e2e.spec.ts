/**
 * Contact updates and personal-data erasure over real HTTP (API.md "Writes", DOMAIN.md §7):
 * the contact is shown to the levels the organization belongs to, never to the auditor, and is
 * gone after erasure (crypto-shredding).
 */
import { startHttpApp, type HttpApp } from '../support/http-app.js';
import {
  CONTACT,
  createGroup,
  dissolve,
  expectProblem,
  expectWriteAnswer,
  headPosition,
  readOrg,
  send,
  type ActorKey,
} from '../support/e2e-kit.js';

let app: HttpApp;
beforeAll(async () => {
  app = await startHttpApp();
});
afterAll(async () => {
  await app.close();
});

const contactOf = async (id: string, actor: ActorKey): Promise<unknown> =>
  (await readOrg(app, id, actor)).contact;
const NEW_CONTACT = { name: '张先生', phone: '021-64311234' };

describe('contact visibility in GET /organizations/{id}', () => {
  it('the levels the group belongs to see the contact; the auditor does not', async () => {
    const { id } = await createGroup(app);
    for (const actor of [
      'shanghaiXincunCommittee',
      'tianpingStreet',
      'xuhuiDistrict',
      'city',
    ] as const) {
      expect(await contactOf(id, actor)).toEqual(CONTACT);
    }
    const asAuditor = await readOrg(app, id, 'auditor');
    expect(asAuditor.contact).toBeUndefined();
    expect(JSON.stringify(asAuditor)).not.toContain(CONTACT.phone);
  });

  it('an organization registered without a contact shows none', async () => {
    const { id } = await createGroup(app, { contact: undefined });
    expect(await contactOf(id, 'shanghaiXincunCommittee')).toBeUndefined();
  });
});

describe('PUT /organizations/{id}/contact', () => {
  it('200; the managing level sees the new contact, the auditor still none', async () => {
    const { id } = await createGroup(app);
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'PUT',
      `/organizations/${id}/contact`,
      NEW_CONTACT,
    );
    expect(expectWriteAnswer(res, 200)).toEqual({
      id,
      revision: 1,
      position: await headPosition(app),
    });
    expect(await contactOf(id, 'shanghaiXincunCommittee')).toEqual(NEW_CONTACT);
    expect(await contactOf(id, 'auditor')).toBeUndefined();
  });

  it('422 organization-dissolved on a dissolved organization', async () => {
    const { id } = await createGroup(app);
    await dissolve(app, id, 'shanghaiXincunCommittee');
    expectProblem(
      await send(
        app,
        'shanghaiXincunCommittee',
        'PUT',
        `/organizations/${id}/contact`,
        NEW_CONTACT,
      ),
      422,
      { rule: 'organization-dissolved' },
    );
  });
});

describe('DELETE /organizations/{id}/personal-data', () => {
  it('200; afterwards nobody sees the contact and the state says it was erased', async () => {
    const { id } = await createGroup(app);
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'DELETE',
      `/organizations/${id}/personal-data`,
    );
    expect(expectWriteAnswer(res, 200)).toEqual({
      id,
      revision: 1,
      position: await headPosition(app),
    });
    for (const actor of ['shanghaiXincunCommittee', 'tianpingStreet', 'city', 'auditor'] as const) {
      const org = await readOrg(app, id, actor);
      expect({ contact: org.contact, erased: org.personalDataErased }).toEqual({
        contact: undefined,
        erased: true,
      });
      expect(JSON.stringify(org)).not.toContain(CONTACT.phone);
    }
  });

  it('erasing again changes nothing: 200 with the same revision', async () => {
    const { id } = await createGroup(app);
    const first = expectWriteAnswer(
      await send(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${id}/personal-data`),
      200,
    );
    const again = expectWriteAnswer(
      await send(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${id}/personal-data`),
      200,
    );
    expect(again).toEqual(first);
  });

  it('a contact given after the erasure is readable again (a new key), the old one stays erased', async () => {
    const { id } = await createGroup(app);
    await send(app, 'shanghaiXincunCommittee', 'DELETE', `/organizations/${id}/personal-data`);
    expectWriteAnswer(
      await send(
        app,
        'shanghaiXincunCommittee',
        'PUT',
        `/organizations/${id}/contact`,
        NEW_CONTACT,
      ),
      200,
    );
    const org = await readOrg(app, id, 'shanghaiXincunCommittee');
    expect({ contact: org.contact, erased: org.personalDataErased }).toEqual({
      contact: NEW_CONTACT,
      erased: false,
    });
  });

  it('still erases on a dissolved organization: PIPL keeps erasure possible', async () => {
    const { id } = await createGroup(app);
    await dissolve(app, id, 'shanghaiXincunCommittee');
    const res = await send(
      app,
      'shanghaiXincunCommittee',
      'DELETE',
      `/organizations/${id}/personal-data`,
    );
    expect(res.status).toBe(200);
    expect(await contactOf(id, 'shanghaiXincunCommittee')).toBeUndefined();
  });
});
