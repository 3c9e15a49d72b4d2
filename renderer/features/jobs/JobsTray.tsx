// The jobs tray: every long operation with its progress, stage, outcome, and cancel or retry.
import { useId, useState } from 'react';
import { importReportOf, type JobState, type JobSummary } from '../../../preload/contract';
import { CloseIcon } from '../../ui/icons';
import { canCancel, canRetry, importFailures, importSummary, isFinal } from './job-list';
import { useJobs } from './store';
import './jobs.css';

const STATE_LABEL: Readonly<Record<JobState, string>> = {
  queued: 'Waiting',
  running: 'Running',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
};

export function JobsTray() {
  const open = useJobs((s) => s.trayOpen);
  const jobs = useJobs((s) => s.jobs);
  const setTrayOpen = useJobs((s) => s.setTrayOpen);
  if (!open) return null;
  return (
    <aside className="jobs-tray" data-testid="jobs-tray" aria-labelledby="jobs-tray-heading">
      <header className="jobs-tray-header">
        <h2 id="jobs-tray-heading">Jobs</h2>
        <button
          type="button"
          className="button quiet icon-only"
          aria-label="Close the jobs tray"
          onClick={() => setTrayOpen(false)}
        >
          <CloseIcon />
        </button>
      </header>
      {jobs.length === 0 ? (
        <p className="jobs-empty">
          Nothing running. Imports show their progress here, file by file; you can keep working meanwhile.
        </p>
      ) : (
        <ul className="job-list">
          {jobs.map((job) => (
            <JobItem key={job.id} job={job} />
          ))}
        </ul>
      )}
    </aside>
  );
}

function JobItem({ job }: { job: JobSummary }) {
  const cancel = useJobs((s) => s.cancel);
  const retry = useJobs((s) => s.retry);
  const [expanded, setExpanded] = useState(false);
  const [busy, setBusy] = useState(false);
  const detailsId = useId();
  const report = importReportOf(job);
  const failures = report ? importFailures(report) : [];
  // A finished job's last progress update may have been throttled away; done means the bar is full.
  const progress = job.state === 'succeeded' ? 1 : Math.min(1, Math.max(0, job.progress));
  const percent = Math.round(progress * 100);
  const finished = isFinal(job.state);

  async function act(action: (jobId: string) => Promise<void>) {
    setBusy(true);
    try {
      await action(job.id);
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className={`job-item job-${job.state}`} data-testid="job-item" data-state={job.state}>
      <div className="job-head">
        <span className="job-title">{job.title}</span>
        <span className={`job-state state-${job.state}`}>{STATE_LABEL[job.state]}</span>
      </div>
      <progress
        className="job-progress"
        max={1}
        value={progress}
        aria-label={`${job.title}: ${percent}%`}
      />
      {!finished ? (
        <p className="job-stage">
          {job.stage || (job.state === 'queued' ? 'Waiting for a free worker…' : 'Starting…')}
          <span className="job-percent">{percent}%</span>
        </p>
      ) : null}
      {finished && report ? <p className="job-summary">{importSummary(report)}</p> : null}
      {job.state === 'interrupted' && !job.result ? (
        <p className="job-summary">Atelier closed while this was running. Retry picks it up again.</p>
      ) : null}
      {job.error && job.state !== 'cancelled' ? <p className="job-error">{job.error.message}</p> : null}
      {failures.length > 0 ? (
        <>
          <button
            type="button"
            className="button quiet small job-expand"
            aria-expanded={expanded}
            aria-controls={detailsId}
            onClick={() => setExpanded(!expanded)}
          >
            {expanded ? 'Hide problems' : failures.length === 1 ? 'Show the problem' : `Show ${failures.length} problems`}
          </button>
          {expanded ? (
            <ul className="job-failures" id={detailsId}>
              {failures.map((f, i) => (
                <li key={i}>
                  <span className="job-failure-name">{f.name}</span>
                  <span className="job-failure-reason">{f.message}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {canCancel(job) || canRetry(job) ? (
        <div className="job-actions">
          {canCancel(job) ? (
            <button
              type="button"
              className="button small"
              data-testid="job-cancel"
              disabled={busy}
              onClick={() => void act(cancel)}
            >
              Cancel
            </button>
          ) : null}
          {canRetry(job) ? (
            <button
              type="button"
              className="button small"
              data-testid="job-retry"
              disabled={busy}
              onClick={() => void act(retry)}
            >
              Retry
            </button>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}
