// @ts-check
/**
 * Runs inside each app's iframe: loads stlite, mounts the app, and reports back to the
 * loader through the host object it left on the iframe element (same origin, so
 * `window.frameElement` reaches it).
 */

import { watchHealth } from "./health.js";

/** Streamlit marks its root with the state of the script run: "initial" until the first run. */
const APP_SELECTOR = '[data-testid="stApp"]';
const CONTENT_SELECTOR = '[data-testid="stMainBlockContainer"]';
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];
const PROBE_TIMEOUT = 30_000;
/** The kernel health probe (health.js); the loader may shorten both (`host.timeouts`). */
const HEALTH = { every: 15_000, timeout: 10_000 };

const host = /** @type {any} */ (window.frameElement)?.stliteDocs;

if (host) {
  protectHostHistory();
  start().catch((error) => host.report("error", { message: `The app failed to start: ${messageOf(error)}` }));
}

async function start() {
  /** @type {import("./spec.js").AppSpec} */
  const spec = host.spec;
  document.title = spec.title;
  const integrity = spec.stliteIntegrity || null;
  const stylesheet = document.createElement("link");
  stylesheet.rel = "stylesheet";
  if (integrity) {
    stylesheet.integrity = integrity["stlite.css"];
    stylesheet.crossOrigin = "anonymous";
  }
  stylesheet.href = new URL("stlite.css", spec.stliteUrl).href;
  document.head.prepend(stylesheet); // before frame.css, which adjusts it
  const moduleUrl = new URL("stlite.js", spec.stliteUrl).href;
  let stlite;
  try {
    if (integrity) await loadModuleWithIntegrity(moduleUrl, integrity["stlite.js"]);
    // With integrity, the module is in this document's module map already (fetched, checked
    // and run by the script element): import() hands over that same instance, no new fetch.
    stlite = await import(moduleUrl);
  } catch (error) {
    host.report("error", { message: `Could not load stlite from ${moduleUrl} (${messageOf(error)}).` });
    return;
  }
  host.report("stlite-loaded");

  if (spec.pyodideUrl) {
    host.report("progress", { text: "Checking Pyodide…" });
    const problem = await probeWasm(new URL("pyodide.asm.wasm", spec.pyodideUrl).href);
    if (problem) {
      host.report("error", { message: problem });
      return;
    }
  }

  host.report("progress", { text: "Starting Python…" });
  /** @type {Object<string, unknown>} */
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
  applyTheme(options, spec);
  const controller = stlite.mount(options, document.getElementById("root"));
  host.controller = controller;
  listenToKernel(controller);
  const limits = { every: host.timeouts?.healthEvery ?? HEALTH.every, timeout: host.timeouts?.healthTimeout ?? HEALTH.timeout };
  watchHealth(controller, limits, (message) => host.report("error", { message }));
  whenRendered(() => host.report("rendered"));
  reportHeight();
}

/**
 * The app's Streamlit theme (`host.theme`: "light" or "dark", the loader's choice).
 *
 * - The author's config sets `theme.base`: it wins.
 * - It sets other `theme.*` keys (a custom theme): used as written, with `theme.base` added
 *   only for a forced `theme: light|dark` (Streamlit cannot switch a custom theme's base
 *   while it runs: such an app does not follow the page).
 * - Otherwise Streamlit's own Light/Dark theme, switched live through Streamlit's host
 *   messages (`SET_CUSTOM_THEME_CONFIG`, accepted from this same origin once `hostConfig`
 *   allows it): at first when the app reports `GUEST_READY`, then on every `host.setTheme`.
 * @param {Object<string, any>} options  mount() options, changed in place
 * @param {import("./spec.js").AppSpec} spec
 */
function applyTheme(options, spec) {
  const config = spec.config || {};
  const custom = Object.keys(config).some((key) => key.startsWith("theme."));
  if (custom) {
    const forced = spec.theme === "light" || spec.theme === "dark";
    if (forced && !("theme.base" in config)) options.streamlitConfig = { ...config, "theme.base": spec.theme };
    host.report("theme", { theme: options.streamlitConfig["theme.base"] ?? config["theme.base"] ?? "custom" });
    return;
  }
  options.hostConfig = { allowedOrigins: [window.location.origin] };
  let ready = false;
  const send = (/** @type {string} */ theme) => {
    window.postMessage(
      { stCommVersion: 1, type: "SET_CUSTOM_THEME_CONFIG", themeName: theme === "dark" ? "Dark" : "Light" },
      window.location.origin,
    );
    host.report("theme", { theme });
  };
  window.addEventListener("message", (event) => {
    if (event.source === window && event.data?.type === "GUEST_READY" && !ready) {
      ready = true;
      send(host.theme);
    }
  });
  host.setTheme = (/** @type {string} */ theme) => {
    host.theme = theme;
    if (ready) send(theme);
  };
}

/**
 * Load an ES module through a `<script type="module" integrity>` element: import() cannot carry
 * an integrity value, a script element can, and every engine enforces it. A mismatch (or a
 * network error) fires "error" and the module never runs.
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
 * stlite 1.9.2 exposes its kernel as `controller._kernel` (unstable, so feature-detected):
 * its events give real progress and real load errors instead of a spinner.
 * @param {any} controller
 */
function listenToKernel(controller) {
  const kernel = controller && controller._kernel;
  if (!kernel || typeof kernel.addEventListener !== "function") {
    console.debug("stlite-docs: no kernel events in this stlite; progress is not reported");
    return;
  }
  kernel.addEventListener("loadProgress", (/** @type {any} */ event) => {
    host.report("progress", { text: String(event.detail ?? "") });
  });
  kernel.addEventListener("loadError", (/** @type {any} */ event) => {
    host.report("error", { message: `The app could not start: ${messageOf(event.detail)}` });
  });
}

/** @param {() => void} callback */
function whenRendered(callback) {
  const rendered = () => {
    const app = document.querySelector(APP_SELECTOR);
    return !!app && app.getAttribute("data-test-script-state") === "notRunning";
  };
  if (rendered()) return callback();
  const observer = new MutationObserver(() => {
    if (rendered()) {
      observer.disconnect();
      callback();
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-test-script-state"] });
}

/** For `height: auto`: report the height of the app's content whenever it changes. */
function reportHeight() {
  /** @type {Element | null} */
  let watched = null;
  const send = () => {
    const content = document.querySelector(CONTENT_SELECTOR);
    if (content && content !== watched) {
      if (watched) resize?.unobserve(watched);
      resize?.observe(content);
      watched = content;
    }
    host.report("height", { px: contentBottom(content || document.body) });
  };
  const resize = "ResizeObserver" in window ? new ResizeObserver(() => send()) : null;
  // The content element appears and is replaced as Streamlit renders.
  new MutationObserver(() => {
    if (!resize || document.querySelector(CONTENT_SELECTOR) !== watched) send();
  }).observe(document.body, { subtree: true, childList: true, ...(resize ? {} : { attributes: true, characterData: true }) });
  if (resize) {
    resize.observe(document.body);
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
 * Bottom of an element in its document, whatever is scrolled: Streamlit scrolls its main area
 * itself, and an app taller than its frame (over max_height) is scrolled inside by the reader;
 * its height must not shrink as they do.
 * @param {Element} element
 */
function contentBottom(element) {
  let bottom = element.getBoundingClientRect().bottom + window.scrollY;
  for (let node = element.parentElement; node && node !== document.documentElement; node = node.parentElement) {
    bottom += node.scrollTop;
  }
  return bottom;
}

/**
 * Check that Pyodide's wasm is reachable and is wasm, reading only its first bytes: an
 * unreachable, missing or corrupt engine then gives a message instead of a spinner forever.
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

/**
 * Streamlit's multipage navigation calls history.pushState. In a frame that would add entries
 * to the page's joint session history (the reader's Back button would step through the app),
 * and in a srcdoc document (URL about:srcdoc) it throws. Keep both away from the host.
 */
function protectHostHistory() {
  const replace = history.replaceState.bind(history);
  const safeReplace = (/** @type {any} */ state, /** @type {string} */ title, /** @type {any} */ url) => {
    try {
      replace(state, title, url);
    } catch (error) {
      console.debug("stlite-docs: ignored a history update in the app frame", error);
    }
  };
  history.replaceState = safeReplace;
  history.pushState = safeReplace;
}

/** @param {unknown} error */
function messageOf(error) {
  if (error instanceof Error) return error.message;
  if (error && typeof error === "object" && "message" in error) return String(/** @type {any} */ (error).message);
  return String(error);
}
