// The one seeded random generator of the engines (and the image fixtures): deterministic for a seed.

/**
 * xorshift32 (Marsaglia 2003) returning floats in [0, 1). `salt` is mixed into the seed so independent
 * streams (training, composition…) built from the same user seed do not repeat each other.
 */
export function xorshift32(seed: number, salt = 0x9e3779b9): () => number {
  let s = (seed ^ salt) >>> 0 || 0x1234567;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x1_0000_0000;
  };
}
