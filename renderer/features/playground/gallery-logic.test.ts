// The playground's pure rules: arrow keys in the gallery, matching outputs for compare, the seed box.
import { describe, expect, it } from 'vitest';
import type { Generation } from '../../../preload/contract';
import { SEED_MAX, findComparable, moveFocus, parseSeed, rollSeed, samePrompt } from './gallery-logic';

function gen(over: Partial<Generation>): Generation {
  return {
    id: 'g', modelId: 'm', version: 1, mode: 'prompt', prompt: 'rose', referenceName: null, variationAssetId: null, seed: 7,
    width: 512, height: 512, lengthS: null, mime: 'image/png', createdAt: '2026-11-01T00:00:00.000Z', durationMs: 10,
    favourite: false, rating: null, tags: [], provenance: [], ...over,
  };
}

describe('moveFocus', () => {
  it('walks a 4-column grid of 10 and stays inside it', () => {
    expect(moveFocus(-1, 'ArrowRight', 4, 10)).toBe(0);
    expect(moveFocus(0, 'ArrowDown', 4, 10)).toBe(4);
    expect(moveFocus(8, 'ArrowDown', 4, 10)).toBe(8);
    expect(moveFocus(5, 'ArrowUp', 4, 10)).toBe(1);
    expect(moveFocus(1, 'ArrowUp', 4, 10)).toBe(1);
    expect(moveFocus(9, 'ArrowRight', 4, 10)).toBe(9);
    expect(moveFocus(0, 'ArrowLeft', 4, 10)).toBe(0);
    expect(moveFocus(3, 'End', 4, 10)).toBe(9);
    expect(moveFocus(30, 'ArrowLeft', 4, 10)).toBe(8);
  });
  it('has nothing to focus in an empty gallery, and treats 0 columns as 1', () => {
    expect(moveFocus(0, 'ArrowDown', 4, 0)).toBe(-1);
    expect(moveFocus(0, 'ArrowDown', 0, 3)).toBe(1);
  });
});

describe('findComparable', () => {
  const items = [
    gen({ id: 'a', version: 1, seed: 7, prompt: 'a  rose ' }),
    gen({ id: 'b', version: 2, seed: 7, prompt: 'a rose', createdAt: '2026-11-02T00:00:00.000Z' }),
    gen({ id: 'c', version: 2, seed: 7, prompt: 'a rose', createdAt: '2026-11-03T00:00:00.000Z' }),
    gen({ id: 'd', version: 2, seed: 8, prompt: 'a rose' }),
    gen({ id: 'e', version: 3, seed: 7, prompt: 'a rose', mode: 'reference' }),
  ];
  it('matches version, seed and prompt (spacing aside), newest first, prompt mode only', () => {
    expect(findComparable(items, 1, 'a rose', 7)?.id).toBe('a');
    expect(findComparable(items, 2, 'a rose', 7)?.id).toBe('c');
    expect(findComparable(items, 3, 'a rose', 7)).toBeNull();
    expect(findComparable(items, 2, 'a lily', 7)).toBeNull();
    expect(samePrompt(null, '  ')).toBe(true);
  });
});

describe('seeds', () => {
  it('reads the seed box: empty is random, junk and out-of-range are refused with a reason', () => {
    expect(parseSeed('')).toEqual({ seed: null, error: null });
    expect(parseSeed(' 42 ')).toEqual({ seed: 42, error: null });
    expect(parseSeed('-1').error).toMatch(/whole number/);
    expect(parseSeed('1e5').error).toMatch(/whole number/);
    expect(parseSeed(String(SEED_MAX + 1)).error).toMatch(/at most/);
  });
  it('rolls seeds inside the range even at the ends of the random source', () => {
    expect(rollSeed(() => 0)).toBe(0);
    expect(rollSeed(() => 0.999999999999)).toBeLessThanOrEqual(SEED_MAX);
  });
});
