import { describe, expect, it } from 'vitest';
import { bySeverity, formatMetric, selectionFor, sizeVerdict, subcategoriesFor } from './health-format';

describe('set health in words', () => {
  it('turns the panel choice into the contract selection', () => {
    expect(selectionFor({ scope: 'selection', kind: 'image', subcategory: null }, ['a', 'b'])).toEqual({ assetIds: ['a', 'b'] });
    expect(selectionFor({ scope: 'selection', kind: 'image', subcategory: null }, [])).toBeNull();
    expect(selectionFor({ scope: 'all-work-samples', kind: 'audio', subcategory: null }, ['a'])).toEqual({
      mode: 'all-work-samples',
      kind: 'audio',
    });
    expect(selectionFor({ scope: 'library', kind: 'text', subcategory: null }, [])).toEqual({ mode: 'library', kind: 'text' });
  });

  it('writes numbers with their units the way a report reads', () => {
    expect(formatMetric({ metric: 812, unit: 'px' })).toBe('812 px');
    expect(formatMetric({ metric: -23.14, unit: 'LUFS' })).toBe('−23.1 LUFS');
    expect(formatMetric({ metric: 0.4, unit: '%' })).toBe('0.4 %');
    expect(formatMetric({ metric: 2.456, unit: 'z' })).toBe('2.46 z');
    expect(formatMetric({ metric: 12000, unit: 'count' })).toBe('12,000');
    expect(formatMetric({ metric: 812, unit: 'words' })).toBe('812 words');
    expect(formatMetric({ metric: 3, unit: '' })).toBe('3');
  });

  it('holds the size against 10–50', () => {
    expect(sizeVerdict(4)).toEqual({ tone: 'warning', text: '6 short of the 10 a model needs at least' });
    expect(sizeVerdict(10).tone).toBe('ok');
    expect(sizeVerdict(50).tone).toBe('ok');
    expect(sizeVerdict(51).tone).toBe('warning');
  });

  it('puts errors first and offers subcategories by kind', () => {
    const sorted = bySeverity([{ severity: 'info' }, { severity: 'error' }, { severity: 'warning' }] as const);
    expect(sorted.map((f) => f.severity)).toEqual(['error', 'warning', 'info']);
    expect(subcategoriesFor('audio')).toEqual(['voice_over', 'jingles']);
    expect(subcategoriesFor('text')).toEqual([]);
  });
});
