/**
 * Projection definitions (DESIGN.md §3): pure data `{ name, version, handles, id, evolve }`,
 * importing nothing but domain types. The read side (issue #3) adds the disclosure registry,
 * statistics, funding and activity-report projections here; until then the write side serves
 * only GET /organizations/{id}, folded from the organization's own stream.
 */
export const PROJECTIONS: readonly never[] = [];
