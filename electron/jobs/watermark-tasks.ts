// Worker-side watermark tasks: mark a draft file, and check a file for a mark and for C2PA content credentials.
import { AtelierError } from '../../engine/errors';
import { decodeAudio } from '../../engine/media/audio/decode';
import type { AudioFormat } from '../../engine/media/sniff';
import { applyAudioPreviewTag } from '../../engine/watermark/audio/preview-tag';
import { audioPayloadForDraft, detectAudioMark, draftIdFromAudioPayload, embedAudioMark } from '../../engine/watermark/audio/mark';
import { readCredentials, type CredentialsImageFormat, type CredentialsSummary } from '../../engine/watermark/c2pa';
import { checkDraftFile, markDraftFile } from '../../engine/watermark/image/index';
import { decodePayload } from '../../engine/watermark/payload';
import type { WorkerTaskContext } from './worker-runtime';

/** WAV output: 16-bit PCM, what every player reads; its quantisation (−96 dBFS) is far below the mark (36 dB under the clip). */
const WAV_BITS = 16;

/** The file to work on, already sniffed by the service (which names it in refusals). */
export type WatermarkFileInput =
  | { kind: 'image'; name: string; bytes: Uint8Array; credentialsFormat: CredentialsImageFormat | null }
  | { kind: 'audio'; name: string; bytes: Uint8Array; format: AudioFormat };

export interface WatermarkEmbedInput {
  file: WatermarkFileInput;
  /** 8 payload bytes (engine/watermark/payload encodePayload). */
  payload: Uint8Array;
  key: string;
}

export interface WatermarkCheckInput {
  file: WatermarkFileInput;
  key: string;
  /** This profile's local CA (PEM): credentials it signed then validate as 'valid'; others stay untrusted. */
  trustAnchorsPem: string | null;
}

/** What the worker found; the service adds the names from this profile's records. */
export interface WatermarkCheckOutput {
  found: boolean;
  confidence: number;
  /** Pictures: the 8 payload bytes; audio: the draft id only (the audio mark carries nothing else). */
  payload: Uint8Array | null;
  audioDraftId: number | null;
  /** Set when the picture carries C2PA credentials; `damaged` when a manifest is there but cannot be parsed. */
  credentials: CredentialsSummary | null;
  credentialsDamaged: boolean;
}

/** Marks a draft: pictures → PNG (visible + invisible), audio → WAV (preview tag + inaudible mark carrying the draft id). */
export async function embedWatermarkTask(input: WatermarkEmbedInput, ctx: WorkerTaskContext): Promise<Uint8Array> {
  const payload = decodePayload(input.payload);
  const { file } = input;
  ctx.progress(0.1, `Marking ${file.name}`);
  if (file.kind === 'image') {
    return markDraftFile(file.bytes, { payload: input.payload, key: input.key, seed: payload.draftId, text: `DRAFT · ${payload.draftId}` }, `“${file.name}”`);
  }
  const audio = await decodeAudio(file.bytes, file.name, file.format);
  cancelled(ctx);
  const tagged = applyAudioPreviewTag(audio.channels, audio.sampleRate, { seed: payload.draftId });
  const withMark = embedAudioMark(tagged, audio.sampleRate, audioPayloadForDraft(payload.draftId), input.key);
  return encodeWav16(withMark, audio.sampleRate);
}

/** Looks for this key's mark and, in PNG/JPEG pictures, for C2PA content credentials. */
export async function checkWatermarkTask(input: WatermarkCheckInput, ctx: WorkerTaskContext): Promise<WatermarkCheckOutput> {
  const { file } = input;
  ctx.progress(0.1, `Checking ${file.name}`);
  if (file.kind === 'audio') {
    const audio = await decodeAudio(file.bytes, file.name, file.format);
    cancelled(ctx);
    const result = detectAudioMark(audio.channels, audio.sampleRate, input.key);
    const found = result.found && result.payload !== undefined;
    return {
      found,
      confidence: found ? result.confidence : 0,
      payload: null,
      audioDraftId: found && result.payload ? draftIdFromAudioPayload(result.payload) : null,
      credentials: null,
      credentialsDamaged: false,
    };
  }
  const mark = await checkDraftFile(file.bytes, input.key, `“${file.name}”`);
  cancelled(ctx);
  let credentials: CredentialsSummary | null = null;
  let credentialsDamaged = false;
  if (file.credentialsFormat !== null) {
    try {
      credentials = await readCredentials(file.bytes, `“${file.name}”`, input.trustAnchorsPem ? { trustAnchorsPem: input.trustAnchorsPem } : {});
    } catch (e) {
      // A manifest that cannot be parsed is a finding about the file, not a failure of the check.
      if (!(e instanceof AtelierError) || e.code !== 'CORRUPT_FILE') throw e;
      credentialsDamaged = true;
    }
  }
  const found = mark.found && mark.payload !== undefined && mark.draft !== undefined;
  return { found, confidence: found ? mark.confidence : 0, payload: found ? (mark.payload ?? null) : null, audioDraftId: null, credentials, credentialsDamaged };
}

function cancelled(ctx: WorkerTaskContext): void {
  if (ctx.signal.aborted) throw new AtelierError('CANCELLED', 'The watermark check was cancelled.');
}

/** A 16-bit PCM WAV (RIFF, little-endian), samples clamped to full scale and rounded. */
export function encodeWav16(channels: readonly Float32Array[], sampleRate: number): Uint8Array {
  const count = channels.length;
  const frames = channels[0]?.length ?? 0;
  const blockAlign = count * (WAV_BITS / 8);
  const dataBytes = frames * blockAlign;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) out[at + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, count, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, WAV_BITS, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  let at = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < count; c++) {
      const v = channels[c]![i]!;
      const clamped = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
      view.setInt16(at, Math.round(clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff), true);
      at += 2;
    }
  }
  return out;
}
