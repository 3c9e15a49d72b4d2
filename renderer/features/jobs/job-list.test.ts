// The jobs tray's rules: ordering, merging, which buttons show, and what an import's outcome says.
import { describe, expect, it } from 'vitest';
import type { AssetSummary, ImportReport, JobState, JobSummary } from '../../../preload/contract';
import {
  TRAY_JOBS_MAX,
  activeJobs,
  announceFinished,
  canCancel,
  canRetry,
  failureLines,
  fileLine,
  importFailures,
  importSummary,
  justFinished,
  mergeLoaded,
  upsertJob,
  TOAST_FILE_LINES_MAX,
} from './job-list';

function job(id: string, state: JobState, extra: Partial<JobSummary> = {}): JobSummary {
  return {
    id,
    kind: 'assets.import',
    title: 'Import 3 images',
    state,
    progress: 0,
    stage: '',
    createdAt: `2025-01-01T00:00:${id.padStart(2, '0')}.000Z`,
    startedAt: null,
    finishedAt: null,
    error: null,
    result: null,
    ...extra,
  };
}

const asset: AssetSummary = {
  id: 'a1',
  sha256: 'f'.repeat(64),
  kind: 'image' as const,
  originalName: 'a.jpg',
  mime: 'image/jpeg',
  byteSize: 10,
  width: 2048,
  height: 2048,
  source: 'upload' as const,
  importedAt: '2025-01-01T00:00:00.000Z',
  durationMs: null,
  deliveredAt: null,
  tags: [],
  health: 'ok',
  problems: [],
  crop: null,
  trim: null,
  archived: false,
};

const report: ImportReport = {
  imported: 2,
  duplicates: 1,
  failed: 2,
  results: [
    { name: 'a.jpg', ok: true, duplicate: false, asset },
    { name: 'b.png', ok: true, duplicate: false, asset },
    { name: 'a copy.jpg', ok: true, duplicate: true, asset },
    { name: 'broken.jpg', ok: false, error: { code: 'CORRUPT_FILE', message: '“broken.jpg” is truncated.' } },
    { name: 'notes.pdf', ok: false, error: { code: 'UNSUPPORTED_FILE', message: '“notes.pdf” is not an image.' } },
  ],
};

describe('tray list', () => {
  it('shows the newest job first and replaces a job by id on update', () => {
    let jobs = upsertJob([], job('1', 'queued'));
    jobs = upsertJob(jobs, job('2', 'running', { progress: 0.5 }));
    jobs = upsertJob(jobs, job('1', 'running', { progress: 0.2 }));
    expect(jobs.map((j) => [j.id, j.state])).toEqual([
      ['2', 'running'],
      ['1', 'running'],
    ]);
  });

  it('drops the oldest finished jobs beyond the tray size but never an unfinished one', () => {
    let jobs: JobSummary[] = [upsertJob([], job('0', 'running'))[0]!];
    for (let i = 1; i <= TRAY_JOBS_MAX + 5; i++) jobs = upsertJob(jobs, job(String(i), 'succeeded'));
    expect(jobs).toHaveLength(TRAY_JOBS_MAX);
    expect(jobs.some((j) => j.id === '0')).toBe(true);
    expect(jobs[0]!.id).toBe(String(TRAY_JOBS_MAX + 5));
  });

  it('does not let an older list answer set a finished job back to running', () => {
    const known = [job('1', 'succeeded', { progress: 1 }), job('2', 'running', { progress: 0.8 })];
    const loaded = [job('1', 'running', { progress: 0.4 }), job('2', 'running', { progress: 0.5 }), job('3', 'queued')];
    const merged = mergeLoaded(known, loaded);
    expect(merged.map((j) => [j.id, j.state, j.progress])).toEqual([
      ['3', 'queued', 0],
      ['2', 'running', 0.8],
      ['1', 'succeeded', 1],
    ]);
  });

  it('takes the list answer when it is further along', () => {
    const merged = mergeLoaded([job('1', 'running', { progress: 0.1 })], [job('1', 'failed')]);
    expect(merged[0]!.state).toBe('failed');
  });

  it('counts what is still going on', () => {
    expect(activeJobs([job('1', 'queued'), job('2', 'running'), job('3', 'failed'), job('4', 'interrupted')])).toBe(2);
  });
});

describe('actions per state', () => {
  it('offers cancel while queued or running and retry once failed, cancelled or interrupted', () => {
    const states: JobState[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'];
    expect(states.filter((s) => canCancel(job('1', s)))).toEqual(['queued', 'running']);
    expect(states.filter((s) => canRetry(job('1', s)))).toEqual(['failed', 'cancelled', 'interrupted']);
  });

  it('announces a job once: when it reaches a final state', () => {
    expect(justFinished(undefined, job('1', 'succeeded'))).toBe(true);
    expect(justFinished(job('1', 'running'), job('1', 'succeeded'))).toBe(true);
    expect(justFinished(job('1', 'succeeded'), job('1', 'succeeded'))).toBe(false);
    expect(justFinished(job('1', 'queued'), job('1', 'running'))).toBe(false);
    // A retried job finishing again is news again.
    expect(justFinished(job('1', 'queued'), job('1', 'failed'))).toBe(true);
  });
});

describe('import outcome', () => {
  it('summarises like "2 imported, 1 already in your library, 2 failed"', () => {
    expect(importSummary(report)).toBe('2 imported, 1 already in your library, 2 failed');
    expect(importSummary({ imported: 0, duplicates: 0, failed: 0, results: [] })).toBe('0 imported');
    expect(importSummary({ imported: 0, duplicates: 0, failed: 1, results: [] })).toBe('1 failed');
  });

  it('lists each failed file with its reason', () => {
    expect(importFailures(report)).toEqual([
      { name: 'broken.jpg', message: '“broken.jpg” is truncated.' },
      { name: 'notes.pdf', message: '“notes.pdf” is not an image.' },
    ]);
  });

  it('names the file when the message does not', () => {
    expect(fileLine({ name: 'a.jpg', message: 'Not an image.' })).toBe('a.jpg: Not an image.');
    expect(fileLine({ name: 'a.jpg', message: '“a.jpg” is not an image.' })).toBe('“a.jpg” is not an image.');
  });

  it('cuts a long failure list for a toast and says where the rest is', () => {
    const many = Array.from({ length: TOAST_FILE_LINES_MAX + 4 }, (_, i) => ({ name: `f${i}.jpg`, message: 'bad' }));
    const lines = failureLines(many);
    expect(lines).toHaveLength(TOAST_FILE_LINES_MAX + 1);
    expect(lines.at(-1)).toContain('4 more');
  });

  it('tells the creator which files failed and what was added', () => {
    const notices = announceFinished(job('1', 'succeeded', { progress: 1, result: report }));
    expect(notices.map((n) => n.kind)).toEqual(['error', 'success']);
    const error = notices[0]!;
    expect(error.heading).toBe('2 files could not be imported');
    // The studio's messages already name the file; it is not repeated.
    expect(error.lines).toContain('“broken.jpg” is truncated.');
    expect(error.lines.join('\n')).toContain('notes.pdf');
    expect(notices[1]!.message).toBe('2 images added to your library; 1 already there.');
  });

  it('names a single failed file in the message itself', () => {
    const one: ImportReport = { imported: 1, duplicates: 0, failed: 1, results: [report.results[0]!, report.results[3]!] };
    const [error] = announceFinished(job('1', 'succeeded', { result: one }));
    expect(error!.heading).toBe('1 file could not be imported');
    expect(error!.message).toContain('broken.jpg');
    expect(error!.message).toContain('truncated');
  });

  it('reports a failed job with its message, and a cancelled one with what got done', () => {
    const failed = announceFinished(
      job('1', 'failed', { error: { code: 'INTERNAL', message: 'The worker stopped.' } }),
    );
    expect(failed).toEqual([{ kind: 'error', heading: 'Import 3 images failed', message: 'The worker stopped.', lines: [] }]);
    const partial: ImportReport = { imported: 1, duplicates: 0, failed: 0, results: [report.results[0]!] };
    const cancelled = announceFinished(job('1', 'cancelled', { result: partial }));
    expect(cancelled).toEqual([
      { kind: 'info', heading: 'Import 3 images cancelled', message: '1 imported before it stopped.', lines: [] },
    ]);
  });

  it('says nothing extra for a successful import that added nothing and failed nothing', () => {
    expect(announceFinished(job('1', 'succeeded', { result: { imported: 0, duplicates: 0, failed: 0, results: [] } }))).toEqual([]);
  });
});
