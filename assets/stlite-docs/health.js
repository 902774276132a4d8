// @ts-check
/**
 * Notices when a running app's Python is gone, so the reader gets a message and a way out
 * instead of an app that silently stops reacting. Used for each app, in its frame (frame.js)
 * and in the page (`runtime: shared`, shared.js).
 *
 * stlite 1.9.2 gives no event for it, so two signals, both feature-detected (they use the
 * kernel's unstable `controller._kernel`):
 * - the kernel's worker (`_kernel._worker`) fires `error`: an exception escaped a dedicated
 *   Worker (a crash). A SharedWorker's object fires it only when its script fails to load;
 *   there the probe is the signal.
 * - a health probe: while Python is idle, ask Streamlit's own health endpoint
 *   (`/_stcore/health`, through `_kernel.sendHttpRequest`, answered by Python in the worker).
 *   No answer within the time limit, or an answer other than 200 (after Pyodide's fatal
 *   error the request fails or gets no status), means the kernel stopped answering: the
 *   worker was terminated, ran out of memory, or Pyodide died.
 *
 * A probe is sent only while Python is idle (the caller's `idle`: Streamlit says no script
 * runs, `data-test-script-state`), and a probe that times out while a script has started
 * running proves nothing: Python runs scripts on the worker's only thread, so a long
 * computation delays the answer without being a failure. A kernel that hangs in the middle of
 * a run is therefore not detected (Streamlit shows its own "Running..." indicator meanwhile).
 */

import { APP_SELECTOR } from "./boot.js";

/** Defaults: a probe every 15 s, an answer due within 10 s; the loader may shorten both (tests). */
const LIMITS = { every: 15_000, timeout: 10_000 };
const HEALTH_REQUEST = { method: "GET", path: "/_stcore/health", headers: { host: "stlite.local" }, body: "" };

/**
 * The probe's time limits for an app: the defaults, or the loader's (`host.timeouts`).
 * @param {any} host  the app's host object (see loader.js)
 * @returns {{every: number, timeout: number}}  milliseconds between probes; for an answer
 */
export function healthLimits(host) {
  return { every: host.timeouts?.healthEvery ?? LIMITS.every, timeout: host.timeouts?.healthTimeout ?? LIMITS.timeout };
}

/**
 * Whether the Streamlit app rendered in `scope` has run its script and runs none now.
 * An app not rendered yet is booting, which holds its Python too.
 * @param {ParentNode} scope
 */
export function appIdle(scope) {
  return scope.querySelector(APP_SELECTOR)?.getAttribute("data-test-script-state") === "notRunning";
}

/**
 * @param {any} controller  what stlite's mount() returned
 * @param {{every: number, timeout: number}} limits  see `healthLimits`
 * @param {() => boolean} idle  whether the Python this app runs in is idle: the frame's app,
 *   or in shared mode every app of the page (they share the worker's thread)
 * @param {(cause: string) => void} onDead  called once, when the kernel is found gone, with
 *   what was seen, e.g. "Python kernel did not answer within 10 s"
 * @returns {() => void}  stops watching; in the page a timer outlives the app, so the loader
 *   calls it when it tears the app down
 */
export function watchHealth(controller, limits, idle, onDead) {
  const kernel = controller?._kernel;
  let stopped = false;
  /** @type {number | undefined} */
  let timer;
  const dead = (/** @type {string} */ cause) => {
    if (stopped) return;
    stop();
    onDead(cause);
  };
  const stop = () => {
    stopped = true;
    window.clearTimeout(timer);
    worker?.removeEventListener?.("error", onError);
  };

  const worker = kernel?._worker;
  /** @param {ErrorEvent} event */
  const onError = (event) => dead(`Python worker crashed (${event.message || "no details"})`);
  if (worker && typeof worker.addEventListener === "function") {
    worker.addEventListener("error", onError);
  } else {
    console.debug("stlite-docs: this stlite does not expose its kernel's worker; a crash is noticed by the health probe only");
  }

  if (!kernel || typeof kernel.sendHttpRequest !== "function") {
    console.debug("stlite-docs: this stlite's kernel takes no requests; a kernel that stops answering is not noticed");
    return stop;
  }

  const probe = async () => {
    if (stopped) return;
    if (document.hidden || !idle()) return schedule();
    const abort = new AbortController();
    let timedOut = false;
    const limit = window.setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, limits.timeout);
    try {
      const response = await kernel.sendHttpRequest(HEALTH_REQUEST, abort.signal);
      window.clearTimeout(limit);
      const status = response?.statusCode;
      if (status !== 200) {
        return dead(`Python kernel reports an error (${status > 0 ? `HTTP ${status}` : "no HTTP status"})`);
      }
    } catch (error) {
      window.clearTimeout(limit);
      if (!timedOut) return dead(`Python kernel failed (${messageOf(error)})`);
      // Only a kernel that stayed idle and silent is gone; a script run that began meanwhile
      // holds the worker's thread.
      if (idle()) return dead(`Python kernel did not answer within ${limits.timeout / 1000} s`);
    }
    schedule();
  };
  const schedule = () => {
    if (!stopped) timer = window.setTimeout(probe, limits.every);
  };
  schedule();
  return stop;
}

/** @param {unknown} error */
function messageOf(error) {
  if (error && typeof error === "object" && "message" in error) return String(/** @type {any} */ (error).message);
  return String(error);
}
