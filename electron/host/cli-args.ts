// The `atelier` command line read into one typed invocation (pure: no files, no studio), and its usage text.
import { parseArgs } from 'node:util';
import { ASSET_SOURCES, type AssetSource } from '../../preload/contract';

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'profile-create'; name: string }
  | { kind: 'profile-list' }
  | { kind: 'assets-import'; paths: string[]; source: AssetSource }
  | { kind: 'assets-list' };

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
  profile create NAME           Create a password-protected profile.
  profile list                  List the profiles on this computer.
  assets import PATH...         Import images (JPEG, PNG, WebP, AVIF, TIFF, GIF) into a profile.
      --source KIND             Where the pieces come from: upload (default), portfolio or work-sample.
  assets list                   List the assets of a profile, newest first.
  help                          Show this help.
  version                       Show the version (also --version).

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
password, an unknown profile, bad arguments), 2 an internal error, 130 interrupted (Ctrl+C).
`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  'password-stdin': { type: 'boolean' },
  source: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/** Options may come before or after the command; `--` ends them (for files whose names start with '-'). */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  // Known before parsing so even a parse error can answer in JSON.
  const json = argv.slice(0, endOfOptions(argv)).includes('--json');
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    return { ok: false, json, message: parseErrorMessage(e) };
  }
  const { values, positionals } = parsed;
  const fail = (message: string): ParsedArgs => ({ ok: false, json, message });

  let command: CliCommand;
  const [group, verb, ...rest] = positionals;
  if (values.help || group === 'help') command = { kind: 'help' };
  else if (values.version || group === 'version') command = { kind: 'version' };
  else if (group === undefined) return fail('Name a command.');
  else if (group === 'profile' && verb === 'create') {
    if (rest.length !== 1) {
      return fail('Give exactly one name: atelier profile create NAME (quote a name with spaces).');
    }
    command = { kind: 'profile-create', name: rest[0]! };
  } else if (group === 'profile' && verb === 'list' && rest.length === 0) command = { kind: 'profile-list' };
  else if (group === 'assets' && verb === 'import') {
    if (rest.length === 0) return fail('Name at least one file: atelier assets import PATH...');
    const source = values.source ?? 'upload';
    if (!isAssetSource(source)) {
      return fail(`Unknown --source "${source}". Use ${ASSET_SOURCES.join(', ')}.`);
    }
    command = { kind: 'assets-import', paths: rest, source };
  } else if (group === 'assets' && verb === 'list' && rest.length === 0) command = { kind: 'assets-list' };
  else return fail(`Unknown command "${positionals.join(' ')}".`);

  if (values.source !== undefined && command.kind !== 'assets-import') {
    return fail('--source only applies to assets import.');
  }
  if (values['data-dir'] === '') return fail('--data-dir needs a folder.');
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
}

function isAssetSource(s: string): s is AssetSource {
  return (ASSET_SOURCES as readonly string[]).includes(s);
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
