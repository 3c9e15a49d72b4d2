// The draft payload every forensic mark carries (draft, client, model) and its channel code: CRC-16 + a soft-decoded convolutional code.
import { AtelierError } from '../errors';
import { bitsToBytes, bytesToBits, convolve, tailBits, viterbi, type ConvolutionalCode } from './convolutional';

/** What a mark names. All unsigned integers; the ranges are set by the bit split below. */
export interface DraftPayload {
  draftId: number;
  clientId: number;
  modelId: number;
}

/** Payload split (issue 6: ≥ 64 bits naming draft, client and model): 32 + 20 + 12 bits, big-endian in that order. */
export const DRAFT_ID_BITS = 32;
export const CLIENT_ID_BITS = 20;
export const MODEL_ID_BITS = 12;
export const PAYLOAD_BITS = 64;
const PAYLOAD_BYTES = PAYLOAD_BITS / 8;

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF): a random word passes with probability 2⁻¹⁶. */
export const CRC_BITS = 16;
const CRC_POLY = 0x1021;
const CRC_INIT = 0xffff;

/**
 * Convolutional code, rate 1/2, constraint length 7, generators 171/133 (octal) — the NASA/802.11 code,
 * free distance 10. Chosen because the marks' detectors give real-valued correlations per bit: soft Viterbi
 * uses them directly (≈ 2 dB better than hard decisions). Terminated with K−1 zero bits so the trellis ends
 * in state 0. The octal numbers are in the usual notation (newest input in the top bit); `mirrored` turns them
 * into convolutional.ts's register order (newest input in bit 0).
 */
const CONSTRAINT = 7;
const mirrored = (g: number): number => parseInt(g.toString(2).padStart(CONSTRAINT, '0').split('').reverse().join(''), 2);
const CODE: ConvolutionalCode = { constraint: CONSTRAINT, generators: [mirrored(0o171), mirrored(0o133)] };
const INFO_BITS = PAYLOAD_BITS + CRC_BITS;
/** (64 payload + 16 CRC + 6 tail) × 2 = 172 coded bits. */
export const CODEWORD_BITS = (INFO_BITS + tailBits(CODE)) * CODE.generators.length;

function validationError(message: string): AtelierError {
  return new AtelierError('VALIDATION', message);
}

function checkField(name: string, value: number, bits: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw validationError(`The watermark's ${name} must be a whole number from 0 to ${2 ** bits - 1}; got ${String(value)}.`);
  }
}

/** 8 bytes: draftId (32 bits), clientId (20 bits), modelId (12 bits), big-endian. */
export function encodePayload(p: DraftPayload): Uint8Array {
  checkField('draft id', p.draftId, DRAFT_ID_BITS);
  checkField('client id', p.clientId, CLIENT_ID_BITS);
  checkField('model id', p.modelId, MODEL_ID_BITS);
  const out = new Uint8Array(PAYLOAD_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, p.draftId);
  view.setUint32(4, ((p.clientId << MODEL_ID_BITS) | p.modelId) >>> 0);
  return out;
}

function checkPayloadBytes(bytes: Uint8Array): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== PAYLOAD_BYTES) {
    throw validationError(`A watermark payload is exactly ${PAYLOAD_BYTES} bytes (16 hex digits); got ${bytes instanceof Uint8Array ? bytes.length : 'no'} bytes.`);
  }
}

export function decodePayload(bytes: Uint8Array): DraftPayload {
  checkPayloadBytes(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(4);
  return { draftId: view.getUint32(0), clientId: low >>> MODEL_ID_BITS, modelId: low & ((1 << MODEL_ID_BITS) - 1) };
}

export function payloadFromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || !/^[0-9a-fA-F]{16}$/.test(hex)) {
    throw validationError('A watermark payload is written as exactly 16 hex digits (0-9, a-f), for example 00000001000a1003.');
  }
  const out = new Uint8Array(PAYLOAD_BYTES);
  for (let i = 0; i < PAYLOAD_BYTES; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function payloadToHex(bytes: Uint8Array): string {
  checkPayloadBytes(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function crc16(bytes: Uint8Array): number {
  let crc = CRC_INIT;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ CRC_POLY) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** Payload bits then its CRC bits: what the convolutional code carries. */
function infoBits(payload: Uint8Array): Uint8Array {
  const crc = crc16(payload);
  const bits = new Uint8Array(INFO_BITS);
  bits.set(bytesToBits(payload));
  for (let i = 0; i < CRC_BITS; i++) bits[PAYLOAD_BITS + i] = (crc >> (CRC_BITS - 1 - i)) & 1;
  return bits;
}

/** Channel coding for the marks: payload (8 bytes) + CRC-16 → error-corrected codeword bits (0/1 per entry). */
export function encodeCodeword(payload: Uint8Array): Uint8Array {
  checkPayloadBytes(payload);
  return convolve(infoBits(payload), CODE);
}

/** Soft decoding: one real-valued likelihood per codeword bit (>0 means 1). Null when the checksum fails. */
export function decodeCodeword(soft: Float32Array): { payload: Uint8Array; corrected: number } | null {
  const bits = viterbi(soft, INFO_BITS, CODE);
  if (!bits) return null;
  const payload = bitsToBytes(bits.subarray(0, PAYLOAD_BITS));
  let crc = 0;
  for (let i = 0; i < CRC_BITS; i++) crc = (crc << 1) | bits[PAYLOAD_BITS + i]!;
  if (crc !== crc16(payload)) return null;
  const recoded = encodeCodeword(payload);
  let corrected = 0;
  for (let i = 0; i < CODEWORD_BITS; i++) if ((soft[i]! > 0 ? 1 : 0) !== recoded[i]) corrected++;
  return { payload, corrected };
}
