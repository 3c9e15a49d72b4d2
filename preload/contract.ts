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

export { ASSET_CHECKS, ASSET_KINDS, FINDING_CHECKS, FIX_KINDS, SET_CHECKS, TAG_KINDS };
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
export type JobKind = 'assets.import';

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
  /** The job's outcome once finished; for assets.import an ImportReport (also partial after a cancel). */
  result: ImportReport | null;
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
