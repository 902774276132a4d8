// @ts-check
/**
 * The host page's colour scheme, for `theme: auto`: what the docs theme shows, followed live
 * when the reader flips its toggle.
 *
 * - Material for MkDocs: `<body data-md-color-scheme="slate">` is dark, `"default"` light.
 * - pydata-sphinx-theme and sphinx-book-theme: `<html data-theme="dark|light">`.
 * - Furo: `<body data-theme="dark|light|auto">` ("auto": the system's).
 * - Anything else: the system's `prefers-color-scheme`.
 */

const DARK_QUERY = "(prefers-color-scheme: dark)";
const WATCHED = ["data-md-color-scheme", "data-theme", "data-mode", "class"];

/** @returns {"light"|"dark"} */
function systemTheme() {
  return typeof matchMedia === "function" && matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

/** @returns {"light"|"dark"} the page's scheme now */
export function pageTheme() {
  const html = document.documentElement;
  const body = document.body;
  const material = body?.getAttribute("data-md-color-scheme");
  if (material === "slate") return "dark";
  if (material === "default") return "light";
  for (const element of [html, body]) {
    const theme = element?.getAttribute("data-theme");
    if (theme === "dark" || theme === "light") return theme;
  }
  return systemTheme();
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
 * Call `onChange(theme)` whenever the page's scheme changes (a toggle, or the system's).
 * @param {(theme: "light"|"dark") => void} onChange
 */
export function watchPageTheme(onChange) {
  let current = pageTheme();
  const check = () => {
    const now = pageTheme();
    if (now !== current) {
      current = now;
      onChange(now);
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: WATCHED });
  const watchBody = () => document.body && observer.observe(document.body, { attributes: true, attributeFilter: WATCHED });
  if (document.body) watchBody();
  else document.addEventListener("DOMContentLoaded", watchBody, { once: true });
  if (typeof matchMedia === "function") {
    const query = matchMedia(DARK_QUERY);
    if (typeof query.addEventListener === "function") query.addEventListener("change", check);
    else if (typeof query.addListener === "function") query.addListener(check);
  }
}
