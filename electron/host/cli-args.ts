// The `atelier` command line read into one typed invocation (pure: no files, no studio), and its usage text.
import { parseArgs } from 'node:util';
import {
  ASSET_KINDS,
  ASSET_SOURCES,
  FINDING_CHECKS,
  FIX_KINDS,
  SUBCATEGORIES,
  TAG_KINDS,
  tagSchema,
  type AssetKind,
  type AssetSelection,
  type AssetSource,
  type AssetTag,
  type CropRect,
  type FindingCheck,
  type FixKind,
  type Subcategory,
  type TrimRange,
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
  | { kind: 'assets-archive'; assetIds: string[]; archived: boolean };

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
  help                                Show this help.
  version                             Show the version (also --version).

Options:
  --data-dir DIR     The studio's data folder. Default: $ATELIER_DATA_DIR, else the desktop app's
                     folder (~/.config/Atelier on Linux, ~/Library/Application Support/Atelier on macOS,
                     %APPDATA%\\Atelier on Windows).
  --profile NAME     The profile to work in (assets commands). May be left out when only one
                     profile exists: then that one is used.
  --password-stdin   Read the profile's password from the first line of standard input.
                     Otherwise it comes from $ATELIER_PASSWORD, or is asked for in a terminal.
  --json             Print one JSON document on standard output (fields: docs/cli.md).
  -h, --help         Show this help.

Exit status: 0 success, 1 a problem with the input (a file that could not be imported, a wrong
password, an unknown profile or asset, bad arguments), 2 an internal error, 130 interrupted (Ctrl+C).
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
} as const;

type OptionName = keyof typeof OPTIONS;

/** The options that belong to one command (the rest are global). */
const COMMAND_OPTIONS: Partial<Record<OptionName, { commands: readonly CliCommandKind[]; usage: string }>> = {
  source: { commands: ['assets-import', 'assets-list'], usage: 'assets import and assets list' },
  'delivered-at': { commands: ['assets-import'], usage: 'assets import' },
  kind: { commands: ['assets-list'], usage: 'assets list' },
  tag: { commands: ['assets-list'], usage: 'assets list' },
  problem: { commands: ['assets-list'], usage: 'assets list' },
  search: { commands: ['assets-list'], usage: 'assets list' },
  archived: { commands: ['assets-list'], usage: 'assets list' },
  limit: { commands: ['assets-list'], usage: 'assets list' },
  offset: { commands: ['assets-list'], usage: 'assets list' },
  add: { commands: ['assets-tag'], usage: 'assets tag' },
  remove: { commands: ['assets-tag'], usage: 'assets tag' },
  clear: { commands: ['assets-crop', 'assets-trim'], usage: 'assets crop and assets trim' },
  'all-work-samples': { commands: ['assets-health'], usage: 'assets health' },
  library: { commands: ['assets-health'], usage: 'assets health' },
  subcategory: { commands: ['assets-health'], usage: 'assets health' },
};

/** The contract caps one page at 10 000 assets (assetQuerySchema). */
const LIST_LIMIT_MAX = 10_000;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

/** A problem with the command line, reported with the usage. */
class ArgsProblem extends Error {}

/** Options may come before or after the command; `--` ends them (for files whose names start with '-'). */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  // Known before parsing so even a parse error can answer in JSON.
  const json = argv.slice(0, endOfOptions(argv)).includes('--json');
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return { ok: false, json, message: parseErrorMessage(e) };
  }
  const { values, positionals } = parsed;
  try {
    const command = readCommand(values, positionals);
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

function readCommand(values: Values, positionals: string[]): CliCommand {
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
  const bad = (why: string): never => {
    throw new ArgsProblem(`--delivered-at "${text}" ${why} Write a date like 2024-05-01 or 2024-05-01T14:30:00+02:00.`);
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
  const when = zone ? new Date(`${iso}${normaliseZone(zone)}`) : new Date(year, month - 1, day, hour, minute, second);
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
