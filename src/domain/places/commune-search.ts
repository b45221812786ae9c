import { foldForSearch } from '../../shared/text/fold';

export interface Province {
  readonly code: string;
  readonly name: string;
  readonly fullName: string;
}

export interface Commune {
  readonly code: string;
  readonly name: string;
  readonly fullName: string;
  readonly provinceCode: string;
}

export interface AdminUnits {
  readonly provinces: readonly Province[];
  readonly communes: readonly Commune[];
}

/**
 * Communes whose name matches every typed word, ignoring diacritics, case and where the tone
 * mark sits ("thanh hoa" finds "Thanh Hoá" and "Thanh Hóa"). Names that start with the query
 * come first, then alphabetical order.
 */
export function searchCommunes(units: AdminUnits, query: string, provinceCode?: string, limit = 50): Commune[] {
  const words = foldForSearch(query)
    .split(' ')
    .filter((w) => w.length > 0);
  const folded = foldForSearch(query);
  const scored: { commune: Commune; rank: number; key: string }[] = [];
  for (const commune of units.communes) {
    if (provinceCode && commune.provinceCode !== provinceCode) continue;
    const name = foldForSearch(commune.name);
    const full = foldForSearch(commune.fullName);
    if (!words.every((w) => full.includes(w) || commune.code === w)) continue;
    const rank = commune.code === folded ? 0 : name.startsWith(folded) ? 1 : 2;
    scored.push({ commune, rank, key: name });
  }
  scored.sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key));
  return scored.slice(0, limit).map((s) => s.commune);
}

export function findProvince(units: AdminUnits, code: string): Province | undefined {
  return units.provinces.find((p) => p.code === code);
}
