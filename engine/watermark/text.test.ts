// Text previews hide a fixed, seeded share of words in runs, keep punctuation, and never put a hidden word in the export.
import { describe, expect, it } from 'vitest';
import { thrownAtelierError } from '../../tests/fixtures/atelier-errors';
import { prose } from '../../tests/fixtures/text';
import { PREVIEW_HIDDEN_SHARE, previewText } from './text';

const words = (s: string): string[] => [...new Intl.Segmenter('en', { granularity: 'word' }).segment(s)].filter((w) => w.isWordLike).map((w) => w.segment);

describe('previewText', () => {
  const text = prose(400, 3);

  it('hides the stated share of words, the same way for a seed and differently for another', () => {
    const a = previewText(text, { seed: 1 });
    const hidden = a.segments.filter((s) => s.hidden).flatMap((s) => words(s.text)).length;
    expect(hidden / words(text).length).toBeCloseTo(PREVIEW_HIDDEN_SHARE, 2);
    expect(previewText(text, { seed: 1 })).toEqual(a);
    expect(previewText(text, { seed: 2 }).exported).not.toBe(a.exported);
    expect(a.segments.map((s) => s.text).join('')).toBe(text);
  });

  it('exports blocks instead of hidden words, keeping punctuation, line breaks and word count', () => {
    const { exported } = previewText(text, { seed: 5 });
    expect(exported).toContain('█');
    expect(exported.match(/\./g)?.length).toBe(text.match(/\./g)?.length);
    expect(exported.split('\n').length).toBe(text.split('\n').length);
    expect(exported.split(/\s+/).length).toBe(text.split(/\s+/).length);
    // Block runs are rounded to multiples of 3, so the exact length of a hidden word is not given away.
    for (const run of exported.match(/█+/g) ?? []) expect(run.length % 3).toBe(0);
  });

  it('hides words in runs, not single scattered words', () => {
    const { segments } = previewText(text, { seed: 8 });
    const runs = segments.filter((s) => s.hidden).map((s) => words(s.text).length);
    expect(runs.reduce((a, b) => a + b, 0) / runs.length).toBeGreaterThanOrEqual(2);
  });

  it('hides whole sentences of a short text', () => {
    const short = 'The harbour was quiet. Boats rocked slowly. Gulls called over grey water. Night fell.';
    const { segments } = previewText(short, { seed: 3 });
    const hidden = segments.filter((s) => s.hidden).map((s) => s.text.trim());
    expect(hidden.length).toBeGreaterThan(0);
    for (const h of hidden) expect(['The harbour was quiet', 'Boats rocked slowly', 'Gulls called over grey water', 'Night fell']).toContain(h);
  });

  it('handles CJK without spaces, emoji and combining marks by grapheme', () => {
    const cjk = '今日は雨が降っています。私は家で本を読みます。明日は晴れるでしょう。'.repeat(6);
    const p = previewText(cjk, { seed: 4 });
    expect(p.segments.map((s) => s.text).join('')).toBe(cjk);
    expect(p.exported).toContain('█');
    const emoji = `${'café naïve 👩‍👩‍👧 family '.repeat(20)}`;
    const e = previewText(emoji, { seed: 2, hiddenShare: 0.5 });
    expect(e.segments.map((s) => s.text).join('')).toBe(emoji);
    expect(e.exported).not.toMatch(/\uFFFD/);
  });

  it('accepts the edges and refuses bad options', () => {
    expect(previewText('', { seed: 1 })).toEqual({ segments: [], exported: '' });
    expect(previewText(text, { seed: 1, hiddenShare: 0 }).exported).toBe(text);
    expect(previewText(text, { seed: 1, hiddenShare: 1 }).exported).not.toMatch(/[a-z]/i);
    expect(thrownAtelierError(() => previewText(text, { seed: 1, hiddenShare: 1.5 })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => previewText(text, { seed: 0.5 })).code).toBe('VALIDATION');
    expect(thrownAtelierError(() => previewText(42 as unknown as string, { seed: 1 })).code).toBe('VALIDATION');
  });
});
