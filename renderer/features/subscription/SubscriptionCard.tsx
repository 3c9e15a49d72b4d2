// Settings → Subscription: the state as the studio holds it, what it allows, and where it is set today.
import { useEffect } from 'react';
import { useModels } from '../models/store';

export function SubscriptionCard() {
  const view = useModels((s) => s.subscription);
  const loadSubscription = useModels((s) => s.loadSubscription);

  useEffect(() => {
    void loadSubscription();
  }, [loadSubscription]);

  const allows: { what: string; ok: boolean }[] = view
    ? [
        { what: 'Train models', ok: view.canTrain },
        { what: 'Generate in the playground', ok: view.canGenerate },
        { what: 'Publish models', ok: view.canPublish },
      ]
    : [];

  return (
    <section className="card settings-card" aria-labelledby="settings-subscription" data-testid="subscription-card">
      <h2 id="settings-subscription">Subscription</h2>
      {view ? (
        <>
          <p data-testid="subscription-line" data-status={view.effective.status}>
            {view.line}
          </p>
          <ul className="allows" data-testid="subscription-allows">
            {allows.map((a) => (
              <li key={a.what} data-allowed={a.ok}>
                <span aria-hidden="true">{a.ok ? '✓' : '✕'}</span> {a.what}
                <span className="visually-hidden">{a.ok ? ' (allowed)' : ' (needs a subscription)'}</span>
              </li>
            ))}
          </ul>
          {view.nextReset ? <p className="muted">Training quotas reset on {new Date(view.nextReset).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}.</p> : null}
          <p className="hint">
            The subscription is set from the command line (<code>atelier subscription set …</code>) until Atelier Market
            exists; then it follows your Market account.
          </p>
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </section>
  );
}
