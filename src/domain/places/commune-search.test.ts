import { describe, expect, it } from 'vitest';
import units from '../../shared/data/admin-units/units.json';
import { findProvince, searchCommunes } from './commune-search';

describe('the shipped national list', () => {
  it('has 34 provinces and 3,321 communes with well-formed codes', () => {
    expect(units.provinces).toHaveLength(34);
    expect(units.communes).toHaveLength(3321);
    expect(units.communes.every((c) => /^\d{5}$/.test(c.code) && /^\d{2}$/.test(c.provinceCode))).toBe(true);
  });
});

describe('searchCommunes', () => {
  it('finds Phường Dĩ An (25942) typed without diacritics', () => {
    const [first] = searchCommunes(units, 'di an', '79');
    expect(first).toMatchObject({ code: '25942', name: 'Dĩ An' });
  });

  it('finds a commune by its 5-digit code', () => {
    expect(searchCommunes(units, '25942')[0]?.fullName).toBe('Phường Dĩ An');
  });

  it('ignores where the tone mark sits: "Yên Hòa" typed the 2025 way finds the list\'s "Yên Hoà"', () => {
    const names = searchCommunes(units, 'Yên Hòa').map((c) => c.name);
    expect(names.filter((n) => n === 'Yên Hoà')).toHaveLength(3);
  });

  it('keeps to the chosen province', () => {
    const results = searchCommunes(units, 'phuong', '01', 500);
    expect(results.length).toBeGreaterThan(10);
    expect(results.every((c) => c.provinceCode === '01')).toBe(true);
  });

  it('puts names that start with the query first', () => {
    const [first] = searchCommunes(units, 'an', '79');
    expect(first?.name.startsWith('An')).toBe(true);
  });

  it('names a province by code', () => {
    expect(findProvince(units, '79')?.name).toBe('Hồ Chí Minh');
  });
});
