/**
 * docs/operators.md documents every variable the configuration reads, and nothing else: its
 * Configuration table is compared with the settings of src/config.ts both ways.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Config } from '../../src/config.js';
import { ROOT } from '../support/spawned-server.js';

function documentedVariables(): string[] {
  const page = readFileSync(join(ROOT, 'docs', 'operators.md'), 'utf8');
  const section = page.slice(page.indexOf('## Configuration'), page.indexOf('**Durability.**'));
  return [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((match) => match[1] ?? '');
}

describe('docs/operators.md Configuration', () => {
  // JWT_SECRET is optional, so an instance has no key for it until set.
  const read = [...new Set([...Object.keys(new Config()), 'JWT_SECRET'])].sort();

  it('documents every variable the server reads', () => {
    expect(read.filter((name) => !documentedVariables().includes(name))).toEqual([]);
  });

  it('documents no variable the server does not read', () => {
    expect(documentedVariables().filter((name) => !read.includes(name))).toEqual([]);
  });

  it('documents each variable once', () => {
    const documented = documentedVariables();
    expect(documented.length).toBe(new Set(documented).size);
  });
});
