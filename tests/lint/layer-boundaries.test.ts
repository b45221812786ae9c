import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it were the file at `file` (the file need not exist). */
async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? `fatal: ${m.message}`);
}

describe('layer boundaries', () => {
  it('fail lint when client code imports server code', async () => {
    const ids = await ruleIdsFor(
      'src/client/boundary-fixture.ts',
      "import { buildApp } from '../server/http/app';\nexport const x = buildApp;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('fail lint when server code imports client code', async () => {
    const ids = await ruleIdsFor(
      'src/server/boundary-fixture.ts',
      "import { openDatabase } from '../client/db/db';\nexport const x = openDatabase;\n",
    );
    expect(ids).toContain('import-x/no-restricted-paths');
  });

  it('fail lint when domain code imports client code or React', async () => {
    const ids = await ruleIdsFor(
      'src/domain/boundary-fixture.ts',
      "import { useState } from 'react';\nimport { ROUTES } from '../client/app/routes';\nexport const x = [useState, ROUTES];\n",
    );
    expect(ids).toEqual(expect.arrayContaining(['import-x/no-restricted-paths', 'no-restricted-imports']));
  });

  it('fail lint when domain code reads the clock itself', async () => {
    const ids = await ruleIdsFor(
      'src/domain/boundary-fixture.ts',
      'export const a = Date.now();\nexport const b = new Date();\n',
    );
    expect(ids).toEqual(['no-restricted-properties', 'no-restricted-syntax']);
  });

  it('fail lint when a feature imports Dexie instead of going through db/', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/boundary-fixture.ts',
      "import Dexie from 'dexie';\nexport const x = Dexie;\n",
    );
    expect(ids).toContain('no-restricted-imports');
  });

  it('fail lint when a screen calls the network itself instead of going through sync/', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/network-fixture.ts',
      "export const load = () => fetch('/api/v1/health');\n",
    );
    expect(ids).toContain('no-restricted-globals');
  });

  it('pass lint for the allowed direction (server imports shared)', async () => {
    const ids = await ruleIdsFor(
      'src/server/boundary-fixture.ts',
      "import { API_PREFIX } from '../shared/protocol/api';\nexport const x = API_PREFIX;\n",
    );
    expect(ids).toEqual([]);
  });
});

describe('user-facing text', () => {
  it('fails lint on a raw string in client JSX', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/text-fixture.tsx',
      'export const Greeting = () => <p>Xin chào</p>;\n',
    );
    expect(ids).toContain('i18next/no-literal-string');
  });

  it('fails lint on a raw string in an aria-label', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/text-fixture.tsx',
      'export const Greeting = () => <nav aria-label="Điều hướng" />;\n',
    );
    expect(ids).toContain('i18next/no-literal-string');
  });

  it('passes lint for text that comes from the locale files', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/text-fixture.tsx',
      "import { useTranslation } from 'react-i18next';\nexport const Greeting = () => { const { t } = useTranslation(); return <p className=\"lead\">{t('home.title')}</p>; };\n",
    );
    expect(ids).toEqual([]);
  });
});
