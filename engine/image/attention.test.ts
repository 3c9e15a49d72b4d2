// The attention crop on synthetic working images: it follows colour, skin and edges, and leaves squares alone.
import { describe, expect, it } from 'vitest';
import { attentionSquareOffset } from './attention';
import type { WorkingImage } from './pixels';

function page(width: number, height: number, paint?: (x: number, y: number) => [number, number, number] | null): WorkingImage {
  const rgb = new Uint8Array(width * height * 3).fill(240);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = paint?.(x, y);
      if (c) rgb.set(c, (y * width + x) * 3);
    }
  }
  return { width, height, rgb };
}

describe('attentionSquareOffset', () => {
  it('returns null for a square image', () => {
    expect(attentionSquareOffset(page(64, 64))).toBeNull();
  });

  it('moves a landscape square onto a vivid subject near the left edge', () => {
    const image = page(256, 128, (x, y) => ((x - 30) ** 2 + (y - 64) ** 2 < 20 ** 2 ? [220, 30, 60] : null));
    expect(attentionSquareOffset(image)).toBe(0);
  });

  it('moves a portrait square onto a skin-toned face near the bottom', () => {
    const image = page(100, 250, (x, y) => ((x - 50) ** 2 + (y - 220) ** 2 < 25 ** 2 ? [224, 172, 140] : null));
    expect(attentionSquareOffset(image)).toBe(150);
  });

  it('centres on the mass of detail when every square holds it all equally', () => {
    // A small dark mark in the middle: all squares that contain it tie; the centred one wins.
    const image = page(200, 100, (x, y) => (x >= 98 && x < 102 && y >= 48 && y < 52 ? [0, 0, 0] : null));
    expect(attentionSquareOffset(image)).toBe(50);
  });
});
