// The `atelier` command line read into one typed invocation (pure: no files, no studio), and its usage text.
import { parseArgs } from 'node:util';
import { isAtelierError } from '../../engine/errors';
import { parseUsd } from '../../engine/rules';
import {
  ALL_SUBCATEGORIES,
  ASSET_KINDS,
  ASSET_SOURCES,
  FINDING_CHECKS,
  FIX_KINDS,
  SUBCATEGORIES,
  TAG_KINDS,
  tagSchema,
  GENERATION_COUNT_MAX,
  GENERATION_LENGTH_S,
  GENERATION_SIZE,
  type AssetKind,
  type AssetSelection,
  type AssetSource,
  type AssetTag,
  type CropRect,
  type FindingCheck,
  type FixKind,
  type Subcategory,
  type SubcategoryId,
  type TrimRange,
  WATERMARK_KINDS,
  type WatermarkKind,
} from '../../preload/contract';

/** The filters of `assets list` (the contract's AssetQuery without paging). */
export interface AssetListFilters {
  kind?: AssetKind;
  source?: AssetSource;
  tag?: string;
  problem?: FindingCheck | 'any';
  search?: string;
  archived: boolean;
}

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'profile-create'; name: string }
  | { kind: 'profile-list' }
  | { kind: 'assets-import'; paths: string[]; source: AssetSource; deliveredAt: string | null }
  | { kind: 'assets-list'; filters: AssetListFilters; limit: number | null; offset: number }
  | { kind: 'assets-show'; assetId: string }
  | { kind: 'assets-tag'; assetIds: string[]; add: AssetTag[]; remove: AssetTag[] }
  | { kind: 'assets-crop'; assetId: string; crop: CropRect | null }
  | { kind: 'assets-trim'; assetId: string; trim: TrimRange | null }
  | { kind: 'assets-health'; selection: AssetSelection; subcategory: Subcategory | null }
  | { kind: 'assets-fix'; fix: FixKind; assetIds: string[] }
  | { kind: 'assets-archive'; assetIds: string[]; archived: boolean }
  // Issue 5: models, training, versions, playground, pricing, subscription, publishing. MODEL and ASSET are
  // as typed (an id or a name); the studio resolves them.
  | { kind: 'models-create'; subcategory: SubcategoryId }
  | { kind: 'models-list' }
  | { kind: 'models-show'; model: string }
  | { kind: 'models-rename'; model: string; name: string }
  | { kind: 'models-assets'; model: string; add: string[]; remove: string[]; allRecent: boolean }
  | { kind: 'models-activate'; model: string; active: boolean }
  | { kind: 'models-delete'; model: string }
  | { kind: 'train'; model: string }
  | { kind: 'versions-list'; model: string }
  | { kind: 'versions-activate'; model: string; version: number }
  | { kind: 'versions-delete'; model: string; version: number }
  /** credentials: write outputs with C2PA content credentials (default; --no-credentials writes the bare output). */
  | { kind: 'generate'; model: string; request: GenerateOptions; out: string; force: boolean; credentials: boolean }
  | { kind: 'playground-list'; model: string; version: number | null; search: string | null; limit: number | null }
  | { kind: 'pricing-show'; model: string }
  | { kind: 'pricing-set'; model: string; pricing: PricingDraft }
  | { kind: 'pricing-quote'; model: string; quantity: string; licence: Licence }
  | { kind: 'subscription-show' }
  | { kind: 'subscription-set'; state: SubscriptionChange }
  | { kind: 'publish-check'; model: string }
  // Issue 6: watermarks. FILE and --out as typed; the caller resolves them against the current directory.
  | { kind: 'watermark-embed'; file: string; payload: string; out: string; force: boolean; as: 'auto' | WatermarkKind }
  | { kind: 'watermark-detect'; file: string }
  /** A clean export of one playground output with content credentials; the format follows --out's extension. */
  | { kind: 'export'; generation: string; out: string; force: boolean; format: 'png' | 'jpeg' };

/** `generate` options; the reference is a file path as typed, the variation an asset id or name as typed. */
export interface GenerateOptions {
  prompt: string | null;
  reference: string | null;
  variation: string | null;
  seed: number | null;
  size: number | null;
  count: number;
  lengthS: number | null;
}

/** A quantity as typed ("30s", "100w", "1": read in the model's unit once the model is known) at a price. */
export interface PriceStepDraft {
  quantity: string;
  priceCents: number;
}

/** `pricing set` before the model is known: amounts are cents already, quantities still text. */
export type PricingDraft = (
  | { scheme: 'per-unit'; unitPriceCents: number }
  | { scheme: 'base-increment'; base: PriceStepDraft; increment: PriceStepDraft }
) & { licences: { commercialCents?: number; broadcastCents?: number } };

export const LICENCES = ['personal', 'commercial', 'broadcast'] as const;
export type Licence = (typeof LICENCES)[number];
export const PRICING_SCHEMES = ['per-unit', 'base-increment'] as const;

/** `subscription set`: `cancelled` keeps the current subscription's start, so only the end is given. */
export type SubscriptionChange = { status: 'none' } | { status: 'active'; since: string } | { status: 'cancelled'; until: string };

export type CliCommandKind = CliCommand['kind'];

export interface CliInvocation {
  command: CliCommand;
  /** As typed; resolved against the current directory by the caller. */
  dataDir: string | null;
  profile: string | null;
  json: boolean;
  passwordStdin: boolean;
}

export type ParsedArgs = { ok: true; invocation: CliInvocation } | { ok: false; json: boolean; message: string };

export const USAGE = `Usage: atelier [options] <command>

Commands:
  profile create NAME                 Create a password-protected profile.
  profile list                        List the profiles on this computer.
  assets import PATH...               Import files and folders (folders are walked; hidden files skipped):
                                      images (JPEG, PNG, WebP, AVIF, TIFF, GIF, SVG), audio (WAV, MP3,
                                      FLAC, OGG Vorbis/Opus), text (TXT, Markdown). Prints each quality report.
      --source KIND                   upload (default), portfolio or work-sample.
      --delivered-at DATE             For work samples: when the work was delivered (2024-05-01 or ISO 8601).
  assets list                         List assets, newest first. Filters:
      --kind image|audio|text  --source KIND  --tag VALUE  --problem CHECK|any  --search TEXT
      --archived (archived ones instead)  --limit N  --offset N
  assets show ID                      An asset with its quality report: every finding with its number.
  assets tag ID... --add KIND:VALUE --remove KIND:VALUE
                                      Add/remove tags on many assets (repeat --add/--remove). KIND is
                                      style, content, detail or free; a plain VALUE is a free tag.
  assets crop ID X Y SIZE             Set the square training crop (original pixels); --clear removes it.
  assets trim ID START_MS END_MS      Set the training span of a recording; --clear removes it.
  assets health ID...                 The health of a set as a whole, with one-click fixes. Instead of IDs:
      --all-work-samples KIND         the last 100 work samples of a kind ("All"), or
      --library KIND                  every asset of a kind that is not archived.
      --subcategory SUB               tattoo, illustration, childrens_book, voice_over or jingles.
  assets fix FIX ID...                Apply a fix: apply-suggested-crops, drop-duplicates, trim-silence.
  assets archive ID...                Hide assets from the library and every set (originals are kept).
  assets restore ID...                Bring archived assets back.
  models create --subcategory SUB     Create a model: tattoo, illustration, childrens_book, voice_over or
                                      jingles. It is named ("Tattoo model 2") when it first trains.
  models list                         Every model with its version, staleness, quota and publishing state.
  models show MODEL                   A model with its versions, training runs, quota and pricing.
  models rename MODEL NAME            Rename a model. MODEL is its id or its name (any case).
  models assets MODEL --add ASSET...  Add assets to what the model learns from (ASSET: an id or a unique file
      --remove ASSET...               name); remove some; or learn from --all-recent (the last 100 work
      --all-recent                    samples of its kind).
  models publish MODEL                Publish (at most 3 at once); models withdraw MODEL takes it back.
  models delete MODEL                 Delete a model, its versions and its playground outputs.
  train MODEL                         Train a new version; waits, showing progress. Ctrl+C cancels it.
  versions list MODEL                 The versions of a model, the active one marked.
  versions activate MODEL N           Make version N the active one (roll back or forward).
  versions delete MODEL N             Delete an old version (not the active one).
  generate MODEL --out DIR            Generate with the active version into DIR, as
                                      <model>-v<N>-seed<S>.png plus a .json with its provenance.
      --prompt TEXT  --reference FILE  --variation ASSET   (at least one)
      --seed N  --size PX (${GENERATION_SIZE.min}-${GENERATION_SIZE.max})  --count N (1-${GENERATION_COUNT_MAX})  --length SECONDS (audio)
      --force                         Overwrite files already in DIR.
      --no-credentials                Write the bare output, without C2PA content credentials (by default each
                                      picture carries "AI-generated with <model> by <creator>", signed by
                                      this profile).
  export GENERATION --out FILE        Export one playground output (its id from playground list) without any
                                      mark, with signed content credentials. FILE ending .jpg/.jpeg → JPEG,
                                      otherwise PNG. --force overwrites FILE.
  playground list MODEL               The model's playground outputs, newest first (--search TEXT,
                                      --limit N).
  pricing show MODEL                  The model's pricing.
  pricing set MODEL                   Set the pricing (amounts in US dollars, quantities in the model's unit):
      --scheme per-unit --price USD   one unit (design, second, word) at a price, or
      --scheme base-increment --base QTY:USD --increment QTY:USD   e.g. --base 30s:25 --increment 10s:6
      --commercial USD  --broadcast USD   licence add-ons (broadcast: voice over only).
  pricing quote MODEL --quantity QTY  A quote: --quantity 45s / 300w / 2, --license personal|commercial|broadcast.
  subscription show                   The subscription state and what it allows.
  subscription set active --since DATE     Subscribed since DATE (2026-11-03, read as UTC, or ISO 8601).
  subscription set cancelled --until DATE  Cancelled: active until DATE (keeps the start date).
  subscription set none               Not subscribed.
  publish check MODEL                 Every condition still missing before the model can be published.
  watermark embed FILE --payload HEX --out FILE
                                      Mark a draft with this profile's key: a picture becomes a PNG with the
                                      visible and invisible marks, a recording a WAV with the preview tag
                                      and the inaudible mark. HEX: 16 hex digits (draft id 32 bits, client
                                      20, model 12). --kind image|audio insists on the file's kind; --force
                                      overwrites --out.
  watermark detect FILE               Whether FILE (picture or recording) carries this profile's mark, and
                                      the draft, client and model it names, and any content credentials
                                      (PNG/JPEG). Exit 0 whether found or not.
  help                                Show this help.
  version                             Show the version (also --version).

Options:
  --data-dir DIR     The studio's data folder. Default: $ATELIER_DATA_DIR, else the desktop app's
                     folder (~/.config/Atelier on Linux, ~/Library/Application Support/Atelier on macOS,
                     %APPDATA%\\Atelier on Windows).
  --profile NAME     The profile to work in (every command but profile, help and version). May be
                     left out when only one profile exists: then that one is used.
  --password-stdin   Read the profile's password from the first line of standard input.
                     Otherwise it comes from $ATELIER_PASSWORD, or is asked for in a terminal.
  --json             Print one JSON document on standard output (fields: docs/cli.md).
  -h, --help         Show this help.

Exit status: 0 success, 1 a problem with the input (a file that could not be imported, a wrong
password, an unknown profile, asset or model, bad arguments, a used-up training quota…; with --json the
error's code says which), 2 an internal error, 130 interrupted (Ctrl+C).
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
  // Command options: which command takes which is checked in COMMAND_OPTIONS.
  source: { type: 'string' },
  'delivered-at': { type: 'string' },
  kind: { type: 'string' },
  tag: { type: 'string' },
  problem: { type: 'string' },
  search: { type: 'string' },
  archived: { type: 'boolean' },
  limit: { type: 'string' },
  offset: { type: 'string' },
  add: { type: 'string', multiple: true },
  remove: { type: 'string', multiple: true },
  clear: { type: 'boolean' },
  'all-work-samples': { type: 'string' },
  library: { type: 'string' },
  subcategory: { type: 'string' },
  'all-recent': { type: 'boolean' },
  prompt: { type: 'string' },
  reference: { type: 'string' },
  variation: { type: 'string' },
  seed: { type: 'string' },
  size: { type: 'string' },
  count: { type: 'string' },
  length: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  'no-credentials': { type: 'boolean' },
  scheme: { type: 'string' },
  price: { type: 'string' },
  base: { type: 'string' },
  increment: { type: 'string' },
  commercial: { type: 'string' },
  broadcast: { type: 'string' },
  quantity: { type: 'string' },
  license: { type: 'string' },
  licence: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  payload: { type: 'string' },
} as const;

type OptionName = keyof typeof OPTIONS;

/** The options that belong to one command (the rest are global). */
const COMMAND_OPTIONS: Partial<Record<OptionName, { commands: readonly CliCommandKind[]; usage: string }>> = {
  source: { commands: ['assets-import', 'assets-list'], usage: 'assets import and assets list' },
  'delivered-at': { commands: ['assets-import'], usage: 'assets import' },
  kind: { commands: ['assets-list', 'watermark-embed'], usage: 'assets list and watermark embed' },
  tag: { commands: ['assets-list'], usage: 'assets list' },
  problem: { commands: ['assets-list'], usage: 'assets list' },
  search: { commands: ['assets-list', 'playground-list'], usage: 'assets list and playground list' },
  archived: { commands: ['assets-list'], usage: 'assets list' },
  limit: { commands: ['assets-list', 'playground-list'], usage: 'assets list and playground list' },
  offset: { commands: ['assets-list'], usage: 'assets list' },
  add: { commands: ['assets-tag', 'models-assets'], usage: 'assets tag and models assets' },
  remove: { commands: ['assets-tag', 'models-assets'], usage: 'assets tag and models assets' },
  'all-recent': { commands: ['models-assets'], usage: 'models assets' },
  prompt: { commands: ['generate'], usage: 'generate' },
  reference: { commands: ['generate'], usage: 'generate' },
  variation: { commands: ['generate'], usage: 'generate' },
  seed: { commands: ['generate'], usage: 'generate' },
  size: { commands: ['generate'], usage: 'generate' },
  count: { commands: ['generate'], usage: 'generate' },
  length: { commands: ['generate'], usage: 'generate' },
  out: { commands: ['generate', 'watermark-embed', 'export'], usage: 'generate, export and watermark embed' },
  force: { commands: ['generate', 'watermark-embed', 'export'], usage: 'generate, export and watermark embed' },
  'no-credentials': { commands: ['generate'], usage: 'generate' },
  payload: { commands: ['watermark-embed'], usage: 'watermark embed' },
  scheme: { commands: ['pricing-set'], usage: 'pricing set' },
  price: { commands: ['pricing-set'], usage: 'pricing set' },
  base: { commands: ['pricing-set'], usage: 'pricing set' },
  increment: { commands: ['pricing-set'], usage: 'pricing set' },
  commercial: { commands: ['pricing-set'], usage: 'pricing set' },
  broadcast: { commands: ['pricing-set'], usage: 'pricing set' },
  quantity: { commands: ['pricing-quote'], usage: 'pricing quote' },
  license: { commands: ['pricing-quote'], usage: 'pricing quote' },
  licence: { commands: ['pricing-quote'], usage: 'pricing quote' },
  since: { commands: ['subscription-set'], usage: 'subscription set active' },
  until: { commands: ['subscription-set'], usage: 'subscription set cancelled' },
  clear: { commands: ['assets-crop', 'assets-trim'], usage: 'assets crop and assets trim' },
  'all-work-samples': { commands: ['assets-health'], usage: 'assets health' },
  library: { commands: ['assets-health'], usage: 'assets health' },
  subcategory: { commands: ['assets-health', 'models-create'], usage: 'assets health and models create' },
};

/** The contract caps one page at 10 000 assets (assetQuerySchema). */
const LIST_LIMIT_MAX = 10_000;

type Parsed = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true; tokens: true }>>;
type Values = Parsed['values'];
type Token = NonNullable<Parsed['tokens']>[number];

/** A problem with the command line, reported with the usage. */
class ArgsProblem extends Error {}

/** Options may come before or after the command; `--` ends them (for files whose names start with '-'). */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  // Known before parsing so even a parse error can answer in JSON.
  const json = argv.slice(0, endOfOptions(argv)).includes('--json');
  let parsed: { values: Values; positionals: string[]; tokens: Token[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    return { ok: false, json, message: parseErrorMessage(e) };
  }
  const { values, positionals, tokens } = parsed;
  try {
    const command = readCommand(values, positionals, tokens);
    for (const [name, rule] of Object.entries(COMMAND_OPTIONS) as Array<[OptionName, { commands: readonly CliCommandKind[]; usage: string }]>) {
      if (values[name] !== undefined && !rule.commands.includes(command.kind)) {
        throw new ArgsProblem(`--${name} only applies to ${rule.usage}.`);
      }
    }
    if (values['data-dir'] === '') throw new ArgsProblem('--data-dir needs a folder.');
    return {
      ok: true,
      invocation: {
        command,
        dataDir: values['data-dir'] ?? null,
        profile: values.profile ?? null,
        json: values.json ?? false,
        passwordStdin: values['password-stdin'] ?? false,
      },
    };
  } catch (e) {
    if (e instanceof ArgsProblem) return { ok: false, json, message: e.message };
    throw e;
  }
}

function readCommand(values: Values, positionals: string[], tokens: Token[]): CliCommand {
  const [group, verb, ...rest] = positionals;
  if (values.help || group === 'help') return { kind: 'help' };
  if (values.version || group === 'version') return { kind: 'version' };
  if (group === undefined) throw new ArgsProblem('Name a command.');
  const unknown = (): never => {
    throw new ArgsProblem(`Unknown command "${positionals.join(' ')}".`);
  };
  if (group === 'profile') {
    if (verb === 'create') {
      if (rest.length !== 1) throw new ArgsProblem('Give exactly one name: atelier profile create NAME (quote a name with spaces).');
      return { kind: 'profile-create', name: rest[0]! };
    }
    if (verb === 'list' && rest.length === 0) return { kind: 'profile-list' };
    return unknown();
  }
  const modelCommand = readModelCommand(values, positionals, tokens);
  if (modelCommand) return modelCommand;
  if (group === 'watermark') return readWatermarkCommand(values, verb, rest);
  if (group !== 'assets') return unknown();
  switch (verb) {
    case 'import': {
      if (rest.length === 0) throw new ArgsProblem('Name at least one file or folder: atelier assets import PATH...');
      const source = oneOf('--source', values.source ?? 'upload', ASSET_SOURCES);
      let deliveredAt: string | null = null;
      if (values['delivered-at'] !== undefined) {
        if (source !== 'work-sample') {
          throw new ArgsProblem('--delivered-at is for work samples: add --source work-sample.');
        }
        deliveredAt = parseDeliveredAt(values['delivered-at']);
      }
      return { kind: 'assets-import', paths: rest, source, deliveredAt };
    }
    case 'list': {
      if (rest.length > 0) throw new ArgsProblem(`assets list takes no IDs or names ("${rest[0]}"); filter with --search TEXT.`);
      const filters: AssetListFilters = { archived: values.archived ?? false };
      if (values.kind !== undefined) filters.kind = oneOf('--kind', values.kind, ASSET_KINDS);
      if (values.source !== undefined) filters.source = oneOf('--source', values.source, ASSET_SOURCES);
      if (values.tag !== undefined) filters.tag = parseTagFilter(values.tag);
      if (values.problem !== undefined) filters.problem = oneOf('--problem', values.problem, [...FINDING_CHECKS, 'any'] as const);
      if (values.search !== undefined) filters.search = values.search;
      const limit = values.limit === undefined ? null : count('--limit', values.limit, 1, LIST_LIMIT_MAX);
      const offset = values.offset === undefined ? 0 : count('--offset', values.offset, 0, Number.MAX_SAFE_INTEGER);
      return { kind: 'assets-list', filters, limit, offset };
    }
    case 'show':
      if (rest.length !== 1) throw new ArgsProblem('Give exactly one asset ID: atelier assets show ID.');
      return { kind: 'assets-show', assetId: rest[0]! };
    case 'tag': {
      const assetIds = ids(rest, 'assets tag ID... --add KIND:VALUE --remove KIND:VALUE');
      const add = (values.add ?? []).map(parseTag);
      const remove = (values.remove ?? []).map(parseTag);
      if (add.length === 0 && remove.length === 0) {
        throw new ArgsProblem('Say which tags: --add KIND:VALUE and/or --remove KIND:VALUE (e.g. --add "style:line art").');
      }
      return { kind: 'assets-tag', assetIds, add, remove };
    }
    case 'crop': {
      const [assetId, ...numbers] = rest;
      if (assetId === undefined) throw new ArgsProblem('Name the asset: atelier assets crop ID X Y SIZE (or ID --clear).');
      if (values.clear) {
        if (numbers.length > 0) throw new ArgsProblem('Give either X Y SIZE or --clear, not both.');
        return { kind: 'assets-crop', assetId, crop: null };
      }
      if (numbers.length !== 3) throw new ArgsProblem('A crop is X Y SIZE in the original image\'s pixels: atelier assets crop ID X Y SIZE.');
      const [x, y, size] = numbers as [string, string, string];
      return {
        kind: 'assets-crop',
        assetId,
        crop: { x: count('X', x, 0, Number.MAX_SAFE_INTEGER), y: count('Y', y, 0, Number.MAX_SAFE_INTEGER), size: count('SIZE', size, 1, Number.MAX_SAFE_INTEGER) },
      };
    }
    case 'trim': {
      const [assetId, ...numbers] = rest;
      if (assetId === undefined) throw new ArgsProblem('Name the asset: atelier assets trim ID START_MS END_MS (or ID --clear).');
      if (values.clear) {
        if (numbers.length > 0) throw new ArgsProblem('Give either START_MS END_MS or --clear, not both.');
        return { kind: 'assets-trim', assetId, trim: null };
      }
      if (numbers.length !== 2) throw new ArgsProblem('A trim is START_MS END_MS in milliseconds: atelier assets trim ID START_MS END_MS.');
      const startMs = count('START_MS', numbers[0]!, 0, Number.MAX_SAFE_INTEGER);
      const endMs = count('END_MS', numbers[1]!, 1, Number.MAX_SAFE_INTEGER);
      if (endMs <= startMs) throw new ArgsProblem(`The trim must end after it starts (${startMs} ms to ${endMs} ms).`);
      return { kind: 'assets-trim', assetId, trim: { startMs, endMs } };
    }
    case 'health': {
      const modes = [
        values['all-work-samples'] !== undefined ? 'all-work-samples' : null,
        values.library !== undefined ? 'library' : null,
        rest.length > 0 ? 'ids' : null,
      ].filter((m) => m !== null);
      if (modes.length !== 1) {
        throw new ArgsProblem(
          modes.length === 0
            ? 'Say which set: asset IDs, --all-work-samples KIND (the last 100 work samples) or --library KIND.'
            : 'Choose one set: asset IDs, --all-work-samples KIND or --library KIND.',
        );
      }
      let selection: AssetSelection;
      if (values['all-work-samples'] !== undefined) {
        selection = { mode: 'all-work-samples', kind: oneOf('--all-work-samples', values['all-work-samples'], ASSET_KINDS) };
      } else if (values.library !== undefined) {
        selection = { mode: 'library', kind: oneOf('--library', values.library, ASSET_KINDS) };
      } else selection = { assetIds: rest };
      const subcategory = values.subcategory === undefined ? null : oneOf('--subcategory', values.subcategory, SUBCATEGORIES);
      return { kind: 'assets-health', selection, subcategory };
    }
    case 'fix': {
      const [fix, ...assetIds] = rest;
      if (fix === undefined) throw new ArgsProblem(`Name the fix: atelier assets fix ${FIX_KINDS.join('|')} ID...`);
      return { kind: 'assets-fix', fix: oneOf('fix', fix, FIX_KINDS), assetIds: ids(assetIds, `assets fix ${fix} ID...`) };
    }
    case 'archive':
    case 'restore':
      return { kind: 'assets-archive', assetIds: ids(rest, `assets ${verb} ID...`), archived: verb === 'archive' };
    default:
      return unknown();
  }
}

/** The issue-5 commands (models, train, versions, generate, playground, pricing, subscription, publish), or null. */
function readModelCommand(values: Values, positionals: string[], tokens: Token[]): CliCommand | null {
  const [group, verb, ...rest] = positionals;
  /** Exactly the named positional arguments after the command words, or a problem showing the usage. */
  const exactly = (list: string[], names: string[], usage: string): string[] => {
    if (list.length !== names.length) {
      throw new ArgsProblem(
        list.length < names.length
          ? `Name the ${names.slice(list.length).join(' and ')}: atelier ${usage}.`
          : `Too many arguments ("${list[names.length]}"): atelier ${usage}. Quote a name with spaces.`,
      );
    }
    return list;
  };
  const model = (list: string[], usage: string): string => exactly(list, ['MODEL'], usage)[0]!;
  switch (group) {
    case 'models':
      switch (verb) {
        case 'create':
          exactly(rest, [], 'models create --subcategory SUB');
          if (values.subcategory === undefined) {
            throw new ArgsProblem(`Choose a subcategory: atelier models create --subcategory ${SUBCATEGORIES.join('|')}.`);
          }
          // "Later" subcategories pass here so the studio refuses them with its own message; typos list the available ones.
          if (!(ALL_SUBCATEGORIES as readonly string[]).includes(values.subcategory)) oneOf('--subcategory', values.subcategory, SUBCATEGORIES);
          return { kind: 'models-create', subcategory: values.subcategory as SubcategoryId };
        case 'list':
          exactly(rest, [], 'models list');
          return { kind: 'models-list' };
        case 'show':
          return { kind: 'models-show', model: model(rest, 'models show MODEL') };
        case 'rename': {
          const [m, name] = exactly(rest, ['MODEL', 'NAME'], 'models rename MODEL NAME') as [string, string];
          return { kind: 'models-rename', model: m, name };
        }
        case 'assets':
          return readModelAssets(values, positionals, tokens);
        case 'publish':
        case 'withdraw':
          return { kind: 'models-activate', model: model(rest, `models ${verb} MODEL`), active: verb === 'publish' };
        case 'delete':
          return { kind: 'models-delete', model: model(rest, 'models delete MODEL') };
        default:
          throw new ArgsProblem(`Unknown command "${positionals.join(' ')}".`);
      }
    case 'train':
      return { kind: 'train', model: model(positionals.slice(1), 'train MODEL') };
    case 'versions': {
      if (verb === 'list') return { kind: 'versions-list', model: model(rest, 'versions list MODEL') };
      if (verb === 'activate' || verb === 'delete') {
        const [m, n] = exactly(rest, ['MODEL', 'version number N'], `versions ${verb} MODEL N`) as [string, string];
        const version = count('N', n.replace(/^v/i, ''), 1, Number.MAX_SAFE_INTEGER);
        return { kind: verb === 'activate' ? 'versions-activate' : 'versions-delete', model: m, version };
      }
      throw new ArgsProblem(`Unknown command "${positionals.join(' ')}".`);
    }
    case 'generate':
      return readGenerate(values, model(positionals.slice(1), 'generate MODEL --prompt TEXT --out DIR'));
    case 'export': {
      const usage = 'export GENERATION --out FILE';
      const [generation] = exactly(positionals.slice(1), ['GENERATION (its id from atelier playground list)'], usage) as [string];
      if (values.out === undefined || values.out === '') throw new ArgsProblem(`Say where the file goes: --out FILE (.png or .jpg): atelier ${usage}.`);
      const format = /\.jpe?g$/i.test(values.out) ? 'jpeg' : 'png';
      return { kind: 'export', generation, out: values.out, force: values.force ?? false, format };
    }
    case 'playground':
      if (verb !== 'list') throw new ArgsProblem(`Unknown command "${positionals.join(' ')}".`);
      return {
        kind: 'playground-list',
        model: model(rest, 'playground list MODEL'),
        version: null,
        search: values.search ?? null,
        limit: values.limit === undefined ? null : count('--limit', values.limit, 1, PLAYGROUND_LIMIT_MAX),
      };
    case 'pricing':
      if (verb === 'show') return { kind: 'pricing-show', model: model(rest, 'pricing show MODEL') };
      if (verb === 'set') return { kind: 'pricing-set', model: model(rest, 'pricing set MODEL --scheme per-unit --price USD'), pricing: readPricing(values) };
      if (verb === 'quote') {
        const m = model(rest, 'pricing quote MODEL --quantity QTY');
        if (values.quantity === undefined || values.quantity.trim() === '') {
          throw new ArgsProblem('Say how much: atelier pricing quote MODEL --quantity QTY (45s, 300w or 2).');
        }
        if (values.license !== undefined && values.licence !== undefined) throw new ArgsProblem('Give --license once.');
        const licence = oneOf('--license', values.license ?? values.licence ?? 'personal', LICENCES);
        return { kind: 'pricing-quote', model: m, quantity: values.quantity, licence };
      }
      throw new ArgsProblem(`Unknown command "${positionals.join(' ')}".`);
    case 'subscription':
      if (verb === 'show') {
        exactly(rest, [], 'subscription show');
        return { kind: 'subscription-show' };
      }
      if (verb === 'set') return { kind: 'subscription-set', state: readSubscription(values, rest) };
      throw new ArgsProblem(`Unknown command "${positionals.join(' ')}".`);
    case 'publish':
      if (verb !== 'check') throw new ArgsProblem(`Unknown command "${positionals.join(' ')}". To publish a model: atelier models publish MODEL.`);
      return { kind: 'publish-check', model: model(rest, 'publish check MODEL') };
    default:
      return null;
  }
}

/** `watermark embed FILE --payload HEX --out FILE [--kind image|audio] [--force]` and `watermark detect FILE`. */
function readWatermarkCommand(values: Values, verb: string | undefined, rest: string[]): CliCommand {
  const oneFile = (usage: string): string => {
    if (rest.length === 0) throw new ArgsProblem(`Name the file: atelier ${usage}.`);
    if (rest.length > 1) throw new ArgsProblem(`Name one file ("${rest[1]}" is a second one): atelier ${usage}. Quote a name with spaces.`);
    return rest[0]!;
  };
  if (verb === 'embed') {
    const usage = 'watermark embed FILE --payload HEX --out FILE';
    const file = oneFile(usage);
    if (values.payload === undefined || values.payload === '') {
      throw new ArgsProblem(`Say what the mark names: --payload HEX (16 hex digits: draft id, client id, model number): atelier ${usage}.`);
    }
    const payload = values.payload.trim().replace(/^0x/i, '');
    if (!/^[0-9a-fA-F]{16}$/.test(payload)) {
      throw new ArgsProblem(`--payload is exactly 16 hex digits (0-9, a-f), e.g. 000004120004d001 for draft 1042, client 77, model 1; got "${values.payload}".`);
    }
    if (values.out === undefined || values.out === '') throw new ArgsProblem(`Say where the marked file goes: --out FILE: atelier ${usage}.`);
    const as = values.kind === undefined ? 'auto' : oneOf('--kind', values.kind, WATERMARK_KINDS);
    return { kind: 'watermark-embed', file, payload: payload.toLowerCase(), out: values.out, force: values.force ?? false, as };
  }
  if (verb === 'detect' || verb === 'check') return { kind: 'watermark-detect', file: oneFile('watermark detect FILE') };
  throw new ArgsProblem(`Unknown command "watermark${verb === undefined ? '' : ` ${verb}`}". Use: atelier watermark embed FILE --payload HEX --out FILE, or atelier watermark detect FILE.`);
}

/** The contract caps one playground page at 1000 outputs (generationQuerySchema). */
const PLAYGROUND_LIMIT_MAX = 1000;

/**
 * `models assets MODEL --add A B --remove C`: each asset after --add/--remove belongs to it, so several can follow
 * one option (the order of the command line matters here, hence the tokens).
 */
function readModelAssets(values: Values, positionals: string[], tokens: Token[]): CliCommand {
  const usage = 'atelier models assets MODEL --add ASSET... | --remove ASSET... | --all-recent';
  const add: string[] = [];
  const remove: string[] = [];
  let current: string[] | null = null;
  let seen = 0;
  for (const token of tokens) {
    if (token.kind === 'option') {
      current = token.name === 'add' ? add : token.name === 'remove' ? remove : null;
      if (current && token.value !== undefined) current.push(token.value);
    } else if (token.kind === 'positional') {
      seen += 1;
      // The first three are "models assets MODEL".
      if (seen <= 3) continue;
      if (!current) throw new ArgsProblem(`Put "${token.value}" after --add or --remove: ${usage}.`);
      current.push(token.value);
    }
  }
  const model = positionals[2];
  if (model === undefined) throw new ArgsProblem(`Name the model: ${usage}.`);
  const allRecent = values['all-recent'] ?? false;
  if (allRecent && (add.length > 0 || remove.length > 0)) {
    throw new ArgsProblem('Choose either --all-recent (the last 100 work samples) or picks with --add/--remove, not both.');
  }
  if (!allRecent && add.length === 0 && remove.length === 0) throw new ArgsProblem(`Say which assets: ${usage}.`);
  return { kind: 'models-assets', model, add, remove, allRecent };
}

function readGenerate(values: Values, model: string): CliCommand {
  if (values.out === undefined || values.out === '') throw new ArgsProblem('Say where the outputs go: --out DIR (created if missing).');
  const prompt = values.prompt ?? null;
  if (prompt === null && values.reference === undefined && values.variation === undefined) {
    throw new ArgsProblem('Say what to generate: --prompt TEXT, --reference FILE and/or --variation ASSET.');
  }
  if (values.reference === '') throw new ArgsProblem('--reference needs a picture file.');
  const lengthS = values.length === undefined ? null : seconds(values.length);
  return {
    kind: 'generate',
    model,
    out: values.out,
    force: values.force ?? false,
    credentials: !(values['no-credentials'] ?? false),
    request: {
      prompt,
      reference: values.reference ?? null,
      variation: values.variation ?? null,
      seed: values.seed === undefined ? null : count('--seed', values.seed, 0, SEED_MAX),
      size: values.size === undefined ? null : count('--size', values.size.replace(/px$/i, ''), GENERATION_SIZE.min, GENERATION_SIZE.max),
      count: values.count === undefined ? 1 : count('--count', values.count, 1, GENERATION_COUNT_MAX),
      lengthS,
    },
  };
}

/** Seeds are 31-bit (generateRequestSchema). */
const SEED_MAX = 2 ** 31 - 1;

/** "30", "2.5" or "30s": a length in seconds within GENERATION_LENGTH_S. */
function seconds(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*s?$/i.exec(text.trim());
  const n = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n) || n < GENERATION_LENGTH_S.min || n > GENERATION_LENGTH_S.max) {
    throw new ArgsProblem(`--length must be ${GENERATION_LENGTH_S.min} to ${GENERATION_LENGTH_S.max} seconds, not "${text}".`);
  }
  return n;
}

function readPricing(values: Values): PricingDraft {
  const perUnitGiven = values.price !== undefined;
  const stepsGiven = values.base !== undefined || values.increment !== undefined;
  const scheme =
    values.scheme !== undefined ? oneOf('--scheme', values.scheme, PRICING_SCHEMES) : perUnitGiven ? 'per-unit' : stepsGiven ? 'base-increment' : null;
  if (scheme === null) {
    throw new ArgsProblem('Choose a scheme: --scheme per-unit --price USD, or --scheme base-increment --base QTY:USD --increment QTY:USD.');
  }
  const licences: PricingDraft['licences'] = {};
  if (values.commercial !== undefined) licences.commercialCents = usd('--commercial', values.commercial);
  if (values.broadcast !== undefined) licences.broadcastCents = usd('--broadcast', values.broadcast);
  if (scheme === 'per-unit') {
    if (stepsGiven) throw new ArgsProblem('--base and --increment belong to --scheme base-increment; per-unit takes --price USD.');
    if (!perUnitGiven) throw new ArgsProblem('Give the price of one unit: --scheme per-unit --price USD (e.g. --price 120).');
    return { scheme, unitPriceCents: usd('--price', values.price!), licences };
  }
  if (perUnitGiven) throw new ArgsProblem('--price belongs to --scheme per-unit; base-increment takes --base QTY:USD --increment QTY:USD.');
  if (values.base === undefined || values.increment === undefined) {
    throw new ArgsProblem('Give both --base QTY:USD and --increment QTY:USD (e.g. --base 30s:25 --increment 10s:6).');
  }
  return { scheme, base: priceStep('--base', values.base), increment: priceStep('--increment', values.increment), licences };
}

/** Dollars as typed ("12.50", "$1,250") to cents, with parseUsd's message. */
function usd(option: string, text: string): number {
  try {
    return parseUsd(text);
  } catch (e) {
    if (isAtelierError(e)) throw new ArgsProblem(`${option}: ${e.message}`);
    throw e;
  }
}

/** "30s:25.00" → 30s at 2500 cents. The last colon splits, so "1:30:25" is 1 min 30 s at $25. */
function priceStep(option: string, text: string): PriceStepDraft {
  const colon = text.lastIndexOf(':');
  const quantity = colon < 0 ? '' : text.slice(0, colon).trim();
  if (colon < 0 || quantity === '') {
    throw new ArgsProblem(`${option} is QUANTITY:USD, like 30s:25 (30 seconds for $25), 100w:12 or 1:40; not "${text}".`);
  }
  return { quantity, priceCents: usd(option, text.slice(colon + 1)) };
}

function readSubscription(values: Values, rest: string[]): SubscriptionChange {
  const [status, ...extra] = rest;
  const usage = 'subscription set active --since DATE | cancelled --until DATE | none';
  if (status === undefined) throw new ArgsProblem(`Say which state: atelier ${usage}.`);
  if (extra.length > 0) throw new ArgsProblem(`Too many arguments ("${extra[0]}"): atelier ${usage}.`);
  const state = oneOf('subscription state', status, ['active', 'cancelled', 'none'] as const);
  if (state !== 'active' && values.since !== undefined) throw new ArgsProblem('--since goes with: subscription set active --since DATE.');
  if (state !== 'cancelled' && values.until !== undefined) throw new ArgsProblem('--until goes with: subscription set cancelled --until DATE.');
  if (state === 'active') {
    if (values.since === undefined) throw new ArgsProblem('Say since when: atelier subscription set active --since 2026-11-03.');
    return { status: 'active', since: parseInstant('--since', values.since, 'utc') };
  }
  if (state === 'cancelled') {
    if (values.until === undefined) throw new ArgsProblem('Say until when it stays active: atelier subscription set cancelled --until 2026-12-03.');
    return { status: 'cancelled', until: parseInstant('--until', values.until, 'utc') };
  }
  return { status: 'none' };
}

function ids(list: string[], usage: string): string[] {
  if (list.length === 0) throw new ArgsProblem(`Name at least one asset ID: atelier ${usage}.`);
  return list;
}

function oneOf<const T extends string>(what: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ArgsProblem(`Unknown ${what} "${value}". Use ${allowed.join(', ')}.`);
}

/** A whole number in [min, max], written in digits only (no "1e3", no "0x10", no "-0"). */
function count(what: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    throw new ArgsProblem(`${what} must be ${range}, not "${text}".`);
  }
  return n;
}

/**
 * KIND:VALUE as a tag; a VALUE without a known KIND prefix is a free tag. A prefix that looks like a kind
 * but is not one ("stlye:ink") is refused rather than silently stored as a free tag "stlye:ink".
 */
export function parseTag(text: string): AssetTag {
  const colon = text.indexOf(':');
  let kind: string = 'free';
  let value = text;
  if (colon >= 0) {
    const prefix = text.slice(0, colon).trim().toLowerCase();
    if ((TAG_KINDS as readonly string[]).includes(prefix)) {
      kind = prefix;
      value = text.slice(colon + 1);
    } else if (/^[a-z]+$/.test(prefix)) {
      throw new ArgsProblem(
        `Unknown tag kind "${prefix}" in "${text}". Use ${TAG_KINDS.join(', ')} (KIND:VALUE); ` +
          `for a free tag with a colon write "free:${text}".`,
      );
    }
  }
  const parsed = tagSchema.safeParse({ kind, value });
  if (!parsed.success) {
    throw new ArgsProblem(`The tag "${text}" cannot be used: ${parsed.error.issues[0]?.message ?? 'it is not a valid tag.'}`);
  }
  return parsed.data;
}

function parseTagFilter(text: string): string {
  const value = text.trim().toLowerCase();
  if (value === '') throw new ArgsProblem('--tag needs a tag value.');
  return value;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A delivery date for work samples, as an ISO 8601 instant in UTC (what the contract stores).
 * A date alone, or a time without a zone, is read in this computer's time zone — as the creator means it.
 */
export function parseDeliveredAt(text: string): string {
  return parseInstant('--delivered-at', text, 'local');
}

/**
 * A date (2026-11-03) or an ISO 8601 date and time as an instant in UTC. Without a zone it is read in this
 * computer's time zone ('local') or as UTC ('utc': subscription dates, whose billing day is a UTC day — so
 * "--since 2026-11-03" anchors on the 3rd wherever the command runs).
 */
export function parseInstant(option: string, text: string, zoneless: 'local' | 'utc'): string {
  const bad = (why: string): never => {
    throw new ArgsProblem(`${option} "${text}" ${why} Write a date like 2024-05-01 or 2024-05-01T14:30:00+02:00.`);
  };
  const trimmed = text.trim();
  const date = DATE_ONLY.exec(trimmed);
  const dateTime = date ? null : DATE_TIME.exec(trimmed);
  if (!date && !dateTime) return bad('is not a date.');
  const [, y, mo, d, h = '00', mi = '00', s = '00', , zone] = (date ?? dateTime)!;
  const parts = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = parts;
  // Date.UTC rolls 2024-02-30 over to March; a round trip catches days and times that do not exist.
  const probe = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  if (
    probe.getUTCFullYear() !== year ||
    probe.getUTCMonth() !== month - 1 ||
    probe.getUTCDate() !== day ||
    probe.getUTCHours() !== hour ||
    probe.getUTCMinutes() !== minute ||
    probe.getUTCSeconds() !== second
  ) {
    return bad('is not a real date and time.');
  }
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${dateTime?.[7] ?? ''}`;
  const when = zone
    ? new Date(`${iso}${normaliseZone(zone)}`)
    : zoneless === 'utc'
      ? new Date(`${iso}Z`)
      : new Date(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(when.getTime())) return bad('is not a real date and time.');
  return when.toISOString();
}

function normaliseZone(zone: string): string {
  if (zone.toUpperCase() === 'Z') return 'Z';
  const digits = zone.replace(':', '');
  return `${digits.slice(0, 3)}:${digits.slice(3)}`;
}

function endOfOptions(argv: readonly string[]): number {
  const i = argv.indexOf('--');
  return i < 0 ? argv.length : i;
}

/** Node's parseArgs messages name internals ("parseArgs"), so they are rewritten for people. */
function parseErrorMessage(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  const text = e instanceof Error ? e.message : String(e);
  const option = /'(-[^' ]+)/.exec(text)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return `Unknown option ${option ?? ''}. To name a file that starts with "-", put it after "--".`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    if (text.includes('does not take')) return `Option ${option} takes no value.`;
    if (text.includes('ambiguous')) return `Option ${option} needs a value; write ${option}=VALUE for a value starting with "-".`;
    return `Option ${option} needs a value.`;
  }
  return 'The arguments could not be read.';
}
