// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { noPositionArithmetic } from './tools/eslint/no-position-arithmetic.js';

/** Frameworks, databases and brokers: none of them may reach the domain or the projections. */
const INFRASTRUCTURE = [
  {
    group: [
      '@nestjs/*',
      'fastify',
      'better-sqlite3',
      'mongodb',
      'kafkajs',
      '@eventstore/*',
      'jose',
      'pino',
    ],
    message: 'The domain stays free of frameworks, databases and brokers.',
  },
  {
    group: [
      '**/adapters/**',
      '**/platform/**',
      '**/http/**',
      '**/*.module.js',
      '**/*.controller.js',
      '**/*.handlers.js',
    ],
    message: 'The domain does not depend on the application or infrastructure layers.',
  },
];

/** Globals that read the clock or draw randomness: `Date.now()`, `crypto.randomUUID()`, … */
const CLOCK_AND_RANDOMNESS = [
  ['Date', 'now'],
  ['Math', 'random'],
  ['crypto', 'randomUUID'],
  ['crypto', 'getRandomValues'],
  ['performance', 'now'],
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'test-output/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'test/contract/fixtures/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Nest modules are classes holding decorators only.
      '@typescript-eslint/no-extraneous-class': ['error', { allowWithDecorator: true }],
      // Flags plain option objects passed to Nest and class-validator APIs typed with classes.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    // The kernel, the domain and the projections: pure code. Time and ids come in as arguments
    // (DESIGN §4), so a replay or a rebuild decides exactly as the first run did.
    files: ['src/event-sourcing/**/*.ts', 'src/**/domain/**/*.ts', 'projections/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'node:crypto',
              importNames: ['randomUUID', 'randomBytes', 'randomInt'],
              message: 'Ids come in with the command; the kernel and the domain make none.',
            },
          ],
          patterns: INFRASTRUCTURE,
        },
      ],
      'no-restricted-properties': [
        'error',
        ...CLOCK_AND_RANDOMNESS.map(([object, property]) => ({
          object,
          property,
          message: 'Time and ids come in as arguments (a Clock, the command), never from globals.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: take the time from an injected Clock.',
        },
      ],
    },
  },
  {
    // Positions are opaque outside the adapters (issue 17). The Position type makes `-` and `+`
    // compile errors; this typed rule refuses what the type cannot (comparisons, conversions,
    // casts). The port defines the helpers that convert, so it is the one exception.
    files: ['src/**/*.ts', 'projections/**/*.ts'],
    ignores: ['src/adapters/**', 'src/event-sourcing/ports/event-store.port.ts'],
    plugins: { registry: { rules: { 'no-position-arithmetic': noPositionArithmetic } } },
    rules: { 'registry/no-position-arithmetic': 'error' },
  },
  {
    // Validated DTO instances are spread into plain command payloads on purpose.
    files: ['src/**/*.controller.ts', 'src/organizations/command-table.ts'],
    rules: { '@typescript-eslint/no-misused-spread': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // Tests assert on loosely typed JSON answers.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    // The dashboard's page scripts run in the browser, with ECharts loaded as a global.
    files: ['dashboard/**/*.js'],
    languageOptions: { globals: { ...globals.browser, echarts: 'readonly' } },
  },
  {
    // The workbench's page scripts run in the browser.
    files: ['workbench/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
);
