"""Page-side snippets for the editors of editable apps (codeview.js): read or replace a file's
text as the code view holds it, whichever editor it has (a <textarea>, or CodeMirror once
editor.js has loaded). Tests about typing type instead (tests/browser/test_editor.py)."""

# Both take [selector, path]: any element of the app's mount point, and the file (null: the
# entry file, the first editor).
_EDITOR = """const box = document.querySelector(selector).closest('[data-stlite-docs]');
  const editors = window.stliteDocs.apps.find((app) => app.root === box).codeView.editors;
  const editor = path ? editors.get(path) : editors.values().next().value;"""

#: ([selector, path, text]) => replace the file's text
SET_CODE = f"([selector, path, text]) => {{ {_EDITOR} editor.value = text; }}"
#: ([selector, path]) => the file's text
CODE = f"([selector, path]) => {{ {_EDITOR} return editor.value; }}"
#: (selector) => whether the app's editors are CodeMirror's (editor.js has loaded)
HAS_CODE_EDITOR = "(selector) => !!document.querySelector(selector).closest('[data-stlite-docs]').querySelector('.cm-editor')"
