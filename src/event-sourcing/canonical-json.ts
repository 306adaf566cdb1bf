/**
 * Canonical JSON (sorted object keys, no insignificant whitespace) so that a hash over an event
 * does not depend on the order in which a serializer happened to write its keys.
 *
 * Written in one pass into one string: every event's hash and every keyed command's request hash
 * goes through here, and building an array of parts per object and level (map, join) was about a
 * twentieth of the seed's time.
 */
export function canonicalJson(value: unknown): string {
  return append('', value);
}

/** `out` followed by the canonical JSON of `value`. */
function append(out: string, value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value) as string | undefined;
    // undefined, functions and symbols have no JSON form; treat them as null like arrays do.
    return out + (text === undefined ? 'null' : text);
  }
  if (Array.isArray(value)) {
    out += '[';
    for (let i = 0; i < value.length; i++) out = append(i === 0 ? out : out + ',', value[i]);
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out += '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out = append(`${first ? out : out + ','}${JSON.stringify(key)}:`, item);
    first = false;
  }
  return out + '}';
}
