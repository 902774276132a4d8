// @ts-check
/**
 * The host page's colour scheme, for `theme: auto`: what the docs theme shows, followed live
 * when the reader flips its toggle or the system's setting.
 *
 * 1. The theme's own marker, where it has one:
 *    - Material for MkDocs and Zensical: `<body data-md-color-scheme="slate">` is dark,
 *      `"default"` light;
 *    - pydata-sphinx-theme and sphinx-book-theme: `<html data-theme="dark|light">`; Furo:
 *      `<body data-theme="dark|light|auto">` ("auto" follows the system: see 2);
 *    - MkDocs' own `mkdocs` theme (Bootstrap): `<html data-bs-theme="dark|light">`.
 * 2. Otherwise what the page paints: the background of `<body>` (else `<html>`), dark or
 *    light by its luminance. A theme whose CSS follows the system (`prefers-color-scheme`)
 *    paints a dark page on a dark system, and its apps are dark; a light-only theme
 *    (alabaster, sphinx-rtd-theme, MkDocs' `readthedocs`) stays white, and so do its apps,
 *    whatever the system says. Nothing painted: the browser's canvas, which is dark only when
 *    the page allows it (`color-scheme: dark`) and the system is dark.
 *
 * The scheme is also written on `<html data-stlite-docs-scheme>`, so the stylesheet can show
 * the matching preview picture on any theme.
 */

const DARK_QUERY = "(prefers-color-scheme: dark)";
const WATCHED = ["data-md-color-scheme", "data-theme", "data-bs-theme", "data-mode", "class", "style"];
/** The attribute through which the stylesheet learns the scheme. */
const SCHEME_ATTRIBUTE = "data-stlite-docs-scheme";

/** @returns {boolean} */
function systemDark() {
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches;
}

/** @param {string | null | undefined} value @returns {"light"|"dark"|null} */
function named(value) {
  return value === "dark" || value === "light" ? value : null;
}

/** The theme's own marker, or null where it has none (or it says "auto"). @returns {"light"|"dark"|null} */
function markedScheme() {
  const html = document.documentElement;
  const body = document.body;
  const material = body?.getAttribute("data-md-color-scheme") ?? html.getAttribute("data-md-color-scheme");
  if (material === "slate") return "dark";
  if (material === "default") return "light";
  for (const element of [html, body]) {
    const scheme = named(element?.getAttribute("data-theme")) ?? named(element?.getAttribute("data-bs-theme"));
    if (scheme) return scheme;
  }
  return null;
}

/**
 * `rgb(...)`/`rgba(...)` as [r, g, b, alpha], or null for anything else (a colour space the
 * browser did not resolve to sRGB).
 * @param {string} color @returns {number[] | null}
 */
function rgba(color) {
  const match = /^rgba?\(([^)]+)\)$/.exec(color.trim());
  if (!match) return null;
  const parts = match[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  if (parts.length < 3 || parts.some(Number.isNaN)) return null;
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

/** What the page paints behind its content. @returns {"light"|"dark"} */
function paintedScheme() {
  for (const element of [document.body, document.documentElement]) {
    if (!element) continue;
    const color = rgba(getComputedStyle(element).backgroundColor);
    // A mostly transparent background shows what lies under it: look further out.
    if (!color || color[3] < 0.5) continue;
    const [r, g, b] = color;
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128 ? "dark" : "light";
  }
  const allowed = getComputedStyle(document.documentElement).colorScheme || "";
  return /\bdark\b/.test(allowed) && systemDark() ? "dark" : "light";
}

/** @returns {"light"|"dark"} the page's scheme now */
export function pageTheme() {
  return markedScheme() ?? paintedScheme();
}

/**
 * The theme an app gets: its own `light`/`dark`, or the page's for `auto`.
 * @param {import("./spec.js").AppSpec} spec
 * @returns {"light"|"dark"}
 */
export function appTheme(spec) {
  return spec.theme === "light" || spec.theme === "dark" ? spec.theme : pageTheme();
}

/**
 * Call `onChange(theme)` whenever the page's scheme changes (a toggle, or the system's), and
 * keep `<html data-stlite-docs-scheme>` up to date.
 * @param {(theme: "light"|"dark") => void} onChange
 */
export function watchPageTheme(onChange) {
  let current = pageTheme();
  const html = document.documentElement;
  html.setAttribute(SCHEME_ATTRIBUTE, current);
  const check = () => {
    const now = pageTheme();
    if (now === current) return;
    current = now;
    html.setAttribute(SCHEME_ATTRIBUTE, now);
    onChange(now);
  };
  const observer = new MutationObserver(check);
  observer.observe(html, { attributes: true, attributeFilter: WATCHED });
  const watchBody = () => {
    if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: WATCHED });
    check();
  };
  if (document.body) watchBody();
  else document.addEventListener("DOMContentLoaded", watchBody, { once: true });
  // A theme that fades its background to the new scheme is read once the fade has ended.
  document.addEventListener("transitionend", (event) => {
    if (event.propertyName.startsWith("background") && (event.target === document.body || event.target === html)) check();
  });
  if (typeof matchMedia === "function") {
    const query = matchMedia(DARK_QUERY);
    if (typeof query.addEventListener === "function") query.addEventListener("change", check);
    else if (typeof query.addListener === "function") query.addListener(check);
  }
}
