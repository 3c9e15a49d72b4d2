// THE API between the renderer and the studio: every channel `domain:verb` with its input schema and
// output type, every event, and the one function that builds the typed client from a transport.
import { z } from 'zod';
import type { ErrorCode, ErrorInfo, Result } from '../engine/errors';

export type { ErrorCode, ErrorInfo, Result };
import {
  ASSET_CHECKS,
  ASSET_KINDS,
  FINDING_CHECKS,
  FIX_KINDS,
  SET_CHECKS,
  TAG_KINDS,
  type AssetKind,
  type AssetTag,
  type AudioMetrics,
  type CropRect,
  type Finding,
  type FindingCheck,
  type FixKind,
  type ImageMetrics,
  type QualityReport,
  type Severity,
  type TagKind,
  type TextMetrics,
  type TrimRange,
  type Waveform,
} from '../engine/report';

import type {
  Licence,
  Modality,
  PlainTextProblem,
  PricingScheme,
  PublishBlocker,
  Quote,
  SubcategoryStatus,
  SubscriptionState,
  TrainingQuota,
} from '../engine/rules';

export { ASSET_CHECKS, ASSET_KINDS, FINDING_CHECKS, FIX_KINDS, SET_CHECKS, TAG_KINDS };
export type { Licence, Modality, PlainTextProblem, PricingScheme, PublishBlocker, Quote, SubcategoryStatus, SubscriptionState, TrainingQuota };
/** Dollar amounts as the creator types and reads them (pure functions of engine/rules, shared with the renderer). */
export { formatUsd, parseUsd } from '../engine/rules/pricing';
export type {
  AssetKind,
  AssetTag,
  AudioMetrics,
  CropRect,
  Finding,
  FindingCheck,
  FixKind,
  ImageMetrics,
  QualityReport,
  Severity,
  TagKind,
  TextMetrics,
  TrimRange,
  Waveform,
};

// ---------------------------------------------------------------------------------------------------
// Domain shapes (what the screen shows; rows live in the main process)

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** 'electron' in the desktop app, 'host' when served by the loopback host (dev:web, browser tests). */
  transport: 'electron' | 'host';
  dataDir: string;
}

export interface ProfileSummary {
  id: string;
  name: string;
  createdAt: string;
  lastUnlockedAt: string | null;
}

export const ASSET_SOURCES = ['upload', 'portfolio', 'work-sample'] as const;
export type AssetSource = (typeof ASSET_SOURCES)[number];

/** The worst severity among an asset's findings ('ok' when none is a warning or error). */
export type AssetHealth = 'ok' | 'info' | 'warning' | 'error';

export interface AssetSummary {
  id: string;
  sha256: string;
  kind: AssetKind;
  /** The file name the creator imported it under (display only; storage is content-addressed). */
  originalName: string;
  mime: string;
  byteSize: number;
  width: number | null;
  height: number | null;
  durationMs: number | null;
  source: AssetSource;
  /** When a work sample was delivered to its client (ISO), for "All = the last 100 work samples". */
  deliveredAt: string | null;
  importedAt: string;
  tags: AssetTag[];
  health: AssetHealth;
  /** Checks with a warning or error on this asset (for filters and badges). */
  problems: FindingCheck[];
  crop: CropRect | null;
  trim: TrimRange | null;
  archived: boolean;
}

export interface AssetDetail extends AssetSummary {
  report: QualityReport;
}

export interface AssetPage {
  total: number;
  items: AssetSummary[];
}

export interface TagCount extends AssetTag {
  count: number;
}


export interface TextContent {
  format: 'txt' | 'markdown';
  text: string;
}

export type AssetSelection =
  | { assetIds: string[] }
  /** PRODUCT.md creator item 2: "All" means the last 100 work samples (by delivery date) of a kind. */
  | { mode: 'all-work-samples'; kind: AssetKind }
  /** Every asset of a kind in the library that is not archived. */
  | { mode: 'library'; kind: AssetKind };

export const SUBCATEGORIES = ['tattoo', 'illustration', 'childrens_book', 'voice_over', 'jingles'] as const;
export type Subcategory = (typeof SUBCATEGORIES)[number];

export interface SetFix {
  fix: FixKind;
  assetIds: string[];
  /** Button text, e.g. "Apply 4 suggested crops". */
  label: string;
}

/** The health of a set of assets as a whole (what a model would learn from). */
export interface SetHealthReport {
  assetIds: string[];
  count: number;
  kind: AssetKind | 'mixed';
  /** Set-level findings: size against 10–50, colour/mono mix, jingles' voice+music, genre consistency, duplicates. */
  findings: Finding[];
  /** Set-relative findings per asset (near-duplicates within the set, style outliers with their z-score). */
  perAsset: Record<string, Finding[]>;
  fixes: SetFix[];
}

export interface EditState {
  canUndo: boolean;
  canRedo: boolean;
  /** What undo/redo would do, for menus and tooltips ("Undo: tag 12 assets"). */
  undoLabel: string | null;
  redoLabel: string | null;
}

export type ImportFileResult =
  | { name: string; ok: true; duplicate: boolean; asset: AssetSummary }
  | { name: string; ok: false; error: { code: ErrorCode; message: string } };

export interface ImportReport {
  results: ImportFileResult[];
  imported: number;
  duplicates: number;
  failed: number;
}

export const JOB_STATES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type JobState = (typeof JOB_STATES)[number];
export const JOB_KINDS = ['assets.import', 'model.train', 'model.generate'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export interface JobSummary {
  id: string;
  kind: JobKind;
  /** Shown in the jobs tray, e.g. "Import 12 images". */
  title: string;
  state: JobState;
  /** 0..1 */
  progress: number;
  /** What the job is doing now, for the creator ("Thumbnail 3 of 12: sketch.png"). */
  stage: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { code: ErrorCode; message: string } | null;
  /**
   * The job's outcome once finished: assets.import → ImportReport (also partial after a cancel); model.train →
   * TrainingJobResult; model.generate → GenerationJobResult (the outputs finished before a cancel are kept).
   */
  result: ImportReport | TrainingJobResult | GenerationJobResult | null;
}


// ---------------------------------------------------------------------------------------------------
// Models, training, versions, playground, pricing, subscription, publishing (issue 5)

/** Every subcategory of PRODUCT.md's table, "later" ones included (shown as coming, not selectable). */
export const ALL_SUBCATEGORIES = [...SUBCATEGORIES, 'graphics_design', 'music_audio', 'writing_translation'] as const;
export type SubcategoryId = (typeof ALL_SUBCATEGORIES)[number];

export interface SubcategoryInfo {
  id: SubcategoryId;
  /** "Tattoo", "Voice over"… */
  label: string;
  modality: Modality;
  status: SubcategoryStatus;
  /** Licence add-ons the creator may price: commercial for all, broadcast for voice over. */
  licences: Licence[];
  /** The pricing unit of the modality: design, second, word. */
  unit: { id: 'design' | 'second' | 'word'; singular: string; plural: string };
  /** Whether the built-in engines can train it today (image: yes; audio: when the audio engines land). */
  trainable: boolean;
}

/** Which assets a model learns from: explicit picks, or "All" = the last 100 work samples of its modality. */
export type ModelAssetSelection = { mode: 'explicit'; assetIds: string[] } | { mode: 'all-recent' };

/** The training quota as the UI shows it ("1 of 2 trainings left, resets on 3 December"). */
export interface TrainingQuotaView extends TrainingQuota {
  line: string;
}

export interface ModelSummary {
  id: string;
  /** Null until training first starts (then "Tattoo model 2"); the UI shows `displayName`. */
  name: string | null;
  displayName: string;
  subcategory: SubcategoryId;
  modality: Modality;
  selection: ModelAssetSelection;
  /** How many assets the selection resolves to now. */
  assetCount: number;
  /** The assets changed since the active version was trained (selection, crop, trim or tags). */
  stale: boolean;
  /** Why, for the creator: "3 assets added", "crop of rose.png changed"… */
  staleReasons: string[];
  activeVersion: number | null;
  versionCount: number;
  /** The run in progress, if any. */
  training: { runId: string; jobId: string } | null;
  quota: TrainingQuotaView;
  pricing: PricingScheme | null;
  /** Published (active on the Market once the Market issue lands); at most 3 at once. */
  active: boolean;
  /** Playground generations of the active version (publishing needs ≥ 1). */
  playgroundGenerations: number;
  /** Text models only: the creator's instructions on what makes their writing theirs. */
  instructions: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One asset as a version saw it at training time. */
export interface VersionAsset {
  assetId: string | null;
  sha256: string;
  name: string;
  crop: CropRect | null;
  trim: TrimRange | null;
  tags: AssetTag[];
}

export interface ModelVersion {
  modelId: string;
  /** 1, 2, 3… per model, never reused. */
  number: number;
  createdAt: string;
  durationMs: number;
  assets: VersionAsset[];
  parameters: Record<string, unknown>;
  /** The engine's training metrics (image: consistency, outliers, tag coverage). */
  metrics: Record<string, unknown>;
  active: boolean;
  bundleBytes: number;
}

export const TRAINING_RUN_STATES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export type TrainingRunState = (typeof TRAINING_RUN_STATES)[number];

export interface TrainingRun {
  id: string;
  modelId: string;
  jobId: string;
  state: TrainingRunState;
  startedAt: string;
  finishedAt: string | null;
  /** The version it produced (succeeded runs only). */
  version: number | null;
  error: { code: ErrorCode; message: string } | null;
  /** The job's log lines ("Reading rose.png", "Learning the palette"…). */
  log: string[];
}

export interface ModelDetail extends ModelSummary {
  versions: ModelVersion[];
  runs: TrainingRun[];
}

export const GENERATION_MODES = ['prompt', 'reference', 'variation'] as const;
export type GenerationMode = (typeof GENERATION_MODES)[number];

export interface ProvenanceShare {
  assetId: string | null;
  sha256: string;
  name: string;
  /** 0..1 of the output drawn from this training asset. */
  share: number;
  /** The overlay colour of this asset, "#rrggbb". */
  colour: string;
}

export interface Generation {
  id: string;
  modelId: string;
  version: number;
  mode: GenerationMode;
  prompt: string | null;
  /** The reference picture's file name (reference mode) and the varied asset (variation mode). */
  referenceName: string | null;
  variationAssetId: string | null;
  seed: number;
  width: number;
  height: number;
  /** Audio models: the length asked for, in seconds. */
  lengthS: number | null;
  mime: string;
  createdAt: string;
  durationMs: number;
  favourite: boolean;
  /** 1..5 stars, null when not rated. */
  rating: number | null;
  /** The model tags the prompt matched (for search and filters). */
  tags: string[];
  provenance: ProvenanceShare[];
}

export interface GenerationPage {
  total: number;
  items: Generation[];
}

/** The provenance map as an overlay: a coloured PNG at the output's size and a small index map for hover lookup. */
export interface ProvenanceOverlay {
  overlay: Thumbnail;
  /** Index into `assets` per cell of a `gridWidth` × `gridHeight` grid over the picture. */
  grid: Uint8Array;
  gridWidth: number;
  gridHeight: number;
  assets: ProvenanceShare[];
}

export interface TrainingJobResult {
  modelId: string;
  runId: string;
  version: number;
}

export interface GenerationJobResult {
  modelId: string;
  generationIds: string[];
}

/** A low-resolution picture of a generation in progress, streamed as the coarse levels finish. */
export interface JobPreview {
  jobId: string;
  /** Which of `count` outputs of the job (0-based). */
  index: number;
  level: number;
  levels: number;
  image: Thumbnail;
}

export interface SubscriptionView {
  /** As stored. */
  state: SubscriptionState;
  /** At this moment (a cancelled subscription past its end reads as ended). */
  effective: SubscriptionState;
  /** For Settings: "Active since 3 November 2026 (set from the command line)", "Cancelled — active until…". */
  line: string;
  canTrain: boolean;
  canGenerate: boolean;
  canPublish: boolean;
  /** The billing month now, when subscribed: the training quota resets on `nextReset`. */
  nextReset: string | null;
}

export interface PublishCheck {
  modelId: string;
  ready: boolean;
  blockers: PublishBlocker[];
}

// ---------------------------------------------------------------------------------------------------
// Watermarks (issue 6): marking a draft file and "Check a file"

export const WATERMARK_KINDS = ['image', 'audio'] as const;
export type WatermarkKind = (typeof WATERMARK_KINDS)[number];

/** A marked draft: PNG (visible + invisible mark) for pictures, WAV (preview tag + inaudible mark) for audio. */
export interface MarkedFile {
  kind: WatermarkKind;
  /** A suggested file name, e.g. "rose-marked.png". */
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** What a mark names. Audio marks carry the draft id only; client and model come from this studio's own record of the draft. */
export interface WatermarkPayloadView {
  draftId: number;
  clientId?: number;
  /** The 12-bit model number the mark carries (see WatermarkCheck.model for the model's name). */
  modelId?: number;
}

export interface WatermarkCheck {
  /** The file's name as given. */
  name: string;
  kind: WatermarkKind;
  /** Whether the file carries a mark made with this profile's key. */
  found: boolean;
  /** 0..1: 1 − the bound on the chance an unmarked file reads like this; 0 when nothing was found. */
  confidence: number;
  payload?: WatermarkPayloadView;
  /** The 16 hex digits of the payload when the whole payload is known (pictures; audio drafts this studio marked). */
  payloadHex?: string;
  /** The display name of the creator's model the mark names, when its number is one of theirs. */
  model?: string;
  /** One sentence for the creator saying what was found. */
  message: string;
  /** The C2PA content credentials the picture carries (PNG/JPEG only); absent when it has none. */
  credentials?: ContentCredentialsView;
}

/** How a C2PA validator judges a manifest: 'untrusted' = intact and correctly signed by an identity no public trust list knows. */
export type CredentialsVerdict = 'valid' | 'untrusted' | 'invalid';

/** The content credentials of a picture, as "Check a file" shows them. */
export interface ContentCredentialsView {
  /** "AI-generated with <model> by <creator>", or the manifest's title for files not exported by Atelier. */
  description: string;
  /** Set when the file was exported by Atelier (its model assertion). */
  modelName: string | null;
  modelVersion: string | null;
  creatorName: string | null;
  /** sha256 (hex) over the sorted asset hashes of the version's training set. */
  trainingSetHash: string | null;
  /** The signing certificate's common name. */
  signer: string | null;
  verdict: CredentialsVerdict;
  /** The signer is this profile's own signing identity (same certificate names as this profile's). */
  signedByThisStudio: boolean;
  /** C2PA failure codes, e.g. "assertion.dataHash.mismatch" for an edited picture. */
  problems: string[];
  /** One line for the creator: "AI-generated with Ilse flash v2 by Ilse — signed by this studio (not on a public trust list)". */
  line: string;
}

/** A clean export of a playground output: no mark, with C2PA content credentials. */
export interface ExportedFile {
  /** A suggested file name, e.g. "ilse-flash-v2-seed7.png". */
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export const EXPORT_FORMATS = ['png', 'jpeg'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The import report of an assets.import job (null for other kinds or before it ends). */
export function importReportOf(job: Pick<JobSummary, 'kind' | 'result'>): ImportReport | null {
  return job.kind === 'assets.import' ? (job.result as ImportReport | null) : null;
}

export interface Thumbnail {
  mime: string;
  bytes: Uint8Array;
}

// ---------------------------------------------------------------------------------------------------
// Input schemas

const empty = z.strictObject({});
const id = z.string().min(1).max(128);

export const PROFILE_NAME_MAX = 64;
export const PASSWORD_MAX = 1024;
/** One import call may carry this many files; larger batches are split by the caller. */
export const IMPORT_BATCH_MAX = 10_000;

const profileName = z
  .string()
  .trim()
  .min(1, 'Give the profile a name.')
  .max(PROFILE_NAME_MAX, `Profile names are at most ${PROFILE_NAME_MAX} characters.`)
  // Control characters would make names ambiguous in lists and terminals.
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Profile names cannot contain control characters.');

const password = z
  .string()
  .min(1, 'Enter a password.')
  .max(PASSWORD_MAX, `Passwords are at most ${PASSWORD_MAX} characters.`);

export const importSourceSchema = z.discriminatedUnion('kind', [
  // A file or a folder (folders are walked recursively; hidden files are skipped).
  z.strictObject({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal('bytes'),
    /** Display name; may carry a relative folder path from a dropped folder ("flash/rose.png"). */
    name: z.string().min(1).max(1024),
    bytes: z.instanceof(Uint8Array),
  }),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

export const TAG_VALUE_MAX = 48;
export const tagSchema = z.strictObject({
  kind: z.enum(TAG_KINDS),
  value: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, 'A tag needs at least one character.')
    .max(TAG_VALUE_MAX, `Tags are at most ${TAG_VALUE_MAX} characters.`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Tags cannot contain control characters.'),
});

const assetIds = z.array(id).min(1, 'Choose at least one asset.').max(10_000);

export const assetQuerySchema = z.strictObject({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(10_000).default(500),
  kind: z.enum(ASSET_KINDS).optional(),
  source: z.enum(ASSET_SOURCES).optional(),
  /** Only assets carrying this tag value (any kind of tag). */
  tag: z.string().trim().toLowerCase().min(1).max(TAG_VALUE_MAX).optional(),
  /** Only assets with this problem, or with any warning/error ('any'). */
  problem: z.union([z.enum(FINDING_CHECKS), z.literal('any')]).optional(),
  /** Case-insensitive match on the file name or a tag. */
  search: z.string().trim().max(200).optional(),
  archived: z.boolean().default(false),
});
export type AssetQuery = z.input<typeof assetQuerySchema>;

const cropSchema = z.strictObject({
  x: z.number().int().min(0),
  y: z.number().int().min(0),
  size: z.number().int().min(1),
});
const trimSchema = z
  .strictObject({ startMs: z.number().int().min(0), endMs: z.number().int().min(1) })
  .refine((t) => t.endMs > t.startMs, 'The trim must end after it starts.');

export const assetSelectionSchema = z.union([
  z.strictObject({ assetIds }),
  z.strictObject({ mode: z.literal('all-work-samples'), kind: z.enum(ASSET_KINDS) }),
  z.strictObject({ mode: z.literal('library'), kind: z.enum(ASSET_KINDS) }),
]);


export const MODEL_NAME_MAX = 64;
export const INSTRUCTIONS_MAX = 4000;
/** Issue 4: outputs 512–2048 px, 1024 by default. */
export const GENERATION_SIZE = { min: 512, max: 2048, default: 1024 } as const;
/** Outputs per playground request. */
export const GENERATION_COUNT_MAX = 8;
/** Audio models: the length asked for, seconds (jingle spots run to 60 s; voice-over takes to 5 min). */
export const GENERATION_LENGTH_S = { min: 1, max: 300 } as const;

const modelName = z
  .string()
  .trim()
  .min(1, 'Give the model a name.')
  .max(MODEL_NAME_MAX, `Model names are at most ${MODEL_NAME_MAX} characters.`)
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'Model names cannot contain control characters.');

const modelId = z.strictObject({ modelId: id });
const versionNumber = z.number().int().min(1);

const priceStepSchema = z.strictObject({ quantity: z.number().positive(), priceCents: z.number().int() });
/** Shape only: amounts, caps and per-modality rules are checked by engine/rules validatePricing with messages per field. */
export const pricingSchema = z.discriminatedUnion('scheme', [
  z.strictObject({
    scheme: z.literal('per-unit'),
    unitPriceCents: z.number().int(),
    licences: z.strictObject({ commercialCents: z.number().int().optional(), broadcastCents: z.number().int().optional() }).default({}),
    editsIncluded: z.literal(1).default(1),
  }),
  z.strictObject({
    scheme: z.literal('base-increment'),
    base: priceStepSchema,
    increment: priceStepSchema,
    licences: z.strictObject({ commercialCents: z.number().int().optional(), broadcastCents: z.number().int().optional() }).default({}),
    editsIncluded: z.literal(1).default(1),
  }),
]);

const licenceSchema = z.enum(['personal', 'commercial', 'broadcast']);

export const subscriptionStateSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('none') }),
  z.strictObject({ status: z.literal('active'), since: z.iso.datetime({ offset: true }), source: z.enum(['cli', 'market']) }),
  z.strictObject({
    status: z.literal('cancelled'),
    since: z.iso.datetime({ offset: true }),
    until: z.iso.datetime({ offset: true }),
    source: z.enum(['cli', 'market']),
  }),
  z.strictObject({
    status: z.literal('ended'),
    since: z.iso.datetime({ offset: true }),
    endedAt: z.iso.datetime({ offset: true }),
    source: z.enum(['cli', 'market']),
  }),
]);

export const generateRequestSchema = z
  .strictObject({
    modelId: id,
    /** Default: the active version. */
    version: versionNumber.optional(),
    /** Plain text only (PRODUCT client item 2 rules); checked with the reasons listed. */
    prompt: z.string().max(2000).optional(),
    /** Reference-guided mode (image models): a picture from the library, or a file/bytes dropped in. */
    referenceAssetId: id.optional(),
    reference: importSourceSchema.optional(),
    /** Variation mode: an asset of the model's set. */
    variationAssetId: id.optional(),
    /** Default: a random seed, stored with each output; output k of a request uses seed + k. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    count: z.number().int().min(1).max(GENERATION_COUNT_MAX).default(1),
    size: z.number().int().min(GENERATION_SIZE.min).max(GENERATION_SIZE.max).default(GENERATION_SIZE.default),
    lengthS: z.number().min(GENERATION_LENGTH_S.min).max(GENERATION_LENGTH_S.max).optional(),
  })
  .refine(
    (r) => [r.prompt?.trim() ? 1 : 0, r.referenceAssetId || r.reference ? 1 : 0, r.variationAssetId ? 1 : 0].reduce((a, b) => a + b, 0) >= 1,
    'Write a prompt, drop a reference picture or pick an asset to vary.',
  );
export type GenerateRequest = z.input<typeof generateRequestSchema>;

export const generationQuerySchema = z.strictObject({
  modelId: id,
  version: versionNumber.optional(),
  /** Matches the prompt or a matched tag (case-insensitive). */
  search: z.string().trim().max(200).optional(),
  favourite: z.boolean().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});

/** A phantom marker carrying a channel's output type; it holds no value at run time. */
function returns<T>(): T {
  return undefined as T;
}

export const channels = {
  'app:info': { input: empty, output: returns<AppInfo>() },

  'profiles:list': { input: empty, output: returns<ProfileSummary[]>() },
  'profiles:create': { input: z.strictObject({ name: profileName, password }), output: returns<ProfileSummary>() },
  'profiles:unlock': { input: z.strictObject({ profileId: id, password }), output: returns<ProfileSummary>() },
  'profiles:lock': { input: empty, output: returns<null>() },
  'profiles:current': { input: empty, output: returns<ProfileSummary | null>() },

  'assets:import': {
    input: z.strictObject({
      sources: z.array(importSourceSchema).min(1, 'Choose at least one file.').max(IMPORT_BATCH_MAX),
      source: z.enum(ASSET_SOURCES).default('upload'),
      /** For work samples: when the work was delivered (ISO 8601). */
      deliveredAt: z.iso.datetime({ offset: true }).optional(),
    }),
    output: returns<JobSummary>(),
  },
  'assets:list': { input: assetQuerySchema, output: returns<AssetPage>() },
  'assets:get': { input: z.strictObject({ assetId: id }), output: returns<AssetDetail>() },
  /** A small square-ish thumbnail (WebP, long side 256 px). */
  'assets:thumbnail': { input: z.strictObject({ assetId: id }), output: returns<Thumbnail>() },
  /** A 1024 px preview (WebP) for the asset panel and the crop editor. */
  'assets:preview': { input: z.strictObject({ assetId: id }), output: returns<Thumbnail>() },
  /** The original bytes of an audio asset, for playback. */
  'assets:media': { input: z.strictObject({ assetId: id }), output: returns<Thumbnail>() },
  'assets:waveform': { input: z.strictObject({ assetId: id }), output: returns<Waveform>() },
  /** A spectrogram image (PNG) of an audio asset. */
  'assets:spectrogram': { input: z.strictObject({ assetId: id }), output: returns<Thumbnail>() },
  'assets:text': { input: z.strictObject({ assetId: id }), output: returns<TextContent>() },
  'assets:tags': { input: empty, output: returns<TagCount[]>() },
  /** Adds and removes tags on many assets at once (one undo step). */
  'assets:tag': {
    input: z.strictObject({ assetIds, add: z.array(tagSchema).max(100).default([]), remove: z.array(tagSchema).max(100).default([]) }),
    output: returns<{ changed: number }>(),
  },
  'assets:crop': { input: z.strictObject({ assetId: id, crop: cropSchema.nullable() }), output: returns<AssetSummary>() },
  'assets:trim': { input: z.strictObject({ assetId: id, trim: trimSchema.nullable() }), output: returns<AssetSummary>() },
  /** Archiving hides assets from the library and from every set (undoable); originals are kept. */
  'assets:archive': { input: z.strictObject({ assetIds, archived: z.boolean() }), output: returns<{ changed: number }>() },
  /** PRODUCT.md creator item 2: resolves a selection ("All" = the last 100 work samples) to asset ids. */
  'assets:selection': { input: z.strictObject({ selection: assetSelectionSchema }), output: returns<{ assetIds: string[] }>() },
  'assets:health': {
    input: z.strictObject({ selection: assetSelectionSchema, subcategory: z.enum(SUBCATEGORIES).optional() }),
    output: returns<SetHealthReport>(),
  },
  /** Applies a one-click fix to the given assets (one undo step). */
  'assets:fix': { input: z.strictObject({ fix: z.enum(FIX_KINDS), assetIds }), output: returns<{ changed: number }>() },

  'edits:state': { input: empty, output: returns<EditState>() },
  'edits:undo': { input: empty, output: returns<EditState>() },
  'edits:redo': { input: empty, output: returns<EditState>() },

  'catalog:subcategories': { input: empty, output: returns<SubcategoryInfo[]>() },

  'models:list': { input: empty, output: returns<ModelSummary[]>() },
  'models:get': { input: modelId, output: returns<ModelDetail>() },
  /** A "later" subcategory is refused (VALIDATION) naming the available ones. */
  'models:create': { input: z.strictObject({ subcategory: z.enum(ALL_SUBCATEGORIES) }), output: returns<ModelSummary>() },
  'models:rename': { input: z.strictObject({ modelId: id, name: modelName }), output: returns<ModelSummary>() },
  /** Replace the selection, or add/remove explicit picks; marks the model stale when it has a version. */
  'models:assets': {
    input: z.strictObject({
      modelId: id,
      selection: z.union([z.strictObject({ mode: z.literal('explicit'), assetIds: z.array(id).max(10_000) }), z.strictObject({ mode: z.literal('all-recent') })]).optional(),
      add: z.array(id).max(10_000).default([]),
      remove: z.array(id).max(10_000).default([]),
    }),
    output: returns<ModelSummary>(),
  },
  'models:instructions': { input: z.strictObject({ modelId: id, instructions: z.string().max(INSTRUCTIONS_MAX) }), output: returns<ModelSummary>() },
  /** Publish (active) or withdraw; publishing needs every publishing:check condition, a 4th active model is ACTIVE_LIMIT. */
  'models:activate': { input: z.strictObject({ modelId: id, active: z.boolean() }), output: returns<ModelSummary>() },
  /** Deletes the model, its versions and its playground outputs (refused while it trains or while published). */
  'models:delete': { input: modelId, output: returns<null>() },

  /** Checks quota + subscription, snapshots the assets, starts a model.train job (QUOTA_EXCEEDED, SUBSCRIPTION_REQUIRED…). */
  'training:start': { input: modelId, output: returns<{ run: TrainingRun; job: JobSummary }>() },
  'training:quota': { input: modelId, output: returns<TrainingQuotaView>() },

  'versions:list': { input: modelId, output: returns<ModelVersion[]>() },
  /** Makes version N the active one (roll back or forward). */
  'versions:activate': { input: z.strictObject({ modelId: id, version: versionNumber }), output: returns<ModelSummary>() },
  /** Deletes an old version and its bundle; the active version cannot be deleted (CONFLICT). */
  'versions:delete': { input: z.strictObject({ modelId: id, version: versionNumber }), output: returns<ModelSummary>() },

  /** Starts a model.generate job; outputs appear in the gallery as they finish; previews stream as 'jobs:preview'. */
  'playground:generate': { input: generateRequestSchema, output: returns<JobSummary>() },
  'playground:list': { input: generationQuerySchema, output: returns<GenerationPage>() },
  'playground:get': { input: z.strictObject({ generationId: id }), output: returns<Generation>() },
  /** The output at full size (PNG for images; WAV for audio). */
  'playground:output': { input: z.strictObject({ generationId: id }), output: returns<Thumbnail>() },
  'playground:thumbnail': { input: z.strictObject({ generationId: id }), output: returns<Thumbnail>() },
  /** The reference picture of a reference-guided output (for the before/after slider), at the output's size. */
  'playground:reference': { input: z.strictObject({ generationId: id }), output: returns<Thumbnail>() },
  'playground:provenance': { input: z.strictObject({ generationId: id }), output: returns<ProvenanceOverlay>() },
  'playground:update': {
    input: z.strictObject({ generationId: id, favourite: z.boolean().optional(), rating: z.number().int().min(1).max(5).nullable().optional() }),
    output: returns<Generation>(),
  },
  'playground:delete': { input: z.strictObject({ generationId: id }), output: returns<null>() },
  /**
   * A clean export of the creator's own output: no mark, with signed C2PA content credentials ("AI-generated with <model>
   * by <creator>", the model version, the training-set hash). Allowed after a subscription ends (PRODUCT: generated
   * assets stay the creator's). Audio outputs are VALIDATION until the audio engine exists.
   */
  'playground:export': {
    input: z.strictObject({ generationId: id, format: z.enum(EXPORT_FORMATS).default('png') }),
    output: returns<ExportedFile>(),
  },

  'pricing:get': { input: modelId, output: returns<PricingScheme | null>() },
  /** Validated by engine/rules (VALIDATION lists every problem with its field in details.problems). */
  'pricing:set': { input: z.strictObject({ modelId: id, pricing: pricingSchema }), output: returns<ModelSummary>() },
  /** A live quote: with `pricing` it quotes that draft (the form as typed), otherwise the saved pricing. */
  'pricing:quote': {
    input: z.strictObject({
      modelId: id,
      pricing: pricingSchema.optional(),
      /** "45s", "1m30s", "300 words", "2" … or a number in the modality's unit. */
      quantity: z.union([z.string().trim().min(1).max(32), z.number().positive()]),
      licence: licenceSchema.default('personal'),
    }),
    output: returns<Quote>(),
  },

  'subscription:get': { input: empty, output: returns<SubscriptionView>() },
  /** Until the Market is the source of truth, the CLI sets the state (`atelier subscription set …`). */
  'subscription:set': { input: z.strictObject({ state: subscriptionStateSchema }), output: returns<SubscriptionView>() },

  /** Every unmet publishing condition (subscription, trained and not stale, ≥ 1 playground output, pricing, active limit). */
  'publishing:check': { input: modelId, output: returns<PublishCheck>() },

  /**
   * Marks a draft file with this profile's key: a picture → PNG with the visible and invisible marks; audio → WAV with
   * the preview tag and the inaudible mark (which carries the draft id). `payload`: 16 hex digits (draft 32 bits,
   * client 20, model 12; engine/watermark/payload). Unsupported files are UNSUPPORTED_FILE naming them.
   */
  'watermark:embed': {
    input: z.strictObject({
      source: importSourceSchema,
      payload: z.string().regex(/^[0-9a-fA-F]{16}$/, 'A watermark payload is exactly 16 hex digits (0-9, a-f), e.g. 00000001000a1003.'),
      kind: z.enum(['auto', ...WATERMARK_KINDS]).default('auto'),
    }),
    output: returns<MarkedFile>(),
  },
  /** "Check a file": does this picture or recording carry one of this creator's marks, and what does it name? */
  'watermark:check': { input: z.strictObject({ source: importSourceSchema }), output: returns<WatermarkCheck>() },

  'jobs:list': { input: empty, output: returns<JobSummary[]>() },
  'jobs:get': { input: z.strictObject({ jobId: id }), output: returns<JobSummary>() },
  'jobs:cancel': { input: z.strictObject({ jobId: id }), output: returns<JobSummary>() },
  'jobs:retry': { input: z.strictObject({ jobId: id }), output: returns<JobSummary>() },
} as const;

export type Channel = keyof typeof channels;
/** What a caller passes (defaults may be omitted). */
export type ChannelInput<C extends Channel> = z.input<(typeof channels)[C]['input']>;
/** What a handler receives after validation (defaults filled in). */
export type ChannelParsed<C extends Channel> = z.output<(typeof channels)[C]['input']>;
export type ChannelOutput<C extends Channel> = (typeof channels)[C]['output'];

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

// ---------------------------------------------------------------------------------------------------
// Events (main → renderer)

export const events = {
  /** A job changed state or made progress (progress updates at most 10 per second per job). */
  'jobs:updated': returns<JobSummary>(),
  /** The asset library of the unlocked profile changed. */
  'assets:changed': returns<{ added: number; updated: string[] }>(),
  /** The undo/redo history changed. */
  'edits:changed': returns<EditState>(),
  /** A model, its versions, training runs or pricing changed (null: the list changed). */
  'models:changed': returns<{ modelId: string | null }>(),
  /** Playground outputs of a model were added, changed or deleted. */
  'playground:changed': returns<{ modelId: string; generationIds: string[] }>(),
  /** A generation job finished a coarse level: a low-resolution picture to show while it works. */
  'jobs:preview': returns<JobPreview>(),
  /** The subscription state changed. */
  'subscription:changed': returns<SubscriptionView>(),
  /** A profile was unlocked or locked. */
  'session:changed': returns<{ profile: ProfileSummary | null }>(),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = (typeof events)[E];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

// ---------------------------------------------------------------------------------------------------
// Handlers (main side) and the client (renderer side), both derived from the tables above

export type Handlers = {
  [C in Channel]: (input: ChannelParsed<C>) => Promise<ChannelOutput<C>> | ChannelOutput<C>;
};

export type Invoke = <C extends Channel>(channel: C, input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
export type Subscribe = <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => () => void;

type DomainOf<C extends string> = C extends `${infer D}:${string}` ? D : never;
export type Domain = DomainOf<Channel>;

/** `api.profiles.create({...})` for channel 'profiles:create', and so on for every channel. */
export type AtelierApi = {
  [D in Domain]: {
    [C in Channel as C extends `${D}:${infer V}` ? V : never]: (
      ...args: Record<string, never> extends ChannelInput<C> ? [input?: ChannelInput<C>] : [input: ChannelInput<C>]
    ) => Promise<Result<ChannelOutput<C>>>;
  };
} & {
  on: Subscribe;
};

/** What the preload script exposes as `window.atelier` in the desktop app. */
export type AtelierBridge = AtelierApi & {
  /** The file-system path of a File the creator dropped or chose (Electron only). */
  pathForFile(file: File): string;
};

/** Builds the typed client over any transport; the preload script and the loopback host client both use it. */
export function buildApi(invoke: Invoke, subscribe: Subscribe): AtelierApi {
  const api: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
  for (const channel of Object.keys(channels) as Channel[]) {
    const [domain, verb] = channel.split(':') as [string, string];
    const group = (api[domain] ??= {});
    group[verb] = (input?: unknown) => invoke(channel, (input ?? {}) as never);
  }
  return Object.assign(api, { on: subscribe }) as unknown as AtelierApi;
}
