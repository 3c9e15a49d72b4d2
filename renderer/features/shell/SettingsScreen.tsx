// Settings: what this copy of Atelier is, where it keeps your data, how it looks, and locking the profile.
import { useEffect } from 'react';
import { useSession } from '../session/store';
import { SubscriptionCard } from '../subscription/SubscriptionCard';
import { CheckFilePanel } from '../watermark/CheckFilePanel';
import { ShortcutList } from './ShortcutsDialog';
import { useShell } from './store';

export function SettingsScreen({ mac }: { mac: boolean }) {
  const info = useShell((s) => s.appInfo);
  const loadAppInfo = useShell((s) => s.loadAppInfo);
  const profile = useSession((s) => s.current);
  const lock = useSession((s) => s.lock);

  useEffect(() => {
    void loadAppInfo();
  }, [loadAppInfo]);

  return (
    <div className="settings">
      <section className="card settings-card" aria-labelledby="settings-about">
        <h2 id="settings-about">About</h2>
        {info ? (
          <dl className="facts">
            <dt>Version</dt>
            <dd>
              {info.name} {info.version}
            </dd>
            <dt>Running as</dt>
            <dd>{info.transport === 'electron' ? 'Desktop app' : 'Browser, through the local Atelier host'}</dd>
            <dt>Platform</dt>
            <dd>{info.platform}</dd>
            <dt>Data folder</dt>
            <dd>
              <code className="path">{info.dataDir}</code>
              <span className="hint">
                Every profile keeps its own database and files in here. Back this folder up to keep your work.
              </span>
            </dd>
          </dl>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>

      <SubscriptionCard />

      {/* Here rather than a sidebar section: a check is an occasional tool, and a seventh section would shift Ctrl+1–6. */}
      <CheckFilePanel />

      <section className="card settings-card" aria-labelledby="settings-look">
        <h2 id="settings-look">Appearance</h2>
        <p>
          Atelier follows your system’s light or dark appearance. Change it in your operating system’s settings and
          the studio follows at once.
        </p>
      </section>

      <section className="card settings-card" aria-labelledby="settings-profile">
        <h2 id="settings-profile">Profile</h2>
        <p>
          You are working in <strong>{profile?.name}</strong>. Locking closes it; its assets and models stay private
          until someone unlocks it with its password.
        </p>
        <button type="button" className="button" onClick={() => void lock()}>
          Lock profile
        </button>
      </section>

      <section className="card settings-card" aria-labelledby="settings-keys">
        <h2 id="settings-keys">Keyboard shortcuts</h2>
        <ShortcutList mac={mac} />
      </section>
    </div>
  );
}
