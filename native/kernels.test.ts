// The patch kernels: what synthesis relies on (exact copies found, uses spread, masks kept), the native addon
// matching the TypeScript oracle, and bad input refused with a clear error instead of a crash.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { AtelierError } from '../engine/errors';
import { seededRandom } from '../tests/fixtures/images';
import { ADDON_PATH, kernelsAvailable, patchMatch, vote, type NnfInput, type NnfResult, type VoteInput } from './index';
import { patchMatchOracle, voteOracle } from './oracle';

const NATIVE = kernelsAvailable().native;

function noise(length: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  return Float32Array.from({ length }, () => rnd());
}

/** Smooth features (waves) so neighbouring patches resemble each other, as real guide channels do. */
function waves(width: number, height: number, channels: number, seed: number): Float32Array {
  const rnd = seededRandom(seed);
  const out = new Float32Array(width * height * channels);
  const f = Array.from({ length: channels * 2 }, () => 0.05 + rnd() * 0.3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < channels; k++) {
        out[(y * width + x) * channels + k] = 0.5 + 0.25 * Math.sin(x * (f[2 * k] as number)) + 0.25 * Math.cos(y * (f[2 * k + 1] as number) + k);
      }
    }
  }
  return out;
}

function crop(src: Float32Array, sw: number, channels: number, x0: number, y0: number, w: number, h: number): Float32Array {
  const out = new Float32Array(w * h * channels);
  for (let y = 0; y < h; y++) out.set(src.subarray(((y0 + y) * sw + x0) * channels, ((y0 + y) * sw + x0 + w) * channels), y * w * channels);
  return out;
}

function task(over: Partial<NnfInput> = {}): NnfInput {
  const sw = over.sourceWidth ?? 48;
  const sh = over.sourceHeight ?? 40;
  const tw = over.targetWidth ?? 30;
  const th = over.targetHeight ?? 26;
  const channels = over.channels ?? 3;
  return {
    source: waves(sw, sh, channels, 11),
    sourceWidth: sw,
    sourceHeight: sh,
    target: waves(tw, th, channels, 12),
    targetWidth: tw,
    targetHeight: th,
    channels,
    patchSize: 5,
    iterations: 5,
    seed: 42,
    reusePenalty: 0,
    ...over,
  };
}

/** 5 PatchMatch rounds land within a few per cent of the exact nearest patches (Barnes et al. 2009, fig. 4). */
const NEAR_OPTIMUM = 1.1;

/** The best possible total SSD, by trying every source patch for every target patch (target patches clipped at its border). */
function exhaustiveCost(input: NnfInput): number {
  const { source, target, channels: c, sourceWidth: sw, sourceHeight: sh, targetWidth: tw, targetHeight: th } = input;
  const half = (input.patchSize - 1) / 2;
  let sum = 0;
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      let best = Infinity;
      for (let sy = half; sy < sh - half; sy++) {
        for (let sx = half; sx < sw - half; sx++) {
          let d = 0;
          for (let dy = -half; dy <= half; dy++) {
            if (ty + dy < 0 || ty + dy >= th) continue;
            for (let dx = -half; dx <= half; dx++) {
              if (tx + dx < 0 || tx + dx >= tw) continue;
              for (let k = 0; k < c; k++) {
                const e = (target[((ty + dy) * tw + tx + dx) * c + k] as number) - (source[((sy + dy) * sw + sx + dx) * c + k] as number);
                d += e * e;
              }
            }
          }
          best = Math.min(best, d);
        }
      }
      sum += best;
    }
  }
  return sum;
}

const total = (cost: Float32Array): number => cost.reduce((a, b) => a + b, 0);

function maxUses(r: NnfResult, sourceWidth: number): number {
  const uses = new Map<number, number>();
  for (let i = 0; i < r.nnf.length; i += 2) {
    const key = (r.nnf[i + 1] as number) * sourceWidth + (r.nnf[i] as number);
    uses.set(key, (uses.get(key) ?? 0) + 1);
  }
  return Math.max(...uses.values());
}

const IMPLEMENTATIONS = [
  { name: 'oracle', patchMatch: patchMatchOracle, vote: voteOracle },
  { name: 'native', patchMatch, vote },
] as const;

describe.each(IMPLEMENTATIONS)('$name kernels', (impl) => {
  it.skipIf(impl.name === 'native' && !NATIVE)('find the exact offsets (cost 0) when the target is a crop of the exemplar', () => {
    const sw = 64;
    const sh = 56;
    const source = noise(sw * sh * 3, 5);
    const [ox, oy, tw, th] = [13, 9, 36, 32];
    const r = impl.patchMatch(task({ source, sourceWidth: sw, sourceHeight: sh, target: crop(source, sw, 3, ox, oy, tw, th), targetWidth: tw, targetHeight: th }));
    let exact = 0;
    for (let p = 0; p < tw * th; p++) {
      const hit = r.nnf[2 * p] === (p % tw) + ox && r.nnf[2 * p + 1] === Math.floor(p / tw) + oy;
      if (hit && r.cost[p] === 0) exact++;
    }
    expect(exact / (tw * th)).toBeGreaterThan(0.98);
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('reach a low total cost: close to the exhaustive search, far below the random start', () => {
    const input = task();
    const start = impl.patchMatch({ ...input, iterations: 0 });
    const done = impl.patchMatch(input);
    const optimum = exhaustiveCost(input);
    expect(total(done.cost)).toBeLessThan(optimum * NEAR_OPTIMUM);
    expect(total(done.cost)).toBeLessThan(total(start.cost) * 0.25);
    // Every target pixel ends on a patch at least as good as where it started.
    for (let p = 0; p < done.cost.length; p++) expect(done.cost[p]).toBeLessThanOrEqual(start.cost[p] as number);
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('spread the uses of the exemplar when a reuse penalty is set', () => {
    // A flat grey target: without the penalty every pixel piles onto the few greyest exemplar patches.
    const input = task({ target: new Float32Array(30 * 26 * 3).fill(0.5) });
    const piled = maxUses(impl.patchMatch(input), input.sourceWidth);
    const spread = impl.patchMatch({ ...input, reusePenalty: 0.05 });
    expect(maxUses(spread, input.sourceWidth)).toBeLessThan(piled / 4);
    expect(total(spread.cost)).toBeGreaterThan(0);
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('copy longer runs from one place with the coherence bonus (whole dots and strokes, not one pixel from each)', () => {
    // A flat target over a noisy source: every patch costs about the same, so without the bonus neighbours land anywhere.
    const input = task({ source: noise(48 * 40 * 3, 5), target: new Float32Array(30 * 26 * 3).fill(0.5), reusePenalty: 0.01 });
    const runs = (r: { nnf: Int32Array }) => {
      let same = 0;
      for (let y = 0; y < 26; y++) {
        for (let x = 0; x + 1 < 30; x++) {
          const p = y * 30 + x;
          if (r.nnf[2 * p + 2] === (r.nnf[2 * p] as number) + 1 && r.nnf[2 * p + 3] === r.nnf[2 * p + 1]) same++;
        }
      }
      return same / (26 * 29);
    };
    const loose = runs(impl.patchMatch(input));
    const coherent = runs(impl.patchMatch({ ...input, coherenceBonus: 0.5 }));
    expect(loose).toBeLessThan(0.5);
    expect(coherent).toBeGreaterThan(Math.max(0.6, 2 * loose));
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('never centre a patch where the exemplar mask says no, nor outside the exemplar', () => {
    const input = task();
    const mask = new Uint8Array(input.sourceWidth * input.sourceHeight);
    for (let y = 0; y < input.sourceHeight; y++) for (let x = 0; x < input.sourceWidth; x++) mask[y * input.sourceWidth + x] = x >= 20 && y % 3 !== 0 ? 1 : 0;
    const r = impl.patchMatch({ ...input, sourceMask: mask, reusePenalty: 0.01 });
    for (let i = 0; i < r.nnf.length; i += 2) {
      const x = r.nnf[i] as number;
      const y = r.nnf[i + 1] as number;
      expect(mask[y * input.sourceWidth + x]).toBe(1);
      expect(y).toBeLessThan(input.sourceHeight - 2);
      expect(x).toBeLessThan(input.sourceWidth - 2);
    }
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('start from the given field, replacing only entries that name no usable patch', () => {
    const input = task({ iterations: 0 });
    const initial = new Int32Array(input.targetWidth * input.targetHeight * 2);
    for (let p = 0; p < initial.length / 2; p++) {
      initial[2 * p] = 2 + (p % 40);
      initial[2 * p + 1] = 2 + (p % 30);
    }
    initial[0] = 1; // too near the border for a 5×5 patch
    initial[3] = 9_999;
    const r = impl.patchMatch({ ...input, initial });
    expect(Array.from(r.nnf.subarray(4))).toEqual(Array.from(initial.subarray(4)));
    expect(r.nnf[0]).toBeGreaterThanOrEqual(2);
    expect(r.nnf[3]).toBeLessThan(input.sourceHeight - 2);
    // The input field is the caller's: it is read, never written.
    expect(initial[0]).toBe(1);
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('vote an exact-offset field back into the exemplar colours', () => {
    const sw = 20;
    const sh = 18;
    const colors = noise(sw * sh * 3, 9);
    const [ox, oy, tw, th] = [3, 4, 12, 10];
    const nnf = new Int32Array(tw * th * 2);
    for (let p = 0; p < tw * th; p++) {
      nnf[2 * p] = (p % tw) + ox;
      nnf[2 * p + 1] = Math.floor(p / tw) + oy;
    }
    const out = impl.vote({ sourceColors: colors, sourceWidth: sw, sourceHeight: sh, colorChannels: 3, nnf, targetWidth: tw, targetHeight: th, patchSize: 5 });
    const expected = crop(colors, sw, 3, ox, oy, tw, th);
    for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(expected[i] as number, 6);
  });

  it.skipIf(impl.name === 'native' && !NATIVE)('refuse bad input with a VALIDATION error that names the problem', () => {
    const good = task();
    const cases: [Partial<NnfInput>, RegExp][] = [
      [{ source: new Float32Array(10) }, /source with 10 values/],
      [{ source: new Float64Array(48 * 40 * 3) as unknown as Float32Array }, /source as a Float32Array/],
      [{ patchSize: 4 }, /odd/],
      [{ patchSize: 31, sourceHeight: 30, source: new Float32Array(48 * 30 * 3) }, /smaller than one 31×31 patch/],
      [{ seed: Number.NaN }, /seed/],
      [{ reusePenalty: -1 }, /reuse penalty/],
      [{ iterations: 1.5 }, /iterations/],
      [{ targetWidth: 0 }, /targetWidth/],
      [{ sourceWidth: 1e9 }, /sourceWidth/],
      [{ sourceMask: new Uint8Array(48 * 40) }, /no patch that may be used/],
      [{ initial: new Int32Array(3) }, /initial/],
    ];
    for (const [over, message] of cases) {
      let thrown: unknown;
      try {
        impl.patchMatch({ ...good, ...over });
      } catch (e) {
        thrown = e;
      }
      expect(thrown, message.source).toBeInstanceOf(AtelierError);
      expect((thrown as AtelierError).code).toBe('VALIDATION');
      expect((thrown as AtelierError).message).toMatch(message);
    }
    const voteInput: VoteInput = { sourceColors: noise(48 * 40, 1), sourceWidth: 48, sourceHeight: 40, colorChannels: 1, nnf: new Int32Array(4 * 4 * 2).fill(10), targetWidth: 4, targetHeight: 4, patchSize: 5 };
    expect(impl.vote(voteInput)).toHaveLength(16);
    const outside = new Int32Array(32).fill(10);
    outside[7] = 39;
    expect(() => impl.vote({ ...voteInput, nnf: outside })).toThrow(/outside the exemplar at target pixel 3/);
    expect(() => impl.vote({ ...voteInput, nnf: new Int32Array(31) })).toThrow(/nnf with 31 values/);
  });
});

describe.skipIf(!NATIVE)('native kernels against the oracle', () => {
  const shapes = [
    { name: '3 channels, 5×5', over: {} },
    { name: '1 channel, 7×7, target larger than the exemplar', over: { channels: 1, patchSize: 7, targetWidth: 61, targetHeight: 45 } },
    { name: '6 channels, 3×3, tiny target', over: { channels: 6, patchSize: 3, targetWidth: 2, targetHeight: 3 } },
  ];

  it.each(shapes)('vote gives the same colours ($name)', ({ over }) => {
    const input = task(over);
    const field = patchMatchOracle(input).nnf;
    const v: VoteInput = { sourceColors: noise(input.sourceWidth * input.sourceHeight * 4, 3), sourceWidth: input.sourceWidth, sourceHeight: input.sourceHeight, colorChannels: 4, nnf: field, targetWidth: input.targetWidth, targetHeight: input.targetHeight, patchSize: input.patchSize };
    const a = vote(v);
    const b = voteOracle(v);
    expect(a).toHaveLength(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
    expect(worst).toBeLessThanOrEqual(1e-5);
  });

  it.each(shapes)('patchMatch gives the same field and costs, with and without penalty, mask and start field ($name)', ({ over }) => {
    const input = task(over);
    const mask = new Uint8Array(input.sourceWidth * input.sourceHeight).map((_, i) => (i % 7 === 0 ? 0 : 1));
    const initial = new Int32Array(input.targetWidth * input.targetHeight * 2).map((_, i) => 3 + (i % 17));
    for (const extra of [
      {},
      { reusePenalty: 0.02 },
      { sourceMask: mask, initial, seed: 7 },
      { source: noise(input.source.length, 4) },
      { coherenceBonus: 0.05, reusePenalty: 0.02 },
    ]) {
      const a = patchMatch({ ...input, ...extra });
      const b = patchMatchOracle({ ...input, ...extra });
      expect(Array.from(a.nnf)).toEqual(Array.from(b.nnf));
      expect(Array.from(a.cost)).toEqual(Array.from(b.cost));
    }
  });

  it('is deterministic for a seed, and another seed gives another field', () => {
    const input = task({ source: noise(48 * 40 * 3, 2), target: noise(30 * 26 * 3, 3) });
    const a = patchMatch(input);
    expect(Array.from(patchMatch(input).nnf)).toEqual(Array.from(a.nnf));
    expect(Array.from(patchMatch({ ...input, seed: 43 }).nnf)).not.toEqual(Array.from(a.nnf));
  });

  it('reads typed arrays that are views into a larger buffer at their own offset', () => {
    const input = task();
    const big = new Float32Array(input.source.length + 5);
    big.set(input.source, 5);
    const a = patchMatch({ ...input, source: big.subarray(5) });
    expect(Array.from(a.nnf)).toEqual(Array.from(patchMatchOracle(input).nnf));
  });

  it('the raw addon refuses wrong arguments with an error rather than reading past a buffer', () => {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as Record<string, (...args: unknown[]) => unknown>;
    const s = new Float32Array(48 * 40);
    const t = new Float32Array(10 * 10);
    const call = (...args: unknown[]) => () => addon.patchMatch?.(...args);
    expect(call()).toThrow(/14 arguments/);
    expect(call(s, 48, 40, t, 10, 10, 2, 5, 1, 1, null, 0, null, 0)).toThrow(/source must be/);
    expect(call(s, 48, 40, t, 10, 10, 1, 5, 1, 0, null, 0, null, 0)).toThrow(/rngState/);
    expect(call(s, 48, 40, t, 10, 10, 1, 5, 1, 1, new Int32Array(5), 0, null, 0)).toThrow(/initial/);
    expect(call(s, 48, 40, t, 10, 10, 1, 5, 1, 1, null, Number.NaN, null, 0)).toThrow(/reusePenalty/);
    expect(call(s, 48, 40, t, 10, 10, 1, 5, 1, 1, null, 0, null, -1)).toThrow(/coherenceBonus/);
    expect(call(s, 48, 40, t, 10, 10, 1, 5, 1, 1, null, 0, new Uint8Array(48 * 40), 0)).toThrow(/no usable patch/);
    expect(call('x', 48, 40, t, 10, 10, 1, 5, 1, 1, null, 0, null, 0)).toThrow(/source must be/);
    const nnf = new Int32Array(200).fill(50);
    expect(() => addon.vote?.(s, 48, 40, 1, nnf, 10, 10, 5)).toThrow(/outside the source/);
    expect(() => addon.vote?.(s, 48, 40, 1, new Int32Array(10), 10, 10, 5)).toThrow(/nnf must be/);
  });
});

describe('kernelsAvailable', () => {
  it('says which kernels run, and why when it is not the native addon', () => {
    const state = kernelsAvailable();
    if (state.native) expect(state.reason).toBeUndefined();
    else expect(state.reason).toMatch(/build-native/);
  });
});
