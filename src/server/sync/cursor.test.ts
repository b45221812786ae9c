import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, FEED_START } from './cursor';

describe('pull cursor', () => {
  it.each([
    FEED_START,
    { txid: '752', changeSeq: '3' },
    { txid: '18446744073709551615', changeSeq: '9223372036854775807' },
  ])('reads back the position it wrote: $txid:$changeSeq', (position) => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    '',
    'a/b',
    'not base64 at all',
    Buffer.from('12:x').toString('base64url'),
    Buffer.from('12').toString('base64url'),
    Buffer.from('18446744073709551616:1').toString('base64url'),
    Buffer.from('-1:2').toString('base64url'),
  ])('refuses a cursor it did not make: %j', (cursor) => {
    expect(decodeCursor(cursor)).toBeUndefined();
  });
});
