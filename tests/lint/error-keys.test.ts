import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import en from '../../src/client/i18n/locales/en.json';
import vi from '../../src/client/i18n/locales/vi.json';

const SRC = path.resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

function has(tree: unknown, key: string): boolean {
  const value = key
    .split('.')
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
  return typeof value === 'string' && value.trim() !== '';
}

describe('error messages', () => {
  const keys = new Set(
    ['shared', 'domain', 'client'].flatMap((layer) =>
      sourceFiles(path.join(SRC, layer)).flatMap((file) =>
        [...fs.readFileSync(file, 'utf8').matchAll(/['"`](errors\.[A-Za-z.]+)/g)].map((m) => m[1] ?? ''),
      ),
    ),
  );

  it('finds the error keys the code can produce', () => {
    expect(keys.size).toBeGreaterThan(30);
  });

  it('has Vietnamese and English text for every error key the code can produce', () => {
    const missing = [...keys].filter((key) => !has(vi, key) || !has(en, key));
    expect(missing).toEqual([]);
  });
});
