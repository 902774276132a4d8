// @ts-check
/**
 * Which app boots when: a page with six apps must not freeze a laptop or exhaust a phone.
 *
 * - Apps ask to boot when they come near the viewport (or at once for `load: eager`); the
 *   scheduler boots at most `concurrency` of them at a time, nearest to the viewport first.
 * - At most `maxLiveApps` apps are live (booting or running). To boot one more, the live app
 *   farthest from the viewport is paused (unmounted: its worker is terminated), if it is
 *   farther than the one that asks; otherwise the one that asks is shown paused itself. A
 *   paused app resumes on click, or when it is nearer than a live one again (scrolled back).
 * - A reader's click (Run, Resume, Retry) always boots, pausing the farthest other live app.
 *
 * The limits are page settings, written into every app's spec (`maxLiveApps`, `concurrency`).
 */

const DEFAULT_LIMITS = { maxLiveApps: 3, concurrency: 1 };

/**
 * What the scheduler needs of an app (loader.js's MountedApp).
 * @typedef {Object} Schedulable
 * @property {HTMLElement} root
 * @property {import("./spec.js").AppSpec | null} spec
 * @property {boolean} near       within about one viewport of being seen
 * @property {() => void} boot    start it now
 * @property {() => void} pause   stop it, leaving the paused placeholder
 * @property {() => void} wait    show that it waits for its turn to boot
 */

/** @param {Schedulable} app */
const stateOf = (app) => app.root.dataset.state || "";

/**
 * How far the element is from the viewport, in px (0: on screen); Infinity when it has no box
 * (in a closed tab or details).
 * @param {HTMLElement} element
 */
export function distance(element) {
  const box = element.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) return Infinity;
  if (box.bottom < 0) return -box.bottom;
  if (box.top > window.innerHeight) return box.top - window.innerHeight;
  return 0;
}

export class Scheduler {
  constructor() {
    /** @type {Set<Schedulable>} every app of the page */
    this.apps = new Set();
    /** @type {Set<Schedulable>} apps that asked to boot and have not yet */
    this.waiting = new Set();
    /** @type {Set<Schedulable>} apps whose next boot is a reader's explicit request */
    this.forced = new Set();
    this.scheduled = false;
    const later = () => this.schedule();
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later, { passive: true });
  }

  /** @param {Schedulable} app */
  add(app) {
    this.apps.add(app);
  }

  /** The app left the page (or was torn down for good). @param {Schedulable} app */
  remove(app) {
    this.apps.delete(app);
    this.waiting.delete(app);
    this.forced.delete(app);
    this.schedule();
  }

  /**
   * The app wants to boot: when it nears the viewport, for `load: eager`, or, with
   * `force`, because the reader pressed one of its buttons.
   * @param {Schedulable} app @param {{force?: boolean}} [options]
   */
  request(app, { force = false } = {}) {
    this.waiting.add(app);
    if (force) {
      this.forced.add(app);
      this.pump();
    } else {
      // Apps that near in the same moment (one round of observer callbacks) are weighed together.
      this.schedule();
    }
  }

  /**
   * The app is no longer near: if it waited (and not at the reader's request), it stops.
   * @param {Schedulable} app @returns {boolean} whether it stopped waiting
   */
  withdraw(app) {
    if (this.forced.has(app) || !this.waiting.delete(app)) return false;
    this.schedule();
    return true;
  }

  /** An app finished booting, or failed: its boot slot is free. */
  settled() {
    this.schedule();
  }

  /** Coalesce scroll, resize and state changes into one pass per frame. */
  schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.pump();
    };
    if (typeof requestAnimationFrame === "function" && document.visibilityState === "visible") requestAnimationFrame(run);
    else setTimeout(run, 50);
  }

  /** The limits of this page: the strictest any of its apps carries. */
  limits() {
    let { maxLiveApps, concurrency } = DEFAULT_LIMITS;
    let seen = false;
    for (const app of this.apps) {
      if (!app.spec) continue;
      const max = Number(app.spec.maxLiveApps) || DEFAULT_LIMITS.maxLiveApps;
      const conc = Number(app.spec.concurrency) || DEFAULT_LIMITS.concurrency;
      maxLiveApps = seen ? Math.min(maxLiveApps, max) : max;
      concurrency = seen ? Math.min(concurrency, conc) : conc;
      seen = true;
    }
    return { maxLiveApps: Math.max(1, maxLiveApps), concurrency: Math.max(1, concurrency) };
  }

  /** Boot what may boot now, nearest (and explicitly requested) first. */
  pump() {
    for (const app of this.apps) {
      // A paused app near the viewport asks again: it resumes when it wins a place.
      if (stateOf(app) === "paused" && app.near) this.waiting.add(app);
    }
    for (const app of this.waiting) {
      if (!this.apps.has(app) || !app.root.isConnected) this.waiting.delete(app);
    }
    const { maxLiveApps, concurrency } = this.limits();
    const live = () => [...this.apps].filter((app) => ["booting", "running"].includes(stateOf(app)));
    const order = [...this.waiting]
      .map((app) => ({ app, forced: this.forced.has(app), far: distance(app.root) }))
      .sort((a, b) => Number(b.forced) - Number(a.forced) || a.far - b.far);
    for (const { app, forced, far } of order) {
      const booting = live().filter((other) => stateOf(other) === "booting").length;
      if (booting >= concurrency) {
        // No slot: it waits, visibly (a paused app keeps its placeholder meanwhile).
        if (stateOf(app) !== "paused") app.wait();
        continue;
      }
      const current = live();
      if (current.length >= maxLiveApps) {
        const farthest = current
          .map((other) => ({ other, far: distance(other.root) }))
          .sort((a, b) => b.far - a.far)[0];
        if (forced || farthest.far > far) {
          farthest.other.pause();
        } else {
          // Everything live is at least as near: this one waits, paused, for a click or a scroll.
          this.waiting.delete(app);
          if (stateOf(app) !== "paused") app.pause();
          continue;
        }
      }
      this.waiting.delete(app);
      this.forced.delete(app);
      app.boot();
    }
  }
}
