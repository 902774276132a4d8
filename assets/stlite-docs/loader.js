// @ts-check
/**
 * stlite-docs loader: finds the mount points a docs build wrote and runs each app, when it
 * comes near the viewport, in its own same-origin iframe (own worker, own Python, own CSS).
 *
 * The iframe loads frame.html, a real document beside this file rather than a srcdoc one:
 * Streamlit picks a multipage app's page from location.pathname, which is "srcdoc" there.
 *
 * The only script a page includes. Plain ES module, no bundler; every other asset is found
 * through `import.meta.url`, never through the page's URL.
 */
import { button as button_, element } from "./dom.js";
import { FullscreenToggle } from "./fullscreen.js";
import { Preview } from "./preview.js";
import { Scheduler } from "./scheduler.js";
import { inPageBox, runsInPage } from "./inpage.js";
import { absolutizeSpec, parseSpec } from "./spec.js";
import { debug, installFallbacks, missingRequirements } from "./support.js";
import { appTheme, watchPageTheme } from "./theme.js";

export const VERSION = "0.1.0";

/** Time limits. Tests shorten them through `window.stliteDocsTimeouts` set before loading. */
const TIMEOUTS = {
  /** importing stlite's module (offline, a blocked CDN or a 404 fails fast; a stalled one here) */
  module: 30_000,
  /** from boot to the app's first render: Pyodide, packages, Streamlit, first run */
  boot: 240_000,
  ...(/** @type {any} */ (window).stliteDocsTimeouts || {}),
};
/** Boot apps about one viewport before they are seen. */
const LAZY_MARGIN = "100% 0px 100% 0px";
/** Fetch stlite's module a little earlier, when the first app is about two viewports away. */
const PREFETCH_MARGIN = "200% 0px 200% 0px";
/** Height reserved while an auto-height app boots, and the smallest auto height. */
const MIN_AUTO_HEIGHT = 150;
const RESERVED_HEIGHT = { min: 240, max: 600 };

const MOUNT_SELECTOR = "[data-stlite-docs]";
const assetQuery = new URL(import.meta.url).search; // keep the page's cache-busting ?v=
const FRAME_HTML = assetUrl("./frame.html");

/** @param {string} path */
function assetUrl(path) {
  const url = new URL(path, import.meta.url);
  url.search = assetQuery;
  return url.href;
}

/** @type {Map<HTMLElement, MountedApp>} */
const live = new Map();
/** Hard requirements this browser lacks: its apps show their code and say so. */
const MISSING = missingRequirements();

/** The app shows its code once it runs, or a sharing link: codeview.js is needed. @param {import("./spec.js").AppSpec} spec */
function wantsCodeView(spec) {
  return (!!spec.showCode && spec.showCode !== "none") || !!spec.shareUrl;
}
const scheduler = new Scheduler();

/** `navigator.connection.saveData` (Chromium): the reader asked to save data; lazy apps wait for a click. */
function saveData() {
  return !!(/** @type {any} */ (navigator).connection?.saveData);
}

/** stlite module URLs already prefetched (or loaded) by this page. */
const prefetched = new Set();

/**
 * Start fetching stlite's module before an app needs it, into the HTTP cache the app's frame
 * reads: a low-priority `fetch()` in the mode and credentials of the frame's module request
 * (CORS, same-origin credentials), read to the end so the cache keeps it. Not
 * `<link rel=modulepreload>`: WebKit answers a later module request from a failed preload,
 * so a Retry after a network error would fail again.
 * @param {import("./spec.js").AppSpec | null} spec
 */
function prefetch(spec) {
  if (!spec || saveData()) return;
  const url = new URL("stlite.js", spec.stliteUrl).href;
  if (prefetched.has(url)) return;
  prefetched.add(url);
  /** @type {RequestInit & {priority?: string}} */
  const init = { mode: "cors", credentials: "same-origin", priority: "low" };
  fetch(url, init)
    .then(async (response) => { if (response.ok) await response.arrayBuffer(); else await response.body?.cancel(); })
    .catch((error) => debug("prefetch of stlite failed; the app's frame will report it", error));
}

/** One observer for every lazy app: the first that comes within PREFETCH_MARGIN prefetches. */
const prefetchObserver = "IntersectionObserver" in window
  ? new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      prefetchObserver?.unobserve(entry.target);
      const app = live.get(/** @type {HTMLElement} */ (entry.target));
      // After this round of observer callbacks: an app already near enough to boot fetches
      // stlite itself (a prefetch beside it would only be a second request).
      window.setTimeout(() => {
        if (app && !app.near) prefetch(app.spec);
      }, 0);
    }
  }, { rootMargin: PREFETCH_MARGIN })
  : null;

/**
 * One mount point and everything the loader made for it.
 */
class MountedApp {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    /** @type {import("./spec.js").AppSpec | null} */
    this.spec = null;
    /** @type {HTMLIFrameElement | HTMLElement | null} the app's frame, or its in-page container (shared) */
    this.iframe = null;
    /** @type {IntersectionObserver | null} */
    this.observer = null;
    /** @type {number[]} */
    this.timers = [];
    /** the app's content height, last reported by the frame */
    this.contentHeight = 0;
    /** within about one viewport of being seen (kept up to date) */
    this.near = false;
    /** the frame's height when the app was paused */
    this.lastHeight = 0;
    /** @type {FullscreenToggle | null} the Full screen button, while the app boots or runs */
    this.fullscreen = null;
    this.status = element("div", "stlite-docs-status");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
    this.status.hidden = true; // until there is something to say
    /** @type {{box: number, replaced: number} | null} the box as the reader last saw it before a boot */
    this.before = null;
    this.stage = element("div", "stlite-docs-stage");
    this.controls = element("div", "stlite-docs-controls");
    /** @type {import("./codeview.js").CodeView | null} show-code, editable, share (codeview.js) */
    this.codeView = null;
    /** @type {Preview | null} the build-time picture shown until the app has rendered */
    this.preview = null;
  }

  setup() {
    this.root.prepend(this.controls, this.status, this.stage);
    this.preview = Preview.find(this.root);
    this.preview?.adopt(this.stage);
    // Material's instant navigation replaces the spec script with a copy without its class.
    const script = this.root.querySelector(":scope > script.stlite-docs-spec, :scope > script:not([src])");
    try {
      if (!script) throw new Error("the mount point has no app spec");
      this.spec = absolutizeSpec(parseSpec(script.textContent || ""), document.baseURI);
    } catch (error) {
      this.fail(`This app cannot start: ${message(error)}`, "none");
      return;
    }
    const generator = this.spec.generator;
    if (generator && generator !== VERSION) {
      // The page and this loader come from different stlite-docs releases: a docs folder that
      // holds a copy of the loader (Zensical) kept an old one. The app may still run.
      const text = `This page was built by stlite-docs ${generator}, but its loader is ${VERSION}: ` +
        "run `stlite-docs assets` on your docs folder again and rebuild.";
      console.warn("stlite-docs:", text);
      this.root.prepend(element("p", "stlite-docs-note", text));
    }
    if (MISSING.length) {
      this.unsupported(MISSING);
      return;
    }
    if (wantsCodeView(this.spec)) {
      // codeview.js (and share.js) are fetched only by pages that show code or a sharing link.
      // It is set up before the app is scheduled: moving a live iframe would reload it.
      import("./codeview.js")
        .then(({ CodeView }) => {
          if (!this.root.isConnected || !this.spec) return;
          this.codeView = new CodeView({
            root: this.root,
            spec: this.spec,
            appParts: [this.controls, this.status, this.stage],
            state: () => this.root.dataset.state || "",
            frame: () => /** @type {HTMLIFrameElement} */ (this.iframe),
            boot: () => scheduler.request(this, { force: true }),
          });
          this.codeView.setup();
        })
        .catch((error) => console.warn("stlite-docs: the code view could not be set up; the app runs without it", error))
        .finally(() => {
          if (this.root.isConnected) this.schedule();
        });
      return;
    }
    this.schedule();
  }

  /** Join the scheduler and boot as the spec's `load` says. */
  schedule() {
    const spec = /** @type {import("./spec.js").AppSpec} */ (this.spec);
    scheduler.add(this);
    this.watchNearness();
    if (spec.load === "eager") {
      scheduler.request(this);
    } else if (spec.load === "click" || saveData()) {
      if (spec.load !== "click") debug("the reader saves data: this app waits for a click", this.root);
      this.offerRun();
    } else {
      this.setState("idle");
      prefetchObserver?.observe(this.root);
      if (!this.observer) {
        debug("no IntersectionObserver: booting at once", this.root);
        scheduler.request(this);
      }
    }
  }

  /** Keep `near` up to date; a lazy app asks to boot when it nears and withdraws when it leaves. */
  watchNearness() {
    if (!("IntersectionObserver" in window)) return;
    this.observer = new IntersectionObserver((entries) => {
      const near = entries[entries.length - 1].isIntersecting;
      if (near === this.near) return;
      this.near = near;
      const state = this.root.dataset.state;
      if (near && state === "idle") scheduler.request(this);
      else if (!near && state === "queued" && this.spec?.load === "lazy" && scheduler.withdraw(this)) {
        this.setState("idle");
        this.say("");
      }
      else scheduler.schedule(); // a paused app scrolled back into reach, or a live one away
    }, { rootMargin: LAZY_MARGIN });
    this.observer.observe(this.root);
  }

  offerRun() {
    this.setState("click");
    // Nothing is fetched before the click: not even a prefetch.
    this.offer("Run app", "stlite-docs-run", `Run app: ${this.spec?.title ?? ""}`.trim());
  }

  /**
   * A button that boots the app at the reader's request (Run, Resume, Retry).
   * @param {string} text @param {string} className @param {string} [label]
   */
  offer(text, className, label) {
    const button = button_(text, className, () => {
      this.before = this.measure(); // with the button's row, which goes now
      this.controls.replaceChildren();
      scheduler.request(this, { force: true });
      this.stage.focus?.();
    });
    if (label) button.setAttribute("aria-label", label);
    this.controls.replaceChildren(button);
    return button;
  }

  /** Near the viewport, but another app is booting: wait for the boot slot. */
  wait() {
    if (this.root.dataset.state === "queued") return;
    this.setState("queued");
    this.say("Waiting for another app to start…");
  }

  /**
   * Over the page's budget of live apps: stop this one (its worker ends) and leave a
   * placeholder of the same height that resumes on click or when scrolled back.
   */
  pause() {
    const height = this.iframe ? this.iframe.getBoundingClientRect().height + this.toolbarHeight() : this.reservedHeight();
    this.lastHeight = height; // the placeholder, and the frame when it resumes, keep it
    this.teardown();
    this.setState("paused");
    this.root.removeAttribute("aria-busy");
    this.root.classList.remove("is-booting", "is-running");
    this.root.classList.add("is-paused");
    this.say("");
    const placeholder = element("div", "stlite-docs-paused");
    placeholder.style.minHeight = `${Math.round(height)}px`;
    placeholder.append(element("p", "stlite-docs-paused-text",
      "Paused to save memory: other apps on this page are running. It resumes when you scroll back to it."));
    this.stage.replaceChildren(placeholder);
    const label = `Resume app: ${this.spec?.title ?? ""}`.trim();
    placeholder.append(this.offer("Resume", "stlite-docs-resume", label));
    this.controls.replaceChildren();
    this.say("App paused."); // for screen readers; shown only to them (the placeholder says it)
  }

  boot() {
    const spec = /** @type {import("./spec.js").AppSpec} */ (this.spec);
    // Measured while the code (or the paused placeholder) is still shown.
    const reserved = this.reservedHeight();
    const before = this.before ?? this.measure();
    this.before = null;
    this.teardown();
    this.controls.replaceChildren();
    this.root.classList.remove("is-paused");
    this.setState("booting");
    this.root.setAttribute("aria-busy", "true");
    this.root.classList.add("is-booting");
    this.say("Loading stlite…");

    // `runtime: shared`: a container in the page instead of a frame, with the same host
    // object (shared.js); `this.iframe` names either.
    const inPage = runsInPage(spec);
    const iframe = inPage ? inPageBox(spec) : document.createElement("iframe");
    if (!inPage) iframe.title = spec.title;
    iframe.classList.add("stlite-docs-frame");
    iframe.style.height = spec.height === "auto" ? `${reserved}px` : spec.height;
    // Past max_height the frame stops growing and the app scrolls inside it.
    if (spec.height === "auto" && spec.maxHeight && spec.maxHeight !== "none") iframe.style.maxHeight = spec.maxHeight;
    // The frame reads this through window.frameElement: same origin, no message passing,
    // and nothing executable in the page's markup.
    /** @type {any} */ (iframe).stliteDocs = {
      spec: this.codeView ? this.codeView.bootSpec(spec) : spec, // with the reader's edits
      controller: null,
      /** @type {(() => void) | null} stops the kernel health probe; set by frame.js / shared.js */
      stopHealth: null,
      // "light" | "dark": frame.js applies it, and again whenever it changes (`setTheme`)
      theme: appTheme(spec),
      /** @type {((theme: string) => void) | null} set by frame.js when the app can follow */
      setTheme: null,
      /** @param {string} type @param {any} [detail] */
      report: (type, detail) => this.onReport(type, detail),
      /** time limits for the kernel health probe (health.js), shortened by tests */
      timeouts: TIMEOUTS,
    };
    if (!(iframe instanceof HTMLIFrameElement)) startShared(iframe); // mounts once it is in the page
    else iframe.src = FRAME_HTML;
    this.iframe = iframe;
    prefetched.add(new URL("stlite.js", spec.stliteUrl).href); // the frame fetches it now
    // A build-time preview stays in view while the app boots behind it (preview.js).
    const behindPreview = !!this.preview?.shown;
    if (behindPreview) this.preview?.underlay(this.stage, /** @type {HTMLIFrameElement} */ (iframe));
    else this.stage.replaceChildren(iframe);
    this.fullscreen = new FullscreenToggle(this.root, spec.title, () => /** @type {HTMLIFrameElement} */ (this.iframe), () => this.fitHeight());
    this.stage.after(this.fullscreen.element);
    if (spec.height === "auto" && before.box && !behindPreview) {
      // The frame and its toolbar take the place of what they replace at its height (the code
      // within RESERVED_HEIGHT, a paused app's placeholder exactly), whatever else came or
      // went (Run button, status line): the page below does not move when the boot starts.
      // (Behind a preview, the preview's own box holds the height.)
      const target = before.box - before.replaced + reserved;
      const error = target - this.root.getBoundingClientRect().height;
      iframe.style.height = `${Math.max(MIN_AUTO_HEIGHT, iframe.getBoundingClientRect().height + error)}px`;
    }

    this.timers.push(window.setTimeout(
      () => this.fail(`Could not load stlite from ${spec.stliteUrl}stlite.js within ${TIMEOUTS.module / 1000} s.`),
      TIMEOUTS.module,
    ));
    this.moduleTimer = this.timers[this.timers.length - 1];
    this.timers.push(window.setTimeout(
      () => this.fail(`The app did not start within ${TIMEOUTS.boot / 1000} s.`),
      TIMEOUTS.boot,
    ));
  }

  /** `height: auto`: the frame takes its content's height, so it never scrolls inside. */
  fitHeight() {
    if (this.spec?.height === "auto" && this.iframe && this.contentHeight) {
      this.iframe.style.height = `${Math.max(MIN_AUTO_HEIGHT, this.contentHeight)}px`;
    }
  }

  /** The box's height, and that of what a boot replaces: the code view if shown, and the
   * stage (a paused app's placeholder). */
  measure() {
    const source = /** @type {HTMLElement | null} */ (this.root.querySelector(".stlite-docs-source"));
    return { box: this.root.getBoundingClientRect().height, replaced: (source?.offsetHeight ?? 0) + this.stage.offsetHeight };
  }

  /** Height of the row under the frame that holds the Full screen button. */
  toolbarHeight() {
    return this.fullscreen?.element.offsetHeight ?? 0;
  }

  /**
   * The browser lacks something no app can run without: keep the code, say why, offer nothing.
   * @param {string[]} missing
   */
  unsupported(missing) {
    this.setState("unsupported");
    const note = element("div", "stlite-docs-alert stlite-docs-unsupported");
    note.append(element("p", "stlite-docs-alert-text",
      `This live app cannot run in this browser: it lacks ${missing.join(" and ")}. Here is the app's code.`));
    this.controls.replaceChildren(note);
    debug("unsupported browser: missing", missing.join(", "), this.root);
  }

  /** Height for the frame and its toolbar while the app boots: the code's, within limits
   * (a short code view is no measure of an app, a very long one would hold a huge empty box),
   * or exactly the paused placeholder's. */
  reservedHeight() {
    if (this.lastHeight) return Math.round(this.lastHeight);
    const source = /** @type {HTMLElement | null} */ (this.root.querySelector(".stlite-docs-source"));
    const height = source ? source.offsetHeight : 0;
    return Math.min(RESERVED_HEIGHT.max, Math.max(RESERVED_HEIGHT.min, height));
  }

  /**
   * Messages from frame.js.
   * @param {string} type  "progress" | "stlite-loaded" | "rendered" | "height" | "error"
   * @param {any} detail
   */
  onReport(type, detail) {
    if (this.root.dataset.state !== "booting" && this.root.dataset.state !== "running") return;
    switch (type) {
      case "progress":
        if (this.root.dataset.state === "booting") this.say(String(detail?.text ?? ""));
        break;
      case "stlite-loaded":
        window.clearTimeout(this.moduleTimer);
        break;
      case "rendered":
        scheduler.settled();
        this.clearTimers();
        this.setState("running");
        this.root.removeAttribute("aria-busy");
        this.root.classList.remove("is-booting");
        this.root.classList.add("is-running");
        this.say("");
        this.fullscreen?.enable();
        if (this.preview?.shown && this.iframe) this.preview.reveal(/** @type {HTMLIFrameElement} */ (this.iframe), () => this.fitHeight());
        else this.fitHeight();
        break;
      case "height":
        // Remembered while booting (the reserved height holds until the first render).
        this.contentHeight = Math.ceil(Number(detail?.px) || 0);
        if (this.root.dataset.state === "running") this.fitHeight();
        break;
      case "error":
        this.fail(String(detail?.message ?? "The app failed to start."), detail?.remedy === "reload" ? "reload" : "retry");
        break;
      case "theme":
        this.root.dataset.appTheme = String(detail?.theme ?? "");
        break;
      default:
        debug("unknown report from the frame", type, detail);
    }
  }

  /**
   * Show a failure in place: the message, the code, and a way out: Retry (a new boot); Reload
   * page, when what failed outlives any boot in this page (the shared Python of
   * `runtime: shared`, see shared.js); none when the spec itself is bad.
   * @param {string} text
   * @param {"retry" | "reload" | "none"} [remedy]
   */
  fail(text, remedy = "retry") {
    console.warn("stlite-docs:", text);
    this.teardown();
    this.setState("error");
    this.root.removeAttribute("aria-busy");
    this.root.classList.remove("is-booting", "is-running");
    this.say("");
    const alert = element("div", "stlite-docs-alert");
    alert.setAttribute("role", "alert");
    alert.append(element("p", "stlite-docs-alert-text", text));
    this.controls.replaceChildren(alert);
    if (remedy === "retry") {
      const button = this.offer("Retry", "stlite-docs-retry");
      alert.append(button);
      this.controls.replaceChildren(alert);
    } else if (remedy === "reload") {
      alert.append(button_("Reload page", "stlite-docs-reload", () => location.reload()));
    }
    scheduler.settled();
  }

  /** Stop the app: stlite's own unmount (worker and React root), then the frame. */
  teardown() {
    this.clearTimers();
    this.fullscreen?.destroy();
    this.fullscreen = null;
    this.preview?.cancel();
    const host = /** @type {any} */ (this.iframe)?.stliteDocs;
    if (host) {
      host.report = () => {}; // a dying frame must not change this mount point any more
      host.stopHealth?.(); // in the page, its timer would outlive the app
      try {
        host.controller?.unmount();
      } catch (error) {
        debug("unmount failed", error);
      }
    }
    this.iframe?.remove();
    this.iframe = null;
  }

  /** `theme: auto`: the host page's scheme changed; a running app follows without a reboot. */
  followTheme() {
    const host = /** @type {any} */ (this.iframe)?.stliteDocs;
    if (!host || !this.spec || this.spec.theme === "light" || this.spec.theme === "dark") return;
    host.theme = appTheme(this.spec);
    host.setTheme?.(host.theme);
  }

  destroy() {
    this.observer?.disconnect();
    this.observer = null;
    prefetchObserver?.unobserve(this.root);
    scheduler.remove(this);
    this.teardown();
  }

  clearTimers() {
    this.timers.forEach((timer) => window.clearTimeout(timer));
    this.timers = [];
  }

  /** @param {string} state */
  setState(state) {
    this.root.dataset.state = state;
    this.codeView?.onState(state);
  }

  /** @param {string} text */
  say(text) {
    this.status.textContent = text;
    this.status.hidden = !text;
  }
}

/**
 * Mount an app into its container in the page (`runtime: shared`, shared.js). shared.js and
 * what it imports are fetched here, on the first such app: pages whose apps run in frames
 * never load them. A failed fetch is the app's error, with Retry (which imports again).
 * @param {HTMLElement} box  its host object attached (see boot())
 */
function startShared(box) {
  // A failed import stays failed in the page's module map: after one, ask under a new URL.
  const url = new URL(assetUrl("./shared.js"));
  if (sharedImportFailures) url.searchParams.set("retry", String(sharedImportFailures));
  import(url.href).then(
    (shared) => shared.startInPage(box),
    (error) => {
      sharedImportFailures += 1;
      /** @type {any} */ (box).stliteDocs.report("error", { message: `Could not load stlite-docs' shared runtime: ${message(error)}` });
    },
  );
}
let sharedImportFailures = 0;

/** Set up new mount points and tear down those that left the document. Idempotent. */
export function scan() {
  for (const [root, app] of live) {
    if (!root.isConnected) {
      app.destroy();
      live.delete(root);
    }
  }
  for (const root of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(MOUNT_SELECTOR))) {
    if (live.has(root) || root.dataset.state) continue;
    const app = new MountedApp(root);
    live.set(root, app);
    app.setup();
  }
}

// ------------------------------------------------------------------ small helpers
/** @param {unknown} error */
function message(error) {
  return error instanceof Error ? error.message : String(error);
}

// ------------------------------------------------------------------ start
const existing = /** @type {any} */ (window).stliteDocs;
if (existing) {
  // Another copy of the loader (another URL, e.g. a theme's extra_javascript and a plugin's
  // tag) runs already: mount points are its business.
  debug(`a loader (${existing.version}) already runs; this copy (${VERSION}) stays idle`);
} else {
  start();
}

function start() {
  installFallbacks();
  /** @type {any} */ (window).stliteDocs = {
    version: VERSION,
    get apps() {
      return Array.from(live.values());
    },
    scan,
  };
  watchPageTheme(() => live.forEach((app) => app.followTheme()));

  const documentSubject = /** @type {any} */ (window).document$;
  if (documentSubject && typeof documentSubject.subscribe === "function") {
    // Material for MkDocs' instant navigation swaps the page content without a reload and
    // announces each new document here (a ReplaySubject: the current one arrives at once).
    documentSubject.subscribe(() => scan());
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", scan, { once: true });
  } else {
    scan();
  }
}
