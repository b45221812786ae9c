/**
 * In-page helpers for the sync benchmark (bench/sync-bench.ts). Installed with
 * `addInitScript` from their source text, so the function must be self-contained.
 *
 * - Hold: while the session flag `skh-bench-hold` is set when the page loads, `navigator.onLine`
 *   reads false, so the sync scheduler's start-up attempt does nothing
 *   (src/client/sync/sync-scheduler.ts returns when offline and waits for an `online` event).
 *   `release()` lifts it WITHOUT an `online` event, so no sync starts until the bench clicks
 *   "Đồng bộ ngay": the click is the timed start. Nothing else in the app changes.
 * - Recorder: every change of the sync status line and of the unsynced count, with
 *   performance.now(), seen by a MutationObserver (i.e. when React commits the new text).
 */

export interface SyncEvent {
  /** performance.now() when the text was first seen. */
  t: number;
  what: 'status' | 'unsynced';
  text: string;
}

/** One sync request as the page saw it: fetch() called, headers in, body read by the app. */
export interface FetchEvent {
  kind: 'push' | 'pull' | 'other';
  tCall: number;
  tHeaders: number;
  /** When the app had the whole body parsed as JSON (response.json() resolved). */
  tBody: number;
  /** Bytes of the request body handed to fetch (the gzip bytes when compressed). */
  requestBytes: number;
  status: number;
}

/** One readwrite IndexedDB transaction opened while recording (Dexie's, the app's). */
export interface TxEvent {
  /** Its object stores, sorted, comma-separated. */
  stores: string;
  start: number;
  end: number;
  committed: boolean;
}

export interface SyncProbe {
  release(): void;
  transactions(): TxEvent[];
  /** ms since the page's last IndexedDB transaction (any mode) ended; 0 while one is open. */
  idbQuietMs(): number;
  fetches(): FetchEvent[];
  /** Starts recording (idempotent); the current texts are recorded at once. */
  record(): void;
  events(): SyncEvent[];
  /** Clicks the enabled "Đồng bộ ngay" button; returns performance.now() just before the click. */
  clickSyncNow(): number;
}

declare global {
  interface Window {
    syncProbe?: SyncProbe;
  }
}

function installSyncProbe(): void {
  const HOLD_KEY = 'skh-bench-hold';
  let held = false;
  try {
    held = sessionStorage.getItem(HOLD_KEY) === '1';
  } catch {
    held = false;
  }
  const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine');
  Object.defineProperty(Navigator.prototype, 'onLine', {
    configurable: true,
    enumerable: true,
    get(this: Navigator) {
      return held ? false : Boolean(original?.get?.call(this) ?? true);
    },
  });

  // Sync requests, timed as the app makes them (the app calls the global fetch through a wrapper
  // made at start-up, after this script has run).
  const fetches: FetchEvent[] = [];
  const nativeFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.includes('/api/v1/sync/')) return nativeFetch(input, init);
    const body = init?.body;
    const requestBytes =
      typeof body === 'string'
        ? new TextEncoder().encode(body).length
        : body instanceof ArrayBuffer
          ? body.byteLength
          : ArrayBuffer.isView(body)
            ? body.byteLength
            : 0;
    const entry: FetchEvent = {
      kind: url.includes('/sync/push') ? 'push' : url.includes('/sync/pull') ? 'pull' : 'other',
      tCall: performance.now(),
      tHeaders: NaN,
      tBody: NaN,
      requestBytes,
      status: 0,
    };
    fetches.push(entry);
    const response = await nativeFetch(input, init);
    entry.tHeaders = performance.now();
    entry.status = response.status;
    const json = response.json.bind(response);
    response.json = async () => {
      const value: unknown = await json();
      entry.tBody = performance.now();
      return value;
    };
    return response;
  };

  // Readwrite transactions, from creation to complete: how long the device's IndexedDB work takes.
  const transactions: TxEvent[] = [];
  let recording = false;
  const nativeTransaction = IDBDatabase.prototype.transaction;
  // Every transaction, any mode, counted while open: when the page's IndexedDB work has settled.
  let openTransactions = 0;
  let lastSettled = performance.now();
  IDBDatabase.prototype.transaction = function (
    this: IDBDatabase,
    storeNames: string | string[],
    mode?: IDBTransactionMode,
    options?: IDBTransactionOptions,
  ) {
    const tx = nativeTransaction.call(this, storeNames, mode, options);
    openTransactions += 1;
    const settled = () => {
      openTransactions -= 1;
      lastSettled = performance.now();
    };
    tx.addEventListener('complete', settled);
    tx.addEventListener('abort', settled);
    if (recording && mode === 'readwrite') {
      const entry: TxEvent = {
        stores: [...tx.objectStoreNames].sort().join(','),
        start: performance.now(),
        end: NaN,
        committed: false,
      };
      transactions.push(entry);
      tx.addEventListener('complete', () => {
        entry.end = performance.now();
        entry.committed = true;
      });
      tx.addEventListener('abort', () => {
        entry.end = performance.now();
      });
    }
    return tx;
  } as typeof IDBDatabase.prototype.transaction;

  const events: SyncEvent[] = [];
  const last: Record<'status' | 'unsynced', string | undefined> = { status: undefined, unsynced: undefined };
  let observer: MutationObserver | undefined;
  const look = () => {
    const now = performance.now();
    for (const [what, selector] of [
      ['status', '[data-testid="sync-status"]'],
      ['unsynced', '[data-testid="unsynced-count"]'],
    ] as const) {
      const text = document.querySelector(selector)?.textContent ?? '';
      if (text !== last[what]) {
        last[what] = text;
        events.push({ t: now, what, text });
      }
    }
  };
  window.syncProbe = {
    release() {
      held = false;
      sessionStorage.removeItem(HOLD_KEY);
    },
    record() {
      if (observer) return;
      recording = true;
      observer = new MutationObserver(look);
      observer.observe(document, { subtree: true, childList: true, characterData: true });
      look();
    },
    events: () => events.slice(),
    fetches: () => fetches.map((f) => ({ ...f })),
    transactions: () => transactions.map((t) => ({ ...t })),
    idbQuietMs: () => (openTransactions > 0 ? 0 : performance.now() - lastSettled),
    clickSyncNow() {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Đồng bộ ngay');
      if (!button) throw new Error('no "Đồng bộ ngay" button');
      if (button.disabled) throw new Error('"Đồng bộ ngay" is disabled (a sync is running)');
      const t0 = performance.now();
      button.click();
      return t0;
    },
  };
}

/** Source text for `addInitScript` (with the no-op `__name` that tsx's keepNames needs in the page). */
export const SYNC_PROBE_SCRIPT = `globalThis.__name = globalThis.__name || ((target) => target);\n(${installSyncProbe.toString()})();`;
export const HOLD_KEY = 'skh-bench-hold';
