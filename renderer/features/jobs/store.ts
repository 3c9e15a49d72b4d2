// Jobs of the unlocked profile as the tray shows them, kept current by the 'jobs:updated' event.
import { create } from 'zustand';
import type { JobSummary } from '../../../preload/contract';
import { api } from '../../platform';
import { reportFailure, useToasts } from '../toasts/store';
import { announceFinished, justFinished, mergeLoaded, upsertJob } from './job-list';

interface JobsState {
  jobs: JobSummary[];
  trayOpen: boolean;
  load(): Promise<void>;
  /** A job this window just started (its first update may arrive before or after this). */
  track(job: JobSummary): void;
  cancel(jobId: string): Promise<void>;
  retry(jobId: string): Promise<void>;
  setTrayOpen(open: boolean): void;
  toggleTray(): void;
  reset(): void;
}

// Every load gets a number; an answer for an older load (e.g. from before a lock) is dropped.
let generation = 0;

export const useJobs = create<JobsState>()((set, get) => ({
  jobs: [],
  trayOpen: false,

  async load() {
    const mine = ++generation;
    const listed = await api.jobs.list();
    if (mine !== generation) return;
    if (reportFailure(listed) && listed.ok) set({ jobs: mergeLoaded(get().jobs, listed.value) });
  },

  track(job) {
    if (!get().jobs.some((j) => j.id === job.id)) set({ jobs: upsertJob(get().jobs, job) });
  },

  async cancel(jobId) {
    const cancelled = await api.jobs.cancel({ jobId });
    if (reportFailure(cancelled) && cancelled.ok) receive(cancelled.value);
  },

  async retry(jobId) {
    const retried = await api.jobs.retry({ jobId });
    if (reportFailure(retried) && retried.ok) receive(retried.value);
  },

  setTrayOpen(open) {
    set({ trayOpen: open });
  },

  toggleTray() {
    set({ trayOpen: !get().trayOpen });
  },

  reset() {
    generation++;
    set({ jobs: [], trayOpen: false });
  },
}));

/** Applies one update and announces the outcome the moment a job finishes. */
function receive(job: JobSummary): void {
  const previous = useJobs.getState().jobs.find((j) => j.id === job.id);
  useJobs.setState({ jobs: upsertJob(useJobs.getState().jobs, job) });
  if (justFinished(previous, job)) {
    for (const notice of announceFinished(job)) {
      // With the tray open the creator already sees "Done"; problems are always worth a toast.
      if (notice.kind === 'success' && useJobs.getState().trayOpen) continue;
      useToasts.getState().show(notice);
    }
  }
}

api.on('jobs:updated', receive);
