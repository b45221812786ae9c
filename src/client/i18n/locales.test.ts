import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import vi from './locales/vi.json';

function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1] ?? '').sort();
}

function lookup(tree: unknown, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

describe('locale files', () => {
  it('have the same keys in English as in the Vietnamese source', () => {
    expect(keysOf(en).sort()).toEqual(keysOf(vi).sort());
  });

  it('use the same placeholders in both languages for every key', () => {
    for (const key of keysOf(vi)) {
      expect(placeholders(String(lookup(en, key))), key).toEqual(placeholders(String(lookup(vi, key))));
    }
  });

  it('have no empty Vietnamese text', () => {
    for (const key of keysOf(vi)) expect(String(lookup(vi, key)).trim(), key).not.toBe('');
  });
});
