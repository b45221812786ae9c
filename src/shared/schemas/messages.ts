/**
 * Schema error messages are locale keys, optionally with parameters: "errors.text.tooLong?max=100".
 * The client turns them into text with `parseMessageKey`; the wire carries them as they are.
 */
export function messageKey(key: string, params?: Record<string, string | number>): string {
  if (!params || Object.keys(params).length === 0) return key;
  const query = Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return `${key}?${query}`;
}

export function parseMessageKey(message: string): { key: string; params: Record<string, string> } {
  const [key = '', query = ''] = message.split('?', 2);
  const params: Record<string, string> = {};
  for (const pair of query.split('&')) {
    const [k, v] = pair.split('=', 2);
    if (k) params[k] = decodeURIComponent(v ?? '');
  }
  return { key, params };
}
