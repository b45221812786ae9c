/**
 * "08:15 20/11": time, then day/month as Vietnamese documents write them, in the app's language
 * (the locale's own pattern for vi gives "20-11", which reads oddly in a sentence).
 */
export function formatSyncTime(iso: string, locale: string): string {
  const format = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    day: '2-digit',
    month: '2-digit',
    hourCycle: 'h23',
  });
  const parts = new Map(format.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${parts.get('hour')}:${parts.get('minute')} ${parts.get('day')}/${parts.get('month')}`;
}
