/**
 * What an index must look like for a query to be read off it, checked on the query's shape
 * rather than on a plan (FerretDB shows none): the rule MongoDB and SQLite both follow for
 * reading a page in order without sorting the matches.
 */
import type { IndexKey } from '../../src/event-sourcing/ports/read-store-indexes.js';
import type { Query } from '../../src/event-sourcing/ports/read-store.port.js';

export interface QueryShape {
  /** The read model, without its version and generation. */
  readonly model: string;
  /** Fields compared for equality with one value. */
  readonly equality: readonly string[];
  /** Fields bounded by a range or a prefix. */
  readonly ranges: readonly string[];
  /** Fields the index cannot narrow ($in, $ne, $contains): checked on each candidate. */
  readonly residual: readonly string[];
  /** The page order as the stores run it: the sort, then the id ascending. */
  readonly sort: readonly IndexKey[];
}

const RANGE = new Set(['$gt', '$gte', '$lt', '$lte', '$prefix']);

export function modelOf(collection: string): string {
  return collection.replace(/_v\d+_g\d+$/, '');
}

export function shapeOf(collection: string, query: Query): QueryShape {
  const equality: string[] = [];
  const ranges: string[] = [];
  const residual: string[] = [];
  for (const [field, condition] of Object.entries(query.filter ?? {})) {
    if (condition === null || typeof condition !== 'object') equality.push(field);
    else if (Object.keys(condition).every((operator) => RANGE.has(operator))) ranges.push(field);
    else residual.push(field);
  }
  const sort: IndexKey[] = (query.sort ?? []).map(([field, direction]) => ({ field, direction }));
  if (!sort.some((key) => key.field === 'id')) sort.push({ field: 'id', direction: 1 });
  return { model: modelOf(collection), equality, ranges, residual, sort };
}

/**
 * Whether a page of the shape is read off `index` in order: the index holds some of the
 * equality fields, then exactly the page order, with every direction as the sort's or every one
 * reversed (an index is read either way), ending with `id`. Range fields are bounds on the page
 * order's own field, or checked on each key read.
 *
 * The equality fields the index holds must narrow the query: at least one of the `selective`
 * ones when the shape has any (a field every query of the model compares, such as a document
 * kind, narrows nothing that query asked for), else at least one; otherwise a page would be
 * found by reading the whole model in page order.
 */
export function servesPage(
  shape: QueryShape,
  index: readonly IndexKey[],
  selective: readonly string[] = shape.equality,
): boolean {
  const prefix = index.length - shape.sort.length;
  if (prefix < 0) return false;
  const leading = index.slice(0, prefix).map((key) => key.field);
  if (!leading.every((field) => shape.equality.includes(field))) return false;
  const narrowing = shape.equality.filter((field) => selective.includes(field));
  const wanted = narrowing.length > 0 ? narrowing : shape.equality;
  if (wanted.length > 0 && !leading.some((field) => wanted.includes(field))) return false;
  const order = index.slice(prefix);
  const same = order.every((key, i) => matches(key, shape.sort[i], 1));
  const reversed = order.every((key, i) => matches(key, shape.sort[i], -1));
  return same || reversed;
}

function matches(key: IndexKey, wanted: IndexKey | undefined, flip: 1 | -1): boolean {
  return (
    wanted !== undefined && key.field === wanted.field && key.direction === wanted.direction * flip
  );
}

/**
 * Whether a count of the filter's matches starts from `index` rather than from every document:
 * it begins with one of the equality fields, or, without any, with a field the filter bounds or
 * searches. (A count without a filter is answered from the id index.)
 */
export function servesCount(shape: QueryShape, index: readonly IndexKey[]): boolean {
  const first = index[0]?.field;
  if (first === undefined) return false;
  if (shape.equality.length > 0) return shape.equality.includes(first);
  return [...shape.ranges, ...shape.residual].includes(first);
}
