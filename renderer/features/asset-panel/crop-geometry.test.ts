// The crop editor's geometry: the square stays square, whole-pixel and inside the image however it is dragged.
import { describe, expect, it } from 'vitest';
import {
  CROP_MIN_SIZE,
  centredCrop,
  clampCrop,
  cornerPoint,
  fitDisplay,
  growCrop,
  initialCrop,
  moveCropTo,
  nudgeCrop,
  nudgeStep,
  resizeFromCorner,
  toDisplayRect,
  toOriginalPoint,
  type Viewport,
} from './crop-geometry';

// A 3000×2000 photo shown as its 1024×683 preview (the studio's preview is ≤ 1024 px on the long side).
const photo = { width: 3000, height: 2000 };
const preview: Viewport = { original: photo, display: { width: 1024, height: 683 } };

function inside(crop: { x: number; y: number; size: number }, image: { width: number; height: number }) {
  expect(Number.isInteger(crop.x) && Number.isInteger(crop.y) && Number.isInteger(crop.size)).toBe(true);
  expect(crop.x).toBeGreaterThanOrEqual(0);
  expect(crop.y).toBeGreaterThanOrEqual(0);
  expect(crop.x + crop.size).toBeLessThanOrEqual(image.width);
  expect(crop.y + crop.size).toBeLessThanOrEqual(image.height);
}

describe('clamping', () => {
  it('pulls a square that hangs off the image back inside, keeping its size', () => {
    expect(clampCrop({ x: 2500, y: -40, size: 1000 }, photo)).toEqual({ x: 2000, y: 0, size: 1000 });
  });

  it('shrinks a square larger than the short side to the short side', () => {
    expect(clampCrop({ x: 0, y: 0, size: 5000 }, photo)).toEqual({ x: 0, y: 0, size: 2000 });
  });

  it('refuses to go below the minimum size and rounds to whole pixels', () => {
    expect(clampCrop({ x: 10.6, y: 20.2, size: 3 }, photo)).toEqual({ x: 11, y: 20, size: CROP_MIN_SIZE });
  });

  it('survives nonsense numbers from a broken report', () => {
    const c = clampCrop({ x: Number.NaN, y: Number.POSITIVE_INFINITY, size: Number.NaN }, photo);
    inside(c, photo);
    expect(c.size).toBe(2000);
  });

  it('handles an image smaller than the minimum square', () => {
    expect(clampCrop({ x: 0, y: 0, size: 100 }, { width: 8, height: 12 })).toEqual({ x: 0, y: 0, size: 8 });
  });
});

describe('where the editor starts', () => {
  it('prefers the saved crop, then the suggestion, then the centred largest square', () => {
    const saved = { x: 100, y: 0, size: 1500 };
    const suggested = { x: 700, y: 0, size: 2000 };
    expect(initialCrop(photo, saved, suggested)).toEqual(saved);
    expect(initialCrop(photo, null, suggested)).toEqual(suggested);
    expect(initialCrop(photo, null, null)).toEqual({ x: 500, y: 0, size: 2000 });
    expect(centredCrop({ width: 900, height: 1600 })).toEqual({ x: 0, y: 350, size: 900 });
  });
});

describe('preview ↔ original pixels', () => {
  it('maps the far corner of the preview to the far corner of the original', () => {
    const far = toOriginalPoint(preview, { x: 1024, y: 683 });
    expect(far.x).toBeCloseTo(3000, 6);
    expect(far.y).toBeCloseTo(2000, 6);
    const r = toDisplayRect(preview, { x: 1000, y: 0, size: 2000 });
    expect(r.x).toBeCloseTo(341.33, 1);
    expect(r.y + r.height).toBeCloseTo(683, 5);
  });

  it('round-trips a crop through the screen within a pixel of the original', () => {
    const crop = { x: 777, y: 311, size: 1234 };
    const r = toDisplayRect(preview, crop);
    const back = moveCropTo(preview, crop, { x: r.x, y: r.y });
    expect(back).toEqual(crop);
  });

  it('fits the image into the panel keeping its aspect ratio', () => {
    expect(fitDisplay(photo, { width: 480, height: 460 })).toEqual({ width: 480, height: 320 });
    expect(fitDisplay({ width: 1000, height: 3000 }, { width: 480, height: 460 })).toEqual({ width: 153, height: 460 });
    expect(fitDisplay(photo, { width: 0, height: 460 })).toEqual({ width: 0, height: 0 });
  });
});

describe('dragging the square', () => {
  it('moves in original pixels and stops at the edge of the image', () => {
    const crop = { x: 500, y: 0, size: 2000 };
    // Dragged 100 screen pixels right: 100 × 3000/1024 ≈ 293 original pixels.
    const moved = moveCropTo(preview, crop, { x: toDisplayRect(preview, crop).x + 100, y: 0 });
    expect(moved).toEqual({ x: 793, y: 0, size: 2000 });
    // Dragged far beyond the right edge: it parks against it.
    expect(moveCropTo(preview, crop, { x: 5000, y: 300 })).toEqual({ x: 1000, y: 0, size: 2000 });
  });
});

describe('dragging a corner', () => {
  const crop = { x: 1000, y: 500, size: 1000 };

  it('keeps the opposite corner fixed and the shape square', () => {
    // Bottom-right dragged up and left: the square shrinks toward its top-left corner.
    const smaller = resizeFromCorner(preview, crop, 'se', toDisplayRect(preview, { x: 1000, y: 500, size: 600 }));
    const target = cornerPoint(preview, { x: 1000, y: 500, size: 600 }, 'se');
    const next = resizeFromCorner(preview, crop, 'se', target);
    expect(next.x).toBe(1000);
    expect(next.y).toBe(500);
    expect(Math.abs(next.size - 600)).toBeLessThanOrEqual(2);
    inside(smaller, photo);
  });

  it('follows the farther axis of the pointer, so a diagonal drag grows it', () => {
    const next = resizeFromCorner(preview, crop, 'se', { x: toDisplayRect(preview, crop).x + 500, y: 0 });
    // The y of the pointer is above the anchor, x is 500 screen px right (× 3000/1024 ≈ 1465 px): x decides.
    expect(next.x).toBe(1000);
    expect(next.y).toBe(500);
    expect(next.size).toBe(1465);
  });

  it('stops growing at the image edge on the dragged side', () => {
    const next = resizeFromCorner(preview, crop, 'nw', { x: -500, y: -500 });
    // Anchor is the bottom-right (2000, 1500); room up is 1500, room left 2000 → 1500.
    expect(next).toEqual({ x: 500, y: 0, size: 1500 });
    const grown = resizeFromCorner(preview, crop, 'se', { x: 5000, y: 5000 });
    expect(grown).toEqual({ x: 1000, y: 500, size: 1500 });
    inside(grown, photo);
  });

  it('does not flip over when the pointer crosses the anchor; it bottoms out at the minimum', () => {
    const next = resizeFromCorner(preview, crop, 'ne', { x: 0, y: 683 });
    expect(next.size).toBe(CROP_MIN_SIZE);
    // 'ne' anchors the bottom-left corner (1000, 1500).
    expect(next).toEqual({ x: 1000, y: 1500 - CROP_MIN_SIZE, size: CROP_MIN_SIZE });
  });

  it('works for all four corners on a portrait image', () => {
    const portrait = { width: 1200, height: 1800 };
    const v: Viewport = { original: portrait, display: { width: 400, height: 600 } };
    const start = { x: 100, y: 300, size: 800 };
    for (const corner of ['nw', 'ne', 'sw', 'se'] as const) {
      const p = cornerPoint(v, start, corner);
      const same = resizeFromCorner(v, start, corner, p);
      expect(same).toEqual(start);
      const far = resizeFromCorner(v, start, corner, { x: p.x * 10 - 2000, y: p.y * 10 - 2000 });
      inside(far, portrait);
    }
  });
});

describe('keyboard', () => {
  it('nudges by one screen pixel worth of original pixels, ten times that with Shift, never outside', () => {
    expect(nudgeStep(preview, false)).toBe(3);
    expect(nudgeStep(preview, true)).toBe(30);
    // A small image shown larger than life still moves by at least a pixel.
    expect(nudgeStep({ original: { width: 300, height: 200 }, display: { width: 480, height: 320 } }, false)).toBe(1);
    expect(nudgeCrop({ x: 2, y: 0, size: 2000 }, photo, -30, 0)).toEqual({ x: 0, y: 0, size: 2000 });
  });

  it('grows and shrinks around the centre, inside the image', () => {
    expect(growCrop({ x: 1000, y: 500, size: 1000 }, photo, -200)).toEqual({ x: 1100, y: 600, size: 800 });
    expect(growCrop({ x: 1900, y: 900, size: 1000 }, photo, 4000)).toEqual({ x: 1000, y: 0, size: 2000 });
  });
});
