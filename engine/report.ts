// The shapes of what the engines measure — quality reports, findings, tags, crops, trims, waveforms — shared by
// the studio, the Market and the renderer. They live in engine/ because engine/ may import nothing above it;
// preload/contract.ts re-exports them as part of THE API.

export const ASSET_KINDS = ['image', 'audio', 'text'] as const;
export type AssetKind = (typeof ASSET_KINDS)[number];

/** Tag families (PRODUCT.md creator item 4): style and content type on every asset; voice over adds details. */
export const TAG_KINDS = ['style', 'content', 'detail', 'free'] as const;
export type TagKind = (typeof TAG_KINDS)[number];
export interface AssetTag {
  kind: TagKind;
  /** Lower-case, trimmed, 1..48 characters. */
  value: string;
}

/** A square crop in the original image's pixels (training crops to square). */
export interface CropRect {
  x: number;
  y: number;
  size: number;
}

/** The span of an audio asset used for training, in milliseconds from the start. */
export interface TrimRange {
  startMs: number;
  endMs: number;
}

export type Severity = 'info' | 'warning' | 'error';

/** The checks that land on single assets, by kind (style outliers are judged within a set but shown per asset). */
export const ASSET_CHECKS = {
  image: ['resolution', 'blur', 'near-duplicate', 'overlay', 'colour', 'non-square', 'style-outlier'],
  audio: ['duration', 'sample-rate', 'channels', 'clipping', 'loudness', 'true-peak', 'noise', 'voice-presence', 'multiple-voices', 'silence'],
  text: ['length'],
} as const;

/** Checks of a set as a whole. */
export const SET_CHECKS = ['set-size', 'colour-mix', 'jingle-mix', 'genre-consistency'] as const;

/** Every check a quality report may carry; the ids are stable (CLI JSON, filters). */
export const FINDING_CHECKS = [...ASSET_CHECKS.image, ...ASSET_CHECKS.audio, ...ASSET_CHECKS.text, ...SET_CHECKS] as const;
export type FindingCheck = (typeof FINDING_CHECKS)[number];

export const FIX_KINDS = ['apply-suggested-crops', 'drop-duplicates', 'trim-silence'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** One check's outcome: the number, the rule it was held against, and why it matters — never a silent drop. */
export interface Finding {
  check: FindingCheck;
  severity: Severity;
  /** The measured number (e.g. 812 for an 812 px short side). */
  metric: number;
  /** Unit of `metric`: 'px', 'bits', 's', 'Hz', 'dB', 'dBTP', 'LUFS', '%', 'z', 'count', 'words', ''. */
  unit: string;
  /** The rule in words, e.g. "≥ 1024 px recommended, ≥ 256 px required". */
  threshold: string;
  /** Plain language for the creator: what it means and what to do. */
  reason: string;
  /** The one-click fix that addresses it, if there is one. */
  fix?: FixKind;
  /** Other assets involved (the near-duplicate's twin, …). */
  relatedAssetIds?: string[];
}

export interface ImageMetrics {
  width: number;
  height: number;
  /** Variance of the Laplacian on the working image (engine/image/thresholds.ts WORKING_SIZE, 256 px long side); higher = sharper. */
  sharpness: number;
  /** 64-bit perceptual hash (DCT), 16 hex digits. */
  phash: string;
  /** 0..1 likelihood of a text or watermark overlay. */
  overlayScore: number;
  /** Hasler–Süsstrunk colourfulness on 0..~150; below the threshold the image counts as monochrome. */
  colourfulness: number;
  monochrome: boolean;
  /** Up to 6 dominant colours as #rrggbb, most frequent first. */
  palette: string[];
  /** The suggested square crop (sharp's attention strategy), null when already square. */
  suggestedCrop: CropRect | null;
}

export interface AudioMetrics {
  durationMs: number;
  sampleRate: number;
  channels: number;
  /** Bits per sample of the source when known (PCM WAV/FLAC), else null. */
  bitDepth: number | null;
  codec: string;
  /** Fraction of samples at or above full scale (0..1). */
  clippingRatio: number;
  /** ITU-R BS.1770 / EBU R128 integrated loudness. */
  integratedLufs: number;
  /** 4× oversampled true peak. */
  truePeakDbtp: number;
  noiseFloorDbfs: number;
  snrDb: number;
  /** Fraction of frames judged speech-like and music-like (0..1). */
  voiceRatio: number;
  musicRatio: number;
  /** Estimated number of distinct voices (1 when unsure), with what the estimate is based on. */
  voiceCount: number;
  voiceCountBasis: string;
  leadingSilenceMs: number;
  trailingSilenceMs: number;
  /** Estimated tempo in BPM for music, else null. */
  tempoBpm: number | null;
}

export interface TextMetrics {
  format: 'txt' | 'markdown';
  characters: number;
  words: number;
  lines: number;
}

export interface QualityReport {
  kind: AssetKind;
  findings: Finding[];
  image?: ImageMetrics;
  audio?: AudioMetrics;
  text?: TextMetrics;
  /** Tags the analysis suggests ("monochrome", "line art", palette names, "speech", "music", "120 bpm"…). */
  suggestedTags: AssetTag[];
}

export interface Waveform {
  durationMs: number;
  sampleRate: number;
  /** Peaks for wavesurfer.js: per channel, interleaved min/max pairs normalised to -1..1. */
  peaks: number[][];
}
