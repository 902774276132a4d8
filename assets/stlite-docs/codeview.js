// @ts-check
/**
 * The code beside a running app (`show-code: above | below | tabs`), its editor
 * (`editable: true`) and the "Open in stlite sharing" link (`share: true`).
 *
 * The build's highlighted listing (the view without JavaScript) becomes the code view: it moves
 * into place instead of being copied, so the page never holds the code twice. An editable app
 * gets a <textarea> per text file instead; Run writes the edited files into the running app
 * through stlite's controller (`writeFile`), and Streamlit reruns it (the frame mounts
 * editable apps with `server.runOnSave`): no reboot. Before the app runs, Run boots it with
 * the edited code; a paused app resumes with it.
 */
import { button, element } from "./dom.js";
import { shareLink } from "./share.js";

/** How long to wait for a Run to change what the app shows before saying that it did not. */
const RERUN_WAIT = 8_000;
/** The app's content unchanged this long (and no script running): the rerun is over. */
const RERUN_QUIET = 400;
const APP_SELECTOR = '[data-testid="stApp"]';

let counter = 0;

/**
 * What the loader gives a code view.
 * @typedef {Object} CodeViewHost
 * @property {HTMLElement} root                 the mount point
 * @property {import("./spec.js").AppSpec} spec
 * @property {HTMLElement[]} appParts           the loader's elements of the app (controls, status, stage)
 * @property {() => string} state               the mount point's data-state
 * @property {() => HTMLIFrameElement | null} frame  the app's frame, while it has one
 * @property {() => void} boot                  start the app (Run before it runs, or while paused)
 */

export class CodeView {
  /** @param {CodeViewHost} host */
  constructor(host) {
    this.host = host;
    this.spec = host.spec;
    this.id = `stlite-docs-code-${++counter}`;
    /** @type {Map<string, string>} the text files as the build wrote them */
    this.original = new Map();
    for (const path of filePaths(this.spec)) {
      const file = this.spec.files[path];
      if ("text" in file) this.original.set(path, file.text);
    }
    /** @type {Map<string, HTMLTextAreaElement>} */
    this.editors = new Map();
    /** @type {Map<string, string> | null} the texts the reader last ran (null: the originals) */
    this.ran = null;
    /** @type {Map<string, string>} the texts the running app has */
    this.applied = new Map(this.original);
    /** a Run pressed while the app was booting: run once it is up */
    this.pendingRun = false;
    /** counts Runs and Resets: only the latest one may report how it went */
    this.turn = 0;
    /** @type {{select: (which: "app" | "code", focus?: boolean) => void} | null} */
    this.tabs = null;
    this.status = element("span", "stlite-docs-codeview-status");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
  }

  setup() {
    const mode = this.spec.showCode || "none";
    if (mode !== "none") this.placeCode(mode, this.buildCodeView());
    if (this.spec.shareUrl) this.placeShareLink(this.spec.shareUrl);
    this.host.root.classList.add("has-codeview", `codeview-${mode}`);
  }

  /** The code panel: a toolbar (Run, Reset, Copy, status) and the listing or the editors. */
  buildCodeView() {
    const view = element("div", "stlite-docs-codeview");
    const bar = element("div", "stlite-docs-codeview-bar");
    const source = /** @type {HTMLElement | null} */ (this.host.root.querySelector(":scope > .stlite-docs-source"));
    const editable = this.spec.editable && this.original.size > 0;
    if (editable) {
      view.setAttribute("role", "group");
      view.setAttribute("aria-label", `Code editor: ${this.spec.title}`);
      const run = button("Run", "stlite-docs-run-code", () => this.run());
      run.setAttribute("aria-keyshortcuts", "Control+Enter Meta+Enter");
      run.title = "Run the edited code (Ctrl+Enter or ⌘+Enter in the editor)";
      bar.append(run, button("Reset", "stlite-docs-reset-code", () => this.reset()));
    }
    bar.append(button("Copy", "stlite-docs-copy", () => this.copy()), this.status);
    view.append(bar);
    if (editable) {
      view.append(...this.buildEditors());
      // The listing stays in the page for print and search, out of sight.
      if (source) {
        source.hidden = true;
        view.append(source);
      }
    } else if (source) {
      view.append(source);
    }
    return view;
  }

  /** One labelled <textarea> per text file of the app, entry file first. */
  buildEditors() {
    const parts = [];
    for (const [path, text] of this.original) {
      const id = `${this.id}-file-${this.editors.size}`;
      const label = /** @type {HTMLLabelElement} */ (element("label", "stlite-docs-editor-label", path));
      label.htmlFor = id;
      const editor = /** @type {HTMLTextAreaElement} */ (element("textarea", "stlite-docs-editor"));
      editor.id = id;
      editor.value = text;
      editor.spellcheck = false;
      editor.wrap = "off";
      editor.rows = Math.min(30, Math.max(4, text.split("\n").length + 1));
      editor.setAttribute("autocapitalize", "off");
      editor.setAttribute("autocomplete", "off");
      editor.setAttribute("aria-keyshortcuts", "Control+Enter Meta+Enter");
      // Tab keeps its usual meaning (the next control): an editor must not trap the keyboard.
      editor.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          this.run();
        }
      });
      this.editors.set(path, editor);
      const file = element("div", "stlite-docs-editor-file");
      file.append(label, editor);
      parts.push(file);
    }
    return parts;
  }

  /**
   * @param {string} mode  "above" | "below" | "tabs"
   * @param {HTMLElement} view
   */
  placeCode(mode, view) {
    const [first] = this.host.appParts;
    const last = this.host.appParts[this.host.appParts.length - 1];
    if (mode === "above") first.before(view);
    else if (mode === "below") last.after(view);
    else this.makeTabs(view);
  }

  /** App / Code tabs, after the WAI-ARIA tabs pattern (arrow keys, Home, End; automatic activation). */
  makeTabs(/** @type {HTMLElement} */ view) {
    const list = element("div", "stlite-docs-tablist");
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", `${this.spec.title}: app or code`);
    const appPanel = element("div", "stlite-docs-tabpanel stlite-docs-tabpanel-app");
    const codePanel = element("div", "stlite-docs-tabpanel stlite-docs-tabpanel-code");
    // The code panel may hold only a listing: focusable, so a keyboard can scroll it.
    codePanel.tabIndex = 0;
    /** @type {Record<"app" | "code", HTMLButtonElement>} */
    const tabs = { app: button("App", "stlite-docs-tab", () => select("app")), code: button("Code", "stlite-docs-tab", () => select("code")) };
    for (const [which, panel] of /** @type {const} */ ([["app", appPanel], ["code", codePanel]])) {
      const tab = tabs[which];
      tab.setAttribute("role", "tab");
      tab.id = `${this.id}-tab-${which}`;
      panel.id = `${this.id}-panel-${which}`;
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      tab.setAttribute("aria-controls", panel.id);
      list.append(tab);
    }
    const order = /** @type {const} */ (["app", "code"]);
    list.addEventListener("keydown", (event) => {
      const now = order.findIndex((which) => tabs[which] === event.target);
      if (now < 0) return;
      const next = { ArrowRight: now + 1, ArrowLeft: now - 1, Home: 0, End: order.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select(order[(next + order.length) % order.length], true);
    });
    const select = (/** @type {"app" | "code"} */ which, focus = false) => {
      for (const other of order) {
        const selected = other === which;
        tabs[other].setAttribute("aria-selected", String(selected));
        tabs[other].tabIndex = selected ? 0 : -1;
        (other === "app" ? appPanel : codePanel).hidden = !selected;
      }
      this.host.root.dataset.tab = which;
      if (focus) tabs[which].focus();
    };
    const [first] = this.host.appParts;
    first.before(list, appPanel, codePanel);
    appPanel.append(...this.host.appParts);
    codePanel.append(view);
    select("app");
    this.tabs = { select };
  }

  /** "Open in stlite sharing": a link to the sharing site with the app in its fragment. */
  placeShareLink(/** @type {string} */ baseUrl) {
    const row = element("p", "stlite-docs-share");
    const link = /** @type {HTMLAnchorElement} */ (element("a", "stlite-docs-share-link", "Open in stlite sharing"));
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    let host = baseUrl;
    try {
      host = new URL(baseUrl).host;
    } catch (error) {
      console.debug("stlite-docs: the sharing URL is not absolute", baseUrl, error);
    }
    const note = element("span", "stlite-docs-share-note",
      ` (opens ${host} in a new tab and sends it this app's code)`);
    note.id = `${this.id}-share-note`;
    link.setAttribute("aria-describedby", note.id);
    const refresh = () => {
      link.href = shareLink(baseUrl, { ...this.sharedApp(), files: this.sharedTexts() });
    };
    refresh();
    // The reader's edits go with the link: brought up to date before it is followed or copied.
    for (const type of ["focus", "pointerenter", "contextmenu"]) link.addEventListener(type, refresh);
    link.addEventListener("click", (event) => {
      refresh();
      if (!this.hasFetchedFiles()) return; // the link as it is: the browser follows it
      event.preventDefault();
      this.sharedWithFetchedFiles().then((app) => window.open(shareLink(baseUrl, app), "_blank", "noopener"));
    });
    row.append(link, note);
    const caption = this.host.root.querySelector(":scope > figcaption");
    if (caption) caption.before(row);
    else this.host.root.append(row);
  }

  sharedApp() {
    return { entrypoint: this.spec.entrypoint, requirements: this.spec.requirements || [] };
  }

  /** The text files as the reader sees them now (edited or not). @returns {Object<string, string>} */
  sharedTexts() {
    /** @type {Object<string, string>} */
    const files = {};
    for (const [path, text] of this.original) files[path] = this.editors.get(path)?.value ?? text;
    return files;
  }

  hasFetchedFiles() {
    return Object.values(this.spec.files).some((file) => "url" in file);
  }

  /**
   * The app with its attached files (published into the site, fetched by URL) included as
   * bytes. Only files of this site's own origin are read; anything else is left out (logged).
   */
  async sharedWithFetchedFiles() {
    /** @type {Object<string, string | Uint8Array>} */
    const files = this.sharedTexts();
    for (const [path, file] of Object.entries(this.spec.files)) {
      if (!("url" in file)) continue;
      if (new URL(file.url).origin !== window.location.origin) {
        console.debug("stlite-docs: not shared (another site's file)", path);
        continue;
      }
      try {
        const response = await fetch(file.url);
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        files[path] = new Uint8Array(await response.arrayBuffer());
      } catch (error) {
        console.debug("stlite-docs: an attached file could not be read for sharing", path, error);
      }
    }
    return { ...this.sharedApp(), files };
  }

  // ------------------------------------------------------------------ the loader's hooks
  /**
   * The spec the app boots with: the reader's last run code, so a paused app resumes (and a
   * Retry restarts) with the edits.
   * @param {import("./spec.js").AppSpec} spec
   * @returns {import("./spec.js").AppSpec}
   */
  bootSpec(spec) {
    const texts = this.ran || this.original;
    this.applied = new Map(texts);
    if (!this.ran) return spec;
    const files = { ...spec.files };
    for (const [path, text] of this.ran) files[path] = { text };
    return { ...spec, files };
  }

  /** @param {string} state */
  onState(state) {
    if (state === "running" && this.pendingRun) {
      this.pendingRun = false;
      this.run();
    }
  }

  // ------------------------------------------------------------------ actions
  /** The editors' code into the app: written into the running app, or booted with. */
  async run() {
    const texts = new Map(Array.from(this.editors, ([path, editor]) => [path, editor.value]));
    this.ran = texts;
    this.tabs?.select("app", true);
    const state = this.host.state();
    if (state === "booting") {
      this.pendingRun = true;
      this.say("The app is starting; your code runs when it is ready.");
      return;
    }
    if (state !== "running") {
      this.say("Starting the app with your code…");
      this.host.boot();
      return;
    }
    await this.apply(texts, "Ran your code.");
  }

  /** Reset: the editors and the app back to the code of the page. */
  async reset() {
    for (const [path, editor] of this.editors) editor.value = this.original.get(path) ?? "";
    this.ran = null;
    if (this.host.state() === "running") await this.apply(this.original, "Restored the original code.");
    else this.say("Restored the original code.");
  }

  /**
   * Write the files that differ from what the app has, and wait for the rerun they cause.
   * @param {Map<string, string>} texts @param {string} done
   */
  async apply(texts, done) {
    const turn = ++this.turn;
    const changed = Array.from(texts).filter(([path, text]) => this.applied.get(path) !== text);
    if (!changed.length) {
      this.say(done === "Ran your code." ? "Nothing changed since the last run." : done);
      return;
    }
    const frame = this.host.frame();
    const controller = /** @type {any} */ (frame)?.stliteDocs?.controller;
    if (!frame || !controller || typeof controller.writeFile !== "function") {
      this.say("This app cannot take new code while it runs; it restarts with your code.");
      this.host.boot();
      return;
    }
    this.say("Running your code…");
    const rerun = watchRerun(frame);
    try {
      await Promise.all(changed.map(([path, text]) => controller.writeFile(path, text)));
    } catch (error) {
      rerun.cancel();
      this.say(`Could not run your code: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    for (const [path, text] of changed) this.applied.set(path, text);
    const ran = await rerun.done;
    if (turn === this.turn) this.say(ran ? done : "Your code is in the app; what it shows did not change.");
  }

  /** Copy the code: the editors' text (as one block, `## file:` between files), or the listing. */
  async copy() {
    const text = this.editors.size ? blockText(this.spec.entrypoint, this.sharedTexts()) : this.listingText();
    try {
      await copyText(text, this.host.root);
      this.say("Copied");
    } catch (error) {
      console.debug("stlite-docs: copying failed", error);
      this.say("Could not copy: select the code and copy it yourself.");
    }
  }

  listingText() {
    const pre = this.host.root.querySelector(".stlite-docs-source pre");
    return pre?.textContent ?? "";
  }

  /** @param {string} text */
  say(text) {
    // Emptied first: the same words again ("Copied" twice) must be announced again.
    this.status.textContent = "";
    window.setTimeout(() => { this.status.textContent = text; }, 50);
  }
}

/** Entry file first, then the others in the spec's order. @param {import("./spec.js").AppSpec} spec */
function filePaths(spec) {
  return [spec.entrypoint, ...Object.keys(spec.files).filter((path) => path !== spec.entrypoint)]
    .filter((path) => path in spec.files);
}

/**
 * Files as one block, as an author writes them: the entry file first (under a `## file:` line
 * unless it is streamlit_app.py, the default entry), then `## file: path` and each other file.
 * @param {string} entrypoint @param {Object<string, string>} files
 */
function blockText(entrypoint, files) {
  return Object.entries(files).map(([path, text], index) => {
    const body = text.endsWith("\n") || !text ? text : `${text}\n`;
    return index === 0 && path === entrypoint && path === "streamlit_app.py" ? body : `## file: ${path}\n${body}`;
  }).join("");
}

/**
 * Watch the app's frame for the rerun Streamlit starts after a file changed. Its script-state
 * marker is no help: a short rerun goes "running" and back within one render, and the page
 * never shows it. What shows is the app's content changing: the rerun is over once the content
 * has changed and then stayed quiet for a moment, with no script running.
 * @param {HTMLElement} frame  the app's iframe, or its box in the page
 * @returns {{done: Promise<boolean>, cancel: () => void}}  done: whether the app visibly reran
 */
function watchRerun(frame) {
  /** @type {() => void} */
  let cancel = () => {};
  const done = new Promise((resolve) => {
    // The frame's document, or (runtime: shared) the app's box in the page.
    const scope = frame instanceof HTMLIFrameElement ? frame.contentDocument?.body : frame;
    if (!scope) return resolve(false);
    let quiet = 0;
    const settle = () => {
      window.clearTimeout(quiet);
      quiet = window.setTimeout(() => {
        const state = scope.querySelector(APP_SELECTOR)?.getAttribute("data-test-script-state");
        if (state === "running") settle();
        else finish(true);
      }, RERUN_QUIET);
    };
    const observer = new MutationObserver(settle);
    const timer = window.setTimeout(() => finish(false), RERUN_WAIT);
    const finish = (/** @type {boolean} */ ran) => {
      observer.disconnect();
      window.clearTimeout(timer);
      window.clearTimeout(quiet);
      resolve(ran);
    };
    cancel = () => finish(false);
    observer.observe(scope, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  return { done, cancel: () => cancel() };
}

/**
 * The Clipboard API where the page may use it (a secure context); else the older
 * `execCommand("copy")` on a temporary, selected <textarea>.
 * @param {string} text @param {HTMLElement} near  where the temporary element goes
 */
async function copyText(text, near) {
  if (navigator.clipboard?.writeText) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch (error) {
      console.debug("stlite-docs: the Clipboard API refused; copying with execCommand", error);
    }
  } else {
    console.debug("stlite-docs: no Clipboard API here (not a secure context?); copying with execCommand");
  }
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const scratch = /** @type {HTMLTextAreaElement} */ (element("textarea", "stlite-docs-copy-scratch"));
  scratch.value = text;
  scratch.setAttribute("readonly", "");
  scratch.setAttribute("aria-hidden", "true");
  near.append(scratch);
  scratch.select();
  const copied = document.execCommand("copy");
  scratch.remove();
  active?.focus();
  if (!copied) throw new Error("execCommand('copy') did not copy");
}
