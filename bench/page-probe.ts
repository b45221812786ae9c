/**
 * Timing helpers that run INSIDE the page. They are installed with `page.addInitScript` from
 * their source text, so each function must be self-contained (no imports, no outer variables).
 */

export interface Timing {
  /** ms from the action until the awaited state is in the DOM (first check that holds). */
  domMs: number;
  /** ms from the action until the frame showing that state was painted (rAF, then a task). */
  paintMs: number;
}

export interface BenchProbe {
  /**
   * Resolves once `check()` holds, timed from `t0` (a performance.now() taken just before the
   * action). The state is checked on every DOM mutation and on every animation frame; "painted"
   * is the first task after the next animation frame, i.e. after that frame was rendered.
   */
  waitFor(t0: number, check: () => boolean, timeoutMs: number): Promise<Timing>;
  /** Sets an input's value the way React sees typing: native setter, then an `input` event. */
  setInputValue(id: string, value: string): void;
  /** True when some role=status element reads exactly `text`. */
  hasStatus(text: string): boolean;
}

declare global {
  interface Window {
    benchProbe?: BenchProbe;
  }
}

function installBenchProbe(): void {
  const probe: BenchProbe = {
    waitFor(t0, check, timeoutMs) {
      return new Promise((resolve, reject) => {
        let domAt: number | undefined;
        let done = false;
        const observer = new MutationObserver(() => {
          if (domAt === undefined && check()) domAt = performance.now();
        });
        const finish = () => {
          done = true;
          observer.disconnect();
        };
        const frame = () => {
          if (done) return;
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
    setInputValue(id, value) {
      const input = document.getElementById(id);
      if (!(input instanceof HTMLInputElement)) throw new Error(`no input #${id}`);
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
      if (!setter) throw new Error('no native value setter');
      setter.call(input, value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    hasStatus(text) {
      for (const el of document.querySelectorAll('[role="status"]')) if (el.textContent === text) return true;
      return false;
    },
  };
  window.benchProbe = probe;
}

/**
 * Source text for `page.addInitScript`. tsx compiles with esbuild's keepNames, which wraps
 * named inner functions in `__name(...)` calls; the page has no such helper, so it gets a no-op
 * one (this also covers the functions run.ts passes to page.evaluate).
 */
export const PROBE_SCRIPT = `globalThis.__name = globalThis.__name || ((target) => target);\n(${installBenchProbe.toString()})();`;
