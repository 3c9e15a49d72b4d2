import { beforeEach, describe, expect, it } from 'vitest';
import { isFlinging, noteScroll, resetScrollSpeed } from './scroll-speed';

describe('fling detection', () => {
  beforeEach(() => resetScrollSpeed());

  it('a fast run of scroll events is a fling; reading speed is not', () => {
    for (let i = 0; i < 10; i++) noteScroll(i * 1200, 1000 + i * 16);
    expect(isFlinging(1000 + 9 * 16 + 5)).toBe(true);
    resetScrollSpeed();
    for (let i = 0; i < 10; i++) noteScroll(i * 20, 1000 + i * 16);
    expect(isFlinging(1000 + 9 * 16 + 5)).toBe(false);
  });

  it('the grid is at rest shortly after the last scroll event', () => {
    for (let i = 0; i < 10; i++) noteScroll(i * 1200, 1000 + i * 16);
    expect(isFlinging(1000 + 9 * 16 + 500)).toBe(false);
  });
});
