import { renderUnicodeCompact } from 'uqr';

/**
 * A QR code drawn with half-block characters (two modules per character cell). The blocks are
 * the light modules, so it reads correctly on the usual dark terminal background; medium error
 * correction keeps it readable off a slightly blurred laptop screen.
 */
export function terminalQr(text: string): string {
  return renderUnicodeCompact(text, { ecc: 'M', border: 2 });
}
