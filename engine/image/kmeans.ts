// Colour clustering in Lab: k-means++ seeding then Lloyd rounds, and nearest-centre labelling (training's
// colour segments and generation's flat regions both use it).
import { xorshift32 } from '../random';

/** k-means++ start then Lloyd rounds on interleaved Lab samples; deterministic for the seed. */
export function labKMeans(samples: Float32Array, k: number, seed: number, rounds: number): Float32Array {
  const n = samples.length / 3;
  const rand = xorshift32(seed);
  const centres = new Float32Array(k * 3);
  if (n === 0) return centres;
  const first = Math.floor(rand() * n);
  centres.set(samples.subarray(first * 3, first * 3 + 3), 0);
  const d2 = new Float64Array(n).fill(Infinity);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      const dl = samples[i * 3]! - centres[(c - 1) * 3]!;
      const da = samples[i * 3 + 1]! - centres[(c - 1) * 3 + 1]!;
      const db = samples[i * 3 + 2]! - centres[(c - 1) * 3 + 2]!;
      d2[i] = Math.min(d2[i]!, dl * dl + da * da + db * db);
      total += d2[i]!;
    }
    let pick = rand() * total;
    let chosen = n - 1;
    for (let i = 0; i < n; i++) {
      pick -= d2[i]!;
      if (pick <= 0) {
        chosen = i;
        break;
      }
    }
    centres.set(samples.subarray(chosen * 3, chosen * 3 + 3), c * 3);
  }
  const labels = new Uint8Array(n);
  for (let round = 0; round < rounds; round++) {
    nearestCentres(samples, centres, k, labels);
    const { sums, counts } = labSumsByLabel(samples, labels, k);
    for (let c = 0; c < k; c++) {
      const count = counts[c]!;
      if (count > 0) for (let j = 0; j < 3; j++) centres[c * 3 + j] = sums[c * 3 + j]! / count;
    }
  }
  return centres;
}

/** The index of the nearest centre (Lab distance) for every pixel. */
export function nearestCentres(lab: Float32Array, centres: Float32Array, k: number, out: Uint8Array): void {
  const n = lab.length / 3;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Infinity;
    for (let c = 0; c < k; c++) {
      const dl = lab[i * 3]! - centres[c * 3]!;
      const da = lab[i * 3 + 1]! - centres[c * 3 + 1]!;
      const db = lab[i * 3 + 2]! - centres[c * 3 + 2]!;
      const d = dl * dl + da * da + db * db;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    out[i] = best;
  }
}

/** Per label 0…count − 1: the sum of its pixels' Lab (3 values a label) and how many pixels carry it. */
export function labSumsByLabel(lab: Float32Array, labels: ArrayLike<number>, count: number): { sums: Float64Array; counts: Float64Array } {
  const sums = new Float64Array(count * 3);
  const counts = new Float64Array(count);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    sums[c * 3] = sums[c * 3]! + lab[i * 3]!;
    sums[c * 3 + 1] = sums[c * 3 + 1]! + lab[i * 3 + 1]!;
    sums[c * 3 + 2] = sums[c * 3 + 2]! + lab[i * 3 + 2]!;
    counts[c] = counts[c]! + 1;
  }
  return { sums, counts };
}
