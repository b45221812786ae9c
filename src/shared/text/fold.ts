/**
 * Search key for Vietnamese text: lower case, no diacritics, "đ" → "d", spaces collapsed.
 * "Nguyễn Văn A", "NGUYEN van a" and "Nguyên Văn Á" all fold to "nguyen van a".
 * Both tone-mark placements ("Hoà" / "Hòa") fold to the same key, because every mark is removed.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** True when every word of `query` starts a word of `text` or occurs inside it (both folded). */
export function matchesSearch(text: string, query: string): boolean {
  const haystack = foldForSearch(text);
  const words = foldForSearch(query)
    .split(' ')
    .filter((w) => w.length > 0);
  return words.every((w) => haystack.includes(w));
}
