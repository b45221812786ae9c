// Lint makes the architecture true: layers import one way, user text lives in locale files.
import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import i18next from 'eslint-plugin-i18next';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that make code browser-only or Node-only: never in shared/ or domain/. */
const RUNTIME_PACKAGES = [
  'react',
  'react-*',
  'react/*',
  'dexie',
  'dexie-*',
  'i18next',
  'workbox-*',
  'virtual:*',
  'fastify',
  'fastify-*',
  '@fastify/*',
  'pg',
  '@electric-sql/*',
  'tsx',
  'tsx/*',
];
const SERVER_PACKAGES = ['fastify', 'fastify-*', '@fastify/*', 'pg', '@electric-sql/*', 'tsx', 'tsx/*'];

/**
 * Node's built-in modules by Node's own list: the bare names (`fs`, `fs/promises`, …) one by one,
 * and every `node:` name by its prefix (which also covers those that exist only with it, such as
 * `node:test`).
 */
const nodeBuiltins = (message) => ({
  paths: builtinModules.filter((name) => !name.startsWith('node:')).map((name) => ({ name, message })),
  patterns: [{ group: ['node:*'], message }],
});

const PURE_NODE = nodeBuiltins('shared/ and domain/ run in the browser and on the server alike: no Node modules.');
const CLIENT_NODE = nodeBuiltins('The client runs in the browser: no Node modules.');

/** Purity: domain and shared code get the clock, ids, randomness and configuration passed in. */
const PURE_CODE_RULES = {
  'no-restricted-imports': [
    'error',
    {
      paths: PURE_NODE.paths,
      patterns: [
        ...PURE_NODE.patterns,
        { group: RUNTIME_PACKAGES, message: 'shared/ and domain/ stay free of runtime packages (architecture.md).' },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    {
      // window.x, self.x and globalThis.x count as the global x.
      checkGlobalObject: true,
      globals: [
        { name: 'Date', message: 'Pass the clock in (the caller gives a Date or an ISO string).' },
        { name: 'performance', message: 'Pass the clock in.' },
        { name: 'setTimeout', message: 'Time is the caller’s: pass the clock in.' },
        { name: 'setInterval', message: 'Time is the caller’s: pass the clock in.' },
        { name: 'crypto', message: 'Pass id generation in (hashes: @noble/hashes runs everywhere).' },
        { name: 'process', message: 'Pass configuration in.' },
        { name: 'Buffer', message: 'A Node global: use Uint8Array.' },
        { name: 'window', message: 'No browser globals in shared/ or domain/.' },
        { name: 'self', message: 'No browser globals in shared/ or domain/.' },
        { name: 'document', message: 'No browser globals in shared/ or domain/.' },
        { name: 'navigator', message: 'No browser globals in shared/ or domain/.' },
        { name: 'globalThis', message: 'No environment lookups in shared/ or domain/: pass what is needed in.' },
        { name: 'fetch', message: 'No I/O in shared/ or domain/.' },
        { name: 'localStorage', message: 'No I/O in shared/ or domain/.' },
        { name: 'indexedDB', message: 'No I/O in shared/ or domain/.' },
      ],
    },
  ],
  'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Pass randomness in.' }],
};

const root = import.meta.dirname;

/** Layers: shared ← domain ← client/server. */
const LAYER_ZONES = [
  {
    target: './src/shared',
    from: ['./src/domain', './src/client', './src/server'],
    message: 'shared/ imports nothing of the app (shared ← domain ← client/server).',
  },
  {
    target: './src/domain',
    from: ['./src/client', './src/server'],
    message: 'domain/ imports only shared/ (shared ← domain ← client/server).',
  },
  { target: './src/client', from: './src/server', message: 'The client never imports server code.' },
  { target: './src/server', from: './src/client', message: 'The server never imports client code.' },
];

/**
 * Inside the client, a feature (src/client/features/<f>/) imports app, ui, db's repositories and
 * queries, sync, pwa and i18n, but no other feature. What several features share lives in
 * features/shared/ (pieces that read or write through db/) or ui/ (presentational); a piece one
 * feature uses lives in that feature. One zone per feature folder, read from the disk, so a new
 * feature is held at once.
 */
const FEATURES = './src/client/features';
const FEATURE_ZONES = readdirSync(path.join(root, FEATURES), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map(({ name }) => ({
    target: `${FEATURES}/${name}`,
    from: FEATURES,
    except: name === 'shared' ? ['./shared'] : [`./${name}`, './shared'],
    message:
      name === 'shared'
        ? 'features/shared/ imports no feature: features import it.'
        : 'A feature imports no other feature: move what two features share to features/shared/ or ui/.',
  }));
const UI_ZONE = {
  target: './src/client/ui',
  from: ['./src/client/app', './src/client/db', './src/client/sync', './src/client/pwa', './src/client/features'],
  message:
    'ui/ is presentational: it imports no app, db, sync, pwa or feature code (a shared piece that reads data belongs in features/shared/).',
};
/** db/ is the bottom of the client: sync calls db, never the other way round. */
const DB_ZONE = {
  target: './src/client/db',
  from: ['./src/client/sync', './src/client/app', './src/client/features', './src/client/ui', './src/client/pwa'],
  message: 'db/ imports no sync, app, ui, pwa or feature code (sync/ calls db/, not the other way round).',
};
const restrictedPaths = (zones) => ['error', { basePath: root, zones }];

/** Dexie's writing methods, on a table, a collection or a where clause, and write transactions. */
const TABLE_WRITES = 'add|bulkAdd|put|bulkPut|update|bulkUpdate|upsert|delete|bulkDelete|clear|modify|transaction';

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'data/**', '.tmp/**', 'coverage/**', 'bench/results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.browser, ...globals.node } },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': restrictedPaths([...LAYER_ZONES, ...FEATURE_ZONES, UI_ZONE]),
    },
  },
  {
    // A db test may drive sync code against the database; db's own code never imports it.
    files: ['src/client/db/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: { 'import-x/no-restricted-paths': restrictedPaths([...LAYER_ZONES, DB_ZONE]) },
  },
  {
    files: ['src/shared/**/*.{ts,tsx}', 'src/domain/**/*.{ts,tsx}'],
    ignores: ['**/*.test.ts'],
    rules: PURE_CODE_RULES,
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: CLIENT_NODE.paths,
          patterns: [
            ...CLIENT_NODE.patterns,
            { group: SERVER_PACKAGES, message: 'The client runs in the browser: no Node or server packages.' },
            { group: ['dexie'], message: 'Only src/client/db/ imports Dexie; use its repositories.' },
          ],
        },
      ],
    },
  },
  {
    // Only db/'s repositories write tables. Features get the database from useServices() to pass
    // it to them; they may read a row, never write one. (sync/ still writes pulled rows
    // (apply-pull.ts) and photos itself: it is left out until those writes have their repository.)
    files: ['src/client/**/*.{ts,tsx}'],
    ignores: ['src/client/db/**', 'src/client/sync/**', '**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression > MemberExpression.callee[property.name=/^(${TABLE_WRITES})$/] Identifier[name='db']`,
          message: 'Only db/ repositories write tables: call one (or add one in src/client/db/).',
        },
      ],
    },
  },
  {
    // The Dexie handle's module: a feature may take its types, not the database itself.
    files: ['src/client/features/**/*.{ts,tsx}', 'src/client/ui/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)db/db$',
              allowTypeImports: true,
              message: 'Features reach the database through db/ repositories and queries: only types come from db/db.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    ignores: ['src/client/sync/**', 'src/client/main.tsx', '**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'Only src/client/sync/ talks to the network (sync-protocol.md).' },
        { name: 'XMLHttpRequest', message: 'Only src/client/sync/ talks to the network.' },
      ],
    },
  },
  {
    files: ['src/client/db/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: CLIENT_NODE.paths,
          patterns: [...CLIENT_NODE.patterns, { group: SERVER_PACKAGES, message: 'The client runs in the browser.' }],
        },
      ],
    },
  },
  {
    files: ['src/client/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks, i18next },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Every word a person reads comes from the locale files (vi source, en second).
      'i18next/no-literal-string': [
        'error',
        {
          mode: 'jsx-only',
          'jsx-attributes': {
            exclude: [
              'className',
              'type',
              'id',
              'key',
              'href',
              'name',
              'value',
              'role',
              'htmlFor',
              'autoComplete',
              'inputMode',
              'lang',
              'rel',
              'target',
              'method',
              'accept',
              'capture',
              'data-testid',
              'aria-live',
              'aria-describedby',
              'aria-labelledby',
              'aria-current',
              'aria-invalid',
              'aria-hidden',
              'pattern',
              'enterKeyHint',
              'form',
              'loading',
            ],
          },
        },
      ],
    },
  },
  {
    files: ['**/*.test.{ts,tsx}', 'tests/**/*.{ts,tsx,mjs}'],
    rules: { 'i18next/no-literal-string': 'off' },
  },
);
