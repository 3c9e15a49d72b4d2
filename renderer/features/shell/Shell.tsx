// The studio shell: sidebar sections, header with the profile and Lock, content, and the jobs tray.
import { useEffect, useState, type ReactNode } from 'react';
import { AssetsScreen } from '../assets/AssetsScreen';
import { useAssets } from '../assets/store';
import { JobsTray } from '../jobs/JobsTray';
import { activeJobs } from '../jobs/job-list';
import { useJobs } from '../jobs/store';
import { useSession } from '../session/store';
import { useToasts } from '../toasts/store';
import { Logo } from '../../ui/Logo';
import {
  AssetsIcon,
  JobsIcon,
  KeyboardIcon,
  LockIcon,
  ModelsIcon,
  OrdersIcon,
  PlaygroundIcon,
  PricingIcon,
  SettingsIcon,
} from '../../ui/icons';
import { ModelsScreen } from '../models/ModelsScreen';
import { useModels } from '../models/store';
import { PlaygroundScreen } from '../playground/PlaygroundScreen';
import { usePlayground } from '../playground/store';
import { PricingScreen } from '../pricing/PricingScreen';
import { OrdersIntro } from './SectionIntro';
import { SettingsScreen } from './SettingsScreen';
import { ShortcutsDialog } from './ShortcutsDialog';
import { SECTIONS, sectionLabel, type SectionId } from './sections';
import { isMacPlatform, shortcutFor, shortcutLabel } from './shortcuts';
import { useShell } from './store';
import './shell.css';

const SECTION_ICONS: Readonly<Record<SectionId, () => ReactNode>> = {
  assets: AssetsIcon,
  models: ModelsIcon,
  playground: PlaygroundIcon,
  pricing: PricingIcon,
  orders: OrdersIcon,
  settings: SettingsIcon,
};

const MAC = isMacPlatform(typeof navigator === 'undefined' ? '' : navigator.platform);

export function Shell() {
  const section = useShell((s) => s.section);
  const go = useShell((s) => s.go);
  const profile = useSession((s) => s.current);
  const lock = useSession((s) => s.lock);
  const trayOpen = useJobs((s) => s.trayOpen);
  const toggleTray = useJobs((s) => s.toggleTray);
  const running = useJobs((s) => activeJobs(s.jobs));
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [locking, setLocking] = useState(false);

  // The shell's data belongs to the unlocked profile: load it on entry, forget it on leaving.
  useEffect(() => {
    void useJobs.getState().load();
    return () => {
      useJobs.getState().reset();
      useAssets.getState().reset();
      useModels.getState().reset();
      usePlayground.getState().reset();
      useShell.getState().reset();
      // Notices name this profile's files; they must not linger on the picker for the next person.
      useToasts.getState().clear();
    };
  }, []);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const action = shortcutFor(event);
      if (!action) return;
      if (action.type === 'close') {
        // An open <dialog> closes itself on Escape; otherwise Escape closes the tray.
        if (document.querySelector('dialog[open]')) return;
        if (useJobs.getState().trayOpen) {
          useJobs.getState().setTrayOpen(false);
          event.preventDefault();
        }
        return;
      }
      event.preventDefault();
      if (action.type === 'section') useShell.getState().go(action.section);
      else if (action.type === 'import') useShell.getState().requestImport();
      else if (action.type === 'toggle-jobs') useJobs.getState().toggleTray();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  async function onLock() {
    setLocking(true);
    try {
      await lock();
    } finally {
      setLocking(false);
    }
  }

  return (
    <div className="shell" data-testid="shell">
      <nav className="sidebar" aria-label="Sections">
        <div className="sidebar-brand">
          <Logo size={28} />
          <span>Atelier Studio</span>
        </div>
        <ul className="nav-list">
          {SECTIONS.map((s, i) => {
            const Icon = SECTION_ICONS[s.id];
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`nav-item${section === s.id ? ' active' : ''}`}
                  data-testid={`nav-${s.id}`}
                  aria-current={section === s.id ? 'page' : undefined}
                  aria-label={s.label}
                  aria-keyshortcuts={`Control+${i + 1} Meta+${i + 1}`}
                  title={`${s.label} (${shortcutLabel(String(i + 1), MAC)})`}
                  onClick={() => go(s.id)}
                >
                  <Icon />
                  <span>{s.label}</span>
                </button>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-foot">
          <button type="button" className="button quiet small" onClick={() => setShortcutsOpen(true)}>
            <KeyboardIcon />
            Shortcuts
          </button>
        </div>
      </nav>

      <div className="main">
        <header className="topbar">
          <h1>{sectionLabel(section)}</h1>
          <div className="topbar-actions">
            <button
              type="button"
              className={`button quiet jobs-toggle${trayOpen ? ' on' : ''}`}
              data-testid="jobs-tray-toggle"
              aria-expanded={trayOpen}
              aria-keyshortcuts="Control+J Meta+J"
              title={`Jobs (${shortcutLabel('J', MAC)})`}
              onClick={toggleTray}
            >
              <JobsIcon />
              Jobs
              {running > 0 ? (
                <span className="badge" aria-label={`${running} running`}>
                  {running}
                </span>
              ) : null}
            </button>
            <span className="divider" aria-hidden="true" />
            <span className="profile-chip">
              <span className="avatar small" aria-hidden="true">
                {[...(profile?.name.trim() ?? '')][0]?.toUpperCase() ?? '?'}
              </span>
              <span className="profile-chip-name" data-testid="current-profile">
                {profile?.name}
              </span>
            </span>
            <button
              type="button"
              className="button small"
              data-testid="lock-button"
              disabled={locking}
              onClick={() => void onLock()}
            >
              <LockIcon />
              Lock
            </button>
          </div>
        </header>
        <div className="content-row">
          <main className="content" aria-label={sectionLabel(section)}>
            {section === 'assets' ? <AssetsScreen shortcut={shortcutLabel('I', MAC)} mac={MAC} /> : null}
            {section === 'models' ? <ModelsScreen /> : null}
            {section === 'playground' ? <PlaygroundScreen /> : null}
            {section === 'pricing' ? <PricingScreen /> : null}
            {section === 'orders' ? <OrdersIntro /> : null}
            {section === 'settings' ? <SettingsScreen mac={MAC} /> : null}
          </main>
          <JobsTray />
        </div>
      </div>
      <ShortcutsDialog open={shortcutsOpen} mac={MAC} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}
