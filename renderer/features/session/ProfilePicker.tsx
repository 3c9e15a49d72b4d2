// The first screen: choose a profile and unlock it, or create one (which opens it straight away).
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { PROFILE_NAME_MAX, type ErrorInfo, type ProfileSummary } from '../../../preload/contract';
import { Logo } from '../../ui/Logo';
import { headingFor } from '../toasts/error-headings';
import { formatWait, locateWait } from './rate-limit';
import { useSession } from './store';
import './profile-picker.css';

export function ProfilePicker() {
  const profiles = useSession((s) => s.profiles);
  const loadError = useSession((s) => s.loadError);
  const load = useSession((s) => s.load);
  const selectedId = useSession((s) => s.selectedId);
  const select = useSession((s) => s.select);
  const selected = profiles.find((p) => p.id === selectedId) ?? null;

  return (
    <main className="picker" data-testid="profile-picker">
      <header className="picker-brand">
        <Logo size={40} />
        <div>
          <h1>Atelier Studio</h1>
          <p className="muted">Train a creation model on your own work, privately, on this computer.</p>
        </div>
      </header>

      <div className="picker-columns">
        <section className="card picker-card" aria-labelledby="profiles-heading">
          <h2 id="profiles-heading">Profiles on this computer</h2>
          {loadError ? (
            <div className="picker-load-error" role="alert">
              <p>{loadError}</p>
              <button type="button" className="button small" onClick={() => void load()}>
                Try again
              </button>
            </div>
          ) : profiles.length === 0 ? (
            <div className="picker-empty">
              <p>No profiles yet.</p>
              <p className="muted">
                Each creator on this computer gets their own profile, locked with a password. Your assets, models and
                orders live inside it, and no other profile can read them. Create yours to begin.
              </p>
            </div>
          ) : (
            <ul className="profile-list" aria-label="Profiles">
              {profiles.map((profile) => (
                <li key={profile.id}>
                  <button
                    type="button"
                    className={`profile-item${profile.id === selectedId ? ' selected' : ''}`}
                    data-testid="profile-item"
                    aria-pressed={profile.id === selectedId}
                    onClick={() => select(profile.id)}
                  >
                    <span className="avatar" aria-hidden="true">
                      {initial(profile.name)}
                    </span>
                    <span className="profile-text">
                      <span className="profile-name">{profile.name}</span>
                      <span className="profile-meta">{lastOpened(profile)}</span>
                    </span>
                  </button>
                  {profile.id === selectedId && selected ? <UnlockForm key={profile.id} profile={selected} /> : null}
                </li>
              ))}
            </ul>
          )}
        </section>

        <CreateProfileForm />
      </div>
    </main>
  );
}

function initial(name: string): string {
  return [...name.trim()][0]?.toUpperCase() ?? '?';
}

function lastOpened(profile: ProfileSummary): string {
  if (!profile.lastUnlockedAt) return 'Not opened yet';
  const then = new Date(profile.lastUnlockedAt);
  if (Number.isNaN(then.getTime())) return 'Opened before';
  const days = Math.floor((Date.now() - then.getTime()) / 86_400_000);
  if (days <= 0) return 'Last opened today';
  if (days === 1) return 'Last opened yesterday';
  if (days < 30) return `Last opened ${days} days ago`;
  return `Last opened ${then.toLocaleDateString()}`;
}

/** Milliseconds left until `until` (epoch ms), ticking while above zero. */
function useRemaining(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      setNow(Date.now());
      if (Date.now() >= until) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, until - now);
}

function UnlockForm({ profile }: { profile: ProfileSummary }) {
  const unlock = useSession((s) => s.unlock);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const remaining = useRemaining(retryAt);
  const waiting = retryAt !== null && remaining > 0;
  const inputRef = useRef<HTMLInputElement>(null);
  const fieldId = useId();

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  useEffect(() => {
    // When the wait is over, the field is ready for the next try.
    if (retryAt !== null && remaining === 0) inputRef.current?.focus();
  }, [retryAt, remaining]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy || waiting) return;
    if (!password) {
      setError({ code: 'VALIDATION', message: 'Enter the password of this profile.' });
      return;
    }
    setBusy(true);
    setError(null);
    const result = await unlock(profile.id, password);
    setBusy(false);
    if (result.ok) return;
    setError(result.error);
    setPassword('');
    if (result.error.code === 'RATE_LIMITED') {
      const wait = locateWait(result.error.message);
      setRetryAt(wait === null ? null : Date.now() + wait.ms);
    } else {
      setRetryAt(null);
    }
    inputRef.current?.focus();
  }

  return (
    <form className="unlock-form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={fieldId}>Password for “{profile.name}”</label>
        <input
          id={fieldId}
          ref={inputRef}
          type="password"
          autoComplete="current-password"
          data-testid="unlock-password"
          value={password}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${fieldId}-error` : undefined}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      {error ? (
        <div className="form-error" id={`${fieldId}-error`} role="alert" data-testid="unlock-error">
          <strong>{error.code === 'AUTH' ? 'Wrong password' : headingFor(error.code)}</strong>
          <ErrorText error={error} retryAt={retryAt} remaining={remaining} />
        </div>
      ) : null}
      <button type="submit" className="button primary" data-testid="unlock-submit" disabled={busy || waiting}>
        {busy ? 'Unlocking…' : waiting ? `Wait ${formatWait(remaining)}` : 'Unlock'}
      </button>
    </form>
  );
}

/** The studio's message as given; for RATE_LIMITED the wait it names counts down in place. */
function ErrorText({ error, retryAt, remaining }: { error: ErrorInfo; retryAt: number | null; remaining: number }) {
  const wait = error.code === 'RATE_LIMITED' && retryAt !== null ? locateWait(error.message) : null;
  if (!wait) return <>{error.message}</>;
  if (remaining === 0) return <>You can try again now.</>;
  return (
    <>
      {error.message.slice(0, wait.start)}
      <span className="countdown">{formatWait(remaining)}</span>
      {error.message.slice(wait.end)}
    </>
  );
}

function CreateProfileForm() {
  const create = useSession((s) => s.create);
  const hasProfiles = useSession((s) => s.profiles.length > 0);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ field: 'name' | 'password' | 'confirm' | null; error: ErrorInfo } | null>(
    null,
  );
  const id = useId();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const trimmed = name.trim();
    if (!trimmed) return setProblem({ field: 'name', error: { code: 'VALIDATION', message: 'Give the profile a name.' } });
    if (!password) return setProblem({ field: 'password', error: { code: 'VALIDATION', message: 'Choose a password.' } });
    if (password !== confirm) {
      return setProblem({ field: 'confirm', error: { code: 'VALIDATION', message: 'The two passwords do not match.' } });
    }
    setBusy(true);
    setProblem(null);
    const result = await create(trimmed, password);
    setBusy(false);
    if (!result.ok) setProblem({ field: null, error: result.error });
  }

  const invalid = (field: 'name' | 'password' | 'confirm') => (problem?.field === field ? true : undefined);

  return (
    <section className="card picker-card" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{hasProfiles ? 'New profile' : 'Create your profile'}</h2>
      <form className="create-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            data-testid="profile-create-name"
            autoComplete="off"
            maxLength={PROFILE_NAME_MAX}
            value={name}
            aria-invalid={invalid('name')}
            autoFocus={!hasProfiles}
            onChange={(e) => setName(e.target.value)}
          />
          <span className="hint">Your name or your studio’s; shown only on this computer.</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            data-testid="profile-create-password"
            value={password}
            aria-invalid={invalid('password')}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-confirm`}>Confirm password</label>
          <input
            id={`${id}-confirm`}
            type="password"
            autoComplete="new-password"
            data-testid="profile-create-password-confirm"
            value={confirm}
            aria-invalid={invalid('confirm')}
            onChange={(e) => setConfirm(e.target.value)}
          />
          <span className="hint">Atelier cannot recover a forgotten password, so keep it somewhere safe.</span>
        </div>
        {problem ? (
          <div className="form-error" role="alert" data-testid="profile-create-error">
            <strong>{headingFor(problem.error.code)}</strong>
            {problem.error.message}
          </div>
        ) : null}
        <button type="submit" className="button primary" data-testid="profile-create-submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create and open'}
        </button>
      </form>
    </section>
  );
}
