// The creator's watermarks in the studio: the per-profile mark key, marking a draft file, and "Check a file".
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { AtelierError } from '../../engine/errors';
import { readFailure } from '../../engine/media/file-access';
import { statRegularFile } from '../../engine/media/read';
import { MAX_IMAGE_BYTES } from '../../engine/media/image';
import { sniffMedia, type AudioFormat } from '../../engine/media/sniff';
import type { CredentialsSummary } from '../../engine/watermark/c2pa';
import { createCreatorCredentials, type CreatorCredentials } from '../../engine/watermark/credentials';
import { decodePayload, encodePayload, payloadFromHex, payloadToHex, type DraftPayload } from '../../engine/watermark/payload';
import type { ContentCredentialsView, ImportSource, MarkedFile, WatermarkCheck, WatermarkKind, WatermarkPayloadView } from '../../preload/contract';
import type { WorkerPool } from '../jobs/pool';
import { checkWatermarkTask, embedWatermarkTask, type WatermarkFileInput } from '../jobs/watermark-tasks';
import type { WorkerTaskContext } from '../jobs/worker-runtime';

export { encodeWav16 } from '../jobs/watermark-tasks';

/** The mark key: 32 random bytes (256 bits, the brief's size; far beyond guessing), stored as 64 hex digits. */
export const MARK_KEY_BYTES = 32;
const KEY_SETTING = 'watermark.key';
const KEY_PATTERN = /^[0-9a-f]{64}$/;
/** Largest file marked or checked: the image importer's cap (engine/media/image MAX_IMAGE_BYTES, 512 MB). */
export const WATERMARK_MAX_BYTES = MAX_IMAGE_BYTES;
/** Model numbers are 12 bits in the payload (engine/watermark/payload MODEL_ID_BITS); 0 means "no model". */
const MODEL_MARK_MAX = 4095;
/** The profile's C2PA signing identity (engine/watermark/credentials), stored as JSON of PEM text. */
const SIGNING_SETTING = 'c2pa.credentials';

/** What the service needs to name a model: the studio's model list (ModelService.list()). */
export interface MarkableModel {
  id: string;
  displayName: string;
  createdAt: string;
}

/** The pool that runs marking and checking off the main thread (the studio's WorkerPool). */
export type WatermarkPool = Pick<WorkerPool, 'run'>;

export interface WatermarkServiceOptions {
  db: Database.Database;
  models: () => readonly MarkableModel[];
  /** The profile's name: the creator named in its signing certificate and in every export's credentials. */
  creatorName: string;
  /** Without a pool (scripts, benches) the work runs on the calling thread. */
  pool?: WatermarkPool;
  now?: () => Date;
}

interface SourceFile {
  name: string;
  bytes: Uint8Array;
}

type Sniffed = { kind: 'image'; credentials: 'png' | 'jpeg' | null } | { kind: 'audio'; format: AudioFormat };

/**
 * Marking and checking are calls, not jobs: the answer is a file or a verdict the caller is waiting for, nothing in
 * the library changes and nothing needs resuming after a restart, so a persisted job in the tray would add nothing.
 * The caller shows progress instead (the panel's indeterminate bar, the CLI's stage line). The work itself
 * (≈ 0.1 s for a picture, ≈ 1.2 s to mark a 60 s WAV) runs as a one-shot task in the worker pool, so the main
 * thread keeps serving the window meanwhile.
 */
export class WatermarkService {
  private readonly db: Database.Database;
  private readonly models: () => readonly MarkableModel[];
  private readonly creatorName: string;
  private readonly pool: WatermarkPool | undefined;
  private readonly now: () => Date;
  private signing: Promise<CreatorCredentials> | null = null;

  constructor(opts: WatermarkServiceOptions) {
    this.db = opts.db;
    this.models = opts.models;
    this.creatorName = opts.creatorName;
    this.pool = opts.pool;
    this.now = opts.now ?? (() => new Date());
  }

  /**
   * The profile's C2PA signing identity, made once (creator name = the profile name) and kept in studio_settings, in
   * the profile folder (0o700): the private key never leaves the profile. A damaged stored identity is refused, not
   * replaced, so the creator notices before exports start naming a different signer.
   */
  signingIdentity(): Promise<CreatorCredentials> {
    this.signing ??= this.loadOrCreateSigning().catch((e: unknown) => {
      this.signing = null;
      throw e;
    });
    return this.signing;
  }

  private async loadOrCreateSigning(): Promise<CreatorCredentials> {
    const stored = this.storedSigning();
    if (stored) return stored;
    const fresh = await createCreatorCredentials({ creatorName: this.creatorName, now: this.now() });
    // INSERT OR IGNORE then read back: a second studio process on the same profile cannot get here (profile lock),
    // but the read-back keeps the stored identity the only one either way.
    this.db
      .prepare('INSERT OR IGNORE INTO studio_settings (name, value, updated_at) VALUES (?, ?, ?)')
      .run(SIGNING_SETTING, JSON.stringify(fresh), this.now().toISOString());
    const kept = this.storedSigning();
    if (!kept) throw new AtelierError('INTERNAL', 'This profile’s signing identity could not be saved. Check that the profile folder is writable.');
    return kept;
  }

  /** The local CA of this profile's signing identity (the last certificate of its chain), or null if it has none or it is damaged. */
  private ownAuthority(): string | null {
    try {
      const chain = this.storedSigning()?.certificateChainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
      return chain && chain.length > 0 ? chain[chain.length - 1]! : null;
    } catch {
      return null;
    }
  }

  private storedSigning(): CreatorCredentials | null {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM studio_settings WHERE name = ?').get(SIGNING_SETTING);
    if (!row) return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.value);
    } catch {
      parsed = null;
    }
    const c = parsed as Partial<CreatorCredentials> | null;
    if (!c || typeof c.certificateChainPem !== 'string' || typeof c.privateKeyPkcs8Pem !== 'string' || c.alg !== 'es256') {
      throw new AtelierError(
        'INTERNAL',
        'This profile’s signing identity for content credentials is damaged, so exports cannot be signed. Restore the profile’s studio.db from a backup.',
      );
    }
    return { certificateChainPem: c.certificateChainPem, privateKeyPkcs8Pem: c.privateKeyPkcs8Pem, alg: 'es256' };
  }

  /** The profile's mark key (hex), made once on first use. A damaged stored key is refused, never replaced: old drafts would become unreadable. */
  key(): string {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM studio_settings WHERE name = ?').get(KEY_SETTING);
    if (row) {
      if (!KEY_PATTERN.test(row.value)) {
        throw new AtelierError(
          'INTERNAL',
          'This profile’s watermark key is damaged, so its marks cannot be made or read. Restore the profile’s studio.db from a backup.',
        );
      }
      return row.value;
    }
    const fresh = randomBytes(MARK_KEY_BYTES).toString('hex');
    // INSERT OR IGNORE then read back: if two callers race, both end up with the one key that was stored.
    this.db.prepare('INSERT OR IGNORE INTO studio_settings (name, value, updated_at) VALUES (?, ?, ?)').run(KEY_SETTING, fresh, this.now().toISOString());
    return this.key();
  }

  /** Marks a draft file: pictures → PNG (visible + invisible), audio → WAV (preview tag + inaudible mark carrying the draft id). */
  async embed(source: ImportSource, payloadHex: string, kind: 'auto' | WatermarkKind = 'auto'): Promise<MarkedFile> {
    const payloadBytes = payloadFromHex(payloadHex);
    const payload = decodePayload(payloadBytes);
    const file = await readSource(source);
    const sniffed = sniff(file, 'marked');
    if (kind !== 'auto' && kind !== sniffed.kind) {
      throw new AtelierError(
        'VALIDATION',
        `“${file.name}” is ${sniffed.kind === 'image' ? 'a picture' : 'an audio file'}, not ${kind === 'image' ? 'a picture' : 'an audio file'}. Leave the kind out to mark it as what it is.`,
      );
    }
    const key = this.key();
    const stem = path.parse(file.name).name || 'draft';
    const bytes = await this.run('watermark.embed', { file: taskFile(file, sniffed), payload: payloadBytes, key });
    const marked: MarkedFile =
      sniffed.kind === 'image'
        ? { kind: 'image', name: `${stem}-marked.png`, mime: 'image/png', bytes }
        : { kind: 'audio', name: `${stem}-marked.wav`, mime: 'audio/wav', bytes };
    this.db
      .prepare(
        `INSERT INTO watermark_drafts (draft_id, client_id, model_id, kind, marked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (draft_id) DO UPDATE SET client_id = excluded.client_id, model_id = excluded.model_id, kind = excluded.kind, marked_at = excluded.marked_at`,
      )
      .run(payload.draftId, payload.clientId, payload.modelId, marked.kind, this.now().toISOString());
    return marked;
  }

  /** "Check a file": whether it carries this profile's mark and what it names. Not finding one is an answer, not an error. */
  async check(source: ImportSource): Promise<WatermarkCheck> {
    const file = await readSource(source);
    const sniffed = sniff(file, 'checked');
    const key = this.key();
    const anchor = this.ownAuthority();
    const result = await this.run('watermark.check', { file: taskFile(file, sniffed), key, trustAnchorsPem: anchor });
    const credentials = await this.credentialsView(result.credentials, result.credentialsDamaged, anchor !== null);
    const extra = credentials ? { credentials } : {};
    if (!result.found) return { ...notFound(file.name, sniffed.kind), ...extra };
    if (sniffed.kind === 'image') {
      if (!result.payload) return { ...notFound(file.name, 'image'), ...extra };
      return { ...this.found(file.name, 'image', result.confidence, decodePayload(result.payload), payloadToHex(result.payload)), ...extra };
    }
    const draftId = result.audioDraftId ?? 0;
    const known = this.db
      .prepare<[number], { client_id: number; model_id: number }>('SELECT client_id, model_id FROM watermark_drafts WHERE draft_id = ?')
      .get(draftId);
    if (!known) return this.found(file.name, 'audio', result.confidence, { draftId }, null);
    const draft = { draftId, clientId: known.client_id, modelId: known.model_id };
    return this.found(file.name, 'audio', result.confidence, draft, payloadToHex(encodePayload(draft)));
  }

  /**
   * The credentials as the card shows them. "Signed by this studio" is a checked signature: the reader was given
   * this profile's own CA as its only trust anchor, so 'valid' means the chain ends at that CA.
   */
  private async credentialsView(summary: CredentialsSummary | null, damaged: boolean, anchored: boolean): Promise<ContentCredentialsView | null> {
    if (damaged) {
      return {
        description: 'Damaged content credentials',
        modelName: null,
        modelVersion: null,
        creatorName: null,
        trainingSetHash: null,
        signer: null,
        verdict: 'invalid',
        signedByThisStudio: false,
        problems: ['manifest.unreadable'],
        line: 'The picture carries content credentials, but they are damaged and cannot be read.',
      };
    }
    if (!summary) return null;
    const signedByThisStudio = anchored && summary.verdict === 'valid';
    const a = summary.atelier;
    const what = a ? `AI-generated with ${a.modelName} ${a.modelVersion} by ${a.creatorName}` : summary.description || 'Content credentials without a title';
    const who =
      summary.verdict === 'invalid'
        ? `— INVALID: the picture or its credentials were changed after signing (${summary.problems.join(', ') || 'unknown problem'})`
        : signedByThisStudio
          ? '— signed by this studio (not on a public trust list)'
          : `— signed by ${summary.signer.commonName ?? 'an unnamed signer'}${summary.verdict === 'untrusted' ? ' (not on a public trust list)' : ''}`;
    return {
      description: summary.description,
      modelName: a?.modelName ?? null,
      modelVersion: a?.modelVersion ?? null,
      creatorName: a?.creatorName ?? null,
      trainingSetHash: a?.trainingSetHash ?? null,
      signer: summary.signer.commonName,
      // For anyone else the signature is untrusted (a local CA); only this studio's check makes it 'valid'.
      verdict: signedByThisStudio ? 'untrusted' : summary.verdict,
      signedByThisStudio,
      problems: summary.problems,
      line: `${what} ${who}`,
    };
  }

  /** A one-shot task in the worker pool when there is one; on this thread otherwise. */
  private run<K extends 'watermark.embed' | 'watermark.check'>(task: K, input: Parameters<WatermarkTasks[K]>[0]): Promise<Awaited<ReturnType<WatermarkTasks[K]>>> {
    if (this.pool) return this.pool.run(task, input);
    const fn = WATERMARK_TASKS[task] as (input: Parameters<WatermarkTasks[K]>[0], ctx: WorkerTaskContext) => ReturnType<WatermarkTasks[K]>;
    return fn(input, { signal: new AbortController().signal, progress: () => undefined }) as Promise<Awaited<ReturnType<WatermarkTasks[K]>>>;
  }

  /** The 12-bit number marks carry for each of this profile's models (1, 2, 3… by creation; numbers are never reused). */
  modelMarks(): Map<number, MarkableModel> {
    const models = [...this.models()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const assign = this.db.transaction(() => {
      const known = new Set(this.db.prepare<[], { model_id: string }>('SELECT model_id FROM model_marks').all().map((r) => r.model_id));
      let next = (this.db.prepare<[], { top: number | null }>('SELECT MAX(mark_id) AS top FROM model_marks').get()?.top ?? 0) + 1;
      const insert = this.db.prepare('INSERT INTO model_marks (mark_id, model_id, assigned_at) VALUES (?, ?, ?)');
      for (const m of models) {
        if (known.has(m.id) || next > MODEL_MARK_MAX) continue;
        insert.run(next++, m.id, this.now().toISOString());
      }
    });
    assign();
    const byId = new Map(models.map((m) => [m.id, m]));
    const out = new Map<number, MarkableModel>();
    for (const row of this.db.prepare<[], { mark_id: number; model_id: string }>('SELECT mark_id, model_id FROM model_marks').all()) {
      const model = byId.get(row.model_id);
      if (model) out.set(row.mark_id, model);
    }
    return out;
  }

  private found(name: string, kind: WatermarkKind, confidence: number, draft: Partial<DraftPayload> & { draftId: number }, hex: string | null): WatermarkCheck {
    const payload: WatermarkPayloadView = { draftId: draft.draftId };
    if (draft.clientId !== undefined) payload.clientId = draft.clientId;
    if (draft.modelId !== undefined) payload.modelId = draft.modelId;
    const model = draft.modelId ? this.modelMarks().get(draft.modelId) : undefined;
    const parts = [`draft ${draft.draftId}`];
    if (draft.clientId !== undefined) parts.push(`client ${draft.clientId}`);
    if (model) parts.push(`your model “${model.displayName}”`);
    else if (draft.modelId) parts.push(`model number ${draft.modelId} (not one of your current models)`);
    const what = kind === 'image' ? 'picture' : 'recording';
    let message = `The ${what} “${name}” carries your mark: ${parts.join(', ')} (confidence ${formatConfidence(confidence)}).`;
    if (draft.clientId === undefined) message += ' This profile has no record of marking that draft, so its client and model are unknown.';
    return {
      name,
      kind,
      found: true,
      confidence,
      payload,
      ...(hex !== null ? { payloadHex: hex } : {}),
      ...(model ? { model: model.displayName } : {}),
      message,
    };
  }
}

const WATERMARK_TASKS = { 'watermark.embed': embedWatermarkTask, 'watermark.check': checkWatermarkTask };
type WatermarkTasks = typeof WATERMARK_TASKS;

function taskFile(file: SourceFile, sniffed: Sniffed): WatermarkFileInput {
  return sniffed.kind === 'image'
    ? { kind: 'image', name: file.name, bytes: file.bytes, credentialsFormat: sniffed.credentials }
    : { kind: 'audio', name: file.name, bytes: file.bytes, format: sniffed.format };
}


function notFound(name: string, kind: WatermarkKind): WatermarkCheck {
  const what = kind === 'image' ? 'picture' : 'recording';
  return {
    name,
    kind,
    found: false,
    confidence: 0,
    message: `No mark of yours was found in the ${what} “${name}”. It was not marked with this profile, or it was changed too much for the mark to be read.`,
  };
}

/** Above this the confidence is shown as a bound: the detectors' false-match bounds are ≤ 1e-6 by construction. */
const VERY_HIGH_PCT = 99.9999;

/**
 * "99.5%", "99.99%", "> 99.9999%": enough digits to tell a certain match from a likely one. Never "100%": a confidence
 * is 1 − a bound on a false match, tiny but not zero (it rounds to exactly 1 in floating point).
 */
export function formatConfidence(confidence: number): string {
  const pct = Math.max(0, Math.min(1, confidence)) * 100;
  if (pct > VERY_HIGH_PCT) return `> ${VERY_HIGH_PCT}%`;
  const digits = pct >= 99.99 ? 4 : pct >= 99 ? 2 : 1;
  const text = (Math.floor(pct * 10 ** digits) / 10 ** digits).toFixed(digits);
  return `${text.replace(/\.?0+$/, '')}%`;
}

async function readSource(source: ImportSource): Promise<SourceFile> {
  if (source.kind === 'bytes') {
    if (source.bytes.length === 0) throw emptyFile(source.name);
    if (source.bytes.length > WATERMARK_MAX_BYTES) throw tooLarge(source.name, source.bytes.length);
    return { name: path.basename(source.name) || source.name, bytes: source.bytes };
  }
  const resolved = path.resolve(source.path);
  const name = path.basename(resolved) || resolved;
  const stat = await statRegularFile(resolved, name);
  if (stat.size === 0) throw emptyFile(name);
  if (stat.size > WATERMARK_MAX_BYTES) throw tooLarge(name, stat.size);
  try {
    const bytes = await fs.readFile(resolved);
    return { name, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  } catch (e) {
    throw readFailure(name, e);
  }
}

function emptyFile(name: string): AtelierError {
  return new AtelierError('CORRUPT_FILE', `“${name}” is empty (0 bytes). It may not have finished downloading or copying; get the file again.`, { file: name });
}

function tooLarge(name: string, bytes: number): AtelierError {
  const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;
  return new AtelierError('TOO_LARGE', `“${name}” is ${mb(bytes)}; Atelier marks and checks files up to ${mb(WATERMARK_MAX_BYTES)}.`, {
    file: name,
    byteSize: bytes,
    limitBytes: WATERMARK_MAX_BYTES,
  });
}

const SUPPORTED = 'a picture (PNG, JPEG, WebP, AVIF, TIFF, GIF) or a recording (WAV, MP3, FLAC, OGG Vorbis, Opus)';

/** The file's real type from its bytes; anything but a picture or a recording is UNSUPPORTED_FILE naming the file. */
function sniff(file: SourceFile, verb: 'marked' | 'checked'): Sniffed {
  const format = sniffMedia(file.bytes, file.name);
  switch (format.kind) {
    case 'image':
      return { kind: 'image', credentials: format.format === 'png' || format.format === 'jpeg' ? format.format : null };
    case 'audio':
      return { kind: 'audio', format: format.format };
    case 'svg':
      throw new AtelierError(
        'UNSUPPORTED_FILE',
        `“${file.name}” is an SVG drawing; marks live in pixels, so it cannot be ${verb}. Export it as PNG first, or choose ${SUPPORTED}.`,
        { file: file.name },
      );
    case 'text':
      throw new AtelierError(
        'UNSUPPORTED_FILE',
        `“${file.name}” is a text file; text drafts are protected by hiding part of the text, so there is no mark to ${verb === 'checked' ? 'check' : 'add'}. Choose ${SUPPORTED}.`,
        { file: file.name },
      );
    default:
      throw new AtelierError('UNSUPPORTED_FILE', `“${file.name}” cannot be ${verb}: it is not ${SUPPORTED}.`, {
        file: file.name,
        ...(format.label ? { detected: format.label } : {}),
      });
  }
}
