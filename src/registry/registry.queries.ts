import type { Condition, Filter, ReadStore } from '../event-sourcing/ports/read-store.port.js';
import type { Category, Tier } from '../organizations/domain/organization.types.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import { publicDocument, type Page, type Paging } from '../event-sourcing/projection/paging.js';

export interface RegistryCriteria {
  readonly district?: string;
  readonly street?: string;
  readonly community?: string;
  readonly category?: Category;
  readonly tier?: Tier;
  readonly status?: 'active' | 'dissolved';
  /** Part of the name. */
  readonly q?: string;
}

export const REGISTRY = 'registry';

export function registryFilter(c: RegistryCriteria): Filter {
  return {
    ...(c.district !== undefined && { districtCode: c.district }),
    ...(c.street !== undefined && { streetCode: c.street }),
    ...(c.community !== undefined && { communityCode: c.community }),
    ...(c.category !== undefined && { category: c.category }),
    ...(c.tier !== undefined && { tier: c.tier }),
    ...(c.status !== undefined && { status: c.status }),
    ...(c.q !== undefined && { name: { $contains: c.q } }),
  };
}

/** The disclosure registry: public records, filtered and paged, in name order. */
export class RegistryQueries {
  constructor(
    private readonly store: ReadStore,
    private readonly collections: ReadModelCollections,
  ) {}

  async list(criteria: RegistryCriteria, paging: Paging): Promise<Page<Record<string, unknown>>> {
    const where = await this.collections.of(REGISTRY);
    if (!where) return { items: [], total: 0, ...paging };
    const filter = registryFilter(criteria);
    const [docs, total] = await Promise.all([
      this.store.find(where.collection, {
        filter,
        sort: [['name', 1]],
        skip: (paging.page - 1) * paging.pageSize,
        limit: paging.pageSize,
      }),
      this.store.count(where.collection, filter),
    ]);
    return { items: docs.map(publicDocument), total, ...paging };
  }

  async one(id: string): Promise<Record<string, unknown> | undefined> {
    const where = await this.collections.of(REGISTRY);
    const doc = where && (await this.store.get(where.collection, id));
    return doc ? publicDocument(doc) : undefined;
  }

  /**
   * Every matching record in name order, a page at a time, for exports that must not hold it
   * all in memory. Pages follow on from the last name seen (keyset paging) instead of skipping
   * every row already sent, so each page costs the same however deep the export is; ties on
   * the name come in id order, and those already sent are skipped.
   */
  async *each(
    criteria: RegistryCriteria,
    pageSize = 1000,
  ): AsyncGenerator<Record<string, unknown>> {
    const where = await this.collections.of(REGISTRY);
    if (!where) return;
    const { name: search, ...filter } = registryFilter(criteria);
    let after: { name: unknown; sent: number } | undefined;
    for (;;) {
      const name: Condition | undefined =
        after === undefined
          ? search
          : { ...(typeof search === 'object' ? search : {}), $gte: after.name as string };
      const docs = await this.store.find(where.collection, {
        filter: name === undefined ? filter : { ...filter, name },
        sort: [['name', 1]],
        skip: after?.sent ?? 0,
        limit: pageSize,
      });
      for (const doc of docs) yield publicDocument(doc);
      if (docs.length < pageSize) return;
      const last = docs[docs.length - 1]?.['name'];
      const sameInPage = docs.filter((doc) => doc['name'] === last).length;
      const sentBefore = after !== undefined && after.name === last ? after.sent : 0;
      after = { name: last, sent: sameInPage + sentBefore };
    }
  }
}
