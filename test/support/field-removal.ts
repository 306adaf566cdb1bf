/**
 * Every field of a request body removed in turn, nested ones included (API.md "Errors": a bad
 * body is a 400 or a 422, never a 500): `founders[0].name`, `funder.code`, `contact`.
 */
export type JsonBody = Readonly<Record<string, unknown>>;

/** The path of every field of the body: objects and array items are walked into. */
export function fieldPaths(value: unknown, parent = ''): string[] {
  if (Array.isArray(value))
    return value.flatMap((item, index) => fieldPaths(item, `${parent}[${String(index)}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const path = parent ? `${parent}.${key}` : key;
    return [path, ...fieldPaths(child, path)];
  });
}

/** A deep copy of the body without the field at `path` (array items are spliced out). */
export function withoutField(body: JsonBody, path: string): JsonBody {
  const copy = structuredClone(body) as Record<string, unknown>;
  const steps = path.match(/[^.[\]]+/g) ?? [];
  let holder: unknown = copy;
  for (const step of steps.slice(0, -1)) holder = (holder as Record<string, unknown>)[step];
  const last = steps.at(-1) ?? '';
  if (Array.isArray(holder)) holder.splice(Number(last), 1);
  else Reflect.deleteProperty(holder as object, last);
  return copy;
}

/** What a body missing one field may be answered: refused as invalid, refused by a rule, or done. */
export const FIELD_REMOVAL_STATUSES = [200, 201, 400, 422] as const;
