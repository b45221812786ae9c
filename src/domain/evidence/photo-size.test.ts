import { describe, expect, it } from 'vitest';
import { compressionAttempts, fitWithin, PHOTO_MIN_EDGE_PX } from './photo-size';

describe('fitWithin', () => {
  it.each([
    [4000, 3000, { width: 1280, height: 960 }],
    [3000, 4000, { width: 960, height: 1280 }],
    [1280, 720, { width: 1280, height: 720 }],
    [800, 600, { width: 800, height: 600 }],
  ])('draws a %d×%d photo at %j', (w, h, expected) => {
    expect(fitWithin(w, h)).toEqual(expected);
  });
});

describe('compressionAttempts', () => {
  it('tries the full size at falling quality before it shrinks the photo', () => {
    const attempts = compressionAttempts();
    expect(attempts[0]).toEqual({ edge: 1280, quality: 0.82 });
    expect(attempts[4]).toEqual({ edge: 1280, quality: 0.42 });
    expect(attempts[5]).toEqual({ edge: 960, quality: 0.82 });
  });

  it('never goes below the smallest useful edge', () => {
    expect(Math.min(...compressionAttempts().map((a) => a.edge))).toBeGreaterThanOrEqual(PHOTO_MIN_EDGE_PX);
  });
});
