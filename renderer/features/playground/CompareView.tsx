// Two versions side by side on the same prompt and seed; the missing outputs are generated first.
import { useEffect, useState } from 'react';
import type { Generation, JobSummary, ModelSummary } from '../../../preload/contract';
import { api } from '../../platform';
import { useObjectUrl } from '../../ui/use-object-url';
import { isFinal } from '../jobs/job-list';
import { useJobs } from '../jobs/store';
import { findComparable, parseSeed, rollSeed } from './gallery-logic';
import { usePlayground } from './store';

type Side = { state: 'idle' } | { state: 'working'; stage: string } | { state: 'done'; generation: Generation } | { state: 'failed'; message: string };

/** Resolves when the job ends (its final update comes through the jobs store). */
function finished(jobId: string): Promise<JobSummary> {
  return new Promise((resolve) => {
    const check = (jobs: JobSummary[]) => {
      const job = jobs.find((j) => j.id === jobId);
      if (job && isFinal(job.state)) {
        stop();
        resolve(job);
      }
    };
    const stop = useJobs.subscribe((s) => check(s.jobs));
    check(useJobs.getState().jobs);
  });
}

async function outputFor(model: ModelSummary, version: number, prompt: string, seed: number, size: number, onStage: (s: string) => void): Promise<Generation> {
  const search = prompt.trim().slice(0, 200);
  const listed = await api.playground.list({ modelId: model.id, version, search, limit: 1000 });
  const known = listed.ok ? findComparable(listed.value.items, version, prompt, seed) : null;
  if (known) return known;
  onStage(`Generating with version ${version}…`);
  const started = await api.playground.generate({ modelId: model.id, version, prompt, seed, count: 1, size });
  if (!started.ok) throw new Error(started.error.message);
  useJobs.getState().track(started.value);
  usePlayground.getState().started(started.value.id);
  const job = await finished(started.value.id);
  if (job.state !== 'succeeded') throw new Error(job.error?.message ?? `Generating with version ${version} ${job.state}.`);
  const ids = job.result && 'generationIds' in job.result ? job.result.generationIds : [];
  const got = ids[0] ? await api.playground.get({ generationId: ids[0] }) : null;
  if (!got?.ok) throw new Error(got ? got.error.message : 'The generation left no output.');
  return got.value;
}

export function CompareView({
  model,
  versions,
  prompt,
  seedText,
  setSeedText,
  size,
  onClose,
}: {
  model: ModelSummary;
  versions: number[];
  prompt: string;
  seedText: string;
  setSeedText(text: string): void;
  size: number;
  onClose(): void;
}) {
  const [a, setA] = useState<number>(versions[1] ?? versions[0] ?? 1);
  const [b, setB] = useState<number>(versions[0] ?? 1);
  const [sides, setSides] = useState<[Side, Side]>([{ state: 'idle' }, { state: 'idle' }]);
  const [error, setError] = useState<string | null>(null);
  const busy = sides.some((s) => s.state === 'working');

  useEffect(() => setSides([{ state: 'idle' }, { state: 'idle' }]), [a, b]);

  async function run() {
    setError(null);
    if (!prompt.trim()) {
      setError('Write a prompt first: both versions get the same prompt and seed.');
      return;
    }
    if (a === b) {
      setError('Choose two different versions.');
      return;
    }
    const parsed = parseSeed(seedText);
    if (parsed.error) {
      setError(parsed.error);
      return;
    }
    const seed = parsed.seed ?? rollSeed(Math.random);
    if (parsed.seed === null) setSeedText(String(seed));
    setSides([{ state: 'working', stage: 'Looking in the gallery…' }, { state: 'working', stage: 'Waiting…' }]);
    // One after the other: the machine trains and generates on the same cores.
    const results: Side[] = [];
    for (const [i, v] of [a, b].entries()) {
      try {
        const g = await outputFor(model, v, prompt, seed, size, (stage) =>
          setSides((cur) => (i === 0 ? [{ state: 'working', stage }, cur[1]] : [cur[0], { state: 'working', stage }])),
        );
        results.push({ state: 'done', generation: g });
      } catch (e) {
        results.push({ state: 'failed', message: e instanceof Error ? e.message : String(e) });
      }
      setSides((cur) => (i === 0 ? [results[0]!, cur[1]] : [cur[0], results[1]!]));
    }
  }

  return (
    <section className="card panel pg-compare" data-testid="pg-compare" aria-labelledby="compare-h">
      <div className="gallery-head">
        <h3 id="compare-h">Compare two versions</h3>
        <select className="select-input" data-testid="pg-compare-a" value={a} onChange={(e) => setA(Number(e.target.value))} aria-label="First version">
          {versions.map((v) => (
            <option key={v} value={v}>
              Version {v}
            </option>
          ))}
        </select>
        <span className="muted">and</span>
        <select className="select-input" data-testid="pg-compare-b" value={b} onChange={(e) => setB(Number(e.target.value))} aria-label="Second version">
          {versions.map((v) => (
            <option key={v} value={v}>
              Version {v}
            </option>
          ))}
        </select>
        <button type="button" className="button primary small" data-testid="pg-compare-run" disabled={busy} onClick={() => void run()}>
          Compare on this prompt and seed
        </button>
        <button type="button" className="button quiet small compare-close" onClick={onClose}>
          Close
        </button>
      </div>
      {error ? <p className="form-error">{error}</p> : null}
      <div className="compare-grid">
        <CompareSide label={`Version ${a}`} side={sides[0]} testid="pg-compare-left" />
        <CompareSide label={`Version ${b}`} side={sides[1]} testid="pg-compare-right" />
      </div>
    </section>
  );
}

function CompareSide({ label, side, testid }: { label: string; side: Side; testid: string }) {
  const g = side.state === 'done' ? side.generation : null;
  const out = useObjectUrl(g ? `out:${g.id}` : null, () => api.playground.output({ generationId: g?.id ?? '' }));
  return (
    <figure className="compare-side" data-testid={testid} data-state={side.state}>
      <div className="compare-frame">
        {out.url ? <img src={out.url} alt={label} data-testid="pg-compare-image" /> : null}
        {side.state === 'working' ? <span className="muted">{side.stage}</span> : null}
        {side.state === 'failed' ? <span className="form-error">{side.message}</span> : null}
        {side.state === 'idle' ? <span className="muted">Press Compare.</span> : null}
      </div>
      <figcaption>
        {label}
        {g ? ` · seed ${g.seed}` : ''}
      </figcaption>
    </figure>
  );
}
