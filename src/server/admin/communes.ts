import fs from 'node:fs';
import path from 'node:path';
import type { AdminUnits } from '../../domain/places/commune-search';
import { AdminError } from './admin-error';

const UNITS_FILE = path.join(import.meta.dirname, '../../shared/data/admin-units/units.json');
let units: AdminUnits | undefined;

export interface CommuneInfo {
  readonly code: string;
  /** "Phường Dĩ An" */
  readonly name: string;
  /** "Thành phố Hồ Chí Minh" */
  readonly provinceName: string;
}

/**
 * The commune of the national list (the one the app's setup offers). Codes outside it are refused:
 * a device can only be set up for a listed commune, so a code for any other would be useless.
 */
export function requireCommune(code: string): CommuneInfo {
  if (!/^\d{5}$/.test(code))
    throw new AdminError('invalid_arguments', `Mã xã phải gồm 5 chữ số (nhận được "${code}").`);
  units ??= JSON.parse(fs.readFileSync(UNITS_FILE, 'utf8')) as AdminUnits;
  const commune = units.communes.find((c) => c.code === code);
  if (!commune) throw new AdminError('unknown_commune', `Mã xã ${code} không có trong danh mục đơn vị hành chính.`);
  const province = units.provinces.find((p) => p.code === commune.provinceCode);
  return { code, name: commune.fullName, provinceName: province?.fullName ?? '' };
}
