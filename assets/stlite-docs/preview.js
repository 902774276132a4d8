// @ts-check
/**
 * Build-time previews: a picture of the app as it first renders (`stlite-docs previews`),
 * written by the build into the mount point, so the reader sees the app at once instead of an
 * empty box while stlite starts (about 10 s).
 *
 * The build writes `<div class="stlite-docs-preview">` with one `<img width height alt>` per
 * colour scheme; the stylesheet shows the one matching the page (no script needed for that,
 * so it is right before this module runs) and hides the code while a preview is there.
 * This module keeps the preview in the box the live app will occupy: the app's frame boots
 * invisibly on top of it, in the same box, and when the app has rendered the two cross-fade
 * (at once under `prefers-reduced-motion`), then the preview is removed.
 */

/** The cross-fade; the stylesheet's transition has the same duration. */
export const FADE_MS = 250;
const REDUCED_MOTION = "(prefers-reduced-motion: reduce)";

export class Preview {
  /**
   * The preview the build wrote into a mount point, if any.
   * @param {HTMLElement} root
   * @returns {Preview | null}
   */
  static find(root) {
    const element = /** @type {HTMLElement | null} */ (root.querySelector(":scope > .stlite-docs-preview"));
    return element ? new Preview(root, element) : null;
  }

  /** @param {HTMLElement} root @param {HTMLElement} element */
  constructor(root, element) {
    this.root = root;
    this.element = element;
    /** @type {number | undefined} */
    this.fadeTimer = undefined;
  }

  /**
   * Move the preview into the stage, where the live app will be: the frame then boots over
   * it and the box never moves.
   * @param {HTMLElement} stage
   */
  adopt(stage) {
    this.root.classList.add("has-preview");
    stage.replaceChildren(this.element);
  }

  /** The preview is still shown (not yet replaced by the live app). */
  get shown() {
    return this.element.isConnected;
  }

  /**
   * Boot behind the preview: the frame lies over it, transparent, in the same box.
   * @param {HTMLElement} stage
   * @param {HTMLIFrameElement} iframe
   */
  underlay(stage, iframe) {
    stage.classList.add("stlite-docs-stage-preview");
    iframe.classList.add("stlite-docs-frame-behind");
    stage.replaceChildren(this.element, iframe);
  }

  /**
   * The app has rendered: the frame takes the preview's box (same height, so nothing
   * below moves), the two cross-fade, and the preview goes.
   * @param {HTMLIFrameElement} iframe
   * @param {() => void} done  called once the live app stands alone (e.g. to fit its height)
   */
  reveal(iframe, done) {
    const stage = /** @type {HTMLElement} */ (this.element.parentElement);
    iframe.style.height = `${Math.round(this.element.getBoundingClientRect().height)}px`;
    const finish = () => {
      window.clearTimeout(this.fadeTimer);
      this.element.remove();
      stage?.classList.remove("stlite-docs-stage-preview", "is-revealing");
      iframe.classList.remove("stlite-docs-frame-behind");
      this.root.classList.remove("has-preview");
      done();
    };
    if (reducedMotion()) {
      finish();
      return;
    }
    stage?.classList.add("is-revealing");
    // A timer rather than `transitionend`: that event never fires for a frame the browser
    // did not paint (a background tab), and the preview must go regardless.
    this.fadeTimer = window.setTimeout(finish, FADE_MS);
  }

  /** The app stopped before it rendered (error, teardown): no fade left running. */
  cancel() {
    window.clearTimeout(this.fadeTimer);
    this.element.parentElement?.classList.remove("is-revealing");
  }
}

function reducedMotion() {
  if (typeof matchMedia !== "function") {
    console.debug("stlite-docs: no matchMedia; the preview is replaced without a fade");
    return true;
  }
  return matchMedia(REDUCED_MOTION).matches;
}
