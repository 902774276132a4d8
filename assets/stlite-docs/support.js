// @ts-check
/**
 * What this browser can do, checked once, before any app is set up.
 *
 * Two kinds of features:
 * - hard requirements, without which no app can run (WebAssembly for Pyodide, Worker for
 *   stlite's kernel): the loader keeps each app's code on the page and says why it cannot run;
 * - conveniences the loader can do without (a missing one is a `console.debug` line, never a
 *   stopped app): `replaceChildren` gets a small stand-in here; IntersectionObserver,
 *   ResizeObserver and the Fullscreen API are checked where they are used.
 */

/** @typedef {{name: string, present: () => boolean}} Requirement */

/** @type {Requirement[]} */
const REQUIREMENTS = [
  // Pyodide is CPython compiled to WebAssembly.
  {
    name: "WebAssembly",
    present: () => typeof WebAssembly === "object" && typeof WebAssembly?.instantiate === "function",
  },
  // stlite runs Python in a dedicated worker, off the page's main thread.
  { name: "Web Workers", present: () => typeof Worker === "function" },
];

/**
 * The hard requirements this browser lacks, by name (empty when apps can run).
 * @returns {string[]}
 */
export function missingRequirements() {
  return REQUIREMENTS.filter((requirement) => {
    try {
      return !requirement.present();
    } catch {
      return true;
    }
  }).map((requirement) => requirement.name);
}

/**
 * Log the conveniences this browser lacks, and give `Element.prototype.replaceChildren` (Safari 14, Firefox 78, Chrome 86) a minimal
 * stand-in where it is missing, rather than rewrite every call: the loader uses it with
 * nodes only. An existing implementation is never replaced.
 */
export function installFallbacks() {
  if (!("IntersectionObserver" in window)) {
    debug("no IntersectionObserver: apps boot without waiting to come near, and none is paused for being far");
  }
  const proto = /** @type {any} */ (Element.prototype);
  if (typeof proto.replaceChildren === "function") return;
  debug("no Element.replaceChildren: using removeChild/append instead");
  Object.defineProperty(proto, "replaceChildren", {
    configurable: true,
    writable: true,
    /** @this {Element} @param {...(Node|string)} nodes */
    value(...nodes) {
      while (this.firstChild) this.removeChild(this.firstChild);
      this.append(...nodes);
    },
  });
}

/** @param {...unknown} args */
export function debug(...args) {
  console.debug("stlite-docs:", ...args);
}
