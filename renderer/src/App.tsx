// The renderer's root: picker or shell by session, the connection banner, and the toasts.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { connection } from '../platform';
import { useAssets } from '../features/assets/store';
import { useJobs } from '../features/jobs/store';
import { ProfilePicker } from '../features/session/ProfilePicker';
import { useSession } from '../features/session/store';
import { Shell } from '../features/shell/Shell';
import { Toasts } from '../features/toasts/Toasts';
import { ConnectionBanner } from '../ui/ConnectionBanner';
import { Logo } from '../ui/Logo';

/** After a reconnect, events may have been missed: read everything the screen shows again. */
async function refreshAll(): Promise<void> {
  await useSession.getState().load();
  if (useSession.getState().current) {
    void useJobs.getState().load();
    void useAssets.getState().load();
  }
}

export function App() {
  const loaded = useSession((s) => s.loaded);
  const current = useSession((s) => s.current);
  const status = useSyncExternalStore(connection.onStatus, connection.status);
  const previous = useRef(status);

  useEffect(() => {
    void useSession.getState().load();
  }, []);

  useEffect(() => {
    if (previous.current === 'reconnecting' && status === 'open') void refreshAll();
    previous.current = status;
  }, [status]);

  // A file dropped outside the drop area must not make the window open it in place of the studio.
  useEffect(() => {
    function refuse(event: DragEvent) {
      if (event.defaultPrevented) return;
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'none';
    }
    window.addEventListener('dragover', refuse);
    window.addEventListener('drop', refuse);
    return () => {
      window.removeEventListener('dragover', refuse);
      window.removeEventListener('drop', refuse);
    };
  }, []);

  return (
    <>
      <ConnectionBanner status={status} />
      {!loaded ? (
        <div className="splash" aria-busy="true">
          <Logo size={48} />
          <p className="muted">Opening Atelier Studio…</p>
        </div>
      ) : current ? (
        <Shell key={current.id} />
      ) : (
        <ProfilePicker />
      )}
      <Toasts />
    </>
  );
}
