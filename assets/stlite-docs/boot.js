// @ts-check
/**
 * What booting one app takes, wherever it runs: in its own iframe (frame.js) or in the page
 * itself (shared.js, `runtime: shared`). Each function works on the document of the realm
 * that imported this module, so the frame and the page each get their own copy.
 */

/** Streamlit marks its root with the state of the script run: "initial" until the first run. */
export const APP_SELECTOR = '[data-testid="stApp"]';
export const CONTENT_SELECTOR = '[data-testid="stMainBlockContainer"]';
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const PROBE_TIMEOUT = 30_000;

/**
 * @typedef {(type: string, detail?: any) => void} Report
 *   How a booting app tells the loader what happens (`progress`, `stlite-loaded`, `rendered`,
 *   `height`, `theme`, `error`).
 */

/**
 * Add stlite's stylesheet (with its Subresource Integrity, when the spec has one) at the
 * start of this document's head, before anything that adjusts it.
 * @param {import("./spec.js").AppSpec} spec
 */
export function addStliteStylesheet(spec) {
  const integrity = spec.stliteIntegrity || null;
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  if (integrity) {
    stylesheet.integrity = integrity["stlite.css"];
    stylesheet.crossOrigin = "anonymous";
  }
  stylesheet.href = new URL("stlite.css", spec.stliteUrl).href;
  document.head.prepend(stylesheet);
  return stylesheet;
}

/**
 * Import stlite's module. With integrity, through a `<script type="module" integrity>` first:
 * import() cannot carry an integrity value, a script element can, and every engine enforces
 * it; the import() that follows is answered from this document's module map (the same,
 * checked instance, no new fetch).
 * @param {import("./spec.js").AppSpec} spec
 * @param {string} [query]  appended to the URL (a retry in the same document after a failure)
 * @returns {Promise<any>}
 */
export async function importStlite(spec, query = "") {
  const moduleUrl = new URL("stlite.js", spec.stliteUrl).href + query;
  const integrity = spec.stliteIntegrity || null;
  try {
    if (integrity) await loadModuleWithIntegrity(moduleUrl, integrity["stlite.js"]);
    return await import(moduleUrl);
  } catch (error) {
    throw new Error(`Could not load stlite from ${moduleUrl} (${messageOf(error)}).`);
  }
}

/**
 * @param {string} url
 * @param {string} integrity
 * @returns {Promise<void>}
 */
function loadModuleWithIntegrity(url, integrity) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.type = "module";
    script.integrity = integrity;
    script.crossOrigin = "anonymous";
    script.addEventListener("load", () => resolve(), { once: true });
    script.addEventListener("error", () => reject(new Error(`network error or integrity mismatch (expected ${integrity})`)), { once: true });
    script.src = url;
    document.head.append(script);
  });
}

/**
 * With a self-hosted or custom Pyodide: check its wasm before the worker needs it, so an
 * unreachable, missing or corrupt engine gives a message instead of a spinner forever.
 * @param {import("./spec.js").AppSpec} spec
 * @param {Report} report
 * @returns {Promise<boolean>} whether the app may go on
 */
export async function checkPyodide(spec, report) {
  if (!spec.pyodideUrl) return true;
  report("progress", { text: "Checking Pyodide…" });
  const problem = await probeWasm(new URL("pyodide.asm.wasm", spec.pyodideUrl).href);
  if (problem) report("error", { message: problem });
  return !problem;
}

/**
 * The options for stlite's `mount()` that come straight from the spec (theme and worker
 * choices are the caller's).
 * @param {import("./spec.js").AppSpec} spec
 * @returns {Object<string, any>}
 */
export function mountOptions(spec) {
  /** @type {Object<string, any>} */
  const options = {
    entrypoint: spec.entrypoint,
    files: Object.fromEntries(
      Object.entries(spec.files).map(([path, file]) => [path, "url" in file ? { url: file.url } : file.text]),
    ),
    requirements: spec.requirements,
    streamlitConfig: spec.config,
    // Packages of the Pyodide distribution load when the app imports them, as they do in
    // Pyodide's own console: `import matplotlib` needs no requirement (the imports check
    // counts them as provided).
    moduleAutoLoad: true,
  };
  if (spec.pyodideUrl) options.pyodideUrl = spec.pyodideUrl;
  if (spec.editable && !("server.runOnSave" in (spec.config || {}))) {
    // The code view's Run writes edited files into the app (controller.writeFile): Streamlit's
    // file watcher sees the change and, with runOnSave, reruns the app; no reboot. In a frame
    // or in the page (runtime: shared) alike.
    options.streamlitConfig = { ...options.streamlitConfig, "server.runOnSave": true };
  }
  return options;
}

/**
 * An app whose `config` sets its own colours (`theme.*`) is a Streamlit custom theme: used as
 * written, with `theme.base` added only for a forced `theme: light|dark` (Streamlit cannot
 * switch a custom theme's base while it runs: such an app does not follow the page).
 * @param {Object<string, any>} options  mount() options, changed in place
 * @param {import("./spec.js").AppSpec} spec
 * @returns {string | null}  the theme it shows, or null when it follows host messages
 */
export function applyCustomTheme(options, spec) {
  const config = spec.config || {};
  if (!Object.keys(config).some((key) => key.startsWith("theme."))) return null;
  const forced = spec.theme === "light" || spec.theme === "dark";
  if (forced && !("theme.base" in config)) options.streamlitConfig = { ...config, "theme.base": spec.theme };
  return options.streamlitConfig["theme.base"] ?? config["theme.base"] ?? "custom";
}

/** Streamlit's host message that switches a running app between its Light and Dark themes. @param {string} theme */
export function themeMessage(theme) {
  return { stCommVersion: 1, type: "SET_CUSTOM_THEME_CONFIG", themeName: theme === "dark" ? "Dark" : "Light" };
}

/**
 * stlite 1.9.2 exposes its kernel as `controller._kernel` (unstable, so feature-detected):
 * its events give real progress and real load errors instead of a spinner.
 * @param {any} controller
 * @param {Report} report
 */
export function listenToKernel(controller, report) {
  const kernel = controller && controller._kernel;
  if (!kernel || typeof kernel.addEventListener !== "function") {
    console.debug("stlite-docs: no kernel events in this stlite; progress is not reported");
    return;
  }
  kernel.addEventListener("loadProgress", (/** @type {any} */ event) => {
    report("progress", { text: String(event.detail ?? "") });
  });
  kernel.addEventListener("loadError", (/** @type {any} */ event) => {
    report("error", { message: `The app could not start: ${messageOf(event.detail)}` });
  });
}

/**
 * Call back once the app inside `scope` has finished its first script run.
 * @param {ParentNode & Node} scope  the frame's body, or the app's container in the page
 * @param {() => void} callback
 */
export function whenRendered(scope, callback) {
  const rendered = () => {
    const app = scope.querySelector(APP_SELECTOR);
    return !!app && app.getAttribute("data-test-script-state") === "notRunning";
  };
  if (rendered()) return callback();
  const observer = new MutationObserver(() => {
    if (rendered()) {
      observer.disconnect();
      callback();
    }
  });
  observer.observe(scope, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-test-script-state"] });
}

/**
 * For `height: auto`: report the height of the app's content whenever it changes.
 * @param {ParentNode & Element} scope  the element Streamlit renders into
 * @param {(content: Element | null) => number} measureOf  the height, given the content element
 * @param {Report} report
 */
export function watchHeight(scope, measureOf, report) {
  /** @type {Element | null} */
  let watched = null;
  const send = () => {
    const content = scope.querySelector(CONTENT_SELECTOR);
    if (content && content !== watched) {
      if (watched) resize?.unobserve(watched);
      resize?.observe(content);
      watched = content;
    }
    report("height", { px: measureOf(content) });
  };
  const resize = "ResizeObserver" in window ? new ResizeObserver(() => send()) : null;
  // The content element appears and is replaced as Streamlit renders.
  new MutationObserver(() => {
    if (!resize || scope.querySelector(CONTENT_SELECTOR) !== watched) send();
  }).observe(scope, { subtree: true, childList: true, ...(resize ? {} : { attributes: true, characterData: true }) });
  if (resize) {
    resize.observe(scope);
  } else {
    // Without ResizeObserver, every change of the document is a possible change of height,
    // and so is an image or font that finishes loading.
    console.debug("stlite-docs: no ResizeObserver: the app's height follows its DOM changes and loads");
    window.addEventListener("load", send, { capture: true });
    window.addEventListener("resize", send);
    send();
  }
}

/**
 * Check that Pyodide's wasm is reachable and is wasm, reading only its first bytes.
 * @param {string} url
 * @returns {Promise<string | null>}  a problem, or null when fine
 */
async function probeWasm(url) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), PROBE_TIMEOUT);
  try {
    const response = await fetch(url, { signal: abort.signal });
    if (!response.ok) return `Could not load Pyodide from ${url} (HTTP ${response.status}).`;
    const reader = response.body?.getReader();
    const first = reader ? (await reader.read()).value : new Uint8Array(await response.arrayBuffer());
    if (!first || WASM_MAGIC.some((byte, i) => first[i] !== byte)) return `${url} is not a WebAssembly file.`;
    return null;
  } catch (error) {
    return `Could not load Pyodide from ${url} (${messageOf(error)}).`;
  } finally {
    clearTimeout(timer);
    abort.abort(); // the worker downloads it again, from the HTTP cache; we only needed 4 bytes
  }
}

/** @param {unknown} error */
export function messageOf(error) {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object" && "message" in error) return String(/** @type {any} */ (error).message);
  return String(error);
}
