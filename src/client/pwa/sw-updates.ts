/** What the service worker told the page, as a small store the UI reads. */
export interface SwUpdateState {
  /** A new version is installed and waiting; it takes over only when the user says so. */
  readonly needRefresh: boolean;
  /** The shell is precached: the app now starts with no network. */
  readonly offlineReady: boolean;
}

export interface SwUpdates {
  subscribe(listener: () => void): () => void;
  getSnapshot(): SwUpdateState;
  /** Activates the waiting version and reloads. The outbox lives in IndexedDB and is untouched. */
  applyUpdate(): Promise<void>;
  dismiss(): void;
}

/** The shape of vite-plugin-pwa's `registerSW` (virtual:pwa-register). */
export type RegisterSw = (options: {
  immediate?: boolean;
  onNeedRefresh?: () => void;
  onOfflineReady?: () => void;
  onRegisterError?: (error: unknown) => void;
}) => (reloadPage?: boolean) => Promise<void>;

const IDLE: SwUpdateState = { needRefresh: false, offlineReady: false };

export function createSwUpdates(registerSw: RegisterSw): SwUpdates {
  let state = IDLE;
  const listeners = new Set<() => void>();
  const set = (next: Partial<SwUpdateState>) => {
    state = { ...state, ...next };
    listeners.forEach((listener) => listener());
  };
  const update = registerSw({
    immediate: true,
    onNeedRefresh: () => set({ needRefresh: true }),
    onOfflineReady: () => set({ offlineReady: true }),
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    applyUpdate: () => update(true),
    dismiss: () => set(IDLE),
  };
}
