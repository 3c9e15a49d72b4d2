// A banner over everything when the link to the studio is down (browser only; the desktop link never drops).
import type { ConnectionStatus } from '../platform';

const TEXT: Partial<Record<ConnectionStatus, string>> = {
  reconnecting: 'Reconnecting to Atelier Studio… Your work is safe; anything you start now waits until it is back.',
  'no-token':
    'This page was opened without its access token. Open the full address the Atelier host printed (it ends in #token=…).',
  closed: 'This window is no longer connected to Atelier Studio. Reload the page to reconnect.',
};

export function ConnectionBanner({ status }: { status: ConnectionStatus }) {
  const text = TEXT[status];
  if (!text) return null;
  return (
    <div className={`connection-banner banner-${status}`} role="status" data-testid="connection-banner">
      {status === 'reconnecting' ? <span className="spinner" aria-hidden="true" /> : null}
      {text}
    </div>
  );
}
