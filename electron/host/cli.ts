// The `atelier` command: runs a studio in-process and drives it through dispatch(), so validation, error
// codes and messages are the app's own. Output: human lines, or one JSON document with --json (docs/cli.md).
import fs from 'node:fs/promises';
import path from 'node:path';
import { AtelierError, toErrorInfo, type ErrorCode, type ErrorInfo } from '../../engine/errors';
import {
  IMPORT_BATCH_MAX,
  importReportOf,
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
  type GenerationJobResult,
  type Generation,
  type JobState,
  type JobSummary,
  type ModelDetail,
  type ModelSummary,
  type ModelVersion,
  type PricingScheme,
  type ProfileSummary,
  type QualityReport,
  type SubcategoryId,
  type SubscriptionView,
  type TrainingJobResult,
  type TrimRange,
  type WatermarkCheck,
} from '../../preload/contract';
import { formatUsd, parseQuantity, pricingUnitOf, SUBCATEGORIES as RULE_SUBCATEGORIES } from '../../engine/rules';
import { dispatch } from '../dispatch';
import { fileStem } from '../services/playground';
import type { Studio } from '../studio';
import { parseCliArgs, USAGE, type CliCommand, type CliInvocation, type PricingDraft, type SubscriptionChange } from './cli-args';
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
    if (!result.ok) throw new AtelierError(result.error.code, result.error.message, result.error.details);
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
    case 'watermark-embed':
      return embedWatermark(s, command);
    case 'watermark-detect':
      return detectWatermark(s, command);
    case 'export':
      return exportGeneration(s, command);
    default:
      return runModelCommand(s, command);
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
  const progress = new ProgressLine(s.io.stderr, 'Importing', false);
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
  const reported = importReportOf(job)?.results ?? [];
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

/**
 * One line on a terminal's stderr, redrawn in place: "Importing 12 files: 25% — Thumbnail 3 of 12: sketch.png".
 * With `stagesWhenPiped`, stderr that is not a terminal gets one line per new stage instead (a log of a long wait).
 */
class ProgressLine {
  private shown = false;
  private lastStage: string | null = null;
  constructor(
    private readonly out: Output,
    private readonly verb: string,
    private readonly stagesWhenPiped: boolean,
  ) {}

  show(label: string, job: JobSummary): void {
    const line = `${this.verb} ${label}: ${Math.round(job.progress * 100)}%${job.stage ? ` — ${job.stage}` : ''}`;
    if (!this.out.isTTY) {
      if (this.stagesWhenPiped && job.stage && job.stage !== this.lastStage) this.out.write(`${line}\n`);
      this.lastStage = job.stage;
      return;
    }
    const columns = (this.out as { columns?: number }).columns || 80;
    this.out.write(`\r\x1b[2K${Array.from(line).slice(0, columns - 1).join('')}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }
}

function reportError(io: CliIo, json: boolean, info: ErrorInfo): number {
  const problems = problemsOf(info.details);
  const hint = hintFor(info);
  const error = { code: info.code, message: info.message, ...(problems.length > 0 ? { problems } : {}), ...(hint ? { hint } : {}) };
  if (json) writeJson(io, { ok: false, error });
  io.stderr.write(`atelier: ${info.message}\n`);
  // The studio's message may already list them; then they are not repeated (JSON always has them).
  if (!problems.every((p) => info.message.includes(p.message))) {
    for (const p of problems) io.stderr.write(`  ${optionOfField(p.field)}: ${p.message}\n`);
  }
  if (hint) io.stderr.write(`${hint}\n`);
  return info.code === 'INTERNAL' ? EXIT_INTERNAL_ERROR : EXIT_USER_ERROR;
}

/** VALIDATION details of pricing:set list every problem with its field (engine/rules pricingProblems). */
function problemsOf(details: unknown): Array<{ field: string; message: string }> {
  const list = (details as { problems?: unknown } | null | undefined)?.problems;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (p): p is { field: string; message: string } => typeof (p as { field?: unknown }).field === 'string' && typeof (p as { message?: unknown }).message === 'string',
  );
}

/** A pricing field as the `pricing set` option that sets it. */
function optionOfField(field: string): string {
  if (field.startsWith('unitPriceCents')) return '--price';
  if (field.startsWith('base')) return '--base';
  if (field.startsWith('increment')) return '--increment';
  if (field.startsWith('licences.commercial')) return '--commercial';
  if (field.startsWith('licences.broadcast')) return '--broadcast';
  return field;
}

/** What to do next, for the errors whose remedy is another command (the app's message says why). */
function hintFor(info: ErrorInfo): string | null {
  switch (info.code) {
    case 'SUBSCRIPTION_REQUIRED':
      return 'Until the Market manages subscriptions, set it with: atelier subscription set active --since DATE';
    case 'QUOTA_EXCEEDED':
      return 'atelier models show MODEL shows the trainings left and when they reset (failed and cancelled runs do not count).';
    case 'ACTIVE_LIMIT':
      return 'Withdraw one first: atelier models withdraw MODEL';
    default:
      return null;
  }
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

// ---------------------------------------------------------------------------------------------------
// Issue 5: models, training, versions, playground, pricing, subscription, publishing

type ModelCommand = Extract<
  CliCommand,
  {
    kind:
      | 'models-create'
      | 'models-list'
      | 'models-show'
      | 'models-rename'
      | 'models-assets'
      | 'models-activate'
      | 'models-delete'
      | 'train'
      | 'versions-list'
      | 'versions-activate'
      | 'versions-delete'
      | 'generate'
      | 'playground-list'
      | 'pricing-show'
      | 'pricing-set'
      | 'pricing-quote'
      | 'subscription-show'
      | 'subscription-set'
      | 'publish-check';
  }
>;

async function runModelCommand(s: Session, command: ModelCommand): Promise<number> {
  const profile = await unlockProfile(s);
  const ref = profileRef(profile);
  const done = (doc: Record<string, unknown>, human: string): number => {
    if (s.inv.json) writeJson(s.io, { ok: true, profile: ref, ...doc });
    else s.io.stdout.write(human.endsWith('\n') ? human : `${human}\n`);
    return EXIT_OK;
  };
  switch (command.kind) {
    case 'models-create': {
      const model = await s.call('models:create', { subcategory: command.subcategory });
      return done(
        { model },
        `Created a ${subcategoryLabel(model.subcategory)} model (id ${model.id}); it is named when it first trains.\n` +
          `Next: atelier models assets ${model.id} --add ASSET... (or --all-recent), then: atelier train ${model.id}`,
      );
    }
    case 'models-list': {
      const models = await s.call('models:list', {});
      if (models.length === 0 && !s.inv.json) {
        return done({}, `“${profile.name}” has no models yet. Create one with: atelier models create --subcategory SUB`);
      }
      return done(
        { models },
        table([
          ['NAME', 'SUBCATEGORY', 'ASSETS', 'VERSION', 'STATE', 'TRAININGS', 'ID'],
          ...models.map((m) => [m.displayName, m.subcategory, String(m.assetCount), versionText(m), modelState(m), m.quota.line, m.id]),
        ]),
      );
    }
    case 'models-show': {
      const model = await resolveModel(s, command.model);
      const detail = await s.call('models:get', { modelId: model.id });
      return done({ model: detail }, describeModel(detail));
    }
    case 'models-rename': {
      const model = await resolveModel(s, command.model);
      const renamed = await s.call('models:rename', { modelId: model.id, name: command.name });
      return done({ model: renamed }, `Renamed “${model.displayName}” to “${renamed.displayName}”.`);
    }
    case 'models-assets': {
      const model = await resolveModel(s, command.model);
      const add = await resolveAssets(s, command.add);
      const remove = await resolveAssets(s, command.remove);
      const updated = await s.call(
        'models:assets',
        command.allRecent ? { modelId: model.id, selection: { mode: 'all-recent' } } : { modelId: model.id, add, remove },
      );
      const learns =
        updated.selection.mode === 'all-recent'
          ? `the last ${plural(updated.assetCount, 'work sample')} of its kind (All)`
          : plural(updated.assetCount, 'picked asset');
      const stale = updated.stale ? `\nChanged since version ${updated.activeVersion}: ${updated.staleReasons.join('; ')}. Train again to use them.` : '';
      return done({ model: updated }, `“${updated.displayName}” learns from ${learns}.${stale}`);
    }
    case 'models-activate': {
      const model = await resolveModel(s, command.model);
      const updated = await s.call('models:activate', { modelId: model.id, active: command.active });
      return done(
        { model: updated },
        command.active
          ? `Published “${updated.displayName}” (it goes on the Market once the Market exists).`
          : `Withdrew “${updated.displayName}”.`,
      );
    }
    case 'models-delete': {
      const model = await resolveModel(s, command.model);
      await s.call('models:delete', { modelId: model.id });
      return done({ deleted: { id: model.id, name: model.displayName } }, `Deleted “${model.displayName}”, its versions and its playground outputs.`);
    }
    case 'train':
      return train(s, ref, command.model);
    case 'versions-list': {
      const model = await resolveModel(s, command.model);
      const versions = await s.call('versions:list', { modelId: model.id });
      if (versions.length === 0 && !s.inv.json) return done({}, `“${model.displayName}” has no versions yet. Train it with: atelier train ${model.id}`);
      return done({ model: modelRef(model), versions }, versionTable(versions));
    }
    case 'versions-activate': {
      const model = await resolveModel(s, command.model);
      const updated = await s.call('versions:activate', { modelId: model.id, version: command.version });
      return done({ model: updated }, `Version ${command.version} of “${updated.displayName}” is now the active one.`);
    }
    case 'versions-delete': {
      const model = await resolveModel(s, command.model);
      const updated = await s.call('versions:delete', { modelId: model.id, version: command.version });
      return done({ model: updated }, `Deleted version ${command.version} of “${updated.displayName}” (${plural(updated.versionCount, 'version')} left).`);
    }
    case 'generate':
      return generate(s, ref, command);
    case 'playground-list': {
      const model = await resolveModel(s, command.model);
      const page = await s.call('playground:list', {
        modelId: model.id,
        ...(command.search !== null ? { search: command.search } : {}),
        ...(command.limit !== null ? { limit: command.limit } : {}),
      });
      if (page.total === 0 && !s.inv.json) return done({}, `“${model.displayName}” has no playground outputs yet. Make some with: atelier generate ${model.id} --prompt TEXT --out DIR`);
      const rows = page.items.map((g) => [g.createdAt, `v${g.version}`, String(g.seed), g.mode, `${g.width}×${g.height}`, g.prompt ?? g.referenceName ?? '-', g.id]);
      const more = page.items.length < page.total ? `${page.items.length} shown of ${page.total}.\n` : '';
      return done({ model: modelRef(model), total: page.total, generations: page.items }, table([['CREATED', 'VERSION', 'SEED', 'MODE', 'SIZE', 'PROMPT', 'ID'], ...rows]) + more);
    }
    case 'pricing-show': {
      const model = await resolveModel(s, command.model);
      const pricing = await s.call('pricing:get', { modelId: model.id });
      return done(
        { model: modelRef(model), pricing },
        pricing ? `“${model.displayName}”: ${pricingText(model.subcategory, pricing)}` : `“${model.displayName}” has no pricing yet. Set it with: atelier pricing set ${model.id} --scheme per-unit --price USD`,
      );
    }
    case 'pricing-set': {
      const model = await resolveModel(s, command.model);
      const updated = await s.call('pricing:set', { modelId: model.id, pricing: pricingFor(model, command.pricing) });
      return done({ model: updated, pricing: updated.pricing }, `Pricing of “${updated.displayName}” set: ${updated.pricing ? pricingText(updated.subcategory, updated.pricing) : 'none'}`);
    }
    case 'pricing-quote': {
      const model = await resolveModel(s, command.model);
      const quote = await s.call('pricing:quote', { modelId: model.id, quantity: command.quantity, licence: command.licence });
      const lines = quote.lines.map((l) => [l.label, formatUsd(l.cents)]);
      return done({ model: modelRef(model), quote }, `${table([...lines, ['Total', formatUsd(quote.totalCents)]])}${quote.summary}`);
    }
    case 'subscription-show': {
      const subscription = await s.call('subscription:get', {});
      return done({ subscription }, describeSubscription(subscription));
    }
    case 'subscription-set': {
      const subscription = await s.call('subscription:set', { state: await subscriptionState(s, command.state) });
      return done({ subscription }, describeSubscription(subscription));
    }
    case 'publish-check': {
      const model = await resolveModel(s, command.model);
      const check = await s.call('publishing:check', { modelId: model.id });
      return done(
        { model: modelRef(model), check },
        check.ready
          ? `“${model.displayName}” is ready to publish: atelier models publish ${model.id}`
          : `“${model.displayName}” cannot be published yet:\n${check.blockers.map((b) => `  - ${b.message}`).join('\n')}`,
      );
    }
  }
}

function modelRef(m: ModelSummary): { id: string; name: string } {
  return { id: m.id, name: m.displayName };
}

function subcategoryLabel(id: string): string {
  return RULE_SUBCATEGORIES.find((sub) => sub.id === id)?.label ?? id;
}

function versionText(m: ModelSummary): string {
  return m.activeVersion === null ? '-' : `v${m.activeVersion} (${m.versionCount})`;
}

function modelState(m: ModelSummary): string {
  const states = [m.training ? 'training' : null, m.active ? 'published' : null, m.stale ? 'stale' : null].filter((x) => x !== null);
  return states.join(',') || (m.activeVersion === null ? 'untrained' : 'ready');
}

/**
 * MODEL as typed: a model id, else its name (any case, runs of space and apostrophe style ignored, like the
 * app's own name matching). NOT_FOUND listing the models; VALIDATION when the name fits several.
 */
async function resolveModel(s: Session, text: string): Promise<ModelSummary> {
  const models = await s.call('models:list', {});
  const byId = models.find((m) => m.id === text);
  if (byId) return byId;
  const key = nameKey(text);
  const named = models.filter((m) => nameKey(m.displayName) === key || (m.name !== null && nameKey(m.name) === key));
  if (named.length === 1) return named[0]!;
  if (named.length > 1) {
    throw new AtelierError('VALIDATION', `Several models are named “${text}”: ${named.map((m) => m.id).join(', ')}. Name one by its id.`);
  }
  throw new AtelierError(
    'NOT_FOUND',
    models.length === 0
      ? `There is no model “${text}”: this profile has no models yet. Create one with: atelier models create --subcategory SUB`
      : `There is no model “${text}”. Models here: ${models.map((m) => `“${m.displayName}” (${m.id})`).join(', ')}.`,
  );
}

function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').replace(/[’‘`]/g, "'").toLowerCase();
}

/** ASSET as typed: an asset id, else the file name of exactly one asset in the library (any case, archived ones not). */
async function resolveAssets(s: Session, given: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const text of given) {
    const byId = await s.call('assets:get', { assetId: text }).then(
      (a) => a.id,
      (e: unknown) => {
        if (toErrorInfo(e).code === 'NOT_FOUND' || toErrorInfo(e).code === 'VALIDATION') return null;
        throw e;
      },
    );
    if (byId) {
      ids.push(byId);
      continue;
    }
    const page = await s.call('assets:list', { search: text, limit: ASSET_PAGE_SIZE });
    const key = text.normalize('NFC').toLowerCase();
    const lower = (name: string): string => name.normalize('NFC').toLowerCase();
    // Files imported from a folder keep their path inside it ("flash/rose.png"): the bare file name finds them too.
    const exact = page.items.filter((a) => lower(a.originalName) === key);
    const named = exact.length > 0 ? exact : page.items.filter((a) => lower(a.originalName.split('/').at(-1) ?? '') === key);
    if (named.length === 1) ids.push(named[0]!.id);
    else if (named.length > 1) {
      throw new AtelierError('VALIDATION', `Several assets are named “${text}”: ${named.map((a) => a.id).join(', ')}. Name one by its id.`);
    } else {
      throw new AtelierError('NOT_FOUND', `There is no asset “${text}” (neither an id nor a file name in the library). See them with: atelier assets list`);
    }
  }
  return ids;
}

function describeModel(m: ModelDetail): string {
  const facts: Array<[string, string]> = [
    ['Name', m.displayName + (m.name === null ? ' (named when it first trains)' : '')],
    ['ID', m.id],
    ['Subcategory', `${subcategoryLabel(m.subcategory)} (${m.modality})`],
    ['Assets', m.selection.mode === 'all-recent' ? `${m.assetCount} (All: the last 100 work samples)` : `${m.assetCount} picked`],
    ['Active version', m.activeVersion === null ? 'none (not trained yet)' : `v${m.activeVersion} of ${m.versionCount}`],
  ];
  if (m.stale) facts.push(['Stale', `${m.staleReasons.join('; ')} — train again to use the changes`]);
  if (m.training) facts.push(['Training', `in progress (job ${m.training.jobId})`]);
  facts.push(['Trainings', m.quota.line]);
  facts.push(['Pricing', m.pricing ? pricingText(m.subcategory, m.pricing) : 'not set']);
  facts.push(['Playground', plural(m.playgroundGenerations, 'output') + ' of the active version']);
  facts.push(['Published', m.active ? 'yes' : 'no']);
  if (m.instructions !== null) facts.push(['Instructions', m.instructions]);
  const out = [keyValues(facts)];
  if (m.versions.length > 0) out.push('', 'Versions:', indentLines(versionTable(m.versions), '  '));
  if (m.runs.length > 0) {
    out.push('', 'Training runs:');
    const rows = m.runs.map((r) => [r.startedAt, r.state, r.version === null ? '-' : `v${r.version}`, r.error ? `${r.error.code}: ${r.error.message}` : '-']);
    out.push(indentLines(table([['STARTED', 'STATE', 'VERSION', 'ERROR'], ...rows]), '  '));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function versionTable(versions: readonly ModelVersion[]): string {
  return table([
    ['VERSION', 'ACTIVE', 'CREATED', 'TRAINED IN', 'ASSETS', 'BUNDLE'],
    ...versions.map((v) => [`v${v.number}`, v.active ? 'active' : '', v.createdAt, `${num(v.durationMs / 1000)} s`, String(v.assets.length), bytesText(v.bundleBytes)]),
  ]);
}

function indentLines(text: string, indent: string): string {
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => indent + line)
    .join('\n');
}

function bytesText(n: number): string {
  if (n >= 1024 * 1024) return `${num(n / (1024 * 1024))} MB`;
  if (n >= 1024) return `${num(n / 1024)} kB`;
  return `${n} B`;
}

/** "$120.00 per design, commercial licence +$50.00 (1 edit included)". */
function pricingText(subcategory: SubcategoryId, p: PricingScheme): string {
  const unit = pricingUnitOf(subcategory);
  const main =
    p.scheme === 'per-unit'
      ? `${formatUsd(p.unitPriceCents)} per ${unit.singular}`
      : `${unit.format(p.base.quantity)} for ${formatUsd(p.base.priceCents)}, then ${formatUsd(p.increment.priceCents)} per extra ${unit.format(p.increment.quantity)}`;
  const addOns = [
    p.licences.commercialCents !== undefined ? `commercial licence +${formatUsd(p.licences.commercialCents)}` : null,
    p.licences.broadcastCents !== undefined ? `broadcast rights +${formatUsd(p.licences.broadcastCents)}` : null,
  ].filter((x) => x !== null);
  return `${[main, ...addOns].join(', ')} (1 edit included)`;
}

/** `pricing set`'s draft in the model's unit: "30s" → 30 seconds for a voice-over model, "2" → 2 designs. */
function pricingFor(model: ModelSummary, draft: PricingDraft): ChannelInput<'pricing:set'>['pricing'] {
  const quantity = (option: string, text: string): number => {
    try {
      return parseQuantity(model.subcategory, text);
    } catch (e) {
      const info = toErrorInfo(e);
      throw new AtelierError(info.code, `${option}: ${info.message}`, info.details);
    }
  };
  if (draft.scheme === 'per-unit') return { scheme: 'per-unit', unitPriceCents: draft.unitPriceCents, licences: draft.licences };
  return {
    scheme: 'base-increment',
    base: { quantity: quantity('--base', draft.base.quantity), priceCents: draft.base.priceCents },
    increment: { quantity: quantity('--increment', draft.increment.quantity), priceCents: draft.increment.priceCents },
    licences: draft.licences,
  };
}

/** The state to store; `cancelled` keeps the start of the current subscription (its billing day). */
async function subscriptionState(s: Session, change: SubscriptionChange): Promise<ChannelInput<'subscription:set'>['state']> {
  if (change.status === 'none') return { status: 'none' };
  if (change.status === 'active') return { status: 'active', since: change.since, source: 'cli' };
  const current = (await s.call('subscription:get', {})).state;
  if (current.status === 'none') {
    throw new AtelierError('VALIDATION', 'There is no subscription to cancel. Set one first: atelier subscription set active --since DATE');
  }
  if (Date.parse(change.until) <= Date.parse(current.since)) {
    throw new AtelierError('VALIDATION', `--until must be after the subscription began (${current.since}).`);
  }
  return { status: 'cancelled', since: current.since, until: change.until, source: 'cli' };
}

function describeSubscription(v: SubscriptionView): string {
  const allowed = [v.canTrain ? 'train' : null, v.canGenerate ? 'generate' : null, v.canPublish ? 'publish' : null].filter((x) => x !== null);
  const lines = [v.line, allowed.length > 0 ? `Can ${allowed.join(', ')}.` : 'Cannot train, generate or publish.'];
  if (v.nextReset) lines.push(`Training quotas reset on ${v.nextReset}.`);
  return `${lines.join('\n')}\n`;
}

/**
 * Runs a job to its end with progress on stderr. The first Ctrl+C cancels it (what it finished is kept), a
 * second quits at once.
 */
async function followJob(s: Session, job: JobSummary, verb: string, label: string): Promise<{ job: JobSummary; interrupted: boolean }> {
  const progress = new ProgressLine(s.io.stderr, verb, true);
  let interrupted = false;
  const onSigint = (): void => {
    if (interrupted) process.exit(EXIT_INTERRUPTED);
    interrupted = true;
    progress.clear();
    s.io.stderr.write(`Cancelling… (press Ctrl+C again to quit at once)\n`);
    s.call('jobs:cancel', { jobId: job.id }).catch(() => undefined);
  };
  process.on('SIGINT', onSigint);
  try {
    const final = await waitForJob(s, job.id, (j) => progress.show(label, j));
    return { job: final, interrupted };
  } finally {
    process.off('SIGINT', onSigint);
    progress.clear();
  }
}

/** A job that did not succeed, as the CLI's error (a cancel without Ctrl+C is CANCELLED, exit 1). */
function jobError(job: JobSummary, what: string): ErrorInfo {
  if (job.error) return job.error;
  if (job.state === 'cancelled') return { code: 'CANCELLED', message: `${what} was cancelled.` };
  if (job.state === 'interrupted') return { code: 'CANCELLED', message: `${what} was interrupted (the studio stopped).` };
  return { code: 'INTERNAL', message: `${what} stopped unexpectedly.` };
}

async function train(s: Session, profile: { id: string; name: string }, modelText: string): Promise<number> {
  const model = await resolveModel(s, modelText);
  const { job } = await s.call('training:start', { modelId: model.id });
  // A first training names the model ("Tattoo model 2"): the progress shows the new name.
  const named = await s.call('models:get', { modelId: model.id }).then(
    (m) => m.displayName,
    () => model.displayName,
  );
  const { job: final, interrupted } = await followJob(s, job, 'Training', `“${named}”`);
  const detail = await s.call('models:get', { modelId: model.id });
  const run = detail.runs.find((r) => r.jobId === job.id) ?? null;
  if (final.state !== 'succeeded') {
    if (interrupted) {
      if (s.inv.json) writeJson(s.io, { ok: false, profile, model: detail, run, error: { code: 'CANCELLED', message: 'Training was cancelled.' } });
      s.io.stderr.write(`atelier: training was cancelled; ${detail.activeVersion === null ? 'the model has no version yet' : `version ${detail.activeVersion} stays active`}.\n`);
      return EXIT_INTERRUPTED;
    }
    const error = jobError(final, 'Training');
    if (s.inv.json) writeJson(s.io, { ok: false, profile, model: detail, run, error });
    s.io.stderr.write(`atelier: ${error.message}\n`);
    return error.code === 'INTERNAL' ? EXIT_INTERNAL_ERROR : EXIT_USER_ERROR;
  }
  const number = (final.result as TrainingJobResult | null)?.version ?? run?.version ?? detail.activeVersion;
  const version = detail.versions.find((v) => v.number === number) ?? null;
  if (s.inv.json) {
    writeJson(s.io, { ok: true, profile, model: detail, run, version });
    return EXIT_OK;
  }
  const took = version ? ` in ${num(version.durationMs / 1000)} s from ${plural(version.assets.length, 'asset')}` : '';
  const active = detail.activeVersion === number ? ' It is now the active version.' : '';
  s.io.stdout.write(`Trained “${detail.displayName}” version ${number}${took}.${active}\n${detail.quota.line}\n`);
  return EXIT_OK;
}

function extensionOf(mime: string): string {
  if (mime === 'image/png') return 'png';
  if (mime === 'audio/wav' || mime === 'audio/x-wav' || mime === 'audio/wave') return 'wav';
  return mime.split('/')[1]?.replace(/[^a-z0-9]/g, '') || 'bin';
}

function outputName(model: ModelSummary, version: number, seed: number, mime: string): string {
  return `${fileStem(model.name ?? model.displayName)}-v${version}-seed${seed}.${extensionOf(mime)}`;
}

export interface CliGeneratedFile {
  file: string;
  provenanceFile: string;
  generation: Generation;
}

async function generate(s: Session, profile: { id: string; name: string }, command: Extract<CliCommand, { kind: 'generate' }>): Promise<number> {
  const model = await resolveModel(s, command.model);
  const { request } = command;
  const outDir = path.resolve(s.io.cwd, command.out);
  // With a seed given, the file names are known before the work: refuse at once rather than after generating.
  if (!command.force && request.seed !== null && model.activeVersion !== null) {
    const mime = model.modality === 'audio' ? 'audio/wav' : 'image/png';
    for (let k = 0; k < request.count; k++) {
      const file = path.join(outDir, outputName(model, model.activeVersion, request.seed + k, mime));
      if (await exists(file)) throw overwriteError(file);
    }
  }
  const variationAssetId = request.variation === null ? null : (await resolveAssets(s, [request.variation]))[0]!;
  const job = await s.call('playground:generate', {
    modelId: model.id,
    ...(request.prompt !== null ? { prompt: request.prompt } : {}),
    ...(request.reference !== null ? { reference: { kind: 'path' as const, path: path.resolve(s.io.cwd, request.reference) } } : {}),
    ...(variationAssetId !== null ? { variationAssetId } : {}),
    ...(request.seed !== null ? { seed: request.seed } : {}),
    ...(request.size !== null ? { size: request.size } : {}),
    ...(request.lengthS !== null ? { lengthS: request.lengthS } : {}),
    count: request.count,
  });
  const { job: final, interrupted } = await followJob(s, job, 'Generating', `with “${model.displayName}”`);
  // The outputs finished before a cancel are kept by the studio, so they are written too.
  const ids = (final.result as GenerationJobResult | null)?.generationIds ?? [];
  await fs.mkdir(outDir, { recursive: true });
  const outputs: CliGeneratedFile[] = [];
  for (const generationId of ids) {
    const generation = await s.call('playground:get', { generationId });
    // Pictures carry signed content credentials unless --no-credentials; the pixels are the same either way.
    const output =
      command.credentials && generation.mime.startsWith('image/')
        ? await s.call('playground:export', { generationId, format: 'png' })
        : await s.call('playground:output', { generationId });
    const file = path.join(outDir, outputName(model, generation.version, generation.seed, output.mime));
    const provenanceFile = file.replace(/\.[^.]+$/, '.json');
    await writeNew(file, output.bytes, command.force);
    const provenance = {
      file: path.basename(file),
      model: modelRef(model),
      generation,
      // The share of the output drawn from each training asset, largest first.
      shares: [...generation.provenance].sort((a, b) => b.share - a.share).map((p) => ({ assetId: p.assetId, name: p.name, sha256: p.sha256, share: p.share })),
    };
    await writeNew(provenanceFile, Buffer.from(`${JSON.stringify(provenance, null, 2)}\n`), command.force);
    outputs.push({ file: displayPath(s, file), provenanceFile: displayPath(s, provenanceFile), generation });
  }
  const error = final.state === 'succeeded' ? null : interrupted ? { code: 'CANCELLED' as const, message: 'Generation was cancelled.' } : jobError(final, 'Generation');
  if (s.inv.json) writeJson(s.io, { ok: error === null, profile, model: modelRef(model), outputs, ...(error ? { error } : {}) });
  else if (outputs.length > 0) s.io.stdout.write(`${outputs.map((o) => o.file).join('\n')}\n`);
  if (error) {
    s.io.stderr.write(`atelier: ${error.message}${outputs.length > 0 ? ` ${plural(outputs.length, 'output')} finished before and ${outputs.length === 1 ? 'was' : 'were'} written.` : ''}\n`);
    if (interrupted) return EXIT_INTERRUPTED;
    return error.code === 'INTERNAL' ? EXIT_INTERNAL_ERROR : EXIT_USER_ERROR;
  }
  return EXIT_OK;
}

/** Paths as the creator would type them: relative to the current directory when inside it. */
function displayPath(s: Session, file: string): string {
  const relative = path.relative(s.io.cwd, file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false,
  );
}

function overwriteError(file: string): AtelierError {
  return new AtelierError('CONFLICT', `“${file}” already exists. Add --force to overwrite it, or choose another --out folder.`);
}

/** Writes a file that must not exist yet (unless forced): 'wx' makes the check and the write one step. */
async function writeNew(file: string, bytes: Uint8Array, force: boolean): Promise<void> {
  try {
    await fs.writeFile(file, bytes, { flag: force ? 'w' : 'wx' });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'EEXIST') throw overwriteError(file);
    throw new AtelierError('VALIDATION', `“${file}” could not be written: ${(e as Error).message}. Check the --out folder.`, e);
  }
}

/** A stage line on a terminal while a call that may take a second runs (a 60 s WAV takes ≈ 1.2 s); nothing when piped. */
async function withStage<T>(s: Session, stage: string, work: () => Promise<T>): Promise<T> {
  const tty = s.io.stderr.isTTY === true;
  if (tty) s.io.stderr.write(`${stage}…`);
  try {
    return await work();
  } finally {
    if (tty) s.io.stderr.write('\r\x1b[2K');
  }
}

async function embedWatermark(s: Session, command: Extract<CliCommand, { kind: 'watermark-embed' }>): Promise<number> {
  const profile = await unlockProfile(s);
  const input = path.resolve(s.io.cwd, command.file);
  const out = path.resolve(s.io.cwd, command.out);
  // Refuse before the work when the answer is already known.
  if (!command.force && (await exists(out))) throw overwriteError(out);
  const marked = await withStage(s, `Marking ${path.basename(input)}`, () =>
    s.call('watermark:embed', { source: { kind: 'path', path: input }, payload: command.payload, kind: command.as }),
  );
  await fs.mkdir(path.dirname(out), { recursive: true });
  await writeNew(out, marked.bytes, command.force);
  const [draftId, low] = [parseInt(command.payload.slice(0, 8), 16), parseInt(command.payload.slice(8), 16)];
  const payload = { draftId, clientId: low >>> 12, modelId: low & 0xfff };
  if (s.inv.json) {
    writeJson(s.io, { ok: true, profile: profileRef(profile), file: displayPath(s, input), out: displayPath(s, out), kind: marked.kind, mime: marked.mime, bytes: marked.bytes.length, payload, payloadHex: command.payload });
  } else {
    const what = marked.kind === 'image' ? 'PNG with the visible and invisible marks' : 'WAV with the preview tag and the inaudible mark';
    s.io.stdout.write(`${displayPath(s, out)}: ${what} for draft ${payload.draftId}, client ${payload.clientId}, model ${payload.modelId}.\n`);
  }
  return EXIT_OK;
}

/** `atelier export GENERATION --out FILE`: one output, no mark, with signed content credentials. */
async function exportGeneration(s: Session, command: Extract<CliCommand, { kind: 'export' }>): Promise<number> {
  const profile = await unlockProfile(s);
  const out = path.resolve(s.io.cwd, command.out);
  if (!command.force && (await exists(out))) throw overwriteError(out);
  const exported = await withStage(s, 'Signing the export', () => s.call('playground:export', { generationId: command.generation, format: command.format }));
  await fs.mkdir(path.dirname(out), { recursive: true });
  await writeNew(out, exported.bytes, command.force);
  if (s.inv.json) {
    writeJson(s.io, { ok: true, profile: profileRef(profile), generationId: command.generation, out: displayPath(s, out), mime: exported.mime, bytes: exported.bytes.length });
  } else {
    s.io.stdout.write(`${displayPath(s, out)}: ${command.format === 'jpeg' ? 'JPEG' : 'PNG'} without marks, with content credentials signed by “${profile.name}”.\n`);
  }
  return EXIT_OK;
}

/** A query: exit 0 whether a mark is found or not; only a file that cannot be read or checked is an error. */
async function detectWatermark(s: Session, command: Extract<CliCommand, { kind: 'watermark-detect' }>): Promise<number> {
  const profile = await unlockProfile(s);
  const input = path.resolve(s.io.cwd, command.file);
  const check: WatermarkCheck = await withStage(s, `Checking ${path.basename(input)}`, () => s.call('watermark:check', { source: { kind: 'path', path: input } }));
  if (s.inv.json) {
    writeJson(s.io, {
      ok: true,
      profile: profileRef(profile),
      file: displayPath(s, input),
      kind: check.kind,
      found: check.found,
      confidence: check.confidence,
      payload: check.payload ?? null,
      payloadHex: check.payloadHex ?? null,
      model: check.model ?? null,
      message: check.message,
      credentials: check.credentials ?? null,
    });
  } else {
    s.io.stdout.write(`${check.message}\n${check.credentials ? `Content credentials: ${check.credentials.line}\n` : ''}`);
  }
  return EXIT_OK;
}
