/**
 * Helpers that run INSIDE the page, installed with `addInitScript` from their source text, so each
 * install function must be self-contained (no imports, no outer variables).
 *
 * - `window.benchProbe` (every bench page of the app): timing of an awaited state to its paint,
 *   typing as React sees it, and raw IndexedDB on the app's database (no version given: the app's).
 * - `window.syncProbe` (the sync devices): the hold (while the session flag is set when the page
 *   loads, `navigator.onLine` reads false, so the sync scheduler's start-up attempt does nothing;
 *   `release()` lifts it WITHOUT an `online` event, so nothing syncs until the bench clicks
 *   "Đồng bộ ngay": the click is the timed start), and a recorder of the status line and unsynced
 *   count (MutationObserver: when React commits the text), of sync fetches and of IndexedDB
 *   transactions. Nothing else in the app changes.
 */

export interface Timing {
  /** ms from the action until the awaited state is in the DOM (first check that holds). */
  domMs: number;
  /** ms from the action until the frame showing that state was painted (rAF, then a task). */
  paintMs: number;
}

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

export type BenchProbe = ReturnType<typeof installBenchProbe>;
export type SyncProbe = ReturnType<typeof installSyncProbe>;

declare global {
  interface Window {
    benchProbe?: BenchProbe;
    syncProbe?: SyncProbe;
  }
}

export const DATABASE_NAME = 'so-khuyen-hoc';
export const HOLD_KEY = 'skh-bench-hold';

function installBenchProbe() {
  const done = <T>(request: IDBRequest<T>) =>
    new Promise<T>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
    });
  const openDb = () => done(indexedDB.open('so-khuyen-hoc'));
  const probe = {
    /**
     * Resolves once `check()` holds, timed from `t0` (a performance.now() taken just before the
     * action). The state is checked on every DOM mutation and on every animation frame; "painted"
     * is the first task after the next animation frame, i.e. after that frame was rendered.
     */
    waitFor(t0: number, check: () => boolean, timeoutMs: number) {
      return new Promise<Timing>((resolve, reject) => {
        let domAt: number | undefined;
        let finished = false;
        const observer = new MutationObserver(() => {
          if (domAt === undefined && check()) domAt = performance.now();
        });
        const finish = () => {
          finished = true;
          observer.disconnect();
        };
        const frame = () => {
          if (finished) return;
          const now = performance.now();
          if (domAt === undefined && check()) domAt = now;
          if (domAt !== undefined) {
            const dom = domAt;
            finish();
            // This callback runs before the frame is rendered; the next task runs after it.
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve({ domMs: dom - t0, paintMs: performance.now() - t0 });
            channel.port2.postMessage(null);
            return;
          }
          if (now - t0 > timeoutMs) {
            finish();
            reject(new Error(`state not reached within ${timeoutMs} ms`));
            return;
          }
          requestAnimationFrame(frame);
        };
        observer.observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
        if (check()) domAt = performance.now();
        requestAnimationFrame(frame);
      });
    },
    /** Sets an input's value the way React sees typing: native setter, then an `input` event. */
    setInputValue(id: string, value: string) {
      const input = document.getElementById(id);
      if (!(input instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      if (!setter) throw new Error('no native value setter');
      setter.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    /** True when some role=status element reads exactly `text`. */
    hasStatus(text: string) {
      for (const el of document.querySelectorAll('[role="status"]')) if (el.textContent === text) return true;
      return false;
    },
    /** The app's IndexedDB database, opened without a version (the app's own). */
    openDb,
    /** Writes rows (a JSON array) into one store in one transaction. */
    async putRows(store: string, json: string) {
      const db = await openDb();
      try {
        await new Promise<void>((resolve, reject) => {
          const tx = db.transaction(store, 'readwrite');
          const objectStore = tx.objectStore(store);
          for (const row of JSON.parse(json) as unknown[]) objectStore.put(row);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
          tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
        });
      } finally {
        db.close();
      }
    },
    /** Row counts of `stores` and the pull cursor, read in one transaction. */
    async state(stores: string[]) {
      const db = await openDb();
      try {
        const tx = db.transaction([...stores, 'settings'], 'readonly');
        const counts = await Promise.all(stores.map((s) => done(tx.objectStore(s).count())));
        const cursor = await done(tx.objectStore('settings').get('pullCursor'));
        return {
          counts: Object.fromEntries(stores.map((s, i) => [s, counts[i] ?? 0])),
          pullCursor: (cursor as { value?: string } | undefined)?.value ?? null,
        };
      } finally {
        db.close();
      }
    },
  };
  (window as { benchProbe?: unknown }).benchProbe = probe;
  return probe;
}

function installSyncProbe() {
  const HOLD = 'skh-bench-hold';
  let held = false;
  try {
    held = sessionStorage.getItem(HOLD) === '1';
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
        : body instanceof ArrayBuffer || ArrayBuffer.isView(body)
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
      const stores = [...tx.objectStoreNames].sort().join(',');
      const entry: TxEvent = { stores, start: performance.now(), end: NaN, committed: false };
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
  const probe = {
    /** Lifts the hold (no `online` event: nothing syncs until the bench clicks). */
    release() {
      held = false;
      sessionStorage.removeItem(HOLD);
    },
    /** Starts recording (idempotent); the current texts are recorded at once. */
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
    /** ms since the page's last IndexedDB transaction (any mode) ended; 0 while one is open. */
    idbQuietMs: () => (openTransactions > 0 ? 0 : performance.now() - lastSettled),
    /** Clicks the enabled "Đồng bộ ngay" button; returns performance.now() just before the click. */
    clickSyncNow() {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Đồng bộ ngay');
      if (!button) throw new Error('no "Đồng bộ ngay" button');
      if (button.disabled) throw new Error('"Đồng bộ ngay" is disabled (a sync is running)');
      const t0 = performance.now();
      button.click();
      return t0;
    },
  };
  (window as { syncProbe?: unknown }).syncProbe = probe;
  return probe;
}

/**
 * Source text for `addInitScript`. tsx compiles with esbuild's keepNames, which wraps named inner
 * functions in `__name(...)` calls; the page has no such helper, so it gets a no-op one (this also
 * covers the functions the bench passes to page.evaluate).
 */
const script = (install: () => void) =>
  `globalThis.__name = globalThis.__name || ((target) => target);\n(${install.toString()})();`;
export const PROBE_SCRIPT = script(installBenchProbe);
export const SYNC_PROBE_SCRIPT = script(installSyncProbe);
