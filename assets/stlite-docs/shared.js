// @ts-check
/**
 * `runtime: shared`: the page's apps run in the page itself, in one Python. Imported by the
 * loader (dynamically: only pages with such apps fetch it) once `inpage.js` said an app runs
 * in the page.
 *
 * stlite's `sharedWorker: true` connects every app that one stlite module instance mounts to
 * one SharedWorker (one Pyodide, packages installed once, a home directory per app). That
 * instance lives in a document: apps in separate iframes would each load their own stlite and
 * get their own worker. So in shared mode the page imports stlite once, loads stlite.css once,
 * and mounts each app into a container in the page instead of a frame.
 *
 * The container carries the same host object as an app's iframe (`box.stliteDocs`: spec,
 * controller, theme, setTheme, report), so the loader drives both the same way (status, first
 * render, height, theme, errors with Retry, pause and teardown through `controller.unmount()`).
 *
 * What the frame kept apart by being a separate document is guarded here instead:
 * - Streamlit's `history.pushState`/`replaceState` (multipage navigation, query parameters)
 *   and its `document.title` would change the reader's page: calls made from stlite's own
 *   scripts are dropped (see `guardPage`).
 * - Streamlit's host messages reach every app of the page (one window): the theme goes to all
 *   apps at once, which is what a page with one shared Python and config can show anyway.
 */

import {
  APP_SELECTOR, addStliteStylesheet, applyCustomTheme, checkPyodide, importStlite, listenToKernel,
  messageOf, mountOptions, themeMessage, watchHeight, whenRendered,
} from "./boot.js";
import { appIdle, healthLimits, watchHealth } from "./health.js";

/**
 * Mount the app into its container (after the loader attached the host object).
 * @param {HTMLElement} box
 */
export function startInPage(box) {
  const host = /** @type {any} */ (box).stliteDocs;
  // host.report, read at each call: the loader silences it when it tears the app down
  const report = (/** @type {string} */ type, /** @type {any} */ detail) => host.report(type, detail);
  mountInPage(box, host, report).catch((error) => report("error", { message: `The app failed to start: ${messageOf(error)}` }));
}

/**
 * @param {HTMLElement} box @param {any} host
 * @param {import("./boot.js").Report} report
 */
async function mountInPage(box, host, report) {
  /** @type {import("./spec.js").AppSpec} */
  const spec = host.spec;
  let stlite;
  try {
    stlite = await stliteOf(spec);
  } catch (error) {
    report("error", { message: messageOf(error) });
    return;
  }
  report("stlite-loaded");
  if (pythonGone) {
    report("error", { message: pythonGone, remedy: "reload" });
    return;
  }
  if (!await checkPyodide(spec, report) || !box.isConnected) return;

  report("progress", { text: "Starting Python…" });
  /** @type {Record<string, any>} */
  const options = { ...mountOptions(spec), sharedWorker: true };
  const custom = applyCustomTheme(options, spec);
  if (custom) {
    report("theme", { theme: custom });
  } else {
    options.hostConfig = { allowedOrigins: [location.origin] };
    followTheme(host, box);
  }
  const root = document.createElement("div");
  root.className = ROOT_CLASS;
  box.replaceChildren(root);
  const controller = stlite.mount(options, root);
  host.controller = controller;
  listenToKernel(controller, report);
  running.add(host);
  const stopHealth = watchHealth(controller, healthLimits(host), pythonIdle, pythonStopped);
  host.stopHealth = () => {
    running.delete(host);
    stopHealth();
  };
  whenRendered(root, () => report("rendered"));
  // The container grows with the app: the content's bottom, from the container's top.
  watchHeight(root, (content) => {
    const top = root.getBoundingClientRect().top;
    const app = root.querySelector(APP_SELECTOR);
    return ((content || app || root).getBoundingClientRect().bottom) - top;
  }, report);
}

// ------------------------------------------------------------------ the page's one Python
/** The element stlite renders an in-page app into, inside its box. */
const ROOT_CLASS = "stlite-docs-inpage-root";
/** Host objects of the apps mounted in the page; a torn-down one's `report` is silenced. */
const running = new Set();
/** Why the page's Python is gone, once it is: until the page reloads, for every app. */
let pythonGone = "";

/** The shared Python runs nothing: every app in the page has run its script and runs none
 * (one thread serves them all, so a busy app delays every app's health probe). */
function pythonIdle() {
  return Array.from(document.querySelectorAll(`.${ROOT_CLASS}`)).every(appIdle);
}

/**
 * An app's health probe found the shared Python gone (health.js), so every app in the page
 * lost it. Retry cannot help: stlite reconnects a new app to the same SharedWorker, which
 * keeps its dead Pyodide ("Pyodide already fatally failed") as long as the page lives. So each
 * app, and any started later, says so and offers to reload the page.
 * @param {string} cause
 */
function pythonStopped(cause) {
  pythonGone ||= `The apps on this page share one Python, and it stopped: the ${cause}. ` +
    "Reload the page to start them again.";
  for (const host of running) {
    host.stopHealth();
    host.report("error", { message: pythonGone, remedy: "reload" });
  }
}

// ------------------------------------------------------------------ stlite, once per page
/** @type {Map<string, Promise<any>>} stlite's module by build folder */
const modules = new Map();
/** @type {Map<string, number>} failed imports by build folder: a Retry asks under a new URL */
const failures = new Map();

/**
 * stlite's module and stylesheet for the page: fetched (with SRI) on the first app, shared
 * by every later one. A failed import is not kept: the next try (Retry) imports again, with
 * a query that makes it a new module-map entry (a failed entry would answer with the failure).
 * @param {import("./spec.js").AppSpec} spec
 */
function stliteOf(spec) {
  let module = modules.get(spec.stliteUrl);
  if (!module) {
    guardPage(spec.stliteUrl);
    const attempt = failures.get(spec.stliteUrl) || 0;
    module = importStlite(spec, attempt ? `?retry=${attempt}` : "");
    modules.set(spec.stliteUrl, module);
    module.catch(() => {
      modules.delete(spec.stliteUrl);
      failures.set(spec.stliteUrl, attempt + 1);
    });
  }
  // Checked on every mount, not only the first: a page swap (instant navigation) may have
  // replaced the head's elements.
  if (!document.querySelector(`link[data-stlite-docs-css="${CSS.escape(spec.stliteUrl)}"]`)) {
    addStliteStylesheet(spec).dataset.stliteDocsCss = spec.stliteUrl;
  }
  addLoaderStylesheet();
  return module;
}

/** inpage.css: what frame.css does for a frame, scoped to the apps' containers. */
function addLoaderStylesheet() {
  const href = new URL("./inpage.css", import.meta.url);
  href.search = new URL(import.meta.url).search; // the page's cache-busting ?v=
  if (document.querySelector(`link[href="${CSS.escape(href.href)}"]`)) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = href.href;
  document.head.append(link);
}

// ------------------------------------------------------------------ theme
/** @type {Map<any, HTMLElement>} host objects of in-page apps that follow host theme messages, with their boxes */
const followers = new Map();
let listening = false;

/**
 * Streamlit's host messages in the page: every app with `hostConfig` takes each
 * SET_CUSTOM_THEME_CONFIG posted to the window, and announces GUEST_READY to it (its parent
 * is the page itself) without saying which app it is. So the theme goes to all of them: on
 * each GUEST_READY (a new app, or one that restarted) and whenever the loader changes it.
 * @param {any} host
 * @param {HTMLElement} box
 */
function followTheme(host, box) {
  followers.set(host, box);
  host.setTheme = (/** @type {string} */ theme) => {
    host.theme = theme;
    broadcast(theme);
  };
  if (listening) return;
  listening = true;
  window.addEventListener("message", (event) => {
    if (event.source !== window || event.data?.type !== "GUEST_READY") return;
    const newest = [...followers.keys()].pop();
    if (newest) broadcast(newest.theme);
  });
}

/** @param {string} theme */
function broadcast(theme) {
  for (const [host, box] of followers) {
    if (!box.isConnected) followers.delete(host); // torn down: paused, failed or navigated away
  }
  if (!followers.size) return;
  window.postMessage(themeMessage(theme), location.origin);
  for (const host of followers.keys()) host.report("theme", { theme });
}

// ------------------------------------------------------------------ the reader's page
let guarded = false;

/**
 * Keep Streamlit from changing the reader's page: its `history.pushState`/`replaceState`
 * (a multipage app's page, query parameters bound to widgets) and `document.title` (the app's
 * page title). The page's own scripts (a theme's instant navigation) must keep both, so only
 * calls whose stack runs through stlite's build folder are dropped. A multipage app in the
 * page therefore switches pages without showing it in the address bar.
 * @param {string} stliteUrl
 */
function guardPage(stliteUrl) {
  if (guarded) return;
  guarded = true;
  const fromStlite = () => (new Error().stack || "").includes(stliteUrl);
  for (const name of /** @type {const} */ (["pushState", "replaceState"])) {
    const original = history[name].bind(history);
    history[name] = (/** @type {any} */ state, /** @type {string} */ unused, /** @type {any} */ url) => {
      if (fromStlite()) {
        console.debug(`stlite-docs: kept an app's history.${name}(${url ?? ""}) off the page`);
        return;
      }
      original(state, unused, url);
    };
  }
  const title = Object.getOwnPropertyDescriptor(Document.prototype, "title");
  if (title?.get && title.set) {
    const { get, set } = title;
    Object.defineProperty(document, "title", {
      configurable: true,
      get() { return get.call(document); },
      set(value) {
        if (fromStlite()) console.debug("stlite-docs: kept an app's page title off the page", value);
        else set.call(document, value);
      },
    });
  }
}
