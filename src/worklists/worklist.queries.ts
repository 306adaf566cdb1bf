import type { ReadStore } from '../event-sourcing/ports/read-store.port.js';
import type { ReadModelCollections } from '../event-sourcing/projection/read-model-collections.js';
import type { Page, Paging } from '../event-sourcing/projection/paging.js';
import {
  WORKLISTS,
  worklistDefinition,
  type Scope,
  type WorklistName,
  type WorklistRules,
} from './worklist-definitions.js';

export const WORKLISTS_MODEL = 'worklists';

/** The worklists read off the worklists read model's indexes, a page at a time. */
export class WorklistQueries {
  constructor(
    private readonly store: ReadStore,
    private readonly collections: ReadModelCollections,
  ) {}

  async page(
    name: WorklistName,
    scope: Scope,
    rules: WorklistRules,
    paging: Paging,
  ): Promise<Page<Record<string, unknown>>> {
    const where = await this.collections.of(WORKLISTS_MODEL);
    if (!where) return { items: [], total: 0, ...paging };
    const list = worklistDefinition(name, scope, rules);
    const [docs, total] = await Promise.all([
      this.store.find(where.collection, {
        filter: list.filter,
        sort: [[list.sortField, 1]],
        skip: (paging.page - 1) * paging.pageSize,
        limit: paging.pageSize,
      }),
      this.store.count(where.collection, list.filter),
    ]);
    return { items: docs.map(list.item), total, ...paging };
  }

  /** How many items each list holds for the caller: the workbench's first screen. */
  async counts(scope: Scope, rules: WorklistRules): Promise<Record<WorklistName, number>> {
    const where = await this.collections.of(WORKLISTS_MODEL);
    const count = (name: WorklistName): Promise<number> =>
      where
        ? this.store.count(where.collection, worklistDefinition(name, scope, rules).filter)
        : Promise.resolve(0);
    const totals = await Promise.all(WORKLISTS.map(count));
    return Object.fromEntries(WORKLISTS.map((name, i) => [name, totals[i] ?? 0])) as Record<
      WorklistName,
      number
    >;
  }
}
