// Flat-colour regions: clean shapes from a noisy flat picture, the set's outline found, the flatness of each fixture style.
import { describe, expect, it } from 'vitest';
import { referenceImage, styleSet } from '../../tests/fixtures/styles';
import { labToRgb, rgbToLab } from './colour-space';
import { paletteDistance, styleSetStatistics, styleStatisticsOf } from './quality';
import { flatRegions, paintRegions, referenceLines, setPalette, styleFlatness } from './regions';
import { xorshift32 } from '../random';

/** At the search size (512 px): two flat squares on paper with ±6 levels of noise, and one thin dark line across. */
function noisyShapes(side: number): Float32Array {
  const rnd = xorshift32(5);
  const rgb = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let c = [240, 236, 226];
      if (x > 40 && x < 200 && y > 40 && y < 200) c = [200, 60, 50];
      if (x > 280 && x < 440 && y > 240 && y < 440) c = [40, 120, 160];
      if (y >= 232 && y < 236) c = [20, 20, 24];
      const i = (y * side + x) * 3;
      for (let k = 0; k < 3; k++) rgb[i + k] = Math.max(0, Math.min(255, c[k]! + Math.round((rnd() - 0.5) * 12)));
    }
  }
  return rgbToLab(rgb);
}

/** A grainy sky that darkens from top to bottom (no step anywhere), with one sharp dark square in it. */
function skyWithSquare(side: number): Float32Array {
  const rnd = xorshift32(9);
  const rgb = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const t = y / side;
      let c = [150 - 60 * t, 190 - 60 * t, 240 - 50 * t];
      if (x > 300 && x < 440 && y > 180 && y < 320) c = [60, 50, 110];
      const i = (y * side + x) * 3;
      for (let k = 0; k < 3; k++) rgb[i + k] = Math.max(0, Math.min(255, Math.round(c[k]! + (rnd() - 0.5) * 10)));
    }
  }
  return rgbToLab(rgb);
}

describe('flat regions', () => {
  it('finds the shapes of a noisy flat picture, keeps a drawn line as a line, and fills each region with one colour', () => {
    const side = 512;
    const lab = noisyShapes(side);
    const regions = flatRegions(lab, side, side, 1, referenceLines(lab, side, side));
    // Paper (split in two by the line), the two squares, the line, the dark rims inside the squares and a few
    // corner specks — not the dozens of noise blobs a plain colour clustering leaves.
    expect(regions.count).toBeGreaterThanOrEqual(4);
    expect(regions.count).toBeLessThanOrEqual(16);
    expect(regions.isLine.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    const red = regions.labels[120 * side + 120]!;
    const blue = regions.labels[320 * side + 360]!;
    expect(red).not.toBe(blue);
    // One colour per region: every pixel of the red square carries the same mean.
    expect(regions.flat[(80 * side + 80) * 3]).toBe(regions.flat[(160 * side + 160) * 3]);
  });

  it('repaints regions in a set’s colours with its outline between shapes', () => {
    const side = 512;
    const flash = styleSet('tattoo-flash', { size: 256, count: 3 }).map((i) => rgbToLab(i.rgb));
    const palette = setPalette(flash, 256, 1);
    expect(palette.line).not.toBeNull();
    expect(palette.line!.lab[0]).toBeLessThan(25);
    expect(palette.line!.width).toBeGreaterThan(2);
    const lab = noisyShapes(side);
    const painted = paintRegions(flatRegions(lab, side, side, 1), palette, [92, 0, 10], 2);
    // Paper takes the set's background colour (light), the square borders its dark outline.
    expect(painted[(8 * side + 400) * 3]!).toBeGreaterThan(80);
    expect(painted[(41 * side + 120) * 3]!).toBeLessThan(30);
    const colours = new Set<string>();
    for (let i = 0; i < side * side; i++) colours.add(painted.subarray(i * 3, i * 3 + 3).join(','));
    expect(colours.size).toBeLessThan(40);
  });

  it('outlines the sharp shape but not the bands the colour clusters cut out of a shaded sky', () => {
    const side = 512;
    const flash = styleSet('tattoo-flash', { size: 256, count: 3 }).map((i) => rgbToLab(i.rgb));
    const palette = setPalette(flash, 256, 1);
    const lab = skyWithSquare(side);
    const regions = flatRegions(lab, side, side, 1);
    // The sky is cut into bands (several regions down the left column), all of them soft borders.
    const bands = new Set<number>();
    for (let y = 0; y < side; y++) bands.add(regions.labels[y * side + 100]!);
    expect(bands.size).toBeGreaterThanOrEqual(2);
    expect(regions.soft.size).toBeGreaterThanOrEqual(bands.size - 1);
    const painted = paintRegions(regions, palette, [92, 0, 10], 2);
    // No dark outline anywhere down the sky's left column…
    let darkest = 100;
    for (let y = 8; y < side - 8; y++) darkest = Math.min(darkest, painted[(y * side + 100) * 3]!);
    expect(darkest).toBeGreaterThan(35);
    // …but the square's border is drawn in the set's outline.
    expect(painted[(180 * side + 370) * 3]!).toBeLessThan(30);
  });

  it('moves fills between the set’s colours so the repaint’s palette comes closer to the set’s', () => {
    const side = 512;
    const flashImages = styleSet('tattoo-flash', { size: 256, count: 6 });
    const palette = setPalette(flashImages.map((i) => rgbToLab(i.rgb)), 256, 1);
    const target = styleSetStatistics(flashImages).palette;
    // The still-life: a few large shapes, so colours by lightness alone land far from the set's shares.
    const lab = rgbToLab(referenceImage('still-life', side).rgb);
    const regions = flatRegions(lab, side, side, 1, referenceLines(lab, side, side));
    const distance = (lab: Float32Array) => paletteDistance(styleStatisticsOf({ width: side, height: side, rgb: labToRgb(lab) }).palette, target);
    const byLightness = distance(paintRegions(regions, palette, [92, 0, 10], 2));
    const rebalanced = distance(paintRegions(regions, palette, [92, 0, 10], 2, target));
    expect(rebalanced).toBeLessThan(byLightness * 0.5);
  });

  it('calls the flat-fill fixture styles flat and the ink and wash styles not', () => {
    const flat = (s: Parameters<typeof styleSet>[0]) => styleFlatness(styleSetStatistics(styleSet(s, { size: 256, count: 3 })));
    expect(flat('tattoo-flash')).toBeGreaterThan(0.8);
    expect(flat('pastel')).toBeGreaterThan(0.8);
    expect(flat('hatching')).toBe(0);
    expect(flat('stippling')).toBe(0);
    expect(flat('watercolour')).toBe(0);
  });
});
