// The toast stack in the bottom-right corner; errors are announced assertively to screen readers.
import { CloseIcon } from '../../ui/icons';
import { useToasts } from './store';
import './toasts.css';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.kind}`}
          data-testid="toast"
          data-kind={toast.kind}
          role={toast.kind === 'error' ? 'alert' : 'status'}
        >
          <div className="toast-body">
            <strong className="toast-heading">{toast.heading}</strong>
            <p className="toast-message">{toast.message}</p>
            {toast.lines.length > 0 ? (
              <ul className="toast-lines">
                {toast.lines.map((line, i) => (
                  <li key={i}>{line}</li>
                ))}
              </ul>
            ) : null}
          </div>
          <button
            type="button"
            className="button quiet icon-only toast-close"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
