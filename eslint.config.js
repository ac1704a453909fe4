// Lint for all three process folders and the contract. The architectural rules: src-renderer runs
// in a page (Electron's sandboxed renderer or any browser), so it imports no Node or Electron
// module; contract/ is shared by all three, so it imports from none of them; a server module uses
// another only through its index.ts; and a server route only parses, calls one service method and
// shapes the answer.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [
  'assert',
  'async_hooks',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'module',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

// server/modules/X/index.ts says what module X offers the others; the rest is its own. Only the
// composition root (server/services.ts, server/storage.ts, server/pg-storage.ts) wires a module's insides.
const MODULE_BOUNDARY = {
  regex: '^\\.\\./[^./][^/]*/(?!index\\.js$)',
  message:
    'Use another module only through its index.ts (what it offers the others). If this is something it should offer, export it there.',
};

// The flow a route starts lives in one service method (parse → limit → verify → replay check →
// change → record event): a route reaches no storage, transaction, lock or event log itself.
const ROUTE_WORK_IS_THE_SERVICES =
  'A route parses, calls one service method and shapes the answer: transactions, locks and events belong in that service method.';
const ROUTE_BOUNDARY = {
  regex: '(^|/)db/',
  message: ROUTE_WORK_IS_THE_SERVICES,
};

export default tseslint.config(
  {
    ignores: [
      'build/**',
      'dist/**',
      'release/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  // Everything but the renderer runs on Node (server, main process, scripts, tests, benchmarks).
  { ignores: ['src-renderer/**'], languageOptions: { globals: globals.node } },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // The TypeScript variant, so that `import type` of the preload bridge's type is allowed:
      // types vanish at build time, and the bridge and the page can never drift apart.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src-renderer runs in a page: no Node modules (docs/architecture.md).' },
            {
              group: ['electron', 'electron/*'],
              message: 'src-renderer reaches Electron only through the preload bridge.',
            },
            {
              group: ['**/src-main/**'],
              allowTypeImports: true,
              message: 'Folder = process: the renderer imports main-process code only as types (import type).',
            },
            {
              group: ['**/server/**'],
              message: 'Folder = process: the renderer imports no server code.',
            },
            {
              group: ['**/contract/api/**', '**/contract/errors*'],
              allowTypeImports: true,
              message:
                'The page takes the schemas and the error catalogue as types only (import type); contract/values.ts holds the constants it may import.',
            },
          ],
          paths: NODE_BUILTINS.map((name) => ({
            name,
            message: 'src-renderer runs in a page: no Node modules (docs/architecture.md).',
          })),
        },
      ],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/server/**', '**/src-main/**', '**/src-renderer/**'],
              message: 'The contract is shared by every process folder, so it imports from none of them.',
            },
            { group: ['node:*', 'electron', 'electron/*'], message: 'The contract runs in the page too.' },
          ],
          paths: NODE_BUILTINS.map((name) => ({ name, message: 'The contract runs in the page too.' })),
        },
      ],
    },
  },
  {
    files: ['server/modules/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [MODULE_BOUNDARY] }] },
  },
  {
    files: ['server/**/routes.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [MODULE_BOUNDARY, ROUTE_BOUNDARY] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(transaction|lockAccount|lockNames)$/]',
          message: ROUTE_WORK_IS_THE_SERVICES,
        },
        {
          selector: 'CallExpression[callee.property.name="record"][callee.object.name="events"]',
          message: ROUTE_WORK_IS_THE_SERVICES,
        },
        {
          selector: 'CallExpression[callee.property.name="record"][callee.object.property.name="events"]',
          message: ROUTE_WORK_IS_THE_SERVICES,
        },
      ],
    },
  },
  {
    files: ['test/**', 'scripts/**', 'bench/**', '*.config.*'],
    rules: { 'no-console': 'off' },
  },
);
