import type { TFunction } from 'i18next';

const KB = 1024;

/** "1,5 MB" in Vietnamese (comma decimals), "1.5 MB" in English. */
export function formatBytes(bytes: number, t: TFunction, locale: string): string {
  const format = (value: number) => value.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes < KB) return t('units.bytes', { value: format(bytes) });
  if (bytes < KB ** 2) return t('units.kilobytes', { value: format(bytes / KB) });
  if (bytes < KB ** 3) return t('units.megabytes', { value: format(bytes / KB ** 2) });
  return t('units.gigabytes', { value: format(bytes / KB ** 3) });
}
