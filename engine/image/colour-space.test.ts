// Lab conversion: known anchors and a faithful round trip.
import { describe, expect, it } from 'vitest';
import { labStats, labToRgb, rgbToLab } from './colour-space';

describe('Lab colour space', () => {
  it('puts white at L 100, black at L 0 and a neutral grey on the a/b origin', () => {
    const lab = rgbToLab(new Uint8Array([255, 255, 255, 0, 0, 0, 128, 128, 128]));
    expect(lab[0]).toBeCloseTo(100, 1);
    expect(lab[3]).toBeCloseTo(0, 1);
    expect(Math.abs(lab[7]!)).toBeLessThan(0.01);
    expect(Math.abs(lab[8]!)).toBeLessThan(0.01);
  });

  it('reads sRGB red as the textbook Lab (53.2, 80.1, 67.2)', () => {
    const [l, a, b] = rgbToLab(new Uint8Array([255, 0, 0]));
    expect(l).toBeCloseTo(53.24, 1);
    expect(a).toBeCloseTo(80.09, 0);
    expect(b).toBeCloseTo(67.2, 0);
  });

  it('returns every 8-bit colour of a coarse grid unchanged after a round trip', () => {
    const rgb: number[] = [];
    for (let r = 0; r < 256; r += 17) for (let g = 0; g < 256; g += 17) for (let b = 0; b < 256; b += 17) rgb.push(r, g, b);
    const back = labToRgb(rgbToLab(new Uint8Array(rgb)));
    let worst = 0;
    for (let i = 0; i < rgb.length; i++) worst = Math.max(worst, Math.abs(back[i]! - rgb[i]!));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('measures the mean and spread of each channel', () => {
    const stats = labStats(new Float32Array([10, 0, 0, 30, 4, -4]));
    expect(stats.mean).toEqual([20, 2, -2]);
    expect(stats.std).toEqual([10, 2, 2]);
  });
});
