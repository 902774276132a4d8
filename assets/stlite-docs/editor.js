// @ts-check
/**
 * The code editor of an editable app: CodeMirror 6 with Python highlighting, line numbers,
 * Tab / Shift+Tab indentation and Ctrl/⌘+Enter to run.
 *
 * CodeMirror comes as one ES module, `vendor/codemirror.js`, bundled from pinned npm packages
 * by scripts/vendor-codemirror and served from the site beside this file (no request leaves
 * the origin, whatever `assets` says). codeview.js imports this module only for an editable
 * app, so pages without one never fetch either; if the import fails, the app keeps its
 * plain <textarea> editors.
 *
 * Keyboard users are never trapped: Tab indents, but Esc then Tab (within two seconds) moves
 * on to the next control, as does Tab after Ctrl+M (Shift+Alt+M on a Mac) switches
 * CodeMirror's tab-focus mode on. Colours are CSS custom properties of stlite-docs.css, set
 * for the code view's `data-scheme` (light or dark).
 */
import {
  EditorState, EditorSelection, Compartment, Prec, EditorView, keymap, lineNumbers, highlightActiveLine,
  highlightActiveLineGutter, drawSelection, highlightSpecialChars, defaultKeymap, history, historyKeymap,
  indentMore, indentLess, HighlightStyle, syntaxHighlighting, indentUnit, indentOnInput, bracketMatching,
  closeBrackets, closeBracketsKeymap, python, tags,
} from "./vendor/codemirror.js";

/**
 * Tab as in most code editors: with a selection it indents the selected lines, else it inserts
 * spaces up to the next multiple of four at the caret; Shift+Tab dedents the lines. (Neither
 * runs after Esc: see above.)
 */
const tabKeys = {
  key: "Tab",
  shift: indentLess,
  /** @param {EditorView} view */
  run: (view) => {
    const { state } = view;
    if (state.selection.ranges.some((range) => !range.empty)) return indentMore(view);
    view.dispatch(state.update(state.changeByRange((range) => {
      const column = range.head - state.doc.lineAt(range.head).from;
      const spaces = " ".repeat(4 - (column % 4));
      return { changes: { from: range.head, insert: spaces }, range: EditorSelection.cursor(range.head + spaces.length) };
    }), { scrollIntoView: true, userEvent: "input" }));
    return true;
  },
};

/** Token colours: each a custom property of stlite-docs.css, so a site can restyle them. */
const highlighting = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.definitionKeyword, tags.moduleKeyword, tags.operatorKeyword, tags.self],
    color: "var(--stlite-docs-token-keyword)" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "var(--stlite-docs-token-string)" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: "var(--stlite-docs-token-comment)", fontStyle: "italic" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "var(--stlite-docs-token-number)" },
  { tag: [tags.function(tags.definition(tags.variableName)), tags.function(tags.variableName),
    tags.function(tags.propertyName)], color: "var(--stlite-docs-token-function)" },
  { tag: [tags.definition(tags.className), tags.className, tags.typeName], color: "var(--stlite-docs-token-class)" },
  { tag: [tags.meta, tags.standard(tags.variableName), tags.special(tags.variableName)],
    color: "var(--stlite-docs-token-builtin)" },
  { tag: tags.invalid, color: "var(--stlite-docs-token-invalid)" },
]);

const CODE_FONT = "var(--stlite-docs-code-font, ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace)";

/** The editor's parts in the stylesheet's colours (this theme outranks CodeMirror's own). */
const look = EditorView.theme({
  "&": {
    color: "var(--stlite-docs-editor-text)",
    backgroundColor: "var(--stlite-docs-editor-bg)",
    fontSize: "var(--stlite-docs-editor-font-size)",
    maxHeight: "var(--stlite-docs-editor-max-height)",
  },
  "&.cm-focused": { outline: "3px solid var(--stlite-docs-focus)", outlineOffset: "-3px" },
  ".cm-scroller": { fontFamily: CODE_FONT, lineHeight: "var(--stlite-docs-editor-line-height)", overflow: "auto" },
  ".cm-content": { padding: "var(--stlite-docs-editor-padding) 0", caretColor: "var(--stlite-docs-editor-text)" },
  ".cm-line": { padding: "0 0.6em 0 0.4em" },
  ".cm-cursor, .cm-dropCursor": { borderLeftColor: "var(--stlite-docs-editor-text)" },
  ".cm-gutters": {
    color: "var(--stlite-docs-editor-gutter-text)",
    backgroundColor: "var(--stlite-docs-editor-bg)",
    borderRight: "1px solid var(--stlite-docs-border)",
  },
  ".cm-lineNumbers .cm-gutterElement": { padding: "0 0.5em 0 0.75em" },
  ".cm-activeLine, .cm-activeLineGutter": { backgroundColor: "var(--stlite-docs-editor-active-line)" },
  ".cm-activeLineGutter": { color: "var(--stlite-docs-editor-text)" },
  // The caret's line stands out only while the reader is in the editor.
  "&:not(.cm-focused) .cm-activeLine, &:not(.cm-focused) .cm-activeLineGutter": { backgroundColor: "transparent", color: "inherit" },
  "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection": {
    backgroundColor: "var(--stlite-docs-editor-selection)",
  },
  "&.cm-focused .cm-matchingBracket": { backgroundColor: "var(--stlite-docs-editor-bracket)", outline: "none" },
});

/**
 * @typedef {Object} CodeEditorOptions
 * @property {string} text                 the file's code
 * @property {string} labelledBy           id of the element that names it (its file's tab or name)
 * @property {string} describedBy          id of the element that says how to leave it
 * @property {"light" | "dark"} scheme
 * @property {() => void} onRun            Ctrl/⌘+Enter
 * @property {[number, number]} [selection]  where the caret (and selection) starts
 */

/** An editor of one file, with the interface of codeview.js's textarea editor. */
export class CodeEditor {
  /** @param {CodeEditorOptions} options */
  constructor({ text, labelledBy, describedBy, scheme, onRun, selection }) {
    this.dark = new Compartment();
    const length = text.length;
    const [anchor, head] = selection ? selection.map((at) => Math.min(Math.max(at, 0), length)) : [0, 0];
    const state = EditorState.create({
      doc: text,
      selection: EditorSelection.single(anchor, head),
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), drawSelection(),
        indentOnInput(), bracketMatching(), closeBrackets(), highlightActiveLine(),
        python(), indentUnit.of("    "), EditorState.tabSize.of(4),
        syntaxHighlighting(highlighting), look, this.dark.of(EditorView.darkTheme.of(scheme === "dark")),
        Prec.highest(keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }])),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, tabKeys]),
        EditorView.contentAttributes.of({
          "aria-labelledby": labelledBy, "aria-describedby": describedBy, "aria-keyshortcuts": "Control+Enter Meta+Enter",
          autocapitalize: "off", autocorrect: "off", spellcheck: "false", translate: "no",
        }),
        // The page's own shortcuts must not act on what the reader types here: Sphinx's "/"
        // jumps to its search box (it spares only input, textarea, select and button).
        EditorView.domEventHandlers({ keydown: (event) => { event.stopPropagation(); return false; } }),
      ],
    });
    this.view = new EditorView({ state });
    this.element = this.view.dom;
    this.element.classList.add("stlite-docs-code-editor");
  }

  get value() {
    return this.view.state.doc.toString();
  }

  /** Replaces the whole text as one undoable change (Reset, then Ctrl+Z, brings the edits back). */
  set value(text) {
    if (text === this.value) return;
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  focus() {
    this.view.focus();
  }

  /** @param {"light" | "dark"} scheme */
  setScheme(scheme) {
    this.view.dispatch({ effects: this.dark.reconfigure(EditorView.darkTheme.of(scheme === "dark")) });
  }
}
