// Line icons the asset panel needs (severity marks, play/pause, close), drawn in the current text colour.
import type { ReactNode } from 'react';

function Icon({ children, size = 16, label }: { children: ReactNode; size?: number; label?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const ErrorMark = ({ label }: { label?: string }) => (
  <Icon label={label}>
    <circle cx="12" cy="12" r="9" />
    <path d="M9 9 L15 15 M15 9 L9 15" />
  </Icon>
);

export const WarningMark = ({ label }: { label?: string }) => (
  <Icon label={label}>
    <path d="M12 3.5 L21.5 20 H2.5 Z" />
    <path d="M12 10 V14" />
    <path d="M12 17.2 V17.3" />
  </Icon>
);

export const InfoMark = ({ label }: { label?: string }) => (
  <Icon label={label}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11 V16.5" />
    <path d="M12 7.7 V7.8" />
  </Icon>
);

export const OkMark = ({ label }: { label?: string }) => (
  <Icon label={label}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12.5 L11 15.5 L16.5 9" />
  </Icon>
);

export const CloseMark = () => (
  <Icon size={18}>
    <path d="M6 6 L18 18 M18 6 L6 18" />
  </Icon>
);

export const PlayMark = () => (
  <Icon>
    <path d="M7 4.5 L19 12 L7 19.5 Z" fill="currentColor" />
  </Icon>
);

export const PauseMark = () => (
  <Icon>
    <path d="M8 5 V19 M16 5 V19" strokeWidth="3" />
  </Icon>
);
