// Small line icons (24-unit grid, drawn in the current text colour) for navigation and buttons.
import type { ReactNode } from 'react';

function Icon({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg
      className="icon"
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
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
