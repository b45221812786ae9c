import { builtinModules } from 'node:module';
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
    expect(ids).toEqual(['no-restricted-globals', 'no-restricted-globals']);
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

describe('boundaries inside the client', () => {
  it('fail lint when a feature imports another feature', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/home/boundary-fixture.ts',
      "import { HouseholdPicker } from '../clans/household-picker';\nexport const x = HouseholdPicker;\n",
    );
    expect(ids).toEqual(['import-x/no-restricted-paths']);
  });

  it('fail lint when features/shared imports a feature', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/shared/boundary-fixture.ts',
      "import { HouseholdPicker } from '../clans/household-picker';\nexport const x = HouseholdPicker;\n",
    );
    expect(ids).toEqual(['import-x/no-restricted-paths']);
  });

  it('fail lint when ui/ imports a feature or the database', async () => {
    const ids = await ruleIdsFor(
      'src/client/ui/boundary-fixture.ts',
      "import { useFormDraft } from '../features/shared/use-form-draft';\nimport { readDraft } from '../db/draft.repository';\nexport const x = [useFormDraft, readDraft];\n",
    );
    expect(ids).toEqual(['import-x/no-restricted-paths', 'import-x/no-restricted-paths']);
  });

  it('fail lint when a feature imports the database handle rather than its types', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/sync/boundary-fixture.ts',
      "import { openDatabase } from '../../db/db';\nexport const x = openDatabase;\n",
    );
    expect(ids).toEqual(['@typescript-eslint/no-restricted-imports']);
  });

  it.each([
    ['deletes a row', 'db.conflicts.delete(id)'],
    [
      'puts a row',
      "db.rejections.put({ opId: id, entity: 'village', recordId: id, data: null, code: '', message: '', details: null, rejectedAt: '' })",
    ],
    ['modifies a collection', "db.outbox.where('recordId').equals(id).modify({ attempts: 0 })"],
    ['opens a write transaction', "db.transaction('rw', db.conflicts, () => db.conflicts.get(id))"],
  ])('fail lint when a feature writes a table itself: %s', async (_, write) => {
    const ids = await ruleIdsFor(
      'src/client/features/sync/boundary-fixture.ts',
      `import type { AppDatabase } from '../../db/db';\nexport const write = (db: AppDatabase, id: string) => ${write};\n`,
    );
    expect(ids).toEqual(['no-restricted-syntax']);
  });

  it('fail lint when a feature writes a table through the services', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/sync/boundary-fixture.ts',
      "import { useServices } from '../../app/services';\nexport const useDismiss = () => { const services = useServices(); return (id: string) => services.db.rejections.delete(id); };\n",
    );
    expect(ids).toEqual(['no-restricted-syntax']);
  });

  it('fail lint when db/ imports sync/ (a db test may)', async () => {
    const code = "import { createSyncEngine } from '../sync/sync-engine';\nexport const x = createSyncEngine;\n";
    expect(await ruleIdsFor('src/client/db/boundary-fixture.ts', code)).toEqual(['import-x/no-restricted-paths']);
    expect(await ruleIdsFor('src/client/db/boundary-fixture.test.ts', code)).toEqual([]);
  });

  it('pass lint for a feature that uses what it may: app, ui, its own folder, features/shared, db repositories, sync, pwa, i18n', async () => {
    const ids = await ruleIdsFor(
      'src/client/features/clans/boundary-fixture.tsx',
      [
        "import { useLiveQuery } from 'dexie-react-hooks';",
        "import { useTranslation } from 'react-i18next';",
        "import { findProvince } from '../../../domain/places/commune-search';",
        "import { useServices } from '../../app/services';",
        "import type { HouseholdRow } from '../../db/db';",
        "import { saveVillage } from '../../db/village.repository';",
        "import { LANGUAGES } from '../../i18n/i18n';",
        "import { useEditingMark } from '../../pwa/edit-guard';",
        "import type { SyncEngine } from '../../sync/sync-engine';",
        "import { ResultBadge } from '../../ui/result-badge';",
        "import { useFormDraft } from '../shared/use-form-draft';",
        "import { HouseholdPicker } from './household-picker';",
        'export const parts = [findProvince, saveVillage, LANGUAGES, useEditingMark, ResultBadge, useFormDraft, HouseholdPicker];',
        'export type Parts = [HouseholdRow, SyncEngine];',
        'export function Fixture({ id }: { id: string }) {',
        '  const { t } = useTranslation();',
        '  const { db } = useServices();',
        '  const household = useLiveQuery(() => db.households.get(id), [db, id]);',
        '  return <p className="lead">{household?.data.headName ?? t(\'common.loading\')}</p>;',
        '}',
      ].join('\n'),
    );
    expect(ids).toEqual([]);
  });
});

describe('shared/ and domain/ get the clock, ids and environment passed in', () => {
  it.each([
    ['Date', 'the clock', 'export const today = () => new Date(Date.UTC(2026, 0, 1)).toISOString();'],
    ['Date', 'through globalThis', 'export const now = () => globalThis.Date.now();'],
    ['performance', 'the clock', 'export const t = () => performance.now();'],
    ['setTimeout', 'time', 'export const later = (f: () => void) => setTimeout(f, 10);'],
    ['crypto', 'ids', 'export const id = () => crypto.randomUUID();'],
    ['process', 'configuration', "export const mode = () => process.env.NODE_ENV ?? 'production';"],
    ['window', 'the browser', 'export const here = () => window.location.href;'],
    ['globalThis', 'the environment', "export const has = () => 'indexedDB' in globalThis;"],
  ])('fail lint on the global %s (%s)', async (name, _what, code) => {
    for (const layer of ['shared', 'domain']) {
      const [result] = await eslint.lintText(`${code}\n`, {
        filePath: path.join(root, `src/${layer}/boundary-fixture.ts`),
      });
      const refused = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-globals');
      expect(refused.map((m) => m.message.match(/^Unexpected use of '([^']+)'/)?.[1])).toContain(name);
    }
  });

  it('fail lint on every Node built-in module, with and without the node: prefix', async () => {
    const names = builtinModules.flatMap((name) => [name, `node:${name}`]).concat('node:test');
    const code = names.map((name) => `import '${name}';`).join('\n');
    for (const layer of ['shared', 'domain']) {
      const ids = await ruleIdsFor(`src/${layer}/boundary-fixture.ts`, `${code}\n`);
      expect(ids).toEqual(names.map(() => 'no-restricted-imports'));
    }
  });

  it('pass lint for code that is given the time and reads no environment', async () => {
    const ids = await ruleIdsFor(
      'src/domain/boundary-fixture.ts',
      "import { z } from 'zod';\nexport type Clock = () => Date;\nexport const yearOf = (now: Clock) => now().getFullYear();\nexport const Year = z.number().int();\n",
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
