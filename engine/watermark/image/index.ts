// Image watermarks for the studio and the Market: mark a draft (visible, then invisible) and check a file for this creator's mark.
import sharp from 'sharp';
import { AtelierError, isAtelierError } from '../../errors';
import { workingImageFromRaw, type WorkingImage } from '../../image/pixels';
import { decodePayload, type DraftPayload } from '../payload';
import { detectImageMark, embedImageMark, type ImageMarkDetection } from './invisible';
import { applyVisibleMark } from './visible';

export { detectImageMark, embedImageMark, SYNC_Z_THRESHOLD, type ImageMarkDetection } from './invisible';
export { applyVisibleMark, visibleMarkMask, type VisibleMarkOptions } from './visible';

/** Largest picture the convenience functions decode (64 MP, as a 8000 × 8000 scan). */
const MAX_INPUT_PIXELS = 64_000_000;

export interface DraftMarkOptions {
  /** 8 payload bytes (encodePayload). */
  payload: Uint8Array;
  /** The creator's secret mark key. */
  key: string;
  /** Draft seed for the visible layout. */
  seed: number;
  /** Visible text, e.g. "DRAFT · 1042". */
  text: string;
}

/** A draft as a client sees it: the visible mark first, then the invisible payload over it (so the visible mark carries it too). */
export function markDraftImage(image: WorkingImage, opts: DraftMarkOptions): WorkingImage {
  return embedImageMark(applyVisibleMark(image, { seed: opts.seed, text: opts.text }), opts.payload, opts.key);
}

async function decodeFile(bytes: Uint8Array, name: string): Promise<WorkingImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().raw().toBuffer({ resolveWithObject: true });
    return workingImageFromRaw(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), info.width, info.height, info.channels);
  } catch (e) {
    if (isAtelierError(e)) throw e;
    throw new AtelierError('CORRUPT_FILE', `${name} could not be read as a picture. Check that it is a PNG, JPEG or WebP file and try again.`, {
      cause: e instanceof Error ? e.message : String(e),
    });
  }
}

/** Marks an encoded picture (any format sharp reads) and returns a PNG. */
export async function markDraftFile(bytes: Uint8Array, opts: DraftMarkOptions, name = 'The picture'): Promise<Uint8Array> {
  const marked = markDraftImage(await decodeFile(bytes, name), opts);
  const png = await sharp(Buffer.from(marked.rgb.buffer, marked.rgb.byteOffset, marked.rgb.byteLength), {
    raw: { width: marked.width, height: marked.height, channels: 3 },
  })
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

export interface DraftMarkCheck extends ImageMarkDetection {
  /** The draft, client and model the mark names, when found. */
  draft?: DraftPayload;
}

/** "Check a file": does this picture carry one of this creator's marks, and which draft and client does it name? */
export async function checkDraftFile(bytes: Uint8Array, key: string, name = 'The picture'): Promise<DraftMarkCheck> {
  const detection = detectImageMark(await decodeFile(bytes, name), key);
  return detection.found && detection.payload ? { ...detection, draft: decodePayload(detection.payload) } : detection;
}
