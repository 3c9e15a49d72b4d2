// Turns an audio file's bytes into float samples: our WAV reader, and MIT-licensed wasm decoders for MP3, FLAC, Vorbis, Opus.
import { AtelierError } from '../../errors';
import type { AudioFormat } from '../sniff';
import { MAX_CHANNELS, MAX_DURATION_S, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from './constants';
import { decodeWav } from './wav';

export interface DecodedAudio {
  sampleRate: number;
  /** One Float32Array per channel, all the same length, samples in −1..1 full scale. */
  channels: Float32Array[];
  /** 'pcm', 'float', 'mp3', 'flac', 'vorbis', 'opus'. */
  codec: string;
  /** Bits per sample of the source when it has one (PCM WAV, FLAC); null for lossy codecs. */
  bitDepth: number | null;
  /** WAV only: the frame count the header promised when the file holds fewer (see wav.ts). */
  declaredFrames: number | null;
}

export interface DecodeOptions {
  signal?: AbortSignal;
  /** Default MAX_DURATION_S; tests pass less to exercise the guard cheaply. */
  maxDurationS?: number;
}

export const AUDIO_FORMAT_LABELS: Record<AudioFormat, string> = {
  wav: 'WAV',
  mp3: 'MP3',
  flac: 'FLAC',
  'ogg-vorbis': 'OGG Vorbis',
  opus: 'Opus',
};

/** Compressed input is fed to the decoders in slices so a cancel and the duration cap are noticed as we go. */
const DECODE_SLICE_BYTES = 256 * 1024;

/** The one shape all four wasm decoders share (checked against each package's types.d.ts). */
interface DecodedChunk {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
  errors: unknown[];
}
interface StreamingDecoder {
  ready: Promise<void>;
  decode(data: Uint8Array): DecodedChunk | Promise<DecodedChunk>;
  flush?: () => Promise<DecodedChunk>;
  free(): void;
}

async function openDecoder(format: Exclude<AudioFormat, 'wav'>): Promise<StreamingDecoder> {
  switch (format) {
    case 'mp3': {
      const { MPEGDecoder } = await import('mpg123-decoder');
      return new MPEGDecoder();
    }
    case 'flac': {
      const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
      return new FLACDecoder();
    }
    case 'ogg-vorbis': {
      const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
      return new OggVorbisDecoder();
    }
    case 'opus': {
      const { OggOpusDecoder } = await import('ogg-opus-decoder');
      return new OggOpusDecoder();
    }
  }
}

function damaged(name: string, format: AudioFormat, cause: unknown): AtelierError {
  return new AtelierError(
    'CORRUPT_FILE',
    `“${name}” looks like ${AUDIO_FORMAT_LABELS[format]} audio but is damaged or incomplete, so Atelier cannot decode it. Export or download it again and import the new copy (WAV, MP3, FLAC, OGG Vorbis or Opus).`,
    { file: name, format, cause: cause instanceof Error ? cause.message : String(cause) },
  );
}

function noAudio(name: string, format: AudioFormat): AtelierError {
  return new AtelierError(
    'CORRUPT_FILE',
    `“${name}” has no audio that Atelier could decode: it is named and marked as ${AUDIO_FORMAT_LABELS[format]} but no sound came out of it. Export the recording again (WAV, MP3, FLAC, OGG Vorbis or Opus) and import it.`,
    { file: name, format },
  );
}

export function tooLongError(name: string, seconds: number, limitS: number): AtelierError {
  return new AtelierError(
    'TOO_LARGE',
    `“${name}” is longer than ${limitS / 60} minutes${Number.isFinite(seconds) ? ` (at least ${(seconds / 60).toFixed(1)} min)` : ''}; Atelier imports recordings up to ${limitS / 60} minutes, since every sample is held in memory while it is analysed. Cut it into shorter parts and import those.`,
    { file: name, durationS: seconds, limitS },
  );
}

function cancelled(name: string): AtelierError {
  return new AtelierError('CANCELLED', `Importing “${name}” was cancelled.`);
}

/** Joins decoded slices per channel into one array each. */
function concatChannels(parts: Float32Array[][], channelCount: number, total: number): Float32Array[] {
  const out = Array.from({ length: channelCount }, () => new Float32Array(total));
  let at = 0;
  for (const part of parts) {
    const length = part[0]?.length ?? 0;
    for (let c = 0; c < channelCount; c++) (out[c] as Float32Array).set(part[c] ?? new Float32Array(length), at);
    at += length;
  }
  return out;
}

async function decodeCompressed(bytes: Uint8Array, name: string, format: Exclude<AudioFormat, 'wav'>, opts: DecodeOptions): Promise<DecodedAudio> {
  const limitS = opts.maxDurationS ?? MAX_DURATION_S;
  let decoder: StreamingDecoder;
  try {
    decoder = await openDecoder(format);
    await decoder.ready;
  } catch (e) {
    throw new AtelierError('INTERNAL', `Atelier's ${AUDIO_FORMAT_LABELS[format]} decoder could not start while importing “${name}”. The details are in the log.`, {
      file: name,
      cause: e instanceof Error ? e.message : String(e),
    });
  }
  const parts: Float32Array[][] = [];
  let total = 0;
  let sampleRate = 0;
  let channelCount = 0;
  let errors = 0;
  const take = (chunk: DecodedChunk): void => {
    errors += chunk.errors.length;
    if (chunk.samplesDecoded <= 0) return;
    if (chunk.sampleRate > 0) sampleRate = chunk.sampleRate;
    channelCount = Math.max(channelCount, chunk.channelData.length);
    // Copies: the decoders reuse their wasm memory for the next slice.
    parts.push(chunk.channelData.map((ch) => ch.slice(0, chunk.samplesDecoded)));
    total += chunk.samplesDecoded;
    if (sampleRate > 0 && total / sampleRate > limitS) throw tooLongError(name, total / sampleRate, limitS);
  };
  try {
    for (let at = 0; at < bytes.length; at += DECODE_SLICE_BYTES) {
      if (opts.signal?.aborted) throw cancelled(name);
      take(await decoder.decode(bytes.subarray(at, at + DECODE_SLICE_BYTES)));
    }
    if (decoder.flush) take(await decoder.flush());
  } catch (e) {
    if (e instanceof AtelierError) throw e;
    throw damaged(name, format, e);
  } finally {
    // wasm memory is not garbage-collected with the object: free it on every path.
    decoder.free();
  }
  if (total === 0) throw errors > 0 ? damaged(name, format, `${errors} decode errors`) : noAudio(name, format);
  // Garbage behind valid-looking frame headers decodes to digital silence (with or without reported errors). A
  // compressed file of pure digital silence cannot be told apart from that, and holds nothing to learn from either.
  if (isSilent(parts)) throw errors > 0 ? damaged(name, format, `${errors} decode errors and no sound`) : noAudio(name, format);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE || channelCount < 1 || channelCount > MAX_CHANNELS) {
    throw damaged(name, format, `implausible stream: ${sampleRate} Hz, ${channelCount} channels`);
  }
  const channels = concatChannels(parts, channelCount, total);
  for (const ch of channels) {
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i] ?? 0;
      if (!Number.isFinite(v)) throw damaged(name, format, 'non-finite samples');
      if (Math.abs(v) > MAX_DECODED_PEAK) throw damaged(name, format, `decoded samples reach ${v.toFixed(1)} × full scale`);
    }
  }
  const bitDepth = format === 'flac' ? flacBitDepth(bytes) : null;
  const codec = format === 'ogg-vorbis' ? 'vorbis' : format;
  return { sampleRate, channels, codec, bitDepth, declaredFrames: null };
}

/**
 * Lossy decoders overshoot full scale a little on loud masters (inter-sample peaks, ≈ +1 to +3 dB). Random bytes
 * behind valid frame headers decode to values tens of times full scale: beyond +12 dBFS (4×) it is not audio.
 */
const MAX_DECODED_PEAK = 4;

/** Below 2^-20 full scale (−120 dBFS) nothing is audible or meaningful. */
const SILENT_LEVEL = 2 ** -20;

function isSilent(parts: readonly Float32Array[][]): boolean {
  for (const part of parts) for (const ch of part) for (const v of ch) if (Math.abs(v) > SILENT_LEVEL) return false;
  return true;
}

/** FLAC STREAMINFO (always the first metadata block, RFC 9639 §8.2): bits per sample − 1 in 5 bits at byte 20–21. */
function flacBitDepth(bytes: Uint8Array): number | null {
  if (bytes.length < 42) return null;
  const bits = ((((bytes[20] ?? 0) & 0x01) << 4) | ((bytes[21] ?? 0) >> 4)) + 1;
  return bits >= 4 && bits <= 32 ? bits : null;
}

/**
 * Decodes a whole file already sniffed as `format`. Refuses (naming the file) what is damaged, silent-by-construction
 * (0 samples), implausible or longer than the cap; wasm decoders are always freed.
 */
export async function decodeAudio(bytes: Uint8Array, name: string, format: AudioFormat, opts: DecodeOptions = {}): Promise<DecodedAudio> {
  if (format === 'wav') {
    const wav = decodeWav(bytes, name);
    const limitS = opts.maxDurationS ?? MAX_DURATION_S;
    const seconds = (wav.channels[0]?.length ?? 0) / wav.sampleRate;
    if (seconds > limitS) throw tooLongError(name, seconds, limitS);
    return { sampleRate: wav.sampleRate, channels: wav.channels, codec: wav.codec, bitDepth: wav.bitDepth, declaredFrames: wav.declaredFrames };
  }
  return decodeCompressed(bytes, name, format, opts);
}
