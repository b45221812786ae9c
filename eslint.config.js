// Lint makes the architecture true: layers import one way, user text lives in locale files.
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
  'node:*',
  'fs',
  'path',
  'os',
  'http',
  'https',
  'crypto',
  'child_process',
  'url',
];
const SERVER_PACKAGES = ['fastify', 'fastify-*', '@fastify/*', 'pg', '@electric-sql/*', 'tsx', 'tsx/*', 'node:*'];

/** Purity: domain and shared code get the clock and randomness passed in. */
const PURE_CODE_RULES = {
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        { group: RUNTIME_PACKAGES, message: 'shared/ and domain/ stay free of runtime packages (architecture.md).' },
      ],
    },
  ],
  'no-restricted-globals': [
    'error',
    { name: 'fetch', message: 'No I/O in shared/ or domain/.' },
    { name: 'localStorage', message: 'No I/O in shared/ or domain/.' },
    { name: 'indexedDB', message: 'No I/O in shared/ or domain/.' },
  ],
  'no-restricted-properties': [
    'error',
    { object: 'Date', property: 'now', message: 'Pass the clock in.' },
    { object: 'Math', property: 'random', message: 'Pass randomness in.' },
    { object: 'crypto', property: 'randomUUID', message: 'Pass id generation in.' },
  ],
  'no-restricted-syntax': [
    'error',
    { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass the clock in.' },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'data/**',
      '.tmp/**',
      'coverage/**',
      'bench/results/**',
      'tests/lint/fixtures/**',
    ],
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
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
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
          ],
        },
      ],
    },
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
          patterns: [
            { group: SERVER_PACKAGES, message: 'The client runs in the browser: no Node or server packages.' },
            { group: ['dexie'], message: 'Only src/client/db/ imports Dexie; use its repositories.' },
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
        { patterns: [{ group: SERVER_PACKAGES, message: 'The client runs in the browser.' }] },
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
