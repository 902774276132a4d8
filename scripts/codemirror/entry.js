// What assets/stlite-docs/editor.js takes from CodeMirror 6: the bundle's only exports, so
// esbuild leaves out the rest of the packages.
export { EditorState, EditorSelection, Compartment, Prec } from "@codemirror/state";
export {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection,
  highlightSpecialChars,
} from "@codemirror/view";
export { defaultKeymap, history, historyKeymap, indentMore, indentLess } from "@codemirror/commands";
export { HighlightStyle, syntaxHighlighting, indentUnit, indentOnInput, bracketMatching } from "@codemirror/language";
export { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
export { python } from "@codemirror/lang-python";
export { tags } from "@lezer/highlight";
