// The model bundle on disk: manifest.json plus content-hashed blobs, written atomically and verified on read.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { AtelierError, isAtelierError } from '../errors';
import type { AssetKind, AssetTag, CropRect } from '../report';

/**
 * Bumped when the manifest's shape changes in a way an older reader cannot follow. 2: blobs may be stored
 * compressed (BlobEntry.encoding) — a version-1 reader would take deflated bytes for damage, so it is told to update.
 */
export const BUNDLE_FORMAT_VERSION = 2;
export const BUNDLE_FORMAT = 'atelier-model-bundle';
export const MANIFEST_FILE = 'manifest.json';
/** Blob names are plain file names: no folders, no dots first, so a hostile manifest cannot reach outside. */
const BLOB_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
/** A manifest is a few hundred KB at most (histograms, descriptors, tag index); more means it is not ours. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
/**
 * Largest blob a bundle may declare: an 8192² RGB exemplar is 192 MiB, beyond anything the engines make
 * (2048 px is the largest output). The declared size bounds inflation, so a hostile entry cannot ask for more.
 */
export const MAX_BLOB_BYTES = 256 * 1024 * 1024;
/** How blobs can be stored; absent (bundles of format 1) means raw. */
export const BLOB_ENCODINGS = ['deflate'] as const;
export type BlobEncoding = (typeof BLOB_ENCODINGS)[number];
/**
 * zlib level for stored blobs, chosen on the image bench's 30 × 1024² training (156 MB of pyramids and segment
 * labels): level 1 → 23.2 MB in 0.8 s, level 3 → 21.3 MB in 0.9 s, level 6 → 18.8 MB in 2.1 s (brotli q1
 * 20.2 MB but slower to read, PNG via sharp 22.6 MB at 2.1 s). Level 3 buys most of the saving for little time.
 */
export const BLOB_DEFLATE_LEVEL = 3;
/** A blob is stored raw unless deflate saves at least this share (noise-like data does not compress). */
const MIN_SAVING = 0.05;

const deflateAsync = promisify(zlib.deflate);
const inflateAsync = promisify(zlib.inflate);

/** One training asset as it was when the bundle was trained. */
export interface BundleAsset {
  sha256: string;
  name: string;
  crop: CropRect | null;
  tags: AssetTag[];
}

export interface BlobEntry {
  name: string;
  /** Over the raw bytes (what readers get back), whatever the encoding on disk. */
  sha256: string;
  /** Raw size in bytes. */
  size: number;
  /** How the file on disk is encoded; absent = the raw bytes. */
  encoding?: BlobEncoding;
  /** Size of the file on disk when encoded (checked before inflating). */
  storedSize?: number;
}

export interface WriteBundleOptions {
  sign?: BundleSigner;
  /** 'deflate' (default): every blob deflate saves space on is stored compressed; 'none': all raw. */
  encoding?: BlobEncoding | 'none';
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  modality: AssetKind;
  /** Which engine reads the blobs, with its own version (e.g. "image-patch/1"). */
  engine: string;
  /** ISO 8601. */
  created: string;
  assets: BundleAsset[];
  /** Training metrics, shown with the model version. */
  metrics: Record<string, unknown>;
  blobs: BlobEntry[];
  /** The engine's own small data (statistics, indexes) — JSON, no pixels. */
  data: Record<string, unknown>;
  /**
   * Publisher's signature over the manifest without this field. The Market issue fills it (signBundle hook);
   * until then it is null and readers do not require it.
   */
  signature: string | null;
}

export interface Bundle {
  manifest: Omit<BundleManifest, 'blobs' | 'signature' | 'format' | 'formatVersion'>;
  blobs: Map<string, Uint8Array>;
}

export interface LoadedBundle {
  manifest: BundleManifest;
  blobs: Map<string, Uint8Array>;
}

/** The hook the Market issue plugs signing into: returns a signature over the canonical manifest bytes. */
export type BundleSigner = (manifestBytes: Uint8Array) => Promise<string> | string;
/** The matching check on read: throws (or returns false) when the signature does not hold. */
export type BundleVerifier = (manifestBytes: Uint8Array, signature: string | null) => Promise<boolean> | boolean;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function checkBlobName(name: string): void {
  if (!BLOB_NAME.test(name) || name === MANIFEST_FILE) {
    throw new AtelierError('VALIDATION', `"${name}" cannot be a model file name: use lower-case letters, digits, dots, dashes and underscores.`);
  }
}

/** The bytes a signature covers: the manifest with signature null, as written. */
function canonicalBytes(manifest: BundleManifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ ...manifest, signature: null }, null, 2));
}

async function writeSynced(file: string, bytes: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the renamed files are already synced.
  } finally {
    await handle.close();
  }
}

/**
 * Writes the bundle into `dir`: everything goes to `dir.tmp` first (each file fsynced), then one rename makes
 * it appear whole — a crash or cancel leaves no half bundle under `dir`. Refuses to overwrite an existing dir.
 */
export async function writeBundle(dir: string, bundle: Bundle, opts: WriteBundleOptions = {}): Promise<BundleManifest> {
  const tmp = `${dir}.tmp`;
  const exists = await fs.stat(dir).then(
    () => true,
    () => false,
  );
  if (exists) throw new AtelierError('CONFLICT', `A model version already exists at ${dir}; it is never overwritten.`);
  await fs.rm(tmp, { recursive: true, force: true });
  await fs.mkdir(tmp, { recursive: true });
  try {
    const entries = [...bundle.blobs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, bytes] of entries) {
      checkBlobName(name);
      if (bytes.byteLength > MAX_BLOB_BYTES) {
        throw new AtelierError('VALIDATION', `The model file ${name} is ${bytes.byteLength} bytes, over the ${MAX_BLOB_BYTES}-byte limit of a model file.`);
      }
    }
    // zlib's async API deflates on libuv's thread pool, so every core works and the event loop stays free.
    const stored = await Promise.all(entries.map(([, bytes]) => encodeBlob(bytes, opts.encoding ?? 'deflate')));
    const blobs: BlobEntry[] = [];
    for (const [i, [name, bytes]] of entries.entries()) {
      const encoded = stored[i]!;
      await writeSynced(path.join(tmp, name), encoded.bytes);
      blobs.push({
        name,
        sha256: sha256Hex(bytes),
        size: bytes.byteLength,
        ...(encoded.encoding === null ? {} : { encoding: encoded.encoding, storedSize: encoded.bytes.byteLength }),
      });
    }
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      ...bundle.manifest,
      blobs,
      signature: null,
    };
    if (opts.sign) manifest.signature = await opts.sign(canonicalBytes(manifest));
    await writeSynced(path.join(tmp, MANIFEST_FILE), new TextEncoder().encode(JSON.stringify(manifest, null, 2)));
    await syncDir(tmp);
    await fs.rename(tmp, dir);
    await syncDir(path.dirname(dir));
    return manifest;
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    if (isAtelierError(e)) throw e;
    throw new AtelierError('INTERNAL', `The model could not be saved to ${dir}. Check that the disk has space and try again.`, {
      cause: e instanceof Error ? e.message : String(e),
    });
  }
}

/** The bytes to put on disk: deflated when that saves space, else the raw bytes. */
async function encodeBlob(bytes: Uint8Array, encoding: BlobEncoding | 'none'): Promise<{ bytes: Uint8Array; encoding: BlobEncoding | null }> {
  if (encoding === 'none' || bytes.byteLength === 0) return { bytes, encoding: null };
  const deflated = await deflateAsync(bytes, { level: BLOB_DEFLATE_LEVEL });
  if (deflated.byteLength > bytes.byteLength * (1 - MIN_SAVING)) return { bytes, encoding: null };
  return { bytes: new Uint8Array(deflated.buffer, deflated.byteOffset, deflated.byteLength), encoding: 'deflate' };
}

function corrupt(dir: string, what: string, details?: unknown): AtelierError {
  return new AtelierError('CORRUPT_FILE', `The model at ${dir} is damaged (${what}). Train it again or restore it from a backup.`, details);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseManifest(dir: string, text: string): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw corrupt(dir, 'manifest.json is not valid JSON');
  }
  if (!isRecord(raw) || raw.format !== BUNDLE_FORMAT) throw corrupt(dir, 'manifest.json is not an Atelier model manifest');
  if (typeof raw.formatVersion !== 'number' || raw.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw new AtelierError(
      'UNSUPPORTED_FILE',
      `The model at ${dir} was made by a newer Atelier (format ${String(raw.formatVersion)}); update Atelier to use it.`,
    );
  }
  if (!Array.isArray(raw.blobs) || !Array.isArray(raw.assets) || !isRecord(raw.data) || !isRecord(raw.metrics)) {
    throw corrupt(dir, 'manifest.json is missing its file list, assets or data');
  }
  if (typeof raw.modality !== 'string' || typeof raw.engine !== 'string' || typeof raw.created !== 'string') {
    throw corrupt(dir, 'manifest.json does not say which engine made it');
  }
  for (const b of raw.blobs as unknown[]) {
    if (!isRecord(b) || typeof b.name !== 'string' || typeof b.sha256 !== 'string' || typeof b.size !== 'number' || !BLOB_NAME.test(b.name)) {
      throw corrupt(dir, 'manifest.json lists a file it cannot name safely');
    }
    if (!Number.isSafeInteger(b.size) || b.size < 0 || b.size > MAX_BLOB_BYTES) {
      throw corrupt(dir, `manifest.json gives the file ${b.name} an impossible size`, { blob: b.name });
    }
    if (b.encoding === undefined) continue;
    if (typeof b.encoding !== 'string' || !(BLOB_ENCODINGS as readonly string[]).includes(b.encoding)) {
      throw corrupt(dir, `the file ${b.name} is stored in an encoding Atelier does not know (${String(b.encoding)})`, { blob: b.name });
    }
    if (typeof b.storedSize !== 'number' || !Number.isSafeInteger(b.storedSize) || b.storedSize < 0 || b.storedSize > MAX_BLOB_BYTES) {
      throw corrupt(dir, `manifest.json does not say how large the stored file ${b.name} is`, { blob: b.name });
    }
  }
  return raw as unknown as BundleManifest;
}

/** Reads and verifies a bundle: every blob listed must be there with its exact size and SHA-256. */
export async function readBundle(dir: string, opts: { verify?: BundleVerifier } = {}): Promise<LoadedBundle> {
  let text: string;
  try {
    const stat = await fs.stat(path.join(dir, MANIFEST_FILE));
    if (stat.size > MAX_MANIFEST_BYTES) throw corrupt(dir, 'manifest.json is far too large');
    text = await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8');
  } catch (e) {
    if (isAtelierError(e)) throw e;
    throw new AtelierError('NOT_FOUND', `No model was found at ${dir} (manifest.json is missing).`);
  }
  const manifest = parseManifest(dir, text);
  if (opts.verify && !(await opts.verify(canonicalBytes(manifest), manifest.signature))) {
    throw corrupt(dir, 'its signature does not match its contents');
  }
  // Files are read and inflated concurrently (inflation runs on libuv's thread pool); checksums are over raw bytes.
  const loaded = await Promise.all(manifest.blobs.map((entry) => readBlob(dir, entry)));
  const blobs = new Map<string, Uint8Array>();
  manifest.blobs.forEach((entry, i) => blobs.set(entry.name, loaded[i]!));
  return { manifest, blobs };
}

/** One blob's raw bytes: read, size-checked, inflated within its declared size, checksummed. */
async function readBlob(dir: string, entry: BlobEntry): Promise<Uint8Array> {
  let stored: Buffer;
  try {
    stored = await fs.readFile(path.join(dir, entry.name));
  } catch {
    throw corrupt(dir, `the file ${entry.name} is missing`, { blob: entry.name });
  }
  let bytes: Uint8Array = stored;
  if (entry.encoding === 'deflate') {
    if (stored.byteLength !== entry.storedSize) throw corrupt(dir, `the file ${entry.name} is not the size it was saved at`, { blob: entry.name });
    try {
      // The declared raw size caps the output: a crafted stream that inflates past it is stopped, not buffered.
      bytes = await inflateAsync(stored, { maxOutputLength: Math.max(1, entry.size) });
    } catch {
      throw corrupt(dir, `the file ${entry.name} cannot be decompressed`, { blob: entry.name });
    }
  }
  if (bytes.byteLength !== entry.size || sha256Hex(bytes) !== entry.sha256) {
    throw corrupt(dir, `the file ${entry.name} does not match its checksum`, { blob: entry.name });
  }
  // Readers own what they get: a plain Uint8Array over its own memory, never a slice of Node's shared buffer pool.
  const own = bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.byteLength;
  return own ? new Uint8Array(bytes.buffer, 0, bytes.byteLength) : new Uint8Array(bytes);
}
