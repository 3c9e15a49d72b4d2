// The session: which profiles exist on this computer and which one (if any) is unlocked.
import { create } from 'zustand';
import type { ProfileSummary, Result } from '../../../preload/contract';
import { api } from '../../platform';
import { reportFailure } from '../toasts/store';

interface SessionState {
  /** False until the first answer from the studio (the screen shows a quiet loading state until then). */
  loaded: boolean;
  /** Why the profiles could not be listed (shown on the picker with a retry), or null. */
  loadError: string | null;
  profiles: ProfileSummary[];
  current: ProfileSummary | null;
  /** The profile chosen in the picker, whose unlock form is shown. */
  selectedId: string | null;
  load(): Promise<void>;
  select(profileId: string | null): void;
  /** Creates the profile, then unlocks it with the same password (landing in the shell). */
  create(name: string, password: string): Promise<Result<ProfileSummary>>;
  unlock(profileId: string, password: string): Promise<Result<ProfileSummary>>;
  lock(): Promise<void>;
}

/** The profile the picker offers first: the one unlocked most recently, else the first. */
export function preferredProfile(profiles: readonly ProfileSummary[]): ProfileSummary | null {
  let best: ProfileSummary | null = null;
  for (const p of profiles) {
    if (!best) best = p;
    else if ((p.lastUnlockedAt ?? '') > (best.lastUnlockedAt ?? '')) best = p;
  }
  return best;
}

export const useSession = create<SessionState>()((set, get) => ({
  loaded: false,
  loadError: null,
  profiles: [],
  current: null,
  selectedId: null,

  async load() {
    const [profiles, current] = await Promise.all([api.profiles.list(), api.profiles.current()]);
    // The picker shows a failed list itself; only the second failure would be news in a toast.
    if (profiles.ok) reportFailure(current);
    const list = profiles.ok ? profiles.value : get().profiles;
    const selected = get().selectedId;
    set({
      loaded: true,
      loadError: profiles.ok ? null : profiles.error.message,
      profiles: list,
      current: current.ok ? current.value : get().current,
      selectedId: list.some((p) => p.id === selected) ? selected : (preferredProfile(list)?.id ?? null),
    });
  },

  select(profileId) {
    set({ selectedId: profileId });
  },

  async create(name, password) {
    const created = await api.profiles.create({ name, password });
    if (!created.ok) return created;
    // A reload may have listed it already (the studio announces new sessions, not new profiles).
    const others = get().profiles.filter((p) => p.id !== created.value.id);
    set({ profiles: [...others, created.value], selectedId: created.value.id });
    return get().unlock(created.value.id, password);
  },

  async unlock(profileId, password) {
    const unlocked = await api.profiles.unlock({ profileId, password });
    if (unlocked.ok) {
      set({
        current: unlocked.value,
        selectedId: unlocked.value.id,
        profiles: get().profiles.map((p) => (p.id === unlocked.value.id ? unlocked.value : p)),
      });
    }
    return unlocked;
  },

  async lock() {
    const locked = await api.profiles.lock();
    if (reportFailure(locked)) set({ current: null });
    void get().load();
  },
}));

api.on('session:changed', ({ profile }) => {
  const { current, selectedId } = useSession.getState();
  if (current?.id === profile?.id && current?.name === profile?.name) return;
  useSession.setState({ current: profile, selectedId: profile?.id ?? selectedId });
  void useSession.getState().load();
});
