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
  onRegisteredSW?: (swUrl: string, registration: { update(): Promise<unknown> } | undefined) => void;
}) => (reloadPage?: boolean) => Promise<void>;

/** What the page offers around the service worker: its container and a reload. */
export interface SwPage {
  /** `navigator.serviceWorker`, or undefined where there is none (plain HTTP on a LAN address). */
  readonly container: Pick<ServiceWorkerContainer, 'addEventListener'> | undefined;
  /** Where "back online" is announced (`window`). */
  readonly onlineEvents: Pick<Window, 'addEventListener'>;
  reload(): void;
}

const IDLE: SwUpdateState = { needRefresh: false, offlineReady: false };

/**
 * The page reloads itself once the new worker takes control. vite-plugin-pwa reloads only when
 * workbox-window saw a controller at start, which is false in the session that first installed the
 * app (vite-pwa/vite-plugin-pwa#601): without this, that page kept running the old code under the
 * new worker and asked for chunks the new precache no longer has.
 * A phone that keeps the app open learns of a new version when it comes back online (the browser
 * itself checks only on a navigation, or once a day).
 */
export function createSwUpdates(registerSw: RegisterSw, page?: SwPage): SwUpdates {
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
    onRegisteredSW: (_url, registration) => {
      if (!registration) return;
      page?.onlineEvents.addEventListener('online', () => void registration.update().catch(() => undefined));
    },
  });
  let reloading = false;
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => state,
    applyUpdate: () => {
      page?.container?.addEventListener('controllerchange', () => {
        if (reloading) return;
        reloading = true;
        page.reload();
      });
      return update(true);
    },
    dismiss: () => set(IDLE),
  };
}
