/**
 * A regular expression matching exactly the given digit codes and nothing else, compact enough
 * to put in an OpenAPI document for thousands of codes (a trie of the codes; runs of last digits
 * become character classes). Plain groups, alternation and classes only, so every regex dialect
 * reads it (JavaScript, Python's `re`, JSON Schema validators).
 */
export function codesPattern(codes: readonly string[]): string {
  return `^${alternatives([...new Set(codes)].sort())}$`;
}

function alternatives(codes: readonly string[]): string {
  if (codes.length === 1) return codes[0] ?? '';
  // A code that ends here, beside longer ones: an empty alternative.
  if (codes.includes('')) return `(|${alternatives(codes.filter((code) => code !== ''))})`;
  // Codes of one digit left: a character class.
  if (codes.every((code) => code.length === 1)) return digitClass(codes);
  const byFirst = new Map<string, string[]>();
  for (const code of codes) {
    const first = code.slice(0, 1);
    const rests = byFirst.get(first) ?? [];
    rests.push(code.slice(1));
    byFirst.set(first, rests);
  }
  // The same tails after several first digits: one class for those digits.
  const byTails = new Map<string, string[]>();
  for (const [first, rests] of byFirst) {
    const tails = alternatives(rests);
    const firsts = byTails.get(tails) ?? [];
    firsts.push(first);
    byTails.set(tails, firsts);
  }
  const branches = [...byTails].map(([tails, firsts]) => `${digitClass(firsts)}${tails}`);
  return branches.length === 1 ? (branches[0] ?? '') : `(${branches.join('|')})`;
}

/** `['1','2','3','7']` → `[1-37]`; one digit stays itself. */
function digitClass(digits: readonly string[]): string {
  const sorted = [...new Set(digits)].sort();
  if (sorted.length === 1) return sorted[0] ?? '';
  const runs: string[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const previous = Number(sorted[i - 1]);
    if (i < sorted.length && Number(sorted[i]) === previous + 1) continue;
    const from = sorted[start] ?? '';
    const to = sorted[i - 1] ?? '';
    runs.push(
      from === to ? from : Number(to) - Number(from) === 1 ? `${from}${to}` : `${from}-${to}`,
    );
    start = i;
  }
  return `[${runs.join('')}]`;
}

/**
 * A JavaScript regular expression written so every dialect reads it the same: `\d` and `\w` are
 * ASCII in JavaScript but Unicode in Python's `re` (schemathesis would send `٣` for `\d`), so
 * they become explicit ranges; a case-insensitive flag, which a pattern string cannot carry,
 * becomes both cases of each letter.
 */
export function portablePattern(regex: RegExp): string {
  const ignoreCase = regex.flags.includes('i');
  const source = regex.source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? '';
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      i++;
      const range = next === 'd' ? '0-9' : next === 'w' ? 'A-Za-z0-9_' : undefined;
      if (range !== undefined) out += inClass ? range : `[${range}]`;
      else out += `\\${next}`;
      continue;
    }
    if (char === '[') inClass = true;
    else if (char === ']') inClass = false;
    if (ignoreCase && /[A-Za-z]/.test(char)) {
      const other = char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
      // Inside a class, `a-f` gains `A-F`; outside, `a` becomes `[aA]`.
      if (inClass && source[i + 1] === '-' && /[A-Za-z]/.test(source[i + 2] ?? '')) {
        const end = source[i + 2] ?? '';
        const otherEnd = end === end.toLowerCase() ? end.toUpperCase() : end.toLowerCase();
        out += `${char}-${end}${other}-${otherEnd}`;
        i += 2;
      } else out += inClass ? `${char}${other}` : `[${char}${other}]`;
      continue;
    }
    out += char;
  }
  return out;
}
