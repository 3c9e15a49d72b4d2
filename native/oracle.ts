// Plain TypeScript PatchMatch and patch voting: the test oracle for the C++ kernels (same algorithm, same RNG, same sums).
import { checkNnfInput, checkVoteInput, rngStateFromSeed, type NnfInput, type NnfResult, type VoteInput } from './kernel-input';

/**
 * PatchMatch (Barnes et al. 2009) over feature patches. The steps, their order and every random draw are the
 * contract with native/src/patch-match.cc — keep the two in step so their fields stay identical:
 * 1. start field: `initial` where it names a usable patch, else a uniformly drawn usable patch centre;
 * 2. per round, scan forward (even rounds) or backward (odd), try the two neighbours' shifted matches, then a
 *    random search around the best match whose radius starts at max(sourceWidth, sourceHeight) and halves to 1;
 * 3. a candidate replaces the match when SSD + reusePenalty × (uses by other pixels) − coherenceBonus × (its
 *    coherent 4-neighbours: left, right, up, down, each neighbour's match minus the neighbour's offset) is
 *    strictly lower.
 * Target patches are clipped at the target's border; source patches are always whole.
 */
export function patchMatchOracle(input: NnfInput): NnfResult {
  checkNnfInput(input);
  const { source, target, channels, reusePenalty, sourceMask } = input;
  const sw = input.sourceWidth;
  const sh = input.sourceHeight;
  const tw = input.targetWidth;
  const th = input.targetHeight;
  const half = (input.patchSize - 1) / 2;
  const minX = half;
  const maxX = sw - 1 - half;
  const minY = half;
  const maxY = sh - 1 - half;
  const usesCounted = reusePenalty > 0;
  const bonus = input.coherenceBonus ?? 0;
  const uses = new Int32Array(usesCounted ? sw * sh : 0);
  let rng = rngStateFromSeed(input.seed);
  const next = (): number => {
    rng = (rng ^ (rng << 13)) >>> 0;
    rng = (rng ^ (rng >>> 17)) >>> 0;
    rng = (rng ^ (rng << 5)) >>> 0;
    return rng;
  };

  const usable = (x: number, y: number): boolean =>
    x >= minX && x <= maxX && y >= minY && y <= maxY && (sourceMask === undefined || sourceMask[y * sw + x] !== 0);

  // Sum of squared feature differences; stops early (returning ≥ bound) once the sum can no longer win.
  const patchSsd = (sx: number, sy: number, tx: number, ty: number, bound: number): number => {
    const y0 = Math.max(-half, -ty);
    const y1 = Math.min(half, th - 1 - ty);
    const x0 = Math.max(-half, -tx);
    const x1 = Math.min(half, tw - 1 - tx);
    const span = (x1 - x0 + 1) * channels;
    let sum = 0;
    for (let dy = y0; dy <= y1; dy++) {
      const ti = ((ty + dy) * tw + tx + x0) * channels;
      const si = ((sy + dy) * sw + sx + x0) * channels;
      // Four running sums, combined as ((0 + 1) + (2 + 3)): the order the native loop vectorises in.
      let l0 = 0;
      let l1 = 0;
      let l2 = 0;
      let l3 = 0;
      let k = 0;
      for (; k + 4 <= span; k += 4) {
        const d0 = (target[ti + k] as number) - (source[si + k] as number);
        const d1 = (target[ti + k + 1] as number) - (source[si + k + 1] as number);
        const d2 = (target[ti + k + 2] as number) - (source[si + k + 2] as number);
        const d3 = (target[ti + k + 3] as number) - (source[si + k + 3] as number);
        l0 += d0 * d0;
        l1 += d1 * d1;
        l2 += d2 * d2;
        l3 += d3 * d3;
      }
      for (; k < span; k++) {
        const d = (target[ti + k] as number) - (source[si + k] as number);
        l0 += d * d;
      }
      sum += l0 + l1 + (l2 + l3);
      if (sum >= bound) return sum;
    }
    return sum;
  };

  const candidates: number[] = [];
  for (let y = minY; y <= maxY; y++) for (let x = minX; x <= maxX; x++) if (usable(x, y)) candidates.push(y * sw + x);

  const pixels = tw * th;
  const nnf = new Int32Array(pixels * 2);
  const ssd = new Float64Array(pixels);
  for (let p = 0; p < pixels; p++) {
    let x = input.initial?.[2 * p] ?? -1;
    let y = input.initial?.[2 * p + 1] ?? -1;
    if (!usable(x, y)) {
      const pick = candidates[next() % candidates.length] as number;
      x = pick % sw;
      y = (pick - x) / sw;
    }
    nnf[2 * p] = x;
    nnf[2 * p + 1] = y;
    ssd[p] = patchSsd(x, y, p % tw, Math.floor(p / tw), Infinity);
    if (usesCounted) (uses[y * sw + x] as number)++;
  }

  // How many of target pixel (tx, ty)'s 4 neighbours a copy from (cx, cy) would continue seamlessly.
  const coherent = (cx: number, cy: number, tx: number, ty: number): number => {
    let n = 0;
    if (tx > 0 && nnf[2 * (ty * tw + tx - 1)] === cx - 1 && nnf[2 * (ty * tw + tx - 1) + 1] === cy) n++;
    if (tx < tw - 1 && nnf[2 * (ty * tw + tx + 1)] === cx + 1 && nnf[2 * (ty * tw + tx + 1) + 1] === cy) n++;
    if (ty > 0 && nnf[2 * ((ty - 1) * tw + tx)] === cx && nnf[2 * ((ty - 1) * tw + tx) + 1] === cy - 1) n++;
    if (ty < th - 1 && nnf[2 * ((ty + 1) * tw + tx)] === cx && nnf[2 * ((ty + 1) * tw + tx) + 1] === cy + 1) n++;
    return n;
  };

  const radius0 = Math.max(sw, sh);
  for (let round = 0; round < input.iterations; round++) {
    const forward = round % 2 === 0;
    const step = forward ? 1 : -1;
    for (let i = 0; i < pixels; i++) {
      const p = forward ? i : pixels - 1 - i;
      const tx = p % tw;
      const ty = (p - tx) / tw;
      let bx = nnf[2 * p] as number;
      let by = nnf[2 * p + 1] as number;
      let best = ssd[p] as number;
      let bestTotal = usesCounted ? best + reusePenalty * ((uses[by * sw + bx] as number) - 1) : best;
      if (bonus > 0) bestTotal -= bonus * coherent(bx, by, tx, ty);

      const attempt = (cx: number, cy: number): void => {
        if ((cx === bx && cy === by) || !usable(cx, cy)) return;
        const penalty = (usesCounted ? reusePenalty * (uses[cy * sw + cx] as number) : 0) - (bonus > 0 ? bonus * coherent(cx, cy, tx, ty) : 0);
        const bound = bestTotal - penalty;
        if (bound <= 0) return;
        const d = patchSsd(cx, cy, tx, ty, bound);
        if (d >= bound) return;
        if (usesCounted) {
          (uses[by * sw + bx] as number)--;
          (uses[cy * sw + cx] as number)++;
        }
        bx = cx;
        by = cy;
        best = d;
        bestTotal = d + penalty;
      };

      const nx = tx - step;
      if (nx >= 0 && nx < tw) {
        const q = ty * tw + nx;
        attempt((nnf[2 * q] as number) + step, nnf[2 * q + 1] as number);
      }
      const ny = ty - step;
      if (ny >= 0 && ny < th) {
        const q = ny * tw + tx;
        attempt(nnf[2 * q] as number, (nnf[2 * q + 1] as number) + step);
      }
      for (let r = radius0; r >= 1; r >>= 1) {
        const cx = Math.min(maxX, Math.max(minX, bx + (next() % (2 * r + 1)) - r));
        const cy = Math.min(maxY, Math.max(minY, by + (next() % (2 * r + 1)) - r));
        attempt(cx, cy);
      }
      nnf[2 * p] = bx;
      nnf[2 * p + 1] = by;
      ssd[p] = best;
    }
  }
  return { nnf, cost: Float32Array.from(ssd) };
}

/** Each target pixel: the mean colour that every overlapping target patch's source patch puts on it. */
export function voteOracle(input: VoteInput): Float32Array {
  checkVoteInput(input);
  const { sourceColors, nnf, colorChannels: channels } = input;
  const sw = input.sourceWidth;
  const tw = input.targetWidth;
  const th = input.targetHeight;
  const half = (input.patchSize - 1) / 2;
  const out = new Float32Array(tw * th * channels);
  const acc = new Float64Array(channels);
  for (let ty = 0; ty < th; ty++) {
    for (let tx = 0; tx < tw; tx++) {
      acc.fill(0);
      let n = 0;
      for (let dy = -half; dy <= half; dy++) {
        const py = ty - dy;
        if (py < 0 || py >= th) continue;
        for (let dx = -half; dx <= half; dx++) {
          const px = tx - dx;
          if (px < 0 || px >= tw) continue;
          const q = py * tw + px;
          const si = (((nnf[2 * q + 1] as number) + dy) * sw + (nnf[2 * q] as number) + dx) * channels;
          for (let k = 0; k < channels; k++) acc[k] = (acc[k] as number) + (sourceColors[si + k] as number);
          n++;
        }
      }
      const oi = (ty * tw + tx) * channels;
      for (let k = 0; k < channels; k++) out[oi + k] = (acc[k] as number) / n;
    }
  }
  return out;
}
