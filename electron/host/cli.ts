// The `atelier` command: runs a studio in-process and drives it through dispatch(), so validation, error
// codes and messages are the app's own. Output: human lines, or one JSON document with --json (docs/cli.md).
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError, toErrorInfo, type ErrorCode, type ErrorInfo } from '../../engine/errors';
import {
  IMPORT_BATCH_MAX,
  type AssetDetail,
  type AssetHealth,
  type AssetSummary,
  type AssetTag,
  type Channel,
  type ChannelInput,
  type ChannelOutput,
  type CropRect,
  type Finding,
  type FindingCheck,
  type JobState,
  type JobSummary,
  type ProfileSummary,
  type QualityReport,
  type TrimRange,
} from '../../preload/contract';
import { dispatch } from '../dispatch';
import type { Studio } from '../studio';
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

/**
 * One file of `assets import`. `file` is the path as given, or for a file found in a folder that folder as given
 * joined with the file's path inside it ("portfolio/flash/rose.png"); `given` is the PATH argument it came from.
 */
export type CliImportResult =
  | {
      file: string;
      given: string;
      ok: true;
      duplicate: boolean;
      asset: AssetSummary;
      health: AssetHealth;
      problems: FindingCheck[];
      report: QualityReport;
    }
  | { file: string; given: string; ok: false; error: { code: ErrorCode; message: string } };

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
    // Loaded here, not at the top: help and version must work without the database and image modules.
    const { createStudio } = await import('../studio');
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
    case 'assets-import':
      return importAssets(s, command);
    case 'assets-list':
      return listAssets(s, command);
    case 'assets-show': {
      const profile = await unlockProfile(s);
      const asset = await s.call('assets:get', { assetId: command.assetId });
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), asset });
      else s.io.stdout.write(describeAsset(asset));
      return EXIT_OK;
    }
    case 'assets-tag': {
      const profile = await unlockProfile(s);
      const { changed } = await s.call('assets:tag', { assetIds: command.assetIds, add: command.add, remove: command.remove });
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), changed });
      else {
        const edits = [...command.add.map((t) => `+${tagText(t)}`), ...command.remove.map((t) => `−${tagText(t)}`)];
        s.io.stdout.write(`${edits.join(', ')}: ${plural(changed, 'asset')} changed (of ${command.assetIds.length}).\n`);
      }
      return EXIT_OK;
    }
    case 'assets-crop': {
      const profile = await unlockProfile(s);
      const asset = await s.call('assets:crop', { assetId: command.assetId, crop: command.crop });
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), asset });
      else {
        s.io.stdout.write(
          asset.crop
            ? `Crop of “${asset.originalName}” set: ${cropText(asset.crop)}.\n`
            : `Crop of “${asset.originalName}” cleared: training uses the whole image.\n`,
        );
      }
      return EXIT_OK;
    }
    case 'assets-trim': {
      const profile = await unlockProfile(s);
      const asset = await s.call('assets:trim', { assetId: command.assetId, trim: command.trim });
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), asset });
      else {
        s.io.stdout.write(
          asset.trim
            ? `Trim of “${asset.originalName}” set: ${trimText(asset.trim)}.\n`
            : `Trim of “${asset.originalName}” cleared: training uses the whole recording.\n`,
        );
      }
      return EXIT_OK;
    }
    case 'assets-health':
      return setHealth(s, command);
    case 'assets-fix': {
      const profile = await unlockProfile(s);
      const { changed } = await s.call('assets:fix', { fix: command.fix, assetIds: command.assetIds });
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), fix: command.fix, changed });
      else s.io.stdout.write(`${command.fix}: ${plural(changed, 'asset')} changed (of ${command.assetIds.length}).\n`);
      return EXIT_OK;
    }
    case 'assets-archive': {
      const profile = await unlockProfile(s);
      const { changed } = await s.call('assets:archive', { assetIds: command.assetIds, archived: command.archived });
      if (s.inv.json) writeJson(s.io, { ok: true, profile: profileRef(profile), archived: command.archived, changed });
      else s.io.stdout.write(`${command.archived ? 'Archived' : 'Restored'} ${plural(changed, 'asset')} (of ${command.assetIds.length}).\n`);
      return EXIT_OK;
    }
  }
}

async function listAssets(s: Session, command: Extract<CliCommand, { kind: 'assets-list' }>): Promise<number> {
  const profile = await unlockProfile(s);
  const assets: AssetSummary[] = [];
  let total: number;
  if (command.limit !== null) {
    const page = await s.call('assets:list', { ...command.filters, offset: command.offset, limit: command.limit });
    total = page.total;
    assets.push(...page.items);
  } else {
    // Without --limit: every asset from --offset on, a page at a time.
    do {
      const page = await s.call('assets:list', { ...command.filters, offset: command.offset + assets.length, limit: ASSET_PAGE_SIZE });
      total = page.total;
      assets.push(...page.items);
      if (page.items.length === 0) break;
    } while (command.offset + assets.length < total);
  }
  if (s.inv.json) {
    writeJson(s.io, { ok: true, profile: profileRef(profile), total, offset: command.offset, assets });
    return EXIT_OK;
  }
  const filtered = Object.keys(command.filters).some((k) => k !== 'archived') || command.filters.archived;
  if (total === 0) {
    s.io.stdout.write(
      filtered
        ? `No assets in “${profile.name}” match these filters.\n`
        : `“${profile.name}” has no assets yet. Import some with: atelier assets import PATH...\n`,
    );
    return EXIT_OK;
  }
  s.io.stdout.write(
    table([
      ['NAME', 'KIND', 'SIZE', 'SOURCE', 'HEALTH', 'PROBLEMS', 'TAGS', 'ID'],
      ...assets.map((a) => [
        a.originalName,
        a.kind,
        extent(a),
        a.source,
        a.health,
        a.problems.join(',') || '-',
        a.tags.map(tagText).join(',') || '-',
        a.id,
      ]),
    ]),
  );
  if (assets.length < total) {
    s.io.stdout.write(`${assets.length} shown (from ${command.offset + 1}) of ${total}.\n`);
  }
  return EXIT_OK;
}

/** One `assets import` job: consecutive file arguments share one, each folder gets its own. */
interface ImportGroup {
  /** The PATH arguments as given: one folder, or up to IMPORT_BATCH_MAX files. */
  given: string[];
  folder: boolean;
}

async function importGroups(s: Session, paths: string[]): Promise<ImportGroup[]> {
  const groups: ImportGroup[] = [];
  for (const given of paths) {
    // A path that cannot be read is passed on as a file: the import names it with the app's own message.
    const stat = await fs.stat(path.resolve(s.io.cwd, given)).catch(() => null);
    const folder = stat?.isDirectory() ?? false;
    const last = groups.at(-1);
    if (!folder && last && !last.folder && last.given.length < IMPORT_BATCH_MAX) last.given.push(given);
    else groups.push({ given: [given], folder });
  }
  return groups;
}

async function importAssets(s: Session, command: Extract<CliCommand, { kind: 'assets-import' }>): Promise<number> {
  const profile = await unlockProfile(s);
  const groups = await importGroups(s, command.paths);
  const progress = new ProgressLine(s.io.stderr);
  /** Each group's results, once its job has ended (or was refused). */
  const byGroup: Array<CliImportResult[] | undefined> = [];
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
    for (const [index, group] of groups.entries()) {
      if (interrupted) break;
      const sources = group.given.map((given) => ({ kind: 'path' as const, path: path.resolve(s.io.cwd, given) }));
      let queued: JobSummary;
      try {
        queued = await s.call('assets:import', {
          sources,
          source: command.source,
          ...(command.deliveredAt !== null ? { deliveredAt: command.deliveredAt } : {}),
        });
      } catch (e) {
        // A folder that cannot be read or holds too many files is refused before any job starts: that argument
        // fails, the others still import.
        const info = toErrorInfo(e);
        if (info.code === 'INTERNAL') throw e;
        byGroup[index] = group.given.map((given) => {
          const named = info.message.includes(path.basename(given)) ? info.message : `Nothing imported from “${given}”: ${info.message}`;
          return { file: given, given, ok: false, error: { code: info.code, message: named } };
        });
        continue;
      }
      current = queued.id;
      if (interrupted) s.call('jobs:cancel', { jobId: queued.id }).catch(() => undefined);
      const label = group.folder ? `“${group.given[0]}”` : plural(group.given.length, 'file');
      const job = await waitForJob(s, queued.id, (j) => progress.show(groups.length > 1 ? `${label} (${index + 1} of ${groups.length})` : label, j));
      current = null;
      byGroup[index] = await groupResults(s, group, job);
      if (job.state !== 'succeeded') {
        // Later groups are not started: a stopped import would leave the per-file lines out of order.
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
  // Arguments never reached (after Ctrl+C or a failed job) still get a line each.
  const notReached = (given: string): CliImportResult => ({
    file: given,
    given,
    ok: false,
    error: jobFailure ?? { code: 'CANCELLED', message: `The import was cancelled before “${path.basename(given)}”.` },
  });
  const results: CliImportResult[] = groups.flatMap((group, index) => {
    const out = byGroup[index] ?? [];
    if (group.folder) return out.length > 0 ? out : [notReached(group.given[0]!)];
    return [...out, ...group.given.slice(out.length).map(notReached)];
  });

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
              : `${failed} of ${results.length} files could not be imported. The first: ${firstFailure.error.message}`,
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
        ? [
            r.duplicate ? 'duplicate' : 'imported',
            r.file,
            `${extent(r.asset)}  ${r.asset.mime}  ${healthText(r.health, r.problems)}  ${r.asset.id}`,
          ]
        : ['failed', r.file, `${r.error.code}  ${r.error.message}`],
    );
    s.io.stdout.write(table(rows));
    s.io.stdout.write(`${imported} imported, ${plural(duplicates, 'duplicate')}, ${failed} failed.`);
    const withProblems = results.filter((r) => r.ok && r.problems.length > 0).length;
    s.io.stdout.write(withProblems > 0 ? ` ${withProblems} with problems: see atelier assets show ID.\n` : '\n');
  }
  if (error) s.io.stderr.write(`atelier: ${error.message}\n`);
  if (interrupted) return EXIT_INTERRUPTED;
  if (jobFailure?.code === 'INTERNAL') return EXIT_INTERNAL_ERROR;
  return error ? EXIT_USER_ERROR : EXIT_OK;
}

/** The finished job's per-file report as CLI results, each ok one with its asset's quality report. */
async function groupResults(s: Session, group: ImportGroup, job: JobSummary): Promise<CliImportResult[]> {
  const reported = job.result?.results ?? [];
  const out: CliImportResult[] = [];
  if (group.folder) {
    const folder = group.given[0]!;
    // The service names a folder's files by their path from the folder's parent ("portfolio/flash/rose.png");
    // joined to the argument as given, each becomes a path that opens from the current directory.
    const prefix = `${path.basename(path.resolve(s.io.cwd, folder))}/`;
    for (const r of reported) {
      // An empty folder comes back as one result named after the folder itself.
      const inside = r.name.startsWith(prefix) ? r.name.slice(prefix.length) : r.name === prefix.slice(0, -1) ? '' : r.name;
      const file = inside === '' ? folder : path.join(folder, ...inside.split('/'));
      out.push(r.ok ? await withReport(s, file, folder, r.duplicate, r.asset) : { file, given: folder, ok: false, error: r.error });
    }
    if (job.state === 'succeeded' && reported.length === 0) {
      out.push({
        file: folder,
        given: folder,
        ok: false,
        error: { code: 'NOT_FOUND', message: `“${folder}” holds no files to import (hidden files and folders are skipped).` },
      });
    }
    return out;
  }
  // Files: one result per file, in order. A stopped job reports the files it reached; the caller accounts for the rest.
  const reached = job.state === 'succeeded' ? group.given.length : Math.min(reported.length, group.given.length);
  for (const [i, file] of group.given.slice(0, reached).entries()) {
    const r = reported[i];
    if (!r) out.push({ file, given: file, ok: false, error: { code: 'INTERNAL', message: `Atelier lost track of “${path.basename(file)}”.` } });
    else out.push(r.ok ? await withReport(s, file, file, r.duplicate, r.asset) : { file, given: file, ok: false, error: r.error });
  }
  return out;
}

async function withReport(s: Session, file: string, given: string, duplicate: boolean, asset: AssetSummary): Promise<CliImportResult> {
  const detail = await s.call('assets:get', { assetId: asset.id });
  const { report, ...summary } = detail;
  return { file, given, ok: true, duplicate, asset: summary, health: detail.health, problems: detail.problems, report };
}

async function setHealth(s: Session, command: Extract<CliCommand, { kind: 'assets-health' }>): Promise<number> {
  const profile = await unlockProfile(s);
  const health = await s.call('assets:health', {
    selection: command.selection,
    ...(command.subcategory !== null ? { subcategory: command.subcategory } : {}),
  });
  if (s.inv.json) {
    writeJson(s.io, { ok: true, profile: profileRef(profile), health });
    return EXIT_OK;
  }
  const out: string[] = [];
  const kind = health.kind === 'mixed' ? 'assets of mixed kinds' : `${health.kind} assets`;
  out.push(`Set of ${health.count} ${kind}${command.subcategory ? ` for ${command.subcategory}` : ''}.`);
  out.push('');
  out.push(health.findings.length === 0 ? 'No set-level findings.' : `Set findings (${health.findings.length}):`);
  if (health.findings.length > 0) out.push(findingTable(health.findings, '  '));
  const perAsset = Object.entries(health.perAsset).filter(([, findings]) => findings.length > 0);
  if (perAsset.length > 0) {
    out.push('');
    out.push(`Per asset (${perAsset.length}):`);
    for (const [assetId, findings] of perAsset) {
      const name = await s.call('assets:get', { assetId }).then(
        (a) => a.originalName,
        () => null,
      );
      out.push(`  ${name ? `${name} (${assetId})` : assetId}`);
      out.push(findingTable(findings, '    '));
    }
  }
  out.push('');
  if (health.fixes.length === 0) out.push('No one-click fixes.');
  else {
    out.push('One-click fixes:');
    for (const fix of health.fixes) out.push(`  ${fix.label}: atelier assets fix ${fix.fix} ${fix.assetIds.join(' ')}`);
  }
  s.io.stdout.write(`${out.join('\n').replace(/\n+$/, '')}\n`);
  return EXIT_OK;
}

/** `assets show` for people: the asset, its findings as a table with their numbers, then the measurements. */
function describeAsset(a: AssetDetail): string {
  const out: string[] = [];
  const facts: Array<[string, string]> = [
    ['Name', a.originalName],
    ['ID', a.id],
    ['Kind', `${a.kind} (${a.mime}, ${a.byteSize} bytes)`],
    ['Size', extent(a)],
    ['Source', a.source + (a.deliveredAt ? `, delivered ${a.deliveredAt}` : '')],
    ['Imported', a.importedAt],
    ['Tags', a.tags.map(tagText).join(', ') || '-'],
  ];
  if (a.kind === 'image') facts.push(['Crop', a.crop ? cropText(a.crop) : 'none (whole image)']);
  if (a.kind === 'audio') facts.push(['Trim', a.trim ? trimText(a.trim) : 'none (whole recording)']);
  if (a.archived) facts.push(['Archived', 'yes (restore with: atelier assets restore ID)']);
  facts.push(['Health', healthText(a.health, a.problems)]);
  out.push(keyValues(facts));
  out.push('');
  const findings = a.report.findings;
  out.push(findings.length === 0 ? 'Findings: none.' : `Findings (${findings.length}):`);
  if (findings.length > 0) out.push(findingTable(findings, '  '));
  const metrics = reportMetrics(a.report);
  if (metrics.length > 0) {
    out.push('');
    out.push('Measurements:');
    out.push(keyValues(metrics, '  '));
  }
  if (a.report.suggestedTags.length > 0) {
    out.push('');
    out.push(`Suggested tags: ${a.report.suggestedTags.map(tagText).join(', ')}`);
  }
  return `${out.join('\n')}\n`;
}

function reportMetrics(report: QualityReport): Array<[string, string]> {
  const rows: Array<[string, string]> = [];
  if (report.image) {
    const m = report.image;
    rows.push(['Pixels', `${m.width}×${m.height}`]);
    rows.push(['Sharpness', `${num(m.sharpness)} (variance of the Laplacian; higher is sharper)`]);
    rows.push(['Colourfulness', `${num(m.colourfulness)} (${m.monochrome ? 'monochrome' : 'colour'})`]);
    rows.push(['Overlay likelihood', num(m.overlayScore)]);
    rows.push(['Palette', m.palette.join(' ') || '-']);
    rows.push(['Perceptual hash', m.phash]);
    rows.push(['Suggested crop', m.suggestedCrop ? cropText(m.suggestedCrop) : 'none (already square)']);
  }
  if (report.audio) {
    const m = report.audio;
    rows.push(['Duration', `${num(m.durationMs / 1000)} s`]);
    rows.push(['Format', `${m.codec}, ${m.sampleRate} Hz, ${m.channels} ch${m.bitDepth !== null ? `, ${m.bitDepth}-bit` : ''}`]);
    rows.push(['Loudness', `${num(m.integratedLufs)} LUFS integrated, true peak ${num(m.truePeakDbtp)} dBTP`]);
    rows.push(['Noise', `floor ${num(m.noiseFloorDbfs)} dBFS, SNR ${num(m.snrDb)} dB`]);
    rows.push(['Clipping', `${num(m.clippingRatio * 100)} % of samples`]);
    rows.push(['Content', `voice ${num(m.voiceRatio * 100)} %, music ${num(m.musicRatio * 100)} % of frames`]);
    rows.push(['Voices', `${m.voiceCount} — ${m.voiceCountBasis}`]);
    rows.push(['Silence', `${m.leadingSilenceMs} ms at the start, ${m.trailingSilenceMs} ms at the end`]);
    if (m.tempoBpm !== null) rows.push(['Tempo', `${num(m.tempoBpm)} BPM`]);
  }
  if (report.text) {
    const m = report.text;
    rows.push(['Text', `${m.format}: ${m.words} words, ${m.characters} characters, ${m.lines} lines`]);
  }
  return rows;
}

/** Findings as aligned rows: severity, check, the measured number, the rule, then the reason (and its fix). */
function findingTable(findings: readonly Finding[], indent: string): string {
  const rows = [
    ['SEVERITY', 'CHECK', 'MEASURED', 'THRESHOLD', 'REASON'],
    ...findings.map((f) => [
      f.severity,
      f.check,
      measured(f),
      f.threshold,
      f.reason + (f.fix ? ` [fix: ${f.fix}]` : '') + (f.relatedAssetIds?.length ? ` [with: ${f.relatedAssetIds.join(' ')}]` : ''),
    ]),
  ];
  return table(rows)
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

function measured(f: Finding): string {
  // "3 count" reads oddly; a bare number is a count.
  if (f.unit === '' || f.unit === 'count') return num(f.metric);
  return f.unit === '%' ? `${num(f.metric)}%` : `${num(f.metric)} ${f.unit}`;
}

/** Numbers as people read them: whole numbers as they are, others to a sensible precision. */
function num(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return String(n);
  const a = Math.abs(n);
  if (a >= 100) return n.toFixed(1);
  if (a >= 1) return n.toFixed(2);
  return String(Number(n.toPrecision(3)));
}

function keyValues(rows: ReadonlyArray<[string, string]>, indent = ''): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${indent}${`${k}:`.padEnd(width + 2)}${v}`).join('\n');
}

function healthText(health: AssetHealth, problems: readonly FindingCheck[]): string {
  return problems.length > 0 ? `${health} (${problems.join(', ')})` : health;
}

function tagText(t: AssetTag): string {
  return t.kind === 'free' ? t.value : `${t.kind}:${t.value}`;
}

function cropText(c: CropRect): string {
  return `x ${c.x}, y ${c.y}, ${c.size}×${c.size} px`;
}

function trimText(t: TrimRange): string {
  return `${num(t.startMs / 1000)} s to ${num(t.endMs / 1000)} s (${num((t.endMs - t.startMs) / 1000)} s)`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
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
    const { profileNameKey } = await import('../services/profiles');
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

/** One line on a terminal's stderr, redrawn in place: "Importing 12 files: 25% — Thumbnail 3 of 12: sketch.png". */
class ProgressLine {
  private shown = false;
  constructor(private readonly out: Output) {}

  show(label: string, job: JobSummary): void {
    if (!this.out.isTTY) return;
    const columns = (this.out as { columns?: number }).columns || 80;
    const line = `Importing ${label}: ${Math.round(job.progress * 100)}%${job.stage ? ` — ${job.stage}` : ''}`;
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

/** What "size" means for the kind: pixels for images, length for recordings. */
function extent(a: AssetSummary): string {
  if (a.width !== null && a.height !== null) return `${a.width}×${a.height}`;
  if (a.durationMs !== null) return `${num(a.durationMs / 1000)} s`;
  return '-';
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
