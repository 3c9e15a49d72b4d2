// The audio mark's own small channel code: payload + CRC-16, a rate-1/3 K=7 convolutional code, soft Viterbi decoding.

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xffff): 16 check bits, so a random decode passes with probability 2⁻¹⁶. */
export const AUDIO_CHECK_BITS = 16;
/** Constraint length 7, generators 133/171/165 octal: the rate-1/3 code of 3GPP (TS 36.212 §5.1.3.1). */
const CONSTRAINT = 7;
const GENERATORS = [0o133, 0o171, 0o165] as const;
const STATES = 1 << (CONSTRAINT - 1);
const TAIL_BITS = CONSTRAINT - 1;

export function crc16(bits: Uint8Array): number {
  let crc = 0xffff;
  for (const bit of bits) {
    const top = ((crc >> 15) & 1) ^ (bit & 1);
    crc = (crc << 1) & 0xffff;
    if (top) crc ^= 0x1021;
  }
  return crc;
}

export function bytesToBits(bytes: Uint8Array): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = ((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1;
  return bits;
}

export function bitsToBytes(bits: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits[i]) bytes[i >> 3] = (bytes[i >> 3] ?? 0) | (1 << (7 - (i & 7)));
  return bytes;
}

/** Number of coded bits carried for a payload of `payloadBits`. */
export function codedLength(payloadBits: number): number {
  return (payloadBits + AUDIO_CHECK_BITS + TAIL_BITS) * GENERATORS.length;
}

function parity(v: number): number {
  let p = 0;
  for (let x = v; x; x &= x - 1) p ^= 1;
  return p;
}

/** Payload bits + CRC, zero-tailed, convolutionally coded: bits 0/1. */
export function encodeAudioCodeword(payload: Uint8Array): Uint8Array {
  const bits = bytesToBits(payload);
  const crc = crc16(bits);
  const info = new Uint8Array(bits.length + AUDIO_CHECK_BITS + TAIL_BITS);
  info.set(bits);
  for (let i = 0; i < AUDIO_CHECK_BITS; i++) info[bits.length + i] = (crc >> (AUDIO_CHECK_BITS - 1 - i)) & 1;
  const out = new Uint8Array(info.length * GENERATORS.length);
  let reg = 0;
  for (let i = 0; i < info.length; i++) {
    reg = ((reg << 1) | (info[i] ?? 0)) & ((1 << CONSTRAINT) - 1);
    for (let g = 0; g < GENERATORS.length; g++) out[i * GENERATORS.length + g] = parity(reg & (GENERATORS[g] ?? 0));
  }
  return out;
}

/**
 * Soft Viterbi over `soft` (positive = bit 1, magnitude = belief); returns the payload when its CRC holds, else null.
 * The zero tail forces the path to end in state 0.
 */
export function decodeAudioCodeword(soft: Float32Array, payloadBits: number): Uint8Array | null {
  const steps = payloadBits + AUDIO_CHECK_BITS + TAIL_BITS;
  if (soft.length !== steps * GENERATORS.length) return null;
  const outputs = new Uint8Array(STATES * 2 * GENERATORS.length);
  for (let s = 0; s < STATES; s++) {
    for (let b = 0; b < 2; b++) {
      const reg = (s << 1) | b;
      for (let g = 0; g < GENERATORS.length; g++) outputs[(s * 2 + b) * GENERATORS.length + g] = parity(reg & (GENERATORS[g] ?? 0));
    }
  }
  let metric = new Float64Array(STATES).fill(-Infinity);
  metric[0] = 0;
  let next = new Float64Array(STATES);
  const from = new Uint8Array(steps * STATES);
  for (let t = 0; t < steps; t++) {
    next.fill(-Infinity);
    for (let s = 0; s < STATES; s++) {
      const m = metric[s] ?? -Infinity;
      if (m === -Infinity) continue;
      for (let b = 0; b < 2; b++) {
        let gain = m;
        for (let g = 0; g < GENERATORS.length; g++) {
          const v = soft[t * GENERATORS.length + g] ?? 0;
          gain += outputs[(s * 2 + b) * GENERATORS.length + g] ? v : -v;
        }
        const ns = ((s << 1) | b) & (STATES - 1);
        if (gain > (next[ns] ?? -Infinity)) {
          next[ns] = gain;
          from[t * STATES + ns] = s;
        }
      }
    }
    [metric, next] = [next, metric];
  }
  const info = new Uint8Array(steps);
  let state = 0;
  for (let t = steps - 1; t >= 0; t--) {
    info[t] = state & 1;
    state = from[t * STATES + state] ?? 0;
  }
  const bits = info.subarray(0, payloadBits);
  let crc = 0;
  for (let i = 0; i < AUDIO_CHECK_BITS; i++) crc = (crc << 1) | (info[payloadBits + i] ?? 0);
  return crc16(bits) === crc ? bitsToBytes(bits) : null;
}
