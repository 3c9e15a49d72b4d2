// THE API between the renderer and the studio: every channel `domain:verb` with its input schema and
// output type, every event, and the one function that builds the typed client from a transport.
import { z } from 'zod';
import type { ErrorCode, ErrorInfo, Result } from '../engine/errors';

export type { ErrorCode, ErrorInfo, Result };

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

export type AssetKind = 'image' | 'audio' | 'text';
export const ASSET_SOURCES = ['upload', 'portfolio', 'work-sample'] as const;
export type AssetSource = (typeof ASSET_SOURCES)[number];

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
  source: AssetSource;
  importedAt: string;
}

export interface AssetPage {
  total: number;
  items: AssetSummary[];
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
  z.strictObject({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal('bytes'),
    name: z.string().min(1).max(1024),
    bytes: z.instanceof(Uint8Array),
  }),
]);
export type ImportSource = z.infer<typeof importSourceSchema>;

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
    }),
    output: returns<JobSummary>(),
  },
  'assets:list': {
    input: z.strictObject({
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(10_000).default(500),
    }),
    output: returns<AssetPage>(),
  },
  'assets:thumbnail': { input: z.strictObject({ assetId: id }), output: returns<Thumbnail>() },

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
  'assets:changed': returns<{ added: number }>(),
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
