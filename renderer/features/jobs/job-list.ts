// Pure rules for the jobs tray: merging updates, which actions a job offers, and how its outcome reads.
import { importReportOf, type ImportReport, type JobState, type JobSummary } from '../../../preload/contract';

const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** How many jobs the tray keeps; older finished ones drop off (they stay in the studio's database). */
export const TRAY_JOBS_MAX = 50;

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.has(state);
}

export function canCancel(job: JobSummary): boolean {
  return job.state === 'queued' || job.state === 'running';
}

export function canRetry(job: JobSummary): boolean {
  return job.state === 'failed' || job.state === 'cancelled' || job.state === 'interrupted';
}

function newestFirst(a: JobSummary, b: JobSummary): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** Keeps the newest TRAY_JOBS_MAX, but never drops a job that is still queued or running. */
function trim(jobs: JobSummary[]): JobSummary[] {
  if (jobs.length <= TRAY_JOBS_MAX) return jobs;
  const kept: JobSummary[] = [];
  let finishedRoom = TRAY_JOBS_MAX - jobs.filter((j) => !isFinal(j.state)).length;
  for (const job of jobs) {
    if (!isFinal(job.state)) kept.push(job);
    else if (finishedRoom-- > 0) kept.push(job);
  }
  return kept;
}

/** An update from the studio replaces the job with the same id (a retry keeps the id), newest first. */
export function upsertJob(jobs: readonly JobSummary[], job: JobSummary): JobSummary[] {
  const next = jobs.filter((j) => j.id !== job.id);
  next.push(job);
  return trim(next.sort(newestFirst));
}

/**
 * Merges a freshly loaded list with what events already delivered: an event can overtake the list
 * answer, so a job the store already knows as finished is not set back to running by an older snapshot.
 */
export function mergeLoaded(known: readonly JobSummary[], loaded: readonly JobSummary[]): JobSummary[] {
  const byId = new Map(known.map((j) => [j.id, j]));
  const merged = loaded.map((fresh) => {
    const seen = byId.get(fresh.id);
    if (!seen) return fresh;
    if (isFinal(seen.state) && !isFinal(fresh.state)) return seen;
    if (!isFinal(seen.state) && !isFinal(fresh.state) && seen.progress > fresh.progress) return seen;
    return fresh;
  });
  return trim(merged.sort(newestFirst));
}

/** True when this update is the moment the job finished (so its outcome is announced once). */
export function justFinished(previous: JobSummary | undefined, next: JobSummary): boolean {
  return isFinal(next.state) && (!previous || !isFinal(previous.state));
}

export function activeJobs(jobs: readonly JobSummary[]): number {
  return jobs.filter((j) => !isFinal(j.state)).length;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "2 imported, 1 already in your library, 1 failed". */
export function importSummary(report: ImportReport): string {
  const parts: string[] = [];
  if (report.imported > 0 || (report.duplicates === 0 && report.failed === 0)) parts.push(`${report.imported} imported`);
  if (report.duplicates > 0) parts.push(`${report.duplicates} already in your library`);
  if (report.failed > 0) parts.push(`${report.failed} failed`);
  return parts.join(', ');
}

export interface FileFailure {
  name: string;
  message: string;
}

export function importFailures(report: ImportReport): FileFailure[] {
  const failures: FileFailure[] = [];
  for (const r of report.results) if (!r.ok) failures.push({ name: r.name, message: r.error.message });
  return failures;
}

/** "broken.jpg: reason", unless the studio's message already names the file (it usually does). */
export function fileLine(failure: FileFailure): string {
  return failure.message.includes(failure.name) ? failure.message : `${failure.name}: ${failure.message}`;
}

/** Per-file lines for a toast; a long list is cut with a pointer to the tray, which has them all. */
export const TOAST_FILE_LINES_MAX = 6;

export function failureLines(failures: readonly FileFailure[]): string[] {
  const lines = failures.slice(0, TOAST_FILE_LINES_MAX).map(fileLine);
  if (failures.length > TOAST_FILE_LINES_MAX) {
    lines.push(`…and ${failures.length - TOAST_FILE_LINES_MAX} more. The jobs tray lists every file.`);
  }
  return lines;
}

export interface JobAnnouncement {
  kind: 'error' | 'info' | 'success';
  heading: string;
  message: string;
  lines: string[];
}

/** What the creator is told when an import finishes (empty when nothing is worth a notice). */
export function announceFinished(job: JobSummary): JobAnnouncement[] {
  const out: JobAnnouncement[] = [];
  const report = importReportOf(job);
  const failures = report ? importFailures(report) : [];
  if (failures.length > 0) {
    out.push({
      kind: 'error',
      heading: failures.length === 1 ? `1 file could not be imported` : `${failures.length} files could not be imported`,
      message: failures.length === 1 ? fileLine(failures[0]!) : 'Each file and the reason:',
      lines: failures.length === 1 ? [] : failureLines(failures),
    });
  }
  if (job.state === 'failed' && job.error) {
    out.push({ kind: 'error', heading: `${job.title} failed`, message: job.error.message, lines: [] });
  } else if (job.state === 'cancelled') {
    out.push({
      kind: 'info',
      heading: `${job.title} cancelled`,
      message: report
        ? `${importSummary(report)} before it stopped.`
        : job.kind === 'assets.import'
          ? 'Nothing was imported.'
          : 'It stopped before it finished; what was done before the cancel is kept.',
      lines: [],
    });
  } else if (job.state === 'succeeded' && report && report.imported + report.duplicates > 0) {
    const parts = [plural(report.imported, 'image', 'images') + ' added to your library'];
    if (report.duplicates > 0) parts.push(`${report.duplicates} already there`);
    out.push({ kind: 'success', heading: 'Import finished', message: parts.join('; ') + '.', lines: [] });
  } else if (job.state === 'succeeded' && job.kind === 'model.train' && job.result && 'version' in job.result) {
    out.push({ kind: 'success', heading: 'Training finished', message: `${job.title}: version ${job.result.version} is ready and active.`, lines: [] });
  }
  return out;
}
