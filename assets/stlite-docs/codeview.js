// @ts-check
/**
 * The code beside a running app (`show-code: above | below | left | right | tabs`), its
 * editor (`editable: true`) and the "Open in stlite sharing" link (`share: true`).
 *
 * The build's highlighted listing (the view without JavaScript) becomes the code view: it moves
 * into place instead of being copied, so the page never holds the code twice. An editable app
 * gets an editor per text file instead (file tabs for several): a <textarea> at once, which
 * becomes a CodeMirror editor (editor.js) when that module has loaded, with the text, caret and
 * focus it had; where it cannot load, the <textarea> stays. Run writes the edited files into
 * the running app through stlite's controller (`writeFile`), and Streamlit reruns it (the frame
 * mounts editable apps with `server.runOnSave`): no reboot. Before the app runs, Run boots it
 * with the edited code; a paused app resumes with it.
 *
 * `left` / `right` put the code beside the app where the box is wide enough for both (the
 * stylesheet decides by the box's own width, not the viewport's), else above it.
 */
import { button, element } from "./dom.js";
import { shareLink } from "./share.js";
import { tabList } from "./tabs.js";
import { appTheme, watchPageTheme } from "./theme.js";

/** How long to wait for a Run to change what the app shows before saying that it did not. */
const RERUN_WAIT = 8_000;
/** The app's content unchanged this long (and no script running): the rerun is over. */
const RERUN_QUIET = 400;
const APP_SELECTOR = '[data-testid="stApp"]';
/** The run shortcut as this reader's keyboard names it. */
const RUN_KEYS = /Mac|iPhone|iPad|iPod/.test(navigator.platform) ? "⌘+Enter" : "Ctrl+Enter";

let counter = 0;

/**
 * An editor of one file: a <textarea>, or editor.js's CodeMirror editor, which has the same
 * interface and takes its place once loaded.
 * @typedef {Object} Editor
 * @property {HTMLElement} element
 * @property {string} value
 * @property {() => void} focus
 * @property {(scheme: "light" | "dark") => void} [setScheme]
 */

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
    /** @type {Map<string, Editor>} by file path, entry file first */
    this.editors = new Map();
    /** @type {HTMLElement | null} the code view (toolbar, editors or listing) */
    this.view = null;
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
    /** how the keyboard works in the editors (their aria-describedby) */
    this.hint = element("p", "stlite-docs-editor-hint");
    this.status = element("span", "stlite-docs-codeview-status");
    this.status.setAttribute("role", "status");
    this.status.setAttribute("aria-live", "polite");
  }

  setup() {
    const mode = this.spec.showCode || "none";
    if (mode !== "none") {
      this.view = this.buildCodeView();
      this.placeCode(mode, this.view);
      followScheme(this);
      if (this.editors.size) this.loadCodeEditors();
    }
    if (this.spec.shareUrl) this.placeShareLink(this.spec.shareUrl);
    this.host.root.classList.add("has-codeview", `codeview-${mode}`);
  }

  /** The scheme of the app's box: the running app's, else the one it would start with. */
  scheme() {
    const running = this.host.state() === "running";
    const applied = this.host.root.dataset.appTheme;
    return running && (applied === "light" || applied === "dark") ? applied : appTheme(this.spec);
  }

  applyScheme() {
    if (!this.view) return;
    const scheme = this.scheme();
    if (this.view.dataset.scheme === scheme) return;
    this.view.dataset.scheme = scheme;
    for (const editor of this.editors.values()) editor.setScheme?.(scheme);
  }

  /** The CodeMirror editors (editor.js and CodeMirror itself) in place of the textareas. */
  async loadCodeEditors() {
    /** @type {typeof import("./editor.js")} */
    let module;
    try {
      module = await import("./editor.js");
    } catch (error) {
      console.warn("stlite-docs: the code editor could not be loaded; the code stays in plain text fields", error);
      return;
    }
    if (!this.host.root.isConnected) return;
    for (const [path, plain] of this.editors) {
      const textarea = /** @type {HTMLTextAreaElement} */ (plain.element);
      const focused = document.activeElement === textarea;
      const editor = new module.CodeEditor({
        text: textarea.value,
        labelledBy: textarea.getAttribute("aria-labelledby") || "",
        describedBy: this.hint.id,
        scheme: this.scheme(),
        onRun: () => this.run(),
        selection: [textarea.selectionStart, textarea.selectionEnd],
      });
      textarea.replaceWith(editor.element);
      this.editors.set(path, editor);
      if (focused) editor.focus();
    }
    this.hint.textContent = `Tab indents. To leave the editor, press Esc, then Tab. ${RUN_KEYS} runs the code.`;
    this.view?.classList.add("has-code-editor");
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
    view.dataset.scheme = this.scheme();
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

  /**
   * One editor per text file of the app, entry file first, each named by its path: file tabs
   * for several files, a name above one; then how the keyboard works in it.
   */
  buildEditors() {
    this.hint.textContent = `${RUN_KEYS} runs the code.`;
    this.hint.id = `${this.id}-hint`;
    const panels = [];
    for (const [path, text] of this.original) {
      const editor = new TextareaEditor(text, this.hint.id, () => this.run());
      this.editors.set(path, editor);
      const panel = element("div", "stlite-docs-editor-file");
      panel.append(editor.element);
      panels.push(panel);
    }
    const paths = [...this.original.keys()];
    if (paths.length === 1) {
      const name = element("div", "stlite-docs-editor-files stlite-docs-editor-name", paths[0]);
      name.id = `${this.id}-file-0`;
      this.editors.get(paths[0])?.element.setAttribute("aria-labelledby", name.id);
      return [name, ...panels, this.hint];
    }
    const files = tabList(`${this.spec.title}: files`, "stlite-docs-editor-files",
      paths.map((path, index) => ({ text: path, id: `${this.id}-file-${index}`, panel: panels[index] })));
    // The editor in a panel is named by its tab, as the panel is.
    paths.forEach((path, index) => this.editors.get(path)?.element.setAttribute("aria-labelledby", `${this.id}-file-${index}`));
    files.select(0);
    return [files.list, ...panels, this.hint];
  }

  /**
   * @param {string} mode  "above" | "below" | "left" | "right" | "tabs"
   * @param {HTMLElement} view
   */
  placeCode(mode, view) {
    const [first] = this.host.appParts;
    const last = this.host.appParts[this.host.appParts.length - 1];
    if (mode === "above") first.before(view);
    else if (mode === "below") last.after(view);
    else if (mode === "left" || mode === "right") this.makeSplit(mode, view);
    else this.makeTabs(view);
  }

  /**
   * The code and the app side by side: two columns of one row that wraps, the code's line
   * first when it does (the stylesheet: `right` wraps in reverse). The app's parts keep their
   * order in their column, and the DOM order is the wide layout's reading order.
   * @param {"left" | "right"} side @param {HTMLElement} view
   */
  makeSplit(side, view) {
    const split = element("div", "stlite-docs-split");
    const app = element("div", "stlite-docs-split-app");
    this.host.appParts[0].before(split);
    app.append(...this.host.appParts);
    split.append(...(side === "left" ? [view, app] : [app, view]));
  }

  /** App / Code tabs (tabs.js); App is shown first. */
  makeTabs(/** @type {HTMLElement} */ view) {
    const appPanel = element("div", "stlite-docs-tabpanel stlite-docs-tabpanel-app");
    const codePanel = element("div", "stlite-docs-tabpanel stlite-docs-tabpanel-code");
    // A panel with only a listing is focusable, so a keyboard can scroll it (an editor is).
    if (!this.editors.size) codePanel.tabIndex = 0;
    const order = /** @type {const} */ (["app", "code"]);
    const { list, select } = tabList(`${this.spec.title}: app or code`, "stlite-docs-appcode", [
      { text: "App", id: `${this.id}-tab-app`, panel: appPanel },
      { text: "Code", id: `${this.id}-tab-code`, panel: codePanel },
    ], (index) => { this.host.root.dataset.tab = order[index]; });
    const [first] = this.host.appParts;
    first.before(list, appPanel, codePanel);
    appPanel.append(...this.host.appParts);
    codePanel.append(view);
    select(0);
    this.tabs = { select: (/** @type {"app" | "code"} */ which, focus = false) => select(order.indexOf(which), focus) };
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

/** The plain editor: at once, and wherever the code editor cannot load. Tab keeps its usual
 * meaning (the next control): a text field must not trap the keyboard. */
class TextareaEditor {
  /** @param {string} text @param {string} describedBy @param {() => void} onRun */
  constructor(text, describedBy, onRun) {
    const textarea = /** @type {HTMLTextAreaElement} */ (element("textarea", "stlite-docs-editor"));
    textarea.value = text;
    textarea.spellcheck = false;
    textarea.wrap = "off";
    // As many rows as CodeMirror shows lines (the stylesheet caps both): no jump when it comes.
    textarea.rows = Math.max(1, text.split("\n").length);
    textarea.setAttribute("autocapitalize", "off");
    textarea.setAttribute("autocomplete", "off");
    textarea.setAttribute("aria-describedby", describedBy);
    textarea.setAttribute("aria-keyshortcuts", "Control+Enter Meta+Enter");
    textarea.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onRun();
      }
    });
    this.element = textarea;
  }

  get value() {
    return this.element.value;
  }

  set value(text) {
    this.element.value = text;
  }

  focus() {
    this.element.focus();
  }
}

/** @type {Set<CodeView>} code views whose scheme follows the page's */
const following = new Set();
let watchingPage = false;

/**
 * Keep a code view's scheme (its editors' colours) that of its app: the page's, as it changes,
 * and the running app's, as the frame reports it. One watcher of the page for all of them.
 * @param {CodeView} codeView
 */
function followScheme(codeView) {
  if (!watchingPage) {
    watchingPage = true;
    watchPageTheme(() => following.forEach((view) => {
      if (view.host.root.isConnected) view.applyScheme();
      else following.delete(view);
    }));
  }
  following.add(codeView);
  new MutationObserver(() => codeView.applyScheme())
    .observe(codeView.host.root, { attributes: true, attributeFilter: ["data-app-theme", "data-state"] });
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
