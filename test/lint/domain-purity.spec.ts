/**
 * The kernel, the deciders and the projections read no clock and draw no randomness (DESIGN §4):
 * a replay must decide exactly as the first run did. ESLint enforces it; this suite shows the
 * rules bite by linting real files of each layer with one forbidden line added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Files standing for each pure layer. */
const PURE_FILES = [
  'src/organizations/domain/organization.decider.ts',
  'src/event-sourcing/event-envelope.ts',
  'projections/registry.projection.ts',
];

/** A forbidden line, named, and the rule that must refuse it. */
const VIOLATIONS: ReadonlyArray<readonly [string, string, string]> = [
  ['Date.now()', 'export const impure = Date.now();', 'no-restricted-properties'],
  ['Math.random()', 'export const impure = Math.random();', 'no-restricted-properties'],
  ['crypto.randomUUID()', 'export const impure = crypto.randomUUID();', 'no-restricted-properties'],
  ['new Date()', 'export const impure = new Date();', 'no-restricted-syntax'],
  [
    'randomUUID from node:crypto',
    "import { randomUUID } from 'node:crypto';\nexport const impure = randomUUID();",
    'no-restricted-imports',
  ],
  [
    'NestJS',
    "import { Injectable } from '@nestjs/common';\nexport const impure = Injectable;",
    'no-restricted-imports',
  ],
  [
    'a database driver',
    "import Database from 'better-sqlite3';\nexport const impure = Database;",
    'no-restricted-imports',
  ],
];

async function ruleIds(file: string, extra: string): Promise<string[]> {
  const text = `${readFileSync(join(root, file), 'utf8')}\n${extra}\n`;
  const [result] = await eslint.lintText(text, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('lint keeps the kernel, the domain and the projections pure', () => {
  it.each(PURE_FILES)('%s lints clean as it is', async (file) => {
    expect(await ruleIds(file, '')).toEqual([]);
  });

  describe.each(PURE_FILES)('%s', (file) => {
    it.each(VIOLATIONS)('refuses %s', async (_name, line, rule) => {
      expect(await ruleIds(file, line)).toContain(rule);
    });
  });

  it('lets the composition root read the clock', async () => {
    expect(await ruleIds('src/system.ts', 'export const fine = Date.now();')).toEqual([]);
  });
});
