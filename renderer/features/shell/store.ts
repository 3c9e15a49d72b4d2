// The shell's own state: the section on screen and the app's facts for Settings.
import { create } from 'zustand';
import type { AppInfo } from '../../../preload/contract';
import { api } from '../../platform';
import { reportFailure } from '../toasts/store';
import type { SectionId } from './sections';

interface ShellState {
  section: SectionId;
  appInfo: AppInfo | null;
  /** Ctrl/Cmd+I from anywhere: the Assets screen opens its file chooser and clears this. */
  importPending: boolean;
  go(section: SectionId): void;
  requestImport(): void;
  takeImportRequest(): boolean;
  loadAppInfo(): Promise<void>;
  reset(): void;
}

export const useShell = create<ShellState>()((set, get) => ({
  section: 'assets',
  appInfo: null,
  importPending: false,
  go(section) {
    set({ section });
  },
  requestImport() {
    set({ section: 'assets', importPending: true });
  },
  takeImportRequest() {
    const pending = get().importPending;
    if (pending) set({ importPending: false });
    return pending;
  },
  async loadAppInfo() {
    const info = await api.app.info();
    if (reportFailure(info) && info.ok) set({ appInfo: info.value });
  },
  reset() {
    set({ section: 'assets', importPending: false });
  },
}));
