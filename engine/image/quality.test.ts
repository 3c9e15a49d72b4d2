// The quality metrics themselves: a held-out image of a style reads as that style, SSIM and the Reinhard baseline behave.
import { describe, expect, it } from 'vitest';
import { FIXTURE_STYLES, referenceImage, styleSet } from '../../tests/fixtures/styles';
import { labStats, rgbToLab } from './colour-space';
import { pairwiseDiversity, reinhardTransfer, styleGain, styleSetStatistics, structureSimilarity } from './quality';

describe('style gain', () => {
  it.each(FIXTURE_STYLES)('scores a held-out %s image well against its own set, and every other style clearly lower', (style) => {
    const images = styleSet(style, { count: 7, size: 256 });
    const set = styleSetStatistics(images.slice(0, 6));
    const reference = referenceImage('still-life', 256);
    const own = styleGain(images[6]!, reference, set);
    const others = FIXTURE_STYLES.filter((s) => s !== style).map((s) => styleGain(styleSet(s, { count: 1, size: 256 })[0]!, reference, set));
    expect(own).toBeGreaterThan(0.6);
    expect(own).toBeGreaterThan(Math.max(...others) + 0.1);
  });
});

describe('structure similarity', () => {
  it('is 1 for the same picture and clearly lower for a different one', () => {
    const a = referenceImage('still-life', 128, 1);
    expect(structureSimilarity(a, a)).toBeCloseTo(1, 6);
    expect(structureSimilarity(a, referenceImage('landscape', 128, 4))).toBeLessThan(0.6);
    expect(pairwiseDiversity([a, a])).toBeCloseTo(0, 6);
  });
});

describe('Reinhard baseline', () => {
  it('gives the reference the style set\'s Lab mean and spread', () => {
    const set = styleSetStatistics(styleSet('pastel', { count: 3, size: 128 }));
    const out = reinhardTransfer(referenceImage('landscape', 128), set.lab);
    const stats = labStats(rgbToLab(out.rgb));
    for (let c = 0; c < 3; c++) expect(Math.abs(stats.mean[c]! - set.lab.mean[c]!)).toBeLessThan(2.5);
  });
});
