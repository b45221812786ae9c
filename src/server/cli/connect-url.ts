import os from 'node:os';

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** This machine's first LAN IPv4 address (interfaces in name order, so the pick is stable). */
function lanAddress(): string | undefined {
  const interfaces = os.networkInterfaces();
  for (const name of Object.keys(interfaces).sort()) {
    for (const info of interfaces[name] ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return undefined;
}

export interface ServerAddress {
  readonly url: string;
  /** A phone cannot reach it (loopback): the CLI says so next to the QR code. */
  readonly isLocalOnly: boolean;
}

/**
 * The address phones should open, for the server's HOST and PORT: a wildcard host (0.0.0.0)
 * means every interface, so the LAN address is shown; a loopback host is only reachable here.
 */
export function serverAddressFor(host: string, port: number): ServerAddress {
  const name = WILDCARDS.has(host) ? (lanAddress() ?? 'localhost') : host;
  const literal = name.includes(':') ? `[${name}]` : name;
  return { url: `http://${literal}:${port}`, isLocalOnly: isLoopbackHost(name) };
}

/** The app's enrolment link (src/client/app/routes.ts, "connect"): the QR code encodes it. */
export function connectUrl(serverUrl: string, code: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/#/ket-noi?code=${encodeURIComponent(code)}`;
}
