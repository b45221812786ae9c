/** Vietnamese formatting for the terminal: numbers "1.234", times in Vietnam time "14:30 18/06/2026". */
const NUMBER = new Intl.NumberFormat('vi-VN');
const TIME = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export const formatNumber = (n: number) => NUMBER.format(n);
export const formatTime = (iso: string) => TIME.format(new Date(iso));
export const formatSeconds = (ms: number) =>
  `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 }).format(ms / 1000)} giây`;

/** "7 ngày", "12 giờ", "1 ngày 6 giờ", "30 phút". */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const parts = [days ? `${days} ngày` : '', hours ? `${hours} giờ` : '', rest ? `${rest} phút` : ''].filter(
    (p) => p !== '',
  );
  return parts.length > 0 ? parts.join(' ') : 'dưới 1 phút';
}

/**
 * Characters a terminal would act on instead of showing: C0/C1 controls (ESC starts escape
 * sequences that can rewrite the screen or the title), lone surrogates, and the bidi overrides
 * that reorder what follows them.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/gu;

/** Text from devices (names they chose, village names they pushed), made safe to print: each control character shown as `\x1b` or `\u202e`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Characters as a terminal counts them (NFC text: one code point, one column). */
const width = (text: string) => [...text.normalize('NFC')].length;

/** A plain table: a header row, a rule, then the rows, columns padded to their widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - width(cell)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
