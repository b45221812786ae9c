import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { differingFields, mergeRecord, sameValue } from './merge-record';

const mine = { headName: 'Nguyễn Văn An', address: 'Xóm 2', phone: '0912345678', villageId: 'v1' };
const theirs = { headName: 'Nguyễn Văn An', address: 'Xóm 3', notes: 'Chuyển nhà', villageId: 'v1' };

describe('differingFields', () => {
  it('lists only the fields the two versions disagree on, sorted', () => {
    expect(differingFields(mine, theirs)).toEqual(['address', 'notes', 'phone']);
  });
  it('treats objects with the same content in another key order as equal', () => {
    expect(differingFields({ a: { x: 1, y: [1, 2] } }, { a: { y: [1, 2], x: 1 } })).toEqual([]);
  });
});

describe('mergeRecord', () => {
  it.each([
    [
      'keep mine everywhere',
      {},
      'mine',
      { headName: 'Nguyễn Văn An', address: 'Xóm 2', phone: '0912345678', villageId: 'v1' },
    ],
    [
      'take theirs everywhere',
      {},
      'theirs',
      { headName: 'Nguyễn Văn An', address: 'Xóm 3', notes: 'Chuyển nhà', villageId: 'v1' },
    ],
    [
      'my address, their notes, drop the phone',
      { address: 'mine', notes: 'theirs', phone: 'theirs' },
      'mine',
      { headName: 'Nguyễn Văn An', address: 'Xóm 2', notes: 'Chuyển nhà', villageId: 'v1' },
    ],
    [
      'their address, keep my phone, no notes',
      { address: 'theirs', notes: 'mine' },
      'mine',
      { headName: 'Nguyễn Văn An', address: 'Xóm 3', phone: '0912345678', villageId: 'v1' },
    ],
  ] as const)('can %s', (_name, choices, fallback, expected) => {
    expect(mergeRecord(mine, theirs, choices, fallback)).toEqual(expected);
  });
});

const records = fc.dictionary(
  fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.integer(), { maxLength: 3 })),
);
const choices = fc.dictionary(
  fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  fc.constantFrom('mine' as const, 'theirs' as const),
);
const fallback = fc.constantFrom('mine' as const, 'theirs' as const);

describe('mergeRecord, for any two versions', () => {
  it('is deterministic: the same choices give the same record', () => {
    fc.assert(
      fc.property(records, records, choices, fallback, (m, t, c, f) =>
        sameValue(mergeRecord(m, t, c, f), mergeRecord({ ...m }, { ...t }, { ...c }, f)),
      ),
    );
  });

  it('gives mine or theirs back exactly when every field takes that side', () => {
    fc.assert(
      fc.property(
        records,
        records,
        (m, t) => sameValue(mergeRecord(m, t, {}, 'mine'), m) && sameValue(mergeRecord(m, t, {}, 'theirs'), t),
      ),
    );
  });

  it('takes every field from one of the two versions, and leaves nothing to resolve against the side it chose', () => {
    fc.assert(
      fc.property(records, records, choices, fallback, (m, t, c, f) => {
        const merged = mergeRecord(m, t, c, f);
        const fromOneSide = Object.entries(merged).every(([k, v]) => sameValue(v, m[k]) || sameValue(v, t[k]));
        // Merging the result again with either side, choosing the result, changes nothing.
        return (
          fromOneSide &&
          sameValue(mergeRecord(merged, t, {}, 'mine'), merged) &&
          sameValue(mergeRecord(m, merged, {}, 'theirs'), merged)
        );
      }),
    );
  });

  it('converges: resolving from either side with mirrored choices gives the same record', () => {
    const flip = (c: Record<string, 'mine' | 'theirs'>) =>
      Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v === 'mine' ? 'theirs' : 'mine'])) as Record<
        string,
        'mine' | 'theirs'
      >;
    fc.assert(
      fc.property(records, records, choices, fallback, (m, t, c, f) =>
        sameValue(mergeRecord(m, t, c, f), mergeRecord(t, m, flip(c), f === 'mine' ? 'theirs' : 'mine')),
      ),
    );
  });
});
