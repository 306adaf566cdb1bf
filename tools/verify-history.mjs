#!/usr/bin/env node
// Standalone verifier for an organization's exported history (JSON Lines, one event per line,
// as written by `npm run audit -- export --format jsonl` or GET /organizations/{id}/history?format=jsonl).
// It needs nothing but Node.js and shares no code with the application: it re-implements the
// published hash rule so an auditor can check the export independently.
//
//   hash = sha256( prevHash ‖ canonicalJSON({ type, data, metadata without "hash", revision }) )
//   canonical JSON: object keys sorted by code unit, no insignificant whitespace, undefined dropped;
//   the first event's prevHash is 64 zeros; each event's prevHash is the previous event's hash.
//
// Usage: node tools/verify-history.mjs FILE.jsonl   (exit 0 intact, 1 broken, 2 bad usage)
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';

function canonical(value) {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value)
    .filter((key) => value[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
    .join(',')}}`;
}

function hashOf(prevHash, event) {
  const { hash: _hash, ...metadata } = event.metadata ?? {};
  const body = canonical({
    type: event.type,
    data: event.data,
    metadata,
    revision: event.revision,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error('Usage: node tools/verify-history.mjs FILE.jsonl');
  process.exit(2);
}

try {
  if (!statSync(file).isFile()) throw new Error('not a file');
} catch {
  console.error(
    `${file}: no such file. Export a history first, e.g. npm run audit -- export --org ID --format jsonl --out ${file}`,
  );
  process.exit(2);
}

let prevHash = '0'.repeat(64);
let expected = 0;
let line = 0;
let broken;
const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
for await (const text of lines) {
  line++;
  if (text.trim() === '') continue;
  let event;
  try {
    event = JSON.parse(text);
  } catch {
    broken = { line, reason: 'not JSON' };
    break;
  }
  const where = { line, revision: event.revision, position: event.position };
  if (event.revision !== expected) {
    broken = {
      ...where,
      reason: `expected revision ${expected}: an event was removed, added or moved`,
    };
    break;
  }
  if (event.metadata?.prevHash !== prevHash) {
    broken = {
      ...where,
      reason:
        "prevHash is not the previous event's hash: an earlier event was altered, removed or moved",
    };
    break;
  }
  const hash = hashOf(prevHash, event);
  if (hash !== event.metadata?.hash) {
    broken = {
      ...where,
      reason: 'hash does not match the event: its type, data or metadata were altered',
    };
    break;
  }
  prevHash = hash;
  expected++;
}
lines.close();

if (broken) {
  console.log(
    `BROKEN at line ${broken.line}${broken.revision === undefined ? '' : `, revision ${broken.revision}`}: ${broken.reason}`,
  );
  process.exit(1);
}
console.log(`intact: ${expected} events, head hash ${prevHash}`);
