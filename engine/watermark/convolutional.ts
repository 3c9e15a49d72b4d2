// Tail-terminated convolutional codes with soft-decision Viterbi decoding: the error correction of the image and
// audio marks (each picks its own generators), plus the bit packing they share.

/**
 * A code of constraint length K: each input bit enters a K-bit register (newest input in bit 0) and each
 * generator's parity over the register is one output bit, in the order given.
 */
export interface ConvolutionalCode {
  constraint: number;
  generators: readonly number[];
}

function parity(v: number): number {
  let p = 0;
  for (let x = v; x; x &= x - 1) p ^= 1;
  return p;
}

/** Bits of `bytes`, most significant first. */
export function bytesToBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  return bits;
}

/** Bytes from bits, most significant first; a last partial byte is padded with zeros. */
export function bitsToBytes(bits: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  return bytes;
}

/** The K − 1 zero bits that return the register to state 0 after the information. */
export function tailBits(code: ConvolutionalCode): number {
  return code.constraint - 1;
}

/** Codes `info` followed by the zero tail: (info + tail) × generators output bits (0/1). */
export function convolve(info: Uint8Array, code: ConvolutionalCode): Uint8Array {
  const { constraint, generators } = code;
  const steps = info.length + tailBits(code);
  const out = new Uint8Array(steps * generators.length);
  let reg = 0;
  for (let t = 0; t < steps; t++) {
    reg = ((reg << 1) | (info[t] ?? 0)) & ((1 << constraint) - 1);
    for (let g = 0; g < generators.length; g++) out[t * generators.length + g] = parity(reg & generators[g]!);
  }
  return out;
}

/**
 * Soft Viterbi: the information bits (tail removed) of the path that best matches `soft` — one value per coded
 * bit, positive for 1, its size the belief — among the paths that end in state 0, as the zero tail makes them.
 * Null when `soft` is not the length of `infoBits` coded, or holds a value that is not a finite number.
 */
export function viterbi(soft: Float32Array, infoBits: number, code: ConvolutionalCode): Uint8Array | null {
  const { constraint, generators } = code;
  const rate = generators.length;
  const states = 1 << (constraint - 1);
  const steps = infoBits + tailBits(code);
  if (soft.length !== steps * rate) return null;
  for (const v of soft) if (!Number.isFinite(v)) return null;
  const outputs = new Uint8Array(states * 2 * rate);
  for (let s = 0; s < states; s++) {
    for (let b = 0; b < 2; b++) {
      const reg = (s << 1) | b;
      for (let g = 0; g < rate; g++) outputs[(s * 2 + b) * rate + g] = parity(reg & generators[g]!);
    }
  }
  let metric = new Float64Array(states).fill(-Infinity);
  metric[0] = 0;
  let next = new Float64Array(states);
  // Survivors: the predecessor state of each state at each step.
  const from = new Uint16Array(steps * states);
  for (let t = 0; t < steps; t++) {
    next.fill(-Infinity);
    for (let s = 0; s < states; s++) {
      const m = metric[s]!;
      if (m === -Infinity) continue;
      for (let b = 0; b < 2; b++) {
        let gain = m;
        for (let g = 0; g < rate; g++) {
          const v = soft[t * rate + g]!;
          gain += outputs[(s * 2 + b) * rate + g] ? v : -v;
        }
        const ns = ((s << 1) | b) & (states - 1);
        if (gain > next[ns]!) {
          next[ns] = gain;
          from[t * states + ns] = s;
        }
      }
    }
    [metric, next] = [next, metric];
  }
  const bits = new Uint8Array(steps);
  let state = 0;
  for (let t = steps - 1; t >= 0; t--) {
    bits[t] = state & 1;
    state = from[t * states + state]!;
  }
  return bits.subarray(0, infoBits);
}
