/**
 * What every personal-data access log does, whichever store keeps it (DOMAIN §7, issue #16
 * item 6): run by the SQLite and the MongoDB specs. `open` opens another log on the same storage
 * (another connection, process or replica).
 */
import {
  AccessCursorError,
  MAX_ACCESS_PAGE,
  type PersonalDataAccess,
  type PersonalDataAccessLog,
  type RecordedAccess,
} from '../../src/event-sourcing/ports/personal-data-access-log.port.js';

export interface AccessLogStorage {
  open(): Promise<PersonalDataAccessLog>;
  cleanup(): Promise<void>;
}

const access = (o: Partial<PersonalDataAccess> = {}): PersonalDataAccess => ({
  at: '2026-01-15T02:00:00.000Z',
  actorId: 'committee-310104003001',
  role: 'committee',
  jurisdiction: '310104003001',
  organizationId: 'org-1',
  route: 'GET /organizations/:id',
  fields: ['contact'],
  ...o,
});

/** Every record matching the query, page after page. */
async function all(
  log: PersonalDataAccessLog,
  query: { organizationId?: string; from?: string; to?: string },
  limit: number,
): Promise<RecordedAccess[]> {
  const found: RecordedAccess[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await log.query({ ...query, limit, ...(after !== undefined && { after }) });
    expect(page.items.length).toBeLessThanOrEqual(limit);
    found.push(...page.items);
    if (page.next === null) return found;
    after = page.next;
  }
  throw new Error('more than 100 pages');
}

export function personalDataAccessLogContract(
  name: string,
  storage: () => Promise<AccessLogStorage>,
): void {
  describe(`personal-data access log contract (${name})`, () => {
    let store: AccessLogStorage;
    let log: PersonalDataAccessLog;
    let other: PersonalDataAccessLog;

    beforeEach(async () => {
      store = await storage();
      log = await store.open();
      other = await store.open();
    });

    afterEach(async () => {
      await log.close();
      await other.close();
      await store.cleanup();
    });

    it('keeps every field of a record, and another connection reads it at once', async () => {
      const recorded = await log.append(
        access({ fields: ['contact', 'founders'], correlationId: 'corr-1' }),
      );
      expect(recorded).toEqual({
        ...access({ fields: ['contact', 'founders'], correlationId: 'corr-1' }),
        id: expect.any(String),
      });
      const without = await log.append(access({ organizationId: 'org-2' }));
      expect(without).not.toHaveProperty('correlationId');
      const page = await other.query({ limit: 10 });
      expect(page).toEqual({ items: [recorded, without], next: null });
    });

    it('filters by organization and by a closed range of instants, in the order (at, id)', async () => {
      const at = (minute: number): string =>
        `2026-01-15T02:${String(minute).padStart(2, '0')}:00.000Z`;
      // Appended out of order in time: listed by time, ties by the order they were appended.
      await log.append(access({ at: at(5), organizationId: 'org-1', actorId: 'a' }));
      await other.append(access({ at: at(1), organizationId: 'org-2', actorId: 'b' }));
      await log.append(access({ at: at(3), organizationId: 'org-1', actorId: 'c' }));
      await log.append(access({ at: at(3), organizationId: 'org-1', actorId: 'd' }));
      await other.append(access({ at: at(9), organizationId: 'org-1', actorId: 'e' }));

      const actors = (records: RecordedAccess[]): string[] => records.map((r) => r.actorId);
      expect(actors(await all(log, {}, 10))).toEqual(['b', 'c', 'd', 'a', 'e']);
      expect(actors(await all(log, { organizationId: 'org-1' }, 10))).toEqual(['c', 'd', 'a', 'e']);
      expect(actors(await all(log, { from: at(3), to: at(5) }, 10))).toEqual(['c', 'd', 'a']);
      expect(
        actors(await all(other, { organizationId: 'org-2', from: at(2), to: at(9) }, 10)),
      ).toEqual([]);
      // Pages of one and two walk the same records, none twice, none missed.
      expect(actors(await all(other, {}, 1))).toEqual(['b', 'c', 'd', 'a', 'e']);
      expect(actors(await all(log, { organizationId: 'org-1', from: at(2) }, 2))).toEqual([
        'c',
        'd',
        'a',
        'e',
      ]);
    });

    it('caps a page at the maximum, and refuses a cursor it did not hand out', async () => {
      await log.append(access());
      expect((await log.query({ limit: MAX_ACCESS_PAGE * 10 })).items).toHaveLength(1);
      for (const after of ['nonsense', '1.x', `1.${'0'.repeat(23)}`, '%%%'])
        await expect(log.query({ limit: 10, after })).rejects.toThrow(AccessCursorError);
      // Any string of the cursor's shape is a point in the log: the records after it.
      expect(await log.query({ limit: 10, after: `9999999999999.${'f'.repeat(24)}` })).toEqual({
        items: [],
        next: null,
      });
      expect((await log.query({ limit: 10, after: `0.${'0'.repeat(24)}` })).items).toHaveLength(1);
    });

    it('has no way to change or remove a record', async () => {
      const recorded = await log.append(access());
      const methods = (object: object): string[] => {
        const names = new Set<string>();
        let p = Object.getPrototypeOf(object) as object | null;
        while (p !== null && p !== Object.prototype) {
          for (const key of Object.getOwnPropertyNames(p)) names.add(key);
          p = Object.getPrototypeOf(p) as object | null;
        }
        for (const key of Object.keys(object)) names.add(key);
        return [...names].filter(
          (key) =>
            typeof (object as Record<string, unknown>)[key] === 'function' && key !== 'constructor',
        );
      };
      expect(methods(log)).toEqual(expect.arrayContaining(['append', 'close', 'query']));
      expect(
        methods(log).filter((m) => /update|delete|remove|erase|replace|drop|clear|set/i.test(m)),
      ).toEqual([]);
      // Appending "the same" record again adds a second one; it never replaces the first.
      const again = await other.append(access());
      expect(again.id).not.toBe(recorded.id);
      expect([recorded.id, again.id]).toEqual([
        expect.stringMatching(/^[0-9a-f]{24}$/),
        expect.stringMatching(/^[0-9a-f]{24}$/),
      ]);
      // What a caller holds is a copy: changing it changes nothing stored.
      (recorded.fields as string[]).push('founders');
      expect((await log.query({ limit: 10 })).items.map((r) => r.fields)).toEqual([
        ['contact'],
        ['contact'],
      ]);
    });
  });
}
