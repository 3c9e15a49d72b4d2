// The audio mark's own small channel code: payload + CRC-16, a rate-1/3 K=7 convolutional code, soft Viterbi decoding.
import { bitsToBytes, bytesToBits, convolve, tailBits, viterbi, type ConvolutionalCode } from '../convolutional';
import { crc16 } from '../payload';

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xffff; payload.ts's): 16 check bits, so a random decode passes with probability 2⁻¹⁶. */
export const AUDIO_CHECK_BITS = 16;
/** Constraint length 7, generators 133/171/165 octal: the rate-1/3 code of 3GPP (TS 36.212 §5.1.3.1). */
const CODE: ConvolutionalCode = { constraint: 7, generators: [0o133, 0o171, 0o165] };

/** Number of coded bits carried for a payload of `payloadBits` (whole bytes). */
export function codedLength(payloadBits: number): number {
  return (payloadBits + AUDIO_CHECK_BITS + tailBits(CODE)) * CODE.generators.length;
}

/** Payload bits + CRC, zero-tailed, convolutionally coded: bits 0/1. */
export function encodeAudioCodeword(payload: Uint8Array): Uint8Array {
  const bits = bytesToBits(payload);
  const crc = crc16(payload);
  const info = new Uint8Array(bits.length + AUDIO_CHECK_BITS);
  info.set(bits);
  for (let i = 0; i < AUDIO_CHECK_BITS; i++) info[bits.length + i] = (crc >> (AUDIO_CHECK_BITS - 1 - i)) & 1;
  return convolve(info, CODE);
}

/**
 * Soft Viterbi over `soft` (positive = bit 1, magnitude = belief); returns the payload when its CRC holds, else null.
 * The payload is whole bytes (`payloadBits` a multiple of 8), as the CRC is taken over bytes.
 */
export function decodeAudioCodeword(soft: Float32Array, payloadBits: number): Uint8Array | null {
  if (payloadBits % 8 !== 0) return null;
  const info = viterbi(soft, payloadBits + AUDIO_CHECK_BITS, CODE);
  if (!info) return null;
  const payload = bitsToBytes(info.subarray(0, payloadBits));
  let crc = 0;
  for (let i = 0; i < AUDIO_CHECK_BITS; i++) crc = (crc << 1) | info[payloadBits + i]!;
  return crc16(payload) === crc ? payload : null;
}
