// The `atelier` command: runs a studio in-process and drives it through dispatch(), so validation, error
// codes and messages are the app's own. Output: human lines, or one JSON document with --json (docs/cli.md).
import path from 'node:path';
import { AtelierError, toErrorInfo, type ErrorCode, type ErrorInfo } from '../../engine/errors';
import {
  IMPORT_BATCH_MAX,
  type AssetSummary,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type JobState,
  type JobSummary,
  type ProfileSummary,
} from '../../preload/contract';
import { dispatch } from '../dispatch';
import { profileNameKey } from '../services/profiles';
import { createStudio, type Studio } from '../studio';
import { parseCliArgs, USAGE, type CliCommand, type CliInvocation } from './cli-args';
import { defaultDataDir } from './data-dir';
import { atelierVersion } from './version';

export const EXIT_OK = 0;
/** A problem with the input: a file that did not import, a wrong password, an unknown profile, bad arguments. */
export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL_ERROR = 2;
/** 128 + SIGINT (2): the shell convention for a command stopped with Ctrl+C. */
export const EXIT_INTERRUPTED = 130;

/** A fallback in case a 'jobs:updated' event is missed; events normally report the end at once. */
const JOB_POLL_MS = 1000;
/** One 'assets:list' page; the contract allows up to 10 000. */
const ASSET_PAGE_SIZE = 10_000;
const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

type Output = NodeJS.WritableStream & { isTTY?: boolean };
type Input = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export interface CliIo {
  stdout: Output;
  stderr: Output;
  stdin: Input;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths (files, --data-dir) are resolved against this. */
  cwd: string;
}

/** One file of `assets import`, keyed by the path exactly as it was given. */
export type CliImportResult =
  | { file: string; ok: true; duplicate: boolean; asset: AssetSummary }
  | { file: string; ok: false; error: { code: ErrorCode; message: string } };

/** Ctrl+C: stops the command; exits with EXIT_INTERRUPTED. */
class Interrupted extends Error {}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

/** Runs one command line and returns the exit status; never throws. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const parsed = parseCliArgs(argv);
  if (!parsed.ok) {
    if (parsed.json) writeJson(io, { ok: false, error: { code: 'VALIDATION', message: parsed.message } });
    io.stderr.write(`atelier: ${parsed.message}\n\n${USAGE}`);
    return EXIT_USER_ERROR;
  }
  const inv = parsed.invocation;
  const { command } = inv;
  if (command.kind === 'help') {
    if (inv.json) writeJson(io, { ok: true, usage: USAGE });
    else io.stdout.write(USAGE);
    return EXIT_OK;
  }
  if (command.kind === 'version') {
    const version = atelierVersion();
    if (inv.json) writeJson(io, { ok: true, version });
    else io.stdout.write(`atelier ${version}\n`);
    return EXIT_OK;
  }

  const dataDir = inv.dataDir !== null ? path.resolve(io.cwd, inv.dataDir) : defaultDataDir(io.env);
  let studio: Studio | null = null;
  try {
    studio = createStudio({ dataDir, appVersion: atelierVersion(), transport: 'host' });
    return await runCommand(new Session(studio, inv, io, dataDir), command);
  } catch (e) {
    if (e instanceof Interrupted) {
      io.stderr.write('atelier: interrupted.\n');
      return EXIT_INTERRUPTED;
    }
    const info = toErrorInfo(e);
    if (info.code === 'INTERNAL') {
      const log = describeInternal(e);
      if (log !== info.message) io.stderr.write(`atelier: details for a bug report: ${log}\n`);
      if (NATIVE_BUILD_MISMATCH.test(log)) {
        return reportError(io, inv.json, {
          code: 'INTERNAL',
          message:
            'The database module is built for the desktop app (Electron), not for Node. ' +
            'Run "node scripts/native-abi.mjs node" in the Atelier folder, then try again.',
        });
      }
    }
    return reportError(io, inv.json, info);
  } finally {
    try {
      await studio?.close();
    } catch (e) {
      io.stderr.write(`atelier: the studio did not close cleanly: ${describeInternal(e)}\n`);
    }
  }
}

/** The studio, the command line and the terminal of one run. */
class Session {
  constructor(
    readonly studio: Studio,
    readonly inv: CliInvocation,
    readonly io: CliIo,
    readonly dataDir: string,
  ) {}

  /** Calls a channel exactly as the app does; a failed Result becomes a thrown AtelierError. */
  async call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
    const result = await dispatch(this.studio.handlers, channel, input);
    if (!result.ok) throw new AtelierError(result.error.code, result.error.message);
    return result.value as ChannelOutput<C>;
  }
}

async function runCommand(s: Session, command: Exclude<CliCommand, { kind: 'help' | 'version' }>): Promise<number> {
  switch (command.kind) {
    case 'profile-create': {
      const password = await readPassword(s, command.name, true);
      const profile = await s.call('profiles:create', { name: command.name, password });
      if (s.inv.json) writeJson(s.io, { ok: true, profile });
      else s.io.stdout.write(`Created profile “${profile.name}” (id ${profile.id}) in ${s.dataDir}.\n`);
      return EXIT_OK;
    }
    case 'profile-list': {
      const profiles = await s.call('profiles:list', {});
      if (s.inv.json) writeJson(s.io, { ok: true, profiles });
      else if (profiles.length === 0) {
        s.io.stdout.write(`No profiles in ${s.dataDir} yet. Create one with: atelier profile create NAME\n`);
      } else {
        s.io.stdout.write(
          table([
            ['NAME', 'CREATED', 'LAST UNLOCKED', 'ID'],
            ...profiles.map((p) => [p.name, p.createdAt, p.lastUnlockedAt ?? 'never', p.id]),
          ]),
        );
      }
      return EXIT_OK;
    }
    case 'assets-list': {
      const profile = await unlockProfile(s);
      const assets: AssetSummary[] = [];
      let total: number;
      do {
        const page = await s.call('assets:list', { offset: assets.length, limit: ASSET_PAGE_SIZE });
        total = page.total;
        assets.push(...page.items);
        if (page.items.length === 0) break;
      } while (assets.length < total);
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), total, assets });
      else if (assets.length === 0) {
        s.io.stdout.write(`“${profile.name}” has no assets yet. Import some with: atelier assets import PATH...\n`);
      } else {
        s.io.stdout.write(
          table([
            ['NAME', 'SIZE', 'TYPE', 'BYTES', 'SOURCE', 'IMPORTED', 'ID'],
            ...assets.map((a) => [a.originalName, dimensions(a), a.mime, String(a.byteSize), a.source, a.importedAt, a.id]),
          ]),
        );
      }
      return EXIT_OK;
    }
    case 'assets-import':
      return importAssets(s, command.paths, command.source);
  }
}

async function importAssets(
  s: Session,
  files: string[],
  source: Extract<CliCommand, { kind: 'assets-import' }>['source'],
): Promise<number> {
  const profile = await unlockProfile(s);
  const progress = new ProgressLine(s.io.stderr, files.length);
  const results: CliImportResult[] = [];
  let jobFailure: ErrorInfo | null = null;
  let current: string | null = null;
  let interrupted = false;
  // First Ctrl+C cancels the job (what was imported stays); a second one quits at once.
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    progress.clear();
    s.io.stderr.write('Cancelling the import… (press Ctrl+C again to quit at once)\n');
    if (current) s.call('jobs:cancel', { jobId: current }).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    for (let start = 0; start < files.length && !interrupted; start += IMPORT_BATCH_MAX) {
      const batch = files.slice(start, start + IMPORT_BATCH_MAX);
      const sources = batch.map((file) => ({ kind: 'path' as const, path: path.resolve(s.io.cwd, file) }));
      const queued = await s.call('assets:import', { sources, source });
      current = queued.id;
      if (interrupted) s.call('jobs:cancel', { jobId: queued.id }).catch(() => undefined);
      const job = await waitForJob(s, queued.id, (j) => progress.show(start, j));
      current = null;
      results.push(...batchResults(batch, job));
      if (job.state !== 'succeeded') {
        // The rest of the files are not started: a stopped batch would leave the per-file lines out of order.
        if (job.state !== 'cancelled') {
          jobFailure = job.error ?? { code: 'INTERNAL', message: 'The import stopped unexpectedly.' };
        }
        break;
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    progress.clear();
  }
  // Files never handed to a job (after Ctrl+C or a failed batch) still get a line each.
  for (const file of files.slice(results.length)) {
    results.push({
      file,
      ok: false,
      error: jobFailure ?? { code: 'CANCELLED', message: `The import was cancelled before “${path.basename(file)}”.` },
    });
  }

  const imported = results.filter((r) => r.ok && !r.duplicate).length;
  const duplicates = results.filter((r) => r.ok && r.duplicate).length;
  const failed = results.filter((r) => !r.ok).length;
  const firstFailure = results.find((r): r is Extract<CliImportResult, { ok: false }> => !r.ok);
  const error: ErrorInfo | null =
    jobFailure ??
    (firstFailure
      ? {
          code: firstFailure.error.code,
          // The per-file messages already name their file.
          message:
            failed === 1
              ? firstFailure.error.message
              : `${failed} of ${files.length} files could not be imported. The first: ${firstFailure.error.message}`,
        }
      : null);

  if (s.inv.json) {
    writeJson(s.io, {
      ok: error === null,
      profile: profileRef(profile),
      imported,
      duplicates,
      failed,
      results,
      ...(error ? { error } : {}),
    });
  } else {
    // Three columns so a long error message does not stretch the others.
    const rows = results.map((r) =>
      r.ok
        ? [r.duplicate ? 'duplicate' : 'imported', r.file, `${dimensions(r.asset)}  ${r.asset.mime}  ${r.asset.id}`]
        : ['failed', r.file, `${r.error.code}  ${r.error.message}`],
    );
    s.io.stdout.write(table(rows));
    s.io.stdout.write(`${imported} imported, ${duplicates} ${duplicates === 1 ? 'duplicate' : 'duplicates'}, ${failed} failed.\n`);
  }
  if (error) s.io.stderr.write(`atelier: ${error.message}\n`);
  if (interrupted) return EXIT_INTERRUPTED;
  if (jobFailure?.code === 'INTERNAL') return EXIT_INTERNAL_ERROR;
  return error ? EXIT_USER_ERROR : EXIT_OK;
}

/** The finished job's per-file report, in the order the files were given. */
function batchResults(batch: string[], job: JobSummary): CliImportResult[] {
  const reported = job.result?.results ?? [];
  // A stopped job reports the files it reached; the caller accounts for the rest.
  const reached = job.state === 'succeeded' ? batch.length : Math.min(reported.length, batch.length);
  return batch.slice(0, reached).map((file, i) => {
    const r = reported[i];
    if (!r) return { file, ok: false, error: { code: 'INTERNAL', message: `Atelier lost track of “${path.basename(file)}”.` } };
    return r.ok ? { file, ok: true, duplicate: r.duplicate, asset: r.asset } : { file, ok: false, error: r.error };
  });
}

/** Resolves with the job once it is final (the events report it; a slow poll backs them up). */
function waitForJob(s: Session, jobId: string, onUpdate: (job: JobSummary) => void): Promise<JobSummary> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      stopEvents();
      clearInterval(timer);
      fn();
    };
    // The final event may arrive before the job row holds its whole result; read the row once more.
    const finish = (): void => {
      s.call('jobs:get', { jobId }).then(
        (job) => settle(() => resolve(job)),
        (e: unknown) => settle(() => reject(e)),
      );
    };
    const stopEvents = s.studio.events.on('jobs:updated', (job) => {
      if (job.id !== jobId || settled) return;
      onUpdate(job);
      if (FINAL_STATES.has(job.state)) finish();
    });
    const check = (): void => {
      s.call('jobs:get', { jobId }).then(
        (job) => {
          if (!settled) onUpdate(job);
          if (FINAL_STATES.has(job.state)) settle(() => resolve(job));
        },
        (e: unknown) => settle(() => reject(e)),
      );
    };
    const timer = setInterval(check, JOB_POLL_MS);
    check();
  });
}

/** Finds the profile (by --profile, or the only one) and unlocks it. */
async function unlockProfile(s: Session): Promise<ProfileSummary> {
  const profiles = await s.call('profiles:list', {});
  const wanted = s.inv.profile;
  const names = profiles.map((p) => `“${p.name}”`).join(', ');
  let profile: ProfileSummary | undefined;
  if (wanted !== null) {
    profile = profiles.find((p) => p.id === wanted) ?? profiles.find((p) => profileNameKey(p.name) === profileNameKey(wanted));
    if (!profile) {
      throw new AtelierError(
        'NOT_FOUND',
        profiles.length
          ? `There is no profile named “${wanted}” in ${s.dataDir}. Profiles here: ${names}.`
          : `There is no profile named “${wanted}”: ${s.dataDir} has no profiles yet. Create one with: atelier profile create NAME`,
      );
    }
  } else if (profiles.length === 1) {
    profile = profiles[0]!;
  } else if (profiles.length === 0) {
    throw new AtelierError('NOT_FOUND', `${s.dataDir} has no profiles yet. Create one with: atelier profile create NAME`);
  } else {
    throw new AtelierError('VALIDATION', `Choose a profile with --profile NAME. Profiles here: ${names}.`);
  }
  const password = await readPassword(s, profile.name, false);
  return s.call('profiles:unlock', { profileId: profile.id, password });
}

/** --password-stdin, else $ATELIER_PASSWORD, else a hidden prompt when a person is at the terminal. */
async function readPassword(s: Session, profileName: string, confirm: boolean): Promise<string> {
  const { io, inv } = s;
  if (inv.passwordStdin) {
    const line = await readFirstLine(io.stdin);
    if (line === null || line === '') {
      throw new AtelierError('VALIDATION', 'No password on standard input: --password-stdin reads it from the first line.');
    }
    return line;
  }
  const fromEnv = io.env.ATELIER_PASSWORD;
  if (fromEnv) return fromEnv;
  if (io.stdin.isTTY && io.stderr.isTTY && io.stdin.setRawMode) {
    const password = await promptHidden(io, `Password for “${profileName}”: `);
    if (confirm && (await promptHidden(io, 'Type it again: ')) !== password) {
      throw new AtelierError('VALIDATION', 'The two passwords differ. Nothing was created; try again.');
    }
    return password;
  }
  throw new AtelierError(
    'VALIDATION',
    `The password of “${profileName}” is needed: set ATELIER_PASSWORD or pass --password-stdin and pipe it in.`,
  );
}

/** The first line of a stream (without its line ending), or null when it ends with nothing. */
function readFirstLine(stream: Input): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (line: string | null): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      // The rest of stdin is not ours to read; letting go lets the process exit.
      stream.pause();
      if ('destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
      resolve(line);
    };
    const onData = (chunk: Buffer | string): void => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline >= 0) done(text.slice(0, newline).replace(/\r$/, ''));
    };
    const onEnd = (): void => done(text === '' ? null : text.replace(/\r$/, ''));
    const onError = (e: unknown): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      reject(new AtelierError('VALIDATION', 'Standard input could not be read for the password.', e));
    };
    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onError);
    stream.resume();
  });
}

/** Reads a line from the terminal without echoing it. Ctrl+C stops the command. */
function promptHidden(io: CliIo, question: string): Promise<string> {
  const stdin = io.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') {
          done();
          resolve(value);
          return;
        }
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) {
          done();
          reject(new Interrupted());
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    io.stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/** One line on a terminal's stderr, redrawn in place: "Importing 3/12 (25%) — Thumbnail 3 of 12: sketch.png". */
class ProgressLine {
  private shown = false;
  constructor(
    private readonly out: Output,
    private readonly total: number,
  ) {}

  show(offset: number, job: JobSummary): void {
    if (!this.out.isTTY) return;
    const batchSize = Math.min(IMPORT_BATCH_MAX, this.total - offset);
    const done = Math.min(this.total, offset + Math.floor(job.progress * batchSize));
    const percent = Math.round((done / this.total) * 100);
    const columns = (this.out as { columns?: number }).columns || 80;
    const line = `Importing ${done}/${this.total} (${percent}%)${job.stage ? ` — ${job.stage}` : ''}`;
    this.out.write(`\r\x1b[2K${Array.from(line).slice(0, columns - 1).join('')}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}

function reportError(io: CliIo, json: boolean, info: ErrorInfo): number {
  const error = { code: info.code, message: info.message };
  if (json) writeJson(io, { ok: false, error });
  io.stderr.write(`atelier: ${info.message}\n`);
  return info.code === 'INTERNAL' ? EXIT_INTERNAL_ERROR : EXIT_USER_ERROR;
}

/**
 * better-sqlite3 is rebuilt for Electron by `npm start`; loaded under plain Node afterwards it fails with one of
 * these (Node's dlopen messages), and the fix is one command.
 */
const NATIVE_BUILD_MISMATCH = /NODE_MODULE_VERSION|ERR_DLOPEN_FAILED|did not self-register/;

/** For an internal error the creator gets the log line too: the CLI has no other log. */
function describeInternal(e: unknown): string {
  // An AtelierError's own stack only shows where it was rethrown; its details hold the cause.
  if (e instanceof AtelierError) return e.details === undefined ? e.message : `${e.message}\n${safeJson(e.details)}`;
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

function writeJson(io: CliIo, doc: unknown): void {
  io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

function profileRef(p: ProfileSummary): { id: string; name: string } {
  return { id: p.id, name: p.name };
}

function dimensions(a: AssetSummary): string {
  return a.width !== null && a.height !== null ? `${a.width}×${a.height}` : '-';
}

/** Columns padded to their widest cell; the last column is left ragged. */
function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, Array.from(cell).length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - Array.from(cell).length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}
