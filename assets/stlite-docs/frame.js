// @ts-check
/**
 * Runs inside each app's iframe: loads stlite, mounts the app, and reports back to the
 * loader through the host object it left on the iframe element (same origin, so
 * `window.frameElement` reaches it).
 */

import {
  addStliteStylesheet, applyCustomTheme, checkPyodide, importStlite, listenToKernel, messageOf, mountOptions,
  themeMessage, watchHeight, whenRendered,
} from "./boot.js";
import { appIdle, healthLimits, watchHealth } from "./health.js";

const host = /** @type {any} */ (window.frameElement)?.stliteDocs;

if (host) {
  protectHostHistory();
  start().catch((error) => host.report("error", { message: `The app failed to start: ${messageOf(error)}` }));
}

async function start() {
  /** @type {import("./spec.js").AppSpec} */
  const spec = host.spec;
  document.title = spec.title;
  addStliteStylesheet(spec); // before frame.css, which adjusts it
  let stlite;
  try {
    stlite = await importStlite(spec);
  } catch (error) {
    host.report("error", { message: messageOf(error) });
    return;
  }
  host.report("stlite-loaded");
  if (!await checkPyodide(spec, host.report)) return;

  host.report("progress", { text: "Starting Python…" });
  const options = mountOptions(spec);
  applyTheme(options, spec);
  const controller = stlite.mount(options, document.getElementById("root"));
  host.controller = controller;
  listenToKernel(controller, host.report);
  host.stopHealth = watchHealth(controller, healthLimits(host), () => appIdle(document),
    (cause) => host.report("error", { message: `The app stopped: its ${cause}.` }));
  whenRendered(document.body, () => host.report("rendered"));
  // The frame's document grows with the app: its content's bottom is the height it needs.
  watchHeight(document.body, (content) => contentBottom(content || document.body), host.report);
}

/**
 * The app's Streamlit theme (`host.theme`: "light" or "dark", the loader's choice).
 *
 * - A custom theme (`theme.*` in the config) is used as written (`applyCustomTheme`).
 * - Otherwise Streamlit's own Light/Dark theme, switched live through Streamlit's host
 *   messages (`SET_CUSTOM_THEME_CONFIG`, accepted from this same origin once `hostConfig`
 *   allows it): at first when the app reports `GUEST_READY`, then on every `host.setTheme`.
 * @param {Object<string, any>} options  mount() options, changed in place
 * @param {import("./spec.js").AppSpec} spec
 */
function applyTheme(options, spec) {
  const custom = applyCustomTheme(options, spec);
  if (custom) {
    host.report("theme", { theme: custom });
    return;
  }
  options.hostConfig = { allowedOrigins: [window.location.origin] };
  let ready = false;
  const send = (/** @type {string} */ theme) => {
    window.postMessage(themeMessage(theme), window.location.origin);
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
