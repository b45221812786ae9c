/**
 * The pull cursor: the position (txid, change_seq) of the last row a device received, as
 * base64url of "txid:change_seq". Opaque to devices: only the server reads it, so the format
 * may change with a protocol version.
 */
export interface FeedPosition {
  /** xid8 as a decimal string (64 bits: beyond a JS number's exact range). */
  readonly txid: string;
  readonly changeSeq: string;
}

/** Where a device with no cursor starts: before every row (bootstrap). */
export const FEED_START: FeedPosition = { txid: '0', changeSeq: '0' };

const POSITION = /^(\d{1,20}):(\d{1,20})$/;

export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(`${position.txid}:${position.changeSeq}`, 'utf8').toString('base64url');
}

/** The position a cursor names; undefined when it is not one this server made. */
export function decodeCursor(cursor: string): FeedPosition | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const match = POSITION.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1] || !match[2]) return undefined;
  const txid = BigInt(match[1]);
  const changeSeq = BigInt(match[2]);
  // xid8 and bigint bounds: anything larger is not a position but a forgery or corruption.
  if (txid > 0xffff_ffff_ffff_ffffn || changeSeq > 0x7fff_ffff_ffff_ffffn) return undefined;
  return { txid: txid.toString(), changeSeq: changeSeq.toString() };
}
