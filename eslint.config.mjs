// ESLint: typescript-eslint's strict type-checked rules, Prettier owns the layout, and the import rules that
// keep one feature in one room (issue 12). The boundaries, in words:
//  - only repositories (and the composition roots, migrations, seeds and scripts) may touch knex;
//  - a feature never imports another feature's repository, controller or routes: it calls that feature's service;
//  - server/http, server/db and server/i18n are cross-cutting and never import a feature.
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const otherFeaturesInternals = {
  group: ['../*/*-repository', '../*/*-controller', '../*/*-routes'],
  message: "Another feature's repository, controller or routes: call that feature's service instead.",
};
const knexOutsideRepositories = {
  name: 'knex',
  message:
    'SQL belongs in a *-repository.ts of the feature that owns the table (services get `transaction` from server/db).',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'media/**', 'coverage/**', 'test-results/**', 'views/assets/**'],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Template strings with numbers are ordinary here (ids, counts); objects are still refused.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // Express handlers may be async: Express 5 passes a rejected promise to the error handler.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Services and controllers are objects of closures made by factory functions; none uses `this`, and
      // the rule cannot tell such a closure from a class method, so it only adds noise here.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [knexOutsideRepositories], patterns: [otherFeaturesInternals] },
      ],
    },
  },
  {
    // Where SQL lives: repositories, the db layer, the composition roots and the demo seed data.
    files: [
      'server/**/*-repository.ts',
      'server/db/**',
      'server/services.ts',
      'server/main.ts',
      'server/**/*-composition.ts',
      'server/demo/**',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [otherFeaturesInternals] }] },
  },
  {
    files: ['server/http/**', 'server/db/**', 'server/i18n/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [knexOutsideRepositories],
          patterns: [
            {
              group: [
                '../*',
                '!../http',
                '!../http/*',
                '!../db',
                '!../db/*',
                '!../i18n/*',
                '!../config',
                '!../logger',
              ],
              message: 'Cross-cutting code (http, db, i18n) never imports a feature.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/db/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['test/**', 'scripts/**', 'migrations/**'],
    rules: {
      // Tests and scripts set up data directly and assert on loosely typed HTML and JSON.
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/restrict-plus-operands': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    // Plain CommonJS (jest's config, the start script that runs before anything is built).
    rules: { '@typescript-eslint/no-require-imports': 'off' },
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
  },
  prettier,
);
