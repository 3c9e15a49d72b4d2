// Small line icons (24-unit grid, drawn in the current text colour) for navigation, buttons and severity marks.
import type { ReactNode } from 'react';

/** `label` makes the icon an image with that name for screen readers; without it the icon is decorative. */
function Icon({ children, size = 18, stroke = 1.8, label }: { children: ReactNode; size?: number; stroke?: number; label?: string }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={stroke}
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

export const AssetsIcon = () => (
  <Icon>
    <rect x="3" y="4" width="18" height="16" rx="2.5" />
    <circle cx="9" cy="9.5" r="1.8" />
    <path d="M21 16 L15.5 10.5 L6 20" />
  </Icon>
);

export const ModelsIcon = () => (
  <Icon>
    <path d="M12 3 L21 8 L12 13 L3 8 Z" />
    <path d="M3 12.5 L12 17.5 L21 12.5" />
    <path d="M3 16.5 L12 21.5 L21 16.5" />
  </Icon>
);

export const PlaygroundIcon = () => (
  <Icon>
    <path d="M4 20 L14 10" />
    <path d="M15.5 3.5 L16.4 6.1 L19 7 L16.4 7.9 L15.5 10.5 L14.6 7.9 L12 7 L14.6 6.1 Z" />
    <path d="M19.5 13 L20 14.5 L21.5 15 L20 15.5 L19.5 17 L19 15.5 L17.5 15 L19 14.5 Z" />
  </Icon>
);

export const PricingIcon = () => (
  <Icon>
    <path d="M3 12.2 V4.5 A1.5 1.5 0 0 1 4.5 3 H12.2 L21 11.8 L11.8 21 Z" />
    <circle cx="8" cy="8" r="1.6" />
  </Icon>
);

export const OrdersIcon = () => (
  <Icon>
    <path d="M3.5 7.5 L12 3 L20.5 7.5 V16.5 L12 21 L3.5 16.5 Z" />
    <path d="M3.5 7.5 L12 12 L20.5 7.5 M12 12 V21" />
  </Icon>
);

export const SettingsIcon = () => (
  <Icon>
    <path d="M4 6 H13 M17 6 H20 M4 12 H7 M11 12 H20 M4 18 H15 M19 18 H20" />
    <circle cx="15" cy="6" r="2" />
    <circle cx="9" cy="12" r="2" />
    <circle cx="17" cy="18" r="2" />
  </Icon>
);

export const ImportIcon = () => (
  <Icon>
    <path d="M12 4 V15 M7.5 10.5 L12 15 L16.5 10.5" />
    <path d="M4 16 V19 A1.5 1.5 0 0 0 5.5 20.5 H18.5 A1.5 1.5 0 0 0 20 19 V16" />
  </Icon>
);

export const JobsIcon = () => (
  <Icon>
    <path d="M4 6 H20 M4 12 H14 M4 18 H10" />
    <path d="M17 15 V21 M14 18 H20" />
  </Icon>
);

export const LockIcon = () => (
  <Icon size={16}>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11 V7.5 A4 4 0 0 1 16 7.5 V11" />
  </Icon>
);

export const CloseIcon = () => (
  <Icon size={16}>
    <path d="M6 6 L18 18 M18 6 L6 18" />
  </Icon>
);

export const KeyboardIcon = () => (
  <Icon size={16}>
    <rect x="2.5" y="6" width="19" height="12" rx="2" />
    <path d="M6 10 H6.01 M10 10 H10.01 M14 10 H14.01 M18 10 H18.01 M8 14 H16" />
  </Icon>
);

export const UndoIcon = () => (
  <Icon>
    <path d="M9 14 L4 9 L9 4" />
    <path d="M4 9 H14.5 A5.5 5.5 0 0 1 14.5 20 H11" />
  </Icon>
);

export const RedoIcon = () => (
  <Icon>
    <path d="M15 14 L20 9 L15 4" />
    <path d="M20 9 H9.5 A5.5 5.5 0 0 0 9.5 20 H13" />
  </Icon>
);

export const TagIcon = () => (
  <Icon>
    <path d="M3 12 V4 A1 1 0 0 1 4 3 H12 L21 12 L12 21 Z" />
    <circle cx="7.5" cy="7.5" r="1.5" />
  </Icon>
);

export const ArchiveIcon = () => (
  <Icon>
    <rect x="3" y="4" width="18" height="4" rx="1" />
    <path d="M5 8 V19 A1 1 0 0 0 6 20 H18 A1 1 0 0 0 19 19 V8" />
    <path d="M10 12 H14" />
  </Icon>
);

export const HealthIcon = () => (
  <Icon>
    <path d="M3 12 H7 L9.5 6 L14 18 L16.5 12 H21" />
  </Icon>
);

export const FolderIcon = () => (
  <Icon>
    <path d="M3 6.5 A1.5 1.5 0 0 1 4.5 5 H9.5 L11.5 7.5 H19.5 A1.5 1.5 0 0 1 21 9 V18 A1.5 1.5 0 0 1 19.5 19.5 H4.5 A1.5 1.5 0 0 1 3 18 Z" />
  </Icon>
);

export const AudioIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M4 10 V14" />
    <path d="M8 7 V17" />
    <path d="M12 4 V20" />
    <path d="M16 8 V16" />
    <path d="M20 11 V13" />
  </Icon>
);

export const TextIcon = ({ size }: { size?: number }) => (
  <Icon size={size}>
    <path d="M6 3 H14 L19 8 V20 A1 1 0 0 1 18 21 H6 A1 1 0 0 1 5 20 V4 A1 1 0 0 1 6 3 Z" />
    <path d="M14 3 V8 H19" />
    <path d="M8.5 12.5 H15.5" />
    <path d="M8.5 16 H13.5" />
  </Icon>
);

export const SearchIcon = () => (
  <Icon>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M16 16 L20.5 20.5" />
  </Icon>
);

export const CheckIcon = () => (
  <Icon>
    <path d="M5 12.5 L10 17.5 L19 7" />
  </Icon>
);

export const WarningIcon = () => (
  <Icon>
    <path d="M12 4 L21.5 20 H2.5 Z" />
    <path d="M12 10 V14" />
    <path d="M12 17 V17.2" />
  </Icon>
);

// Severity marks and media controls (the asset panel's quality report and audio view).
export const ErrorMark = ({ label }: { label?: string }) => (
  <Icon size={16} stroke={2} label={label}>
    <circle cx="12" cy="12" r="9" />
    <path d="M9 9 L15 15 M15 9 L9 15" />
  </Icon>
);

export const WarningMark = ({ label }: { label?: string }) => (
  <Icon size={16} stroke={2} label={label}>
    <path d="M12 3.5 L21.5 20 H2.5 Z" />
    <path d="M12 10 V14" />
    <path d="M12 17.2 V17.3" />
  </Icon>
);

export const InfoMark = ({ label }: { label?: string }) => (
  <Icon size={16} stroke={2} label={label}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 11 V16.5" />
    <path d="M12 7.7 V7.8" />
  </Icon>
);

export const OkMark = ({ label }: { label?: string }) => (
  <Icon size={16} stroke={2} label={label}>
    <circle cx="12" cy="12" r="9" />
    <path d="M8 12.5 L11 15.5 L16.5 9" />
  </Icon>
);

export const PlayMark = () => (
  <Icon size={16} stroke={2}>
    <path d="M7 4.5 L19 12 L7 19.5 Z" fill="currentColor" />
  </Icon>
);

export const PauseMark = () => (
  <Icon size={16} stroke={3}>
    <path d="M8 5 V19 M16 5 V19" />
  </Icon>
);

/** A die (the playground's "roll a seed"); drawn, because emoji fonts are not on every machine. */
export const DiceIcon = () => (
  <Icon>
    <rect x="4" y="4" width="16" height="16" rx="3" />
    <circle cx="9" cy="9" r="0.9" fill="currentColor" />
    <circle cx="15" cy="9" r="0.9" fill="currentColor" />
    <circle cx="12" cy="12" r="0.9" fill="currentColor" />
    <circle cx="9" cy="15" r="0.9" fill="currentColor" />
    <circle cx="15" cy="15" r="0.9" fill="currentColor" />
  </Icon>
);
