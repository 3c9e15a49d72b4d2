import { describe, expect, it } from 'vitest';
import { TILE_GAP, TILE_MIN_WIDTH, cropPosition, gridLayout, pagesCovering, rowIndexes } from './grid-layout';

describe('gridLayout', () => {
  it('fits as many minimum-width tiles as the width allows and shares the rest', () => {
    // 4 tiles of 168 + 3 gaps of 16 = 720.
    const l = gridLayout(720, 100);
    expect(l.columns).toBe(4);
    expect(l.tileWidth).toBe(168);
    expect(l.rows).toBe(25);
    const wider = gridLayout(719 + TILE_MIN_WIDTH + TILE_GAP, 100);
    expect(wider.columns).toBe(4);
    expect(wider.tileWidth).toBeGreaterThan(168);
    expect(gridLayout(720 + TILE_MIN_WIDTH + TILE_GAP, 100).columns).toBe(5);
  });

  it('never has fewer than one column, even in a sliver or before the width is measured', () => {
    expect(gridLayout(50, 3).columns).toBe(1);
    expect(gridLayout(0, 3).columns).toBe(1);
    expect(gridLayout(Number.NaN, 3).columns).toBe(1);
  });

  it('rounds a partial last row up and has no rows for an empty library', () => {
    expect(gridLayout(720, 9).rows).toBe(3);
    expect(gridLayout(720, 0).rows).toBe(0);
  });

  it('gives whole-pixel row heights (square thumbnail + caption + gap)', () => {
    const l = gridLayout(1000, 10);
    expect(Number.isInteger(l.rowHeight)).toBe(true);
    expect(l.rowHeight).toBeGreaterThan(l.tileWidth);
  });
});

describe('rowIndexes', () => {
  it('slices the list into rows, the last one short', () => {
    expect(rowIndexes(0, 4, 10)).toEqual([0, 4]);
    expect(rowIndexes(2, 4, 10)).toEqual([8, 10]);
    expect(rowIndexes(5, 4, 10)).toEqual([10, 10]);
  });
});

describe('pagesCovering', () => {
  it('lists the pages a range of indexes touches', () => {
    expect(pagesCovering(0, 120, 120)).toEqual([0]);
    expect(pagesCovering(100, 130, 120)).toEqual([0, 1]);
    expect(pagesCovering(240, 241, 120)).toEqual([2]);
    expect(pagesCovering(5, 5, 120)).toEqual([]);
    expect(pagesCovering(-10, 3, 120)).toEqual([0]);
  });
});

describe('cropPosition', () => {
  it('points the square tile at the saved crop along the long side', () => {
    // 2000×1000, a 1000 px square at the right edge: fully right, vertically centred (nothing to move).
    expect(cropPosition({ crop: { x: 1000, y: 0, size: 1000 }, width: 2000, height: 1000 })).toBe('100.0% 50.0%');
    expect(cropPosition({ crop: { x: 0, y: 250, size: 800 }, width: 800, height: 1300 })).toBe('50.0% 50.0%');
    expect(cropPosition({ crop: { x: 0, y: 0, size: 800 }, width: 800, height: 1300 })).toBe('50.0% 0.0%');
  });

  it('leaves the default when there is no crop or no size', () => {
    expect(cropPosition({ crop: null, width: 100, height: 50 })).toBeUndefined();
    expect(cropPosition({ crop: { x: 0, y: 0, size: 10 }, width: null, height: null })).toBeUndefined();
  });
});
