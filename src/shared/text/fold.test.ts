import { describe, expect, it } from 'vitest';
import { foldForSearch, matchesSearch } from './fold';

describe('foldForSearch', () => {
  it.each([
    ['Nguyễn Văn A', 'nguyen van a'],
    ['ĐẶNG THỊ Đào', 'dang thi dao'],
    ['Thanh Hoá', 'thanh hoa'],
    ['Thanh Hóa', 'thanh hoa'],
    ["  Xã   Ea H'Leo ", "xa ea h'leo"],
    ['Phường Hà Giang 1', 'phuong ha giang 1'],
  ])('folds %j to %j', (input, expected) => {
    expect(foldForSearch(input)).toBe(expected);
  });

  it('treats decomposed (NFD) and composed (NFC) input the same', () => {
    expect(foldForSearch('Nguyễn'.normalize('NFD'))).toBe(foldForSearch('Nguyễn'.normalize('NFC')));
  });
});

describe('matchesSearch', () => {
  it('finds "Nguyễn Văn A" when the user types "nguyen van a"', () => {
    expect(matchesSearch('Nguyễn Văn A', 'nguyen van a')).toBe(true);
  });

  it('matches words in any order and ignores case', () => {
    expect(matchesSearch('Trần Thị Bích Ngọc', 'NGOC tran')).toBe(true);
  });

  it('does not match when one word is missing', () => {
    expect(matchesSearch('Trần Thị Bích Ngọc', 'tran lan')).toBe(false);
  });
});
