// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

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
    files: [
      'src/core/**/*.ts',
      'src/**/*.decider.ts',
      'src/**/rules/**/*.ts',
      'src/organizations/organization.*.ts',
      'src/divisions/divisions.ts',
      'projections/**/*.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: INFRASTRUCTURE }] },
  },
  {
    // Validated DTO instances are spread into plain command payloads on purpose.
    files: ['src/**/*.controller.ts'],
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
);
