// @ts-check
/**
 * The Full screen button of a running app: the app's box (the mount point) fills the screen,
 * and the button, Esc or the browser's own exit return it to its place and fitted height.
 *
 * The Fullscreen API on the box where the browser has it (Safari before 16.4 only with the
 * `webkit` prefix; Safari on iPhone has none for elements, and a page inside a frame without
 * `allowfullscreen` may not use it). Elsewhere, or if the request is refused, the box becomes
 * a fixed overlay over the whole viewport: the page behind cannot scroll, focus stays inside
 * the box, and Esc (in the page or in the app) closes it.
 *
 * While full screen, the mount point has the class `is-fullscreen`, which the stylesheet uses
 * to let the frame fill the box (auto height off); leaving it, the frame's own height applies
 * again.
 */

import { debug } from "./support.js";

const LABEL = { enter: "Full screen", exit: "Exit full screen" };

/** @returns {"standard" | "webkit" | null} which Fullscreen API the page may use */
function nativeApi() {
  const doc = /** @type {any} */ (document);
  const element = /** @type {any} */ (document.documentElement);
  if (typeof element.requestFullscreen === "function" && doc.fullscreenEnabled !== false) return "standard";
  if (typeof element.webkitRequestFullscreen === "function" && doc.webkitFullscreenEnabled !== false) return "webkit";
  return null;
}

/** @returns {Element | null} */
function fullscreenElement() {
  const doc = /** @type {any} */ (document);
  return doc.fullscreenElement ?? doc.webkitFullscreenElement ?? null;
}

export class FullscreenToggle {
  /**
   * @param {HTMLElement} box  the mount point
   * @param {string} title  the app's accessible name: a page may hold several such buttons
   * @param {() => HTMLIFrameElement | null} frame  the app's frame, for Esc inside the app
   * @param {(active: boolean) => void} onChange
   */
  constructor(box, title, frame, onChange) {
    this.box = box;
    this.title = title;
    this.frame = frame;
    this.onChange = onChange;
    /** @type {"native" | "overlay" | null} */
    this.mode = null;
    this.destroying = false;
    this.element = document.createElement("div");
    this.element.className = "stlite-docs-toolbar";
    this.button = document.createElement("button");
    this.button.type = "button";
    this.button.className = "stlite-docs-button stlite-docs-quiet stlite-docs-fullscreen";
    this.label(LABEL.enter);
    this.button.disabled = true; // until the app runs
    this.button.addEventListener("click", () => (this.mode ? this.exit() : this.enter()));
    this.element.append(this.button);
    this.onNativeChange = () => {
      if (this.mode === "native" && fullscreenElement() !== this.box) this.settle(null);
    };
    this.onKey = (/** @type {KeyboardEvent} */ event) => {
      if (event.key === "Escape" && this.mode === "overlay") {
        event.preventDefault();
        this.exit();
      }
    };
    this.onFocus = (/** @type {FocusEvent} */ event) => {
      // Tab past the app's last control lands outside the overlay: bring it back in.
      if (this.mode === "overlay" && event.target instanceof Node && !this.box.contains(event.target)) {
        this.button.focus();
      }
    };
    document.addEventListener("fullscreenchange", this.onNativeChange);
    document.addEventListener("webkitfullscreenchange", this.onNativeChange);
  }

  /** @param {string} text  shown; the accessible name adds the app's title */
  label(text) {
    this.button.textContent = text;
    this.button.setAttribute("aria-label", `${text}: ${this.title}`);
  }

  /** The app is running: the button may be used. */
  enable() {
    this.button.disabled = false;
  }

  async enter() {
    const api = nativeApi();
    if (api) {
      const box = /** @type {any} */ (this.box);
      try {
        this.settle("native");
        await (api === "standard" ? box.requestFullscreen() : box.webkitRequestFullscreen());
        return;
      } catch (error) {
        debug("the Fullscreen API refused the app's box; using a full-viewport overlay", error);
      }
    } else {
      debug("no Fullscreen API for elements here; the app fills the viewport as an overlay instead");
    }
    this.settle("overlay");
  }

  exit() {
    if (this.mode === "native" && fullscreenElement() === this.box) {
      const doc = /** @type {any} */ (document);
      (doc.exitFullscreen ? doc.exitFullscreen() : doc.webkitExitFullscreen?.())?.catch?.(() => {});
    }
    this.settle(null);
  }

  /** @param {"native" | "overlay" | null} mode */
  settle(mode) {
    if (mode === this.mode) return;
    const wasOverlay = this.mode === "overlay";
    this.mode = mode;
    const active = mode !== null;
    this.box.classList.toggle("is-fullscreen", active);
    this.box.classList.toggle("is-overlay", mode === "overlay");
    document.documentElement.classList.toggle("stlite-docs-overlay-open", mode === "overlay");
    this.label(active ? LABEL.exit : LABEL.enter);
    const appWindow = this.frame()?.contentWindow;
    if (mode === "overlay") {
      document.addEventListener("keydown", this.onKey);
      document.addEventListener("focusin", this.onFocus);
      appWindow?.addEventListener("keydown", this.onKey);
      this.button.focus();
    } else if (wasOverlay) {
      document.removeEventListener("keydown", this.onKey);
      document.removeEventListener("focusin", this.onFocus);
      appWindow?.removeEventListener("keydown", this.onKey);
    }
    if (!active && !this.destroying) this.button.focus({ preventScroll: true });
    this.onChange(active);
  }

  /** The app stops (teardown, pause, failure): leave full screen and remove the button. */
  destroy() {
    this.destroying = true; // focus is not the button's to take any more
    if (this.mode) this.exit();
    document.removeEventListener("fullscreenchange", this.onNativeChange);
    document.removeEventListener("webkitfullscreenchange", this.onNativeChange);
    this.element.remove();
  }
}
