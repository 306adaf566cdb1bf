/**
 * Positions are opaque outside the adapters (issue 17): on EventStoreDB a position is a byte
 * offset, so no code but an adapter may compute with one. The Position type makes `-` and `+`
 * compile errors; the `registry/no-position-arithmetic` rule refuses what the type cannot. This
 * suite shows both bite, on real files with one forbidden line added, and that adapters are free.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });
const RULE = 'registry/no-position-arithmetic';

/** Files outside the adapters that handle positions. */
const FILES = [
  'src/event-sourcing/projection/catch-up.ts',
  'src/health/health.controller.ts',
  'src/seed/seed-runner.ts',
];

const IMPORTS =
  "import { LOG_START as __start, positionToJson as __toJson, type Position as __P } from '%/event-sourcing/ports/event-store.port.js';";

/** Forbidden lines the type lets through, and the rule must refuse. */
const VIOLATIONS: ReadonlyArray<readonly [string, string]> = [
  ['a comparison', 'export const bad = (a: __P, b: __P): boolean => a < b;'],
  ['an at-or-after comparison', 'export const bad = (a: __P, b: __P): boolean => a >= b;'],
  ['Number() of a position', 'export const bad = (a: __P): number => Number(a) - 1;'],
  ['Math.max over positions', 'export const bad = (a: __P): number => Math.max(a as never, 1);'],
  ['a cast to number', 'export const bad = (a: __P): number => (a as unknown as number) - 1;'],
  ['a forged position', 'export const bad = 5 as unknown as __P;'],
  ['unary plus', 'export const bad = (a: __P): number => +a;'],
  ['arithmetic on the wire integer', 'export const bad = (a: __P): number => __toJson(a) - 1;'],
  ['a position in a template', 'export const bad = (a: __P): string => `at ${a}`;'],
];

function withImports(file: string): string {
  const depth = file.split('/').length - 2;
  return IMPORTS.replace('%', Array.from({ length: depth }, () => '..').join('/') || '.');
}

async function ruleIds(file: string, extra: string): Promise<string[]> {
  const text = `${readFileSync(join(root, file), 'utf8')}\n${withImports(file)}\n${extra}\nexport const __use = __start;\n`;
  const [result] = await eslint.lintText(text, { filePath: join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('positions are opaque outside src/adapters/', () => {
  it.each(FILES)(
    '%s lints clean as it is',
    async (file) => {
      expect(await ruleIds(file, '')).not.toContain(RULE);
    },
    60_000,
  );

  describe.each(FILES.slice(0, 1))('%s', (file) => {
    it.each(VIOLATIONS)(
      'refuses %s',
      async (_name, line) => {
        expect(await ruleIds(file, line)).toContain(RULE);
      },
      60_000,
    );
  });

  it('lets an adapter convert and compare positions', async () => {
    const file = 'src/adapters/sqlite/sqlite-event-store.ts';
    const extra =
      'export const fine = (a: __P, b: __P): boolean => (a as unknown as number) < Number(b);';
    expect(await ruleIds(file, extra)).not.toContain(RULE);
  }, 60_000);

  it('makes subtracting and adding positions a compile error anywhere', () => {
    const source = `
      declare const brand: unique symbol;
      interface Position { readonly [brand]: 'Position' }
      declare const a: Position;
      declare const b: Position;
      export const distance = a - b;
      export const next = a + 1;
      export const later = Math.max(a, b);
    `;
    const host = ts.createCompilerHost({ strict: true, noEmit: true });
    const original = host.getSourceFile.bind(host);
    host.getSourceFile = (name, version) =>
      name === 'probe.ts' ? ts.createSourceFile(name, source, version) : original(name, version);
    const program = ts.createProgram(['probe.ts'], { strict: true, noEmit: true, types: [] }, host);
    const errors = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === 'probe.ts')
      .map((d) => d.code);
    // 2362/2363: left/right of an arithmetic operation; 2365: operator cannot be applied;
    // 2345: a Position is not a number.
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.some((c) => c === 2362 || c === 2363)).toBe(true);
    expect(errors).toContain(2365);
    expect(errors).toContain(2345);
  });
});
