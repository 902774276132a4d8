// @ts-check
/**
 * Whether an app runs in the page (`runtime: shared`), and its container there. Small and
 * imported by the loader on every page; what mounts the app (shared.js, with boot.js and
 * health.js) is fetched only when an app of the page runs in it.
 */

/** @type {boolean | null} whether SharedWorker can be used here; null until first asked */
let sharedWorkerUsable = null;

/**
 * Whether this app runs in the page (shared mode). Without SharedWorker (Chrome on Android,
 * older Safari) or on an opaque origin (file://, where stlite refuses it), one Python per app
 * is all the browser offers: the app then gets the isolated iframe, which costs the same and
 * keeps the app apart from the page. Said once, with console.debug.
 * @param {import("./spec.js").AppSpec} spec
 */
export function runsInPage(spec) {
  if (spec.runtime !== "shared") return false;
  if (sharedWorkerUsable === null) {
    const opaque = location.protocol === "file:" || location.origin === "null";
    sharedWorkerUsable = typeof window.SharedWorker === "function" && !opaque;
    if (!sharedWorkerUsable) {
      console.debug(`stlite-docs: runtime: shared needs SharedWorker${opaque ? " on an http(s) page" : ""}, ` +
        "which this browser does not offer here: each app runs in its own iframe and Python");
    }
  }
  return sharedWorkerUsable;
}

/**
 * The container an app runs in, in place of its iframe. The loader attaches the host object
 * and puts it into the page; `startInPage` then mounts the app into it.
 * @param {import("./spec.js").AppSpec} spec
 * @returns {HTMLDivElement}
 */
export function inPageBox(spec) {
  const box = document.createElement("div");
  box.className = "stlite-docs-inpage";
  box.setAttribute("role", "region");
  box.setAttribute("aria-label", spec.title);
  return box;
}
