// @ts-check
/**
 * Runs in each app's frame (imported by frame.js): notices when a running app's Python is gone,
 * so the reader gets a message and Retry instead of an app that silently stops reacting.
 *
 * stlite 1.9.2 gives no event for it, so two signals, both feature-detected (they use the
 * kernel's unstable `controller._kernel`):
 * - the kernel's worker (`_kernel._worker`, a dedicated Worker) fires `error`: an exception
 *   escaped the worker (a crash);
 * - a health probe: while the app is idle, the frame asks Streamlit's own health endpoint
 *   (`/_stcore/health`, through `_kernel.sendHttpRequest`, answered by Python in the worker).
 *   No answer within the time limit, or an answer other than 200 (Pyodide after a fatal
 *   error answers 500), means the kernel stopped answering: the worker was terminated, ran
 *   out of memory, or Pyodide died.
 *
 * A probe is sent only while Streamlit says no script runs (`data-test-script-state`), and a
 * probe that times out while a script has started running proves nothing: Python runs the
 * script on the worker's only thread, so a long computation delays the answer without being
 * a failure. A kernel that hangs in the middle of a run is therefore not detected (Streamlit
 * shows its own "Running..." indicator meanwhile).
 */

const APP_SELECTOR = '[data-testid="stApp"]';
const HEALTH_REQUEST = { method: "GET", path: "/_stcore/health", headers: { host: "stlite.local" }, body: "" };

/**
 * @param {any} controller  what stlite's mount() returned
 * @param {{every: number, timeout: number}} limits  milliseconds between probes; for an answer
 * @param {(message: string) => void} onDead  called once, when the kernel is found gone
 * @returns {() => void}  stops watching
 */
export function watchHealth(controller, limits, onDead) {
  const kernel = controller?._kernel;
  let stopped = false;
  /** @type {number | undefined} */
  let timer;
  const dead = (/** @type {string} */ message) => {
    if (stopped) return;
    stop();
    onDead(message);
  };
  const stop = () => {
    stopped = true;
    window.clearTimeout(timer);
    worker?.removeEventListener?.("error", onError);
  };

  const worker = kernel?._worker;
  /** @param {ErrorEvent} event */
  const onError = (event) => dead(`The app stopped: its Python worker crashed (${event.message || "no details"}).`);
  if (worker && typeof worker.addEventListener === "function") {
    worker.addEventListener("error", onError);
  } else {
    console.debug("stlite-docs: this stlite does not expose its kernel's worker; a crash is noticed by the health probe only");
  }

  if (!kernel || typeof kernel.sendHttpRequest !== "function") {
    console.debug("stlite-docs: this stlite's kernel takes no requests; a kernel that stops answering is not noticed");
    return stop;
  }

  const idle = () => document.querySelector(APP_SELECTOR)?.getAttribute("data-test-script-state") === "notRunning";

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
      if (response?.statusCode !== 200) {
        return dead(`The app stopped: its Python kernel reports an error (HTTP ${response?.statusCode}).`);
      }
    } catch (error) {
      window.clearTimeout(limit);
      if (!timedOut) return dead(`The app stopped: its Python kernel failed (${messageOf(error)}).`);
      // Only a kernel that stayed idle and silent is gone; a script run that began meanwhile
      // holds the worker's thread.
      if (idle()) return dead(`The app stopped: its Python kernel did not answer within ${limits.timeout / 1000} s.`);
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
