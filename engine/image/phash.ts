// 64-bit DCT perceptual hash of an image and the Hamming distance that says two images are near-duplicates.
import { resamplePlane, type Plane } from './pixels';

/** The hash looks at a 32 × 32 grey image: enough for low frequencies, blind to detail and compression. */
const HASH_INPUT = 32;
/** 8 × 8 low-frequency DCT coefficients, skipping row 0 and column 0 (DC and pure 1-D bands), as in pHash (Zauner 2010). */
const HASH_BLOCK = 8;

/**
 * Two images whose hashes differ in at most this many of 64 bits are near-duplicates. Measured on the
 * fixtures (engine/image/phash.test.ts): resized, recompressed (JPEG q40) and lightly brightened copies of a
 * drawing or photo stay within 6 bits; different drawings and photos are 20+ bits apart. 10 sits between with
 * margin on both sides, and is the figure commonly used for 64-bit pHash.
 */
export const NEAR_DUPLICATE_MAX_DISTANCE = 10;

const COSINES = (() => {
  const table = new Float64Array(HASH_INPUT * HASH_INPUT);
  for (let k = 0; k < HASH_INPUT; k++) {
    for (let n = 0; n < HASH_INPUT; n++) table[k * HASH_INPUT + n] = Math.cos((Math.PI / HASH_INPUT) * (n + 0.5) * k);
  }
  return table;
})();

/** The hash as 16 hex digits; bit 63 is coefficient (1,1), bit 0 is (8,8). */
export function perceptualHash(grey: Plane): string {
  const small = resamplePlane(grey, HASH_INPUT, HASH_INPUT).data;
  const n = HASH_INPUT;
  const need = HASH_BLOCK + 1;
  // Separable DCT-II, only the rows/columns the hash needs: first along x for every row, then along y.
  const rows = new Float64Array(n * need);
  for (let y = 0; y < n; y++) {
    for (let k = 0; k < need; k++) {
      let sum = 0;
      for (let x = 0; x < n; x++) sum += small[y * n + x]! * COSINES[k * n + x]!;
      rows[y * need + k] = sum;
    }
  }
  const coefficients: number[] = [];
  for (let v = 1; v < need; v++) {
    for (let u = 1; u < need; u++) {
      let sum = 0;
      for (let y = 0; y < n; y++) sum += rows[y * need + u]! * COSINES[v * n + y]!;
      coefficients.push(sum);
    }
  }
  const sorted = [...coefficients].sort((a, b) => a - b);
  const median = (sorted[31]! + sorted[32]!) / 2;
  let hex = '';
  for (let i = 0; i < 64; i += 4) {
    let nibble = 0;
    for (let b = 0; b < 4; b++) nibble = (nibble << 1) | (coefficients[i + b]! > median ? 1 : 0);
    hex += nibble.toString(16);
  }
  return hex;
}

const POPCOUNT = [0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4];

/** Number of differing bits between two 16-hex-digit hashes; 64 when either is not a valid hash. */
export function hammingDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) return 64;
  let distance = 0;
  for (let i = 0; i < 16; i++) distance += POPCOUNT[parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16)]!;
  return distance;
}
