import { routeFromHash } from '../../app/routes';

/** What an enrolment link tells the enrol form: where the commune server is, and the one-time code. */
export interface ConnectLink {
  readonly serverUrl: string;
  readonly code: string;
}

const CODE_PATTERN = /^[A-Za-z0-9-]{1,64}$/;

/**
 * Reads the link the admin CLI puts in its QR code (`<server>/#/ket-noi?code=…`, connect-url.ts).
 * Anything else a camera may see (a bare code, a web page, Wi-Fi settings, a payment code) is
 * undefined, so the form never fills in an address nobody meant for it.
 */
export function parseConnectLink(text: string): ConnectLink | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search)
    return undefined;
  let code: string | undefined;
  try {
    const route = routeFromHash(url.hash);
    code = route.name === 'connect' ? route.code : undefined;
  } catch {
    return undefined; // a malformed %-escape in the code
  }
  if (code === undefined || !CODE_PATTERN.test(code)) return undefined;
  return { serverUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, code };
}
