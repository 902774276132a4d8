// @ts-check
/**
 * The app spec a build writes into each mount point, and the URL handling it needs.
 * Mirrors `stlite_docs/spec.py` (`AppSpec`); a unit test keeps the keys equal.
 */

/** The spec format this loader understands (`data-stlite-docs` on the mount point). */
export const SPEC_VERSION = 1;

/**
 * @typedef {{text: string} | {url: string}} AppFile
 *   `text`: the file's content; `url`: where to fetch it (relative to the page, until
 *   `absolutizeSpec` makes it absolute).
 */

/**
 * @typedef {Object} AppSpec
 * @property {number} version        Spec format version.
 * @property {string} generator      The stlite-docs version that built the page.
 * @property {string} entrypoint     Path of the entry file inside the app.
 * @property {Object<string, AppFile>} files  The app's files by path.
 * @property {string[]} requirements PEP 508 specs for micropip.
 * @property {Object<string, unknown>} config  Streamlit config, dotted keys.
 * @property {string} height         A CSS length, or "auto".
 * @property {string} maxHeight      The tallest an auto-height frame grows (a CSS length), or
 *   "none"; past it the app scrolls inside.
 * @property {"lazy"|"eager"|"click"} load  When to boot.
 * @property {string} title          The iframe's accessible title.
 * @property {string} stliteUrl      The stlite build/ folder, ending in "/".
 * @property {string|null} pyodideUrl  URL of pyodide.mjs, or null for stlite's default.
 * @property {Object<string, string>|null} stliteIntegrity  Subresource Integrity the frame
 *   enforces, by file ("stlite.js", "stlite.css"), or null.
 * @property {"auto"|"light"|"dark"} theme  The app's Streamlit theme; "auto" follows the host page.
 * @property {number} maxLiveApps    Page setting: at most this many apps run at once.
 * @property {number} concurrency    Page setting: at most this many apps boot at once.
 * @property {"none"|"above"|"below"|"left"|"right"|"tabs"} showCode  Where the code is shown
 *   once the app runs: nowhere (the app replaces its listing), above or below the app, left or
 *   right of it (above it in a narrow box), or App / Code tabs.
 * @property {boolean} editable      The reader may edit the app's text files and rerun it.
 * @property {string|null} shareUrl  The stlite sharing site an "Open in stlite sharing" link
 *   opens (the app encoded in its fragment), or null for no link.
 * @property {"isolated"|"shared"} runtime  Page setting: each app in its own iframe and Python,
 *   or every app of the page in the page itself, sharing one Python (see shared.js).
 */

/**
 * Parse and check the JSON of a mount point: a one-element array `[spec]`, which is also a
 * harmless JavaScript expression (Material's instant navigation runs inline scripts, having
 * dropped their type).
 * @param {string} text
 * @returns {AppSpec}
 */
export function parseSpec(text) {
  const wrapped = JSON.parse(text);
  if (!Array.isArray(wrapped) || wrapped.length !== 1) throw new Error("the app spec is not a one-element array");
  const spec = wrapped[0];
  if (!spec || typeof spec !== "object") throw new Error("the app spec is not an object");
  if (spec.version !== SPEC_VERSION) {
    throw new Error(`this page was built for app spec version ${spec.version}, but the loader reads version ${SPEC_VERSION}; rebuild the site`);
  }
  for (const key of ["entrypoint", "stliteUrl", "height", "load", "title"]) {
    if (typeof spec[key] !== "string") throw new Error(`the app spec has no valid "${key}"`);
  }
  if (!spec.files || typeof spec.files !== "object") throw new Error('the app spec has no "files"');
  return spec;
}

/**
 * Make every URL of the spec absolute.
 *
 * The app runs in a srcdoc iframe, whose location is about:srcdoc, and stlite resolves file
 * URLs against `window.location.href`: relative URLs would break there, so only absolute ones
 * may cross into the frame. They are resolved against the page (`document.baseURI`).
 * @param {AppSpec} spec
 * @param {string} base
 * @returns {AppSpec}
 */
export function absolutizeSpec(spec, base) {
  /** @type {Object<string, AppFile>} */
  const files = {};
  for (const [path, file] of Object.entries(spec.files)) {
    files[path] = "url" in file ? { url: new URL(file.url, base).href } : { text: file.text };
  }
  return {
    ...spec,
    files,
    stliteUrl: new URL(spec.stliteUrl, base).href,
    pyodideUrl: spec.pyodideUrl ? new URL(spec.pyodideUrl, base).href : null,
    shareUrl: spec.shareUrl ? new URL(spec.shareUrl, base).href : null,
  };
}
