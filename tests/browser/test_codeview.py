"""Code views, the editor and the sharing link (codeview.js, share.js) in Chromium, Firefox and
WebKit, on Sphinx and MkDocs (Material) output, with the recording stand-in for stlite (which
records controller.writeFile and imitates Streamlit's rerun of a changed file under
server.runOnSave)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from support.editor import CODE, HAS_CODE_EDITOR, SET_CODE
from support.share import decode
from test_mkdocs_material import material_site  # noqa: F401 (a fixture: tests/browser/mkdocs-site, served)
from test_scheduling import _wait_state

MOUNT = "[data-stlite-docs]"
RECORD = "() => window.__standin"
COUNT = "(selector) => document.querySelectorAll(selector).length"
TEXT = "(selector) => document.querySelector(selector)?.textContent ?? null"
# Visible as Playwright means it: a non-empty box and not visibility:hidden.
VISIBLE = """(selector) => { const el = document.querySelector(selector);
  if (!el) return false; const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'; }"""
STATUS = "(i) => document.querySelectorAll('[data-stlite-docs]')[i].querySelector('.stlite-docs-codeview-status').textContent"


def _nth(index: int, inner: str = "") -> str:
    return f"{MOUNT}:nth-of-type({index + 1}) {inner}".strip()


def _open(web, url, running):
    web.open(url)
    web.wait_for(f"(n) => document.querySelectorAll('{MOUNT}[data-state=running]').length === n", running)


def _say(web, index, text, timeout=30):
    web.wait_for(f"([i, t]) => ({STATUS})(i) === t", [index, text], timeout=timeout)


@pytest.fixture
def page(standin_site, web):
    """codeview.html with its four eager apps running (the fifth waits for a click)."""
    _open(web, standin_site + "codeview.html", 4)
    return web


def _mounts(web):
    return web.evaluate("() => Array.from(document.querySelectorAll('[data-stlite-docs]'))"
                        ".map((m) => m.id || m.querySelector('figcaption')?.textContent)")


def test_tabs_follow_the_aria_tabs_pattern_and_the_keyboard(page):
    web = page
    tabs = f"{MOUNT} [role=tablist]"
    assert web.evaluate(COUNT, f"{tabs} > button[role=tab][type=button]") == 2
    state = """(root) => Array.from(document.querySelectorAll(root + ' [role=tab]'), (t) => [
      t.textContent, t.getAttribute('aria-selected'), t.tabIndex,
      document.getElementById(t.getAttribute('aria-controls')).hidden,
      document.getElementById(t.getAttribute('aria-controls')).getAttribute('aria-labelledby') === t.id])"""
    assert web.evaluate(state, MOUNT) == [["App", "true", 0, False, True], ["Code", "false", -1, True, True]]
    assert web.evaluate(VISIBLE, f"{MOUNT} iframe")
    web.press("ArrowRight", f"{tabs} [role=tab]")
    web.wait_for(f"() => document.activeElement?.textContent === 'Code'")
    assert web.evaluate(state, MOUNT) == [["App", "false", -1, True, True], ["Code", "true", 0, False, True]]
    # The build's listing moved into the Code panel: shown, highlighted, every file.
    code = web.evaluate(TEXT, f"{MOUNT} [role=tabpanel]:not([hidden]) .stlite-docs-source pre")
    assert "from helpers import double" in code and "## file: helpers.py" in code
    assert web.evaluate(VISIBLE, f"{MOUNT} [role=tabpanel]:not([hidden]) .highlight")
    # A keyboard user sees where focus is.
    assert web.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    web.press("ArrowRight")  # wraps around
    web.wait_for(f"() => document.activeElement?.textContent === 'App'")
    assert web.evaluate(state, MOUNT)[0][1] == "true"
    web.press("ArrowLeft")
    web.wait_for(f"() => document.activeElement?.textContent === 'Code'")
    assert web.evaluate(COUNT, "iframe") == 4 and web.evaluate("() => window.__standin.mounts.length") == 4  # no reboot


def test_code_above_and_below_the_running_app(page):
    web = page
    order = """(caption) => { const m = Array.from(document.querySelectorAll('[data-stlite-docs]'))
      .find((e) => e.querySelector('figcaption')?.textContent === caption);
      return Array.from(m.children, (c) => c.className.split(' ')[0]).filter((c) => c !== 'stlite-docs-status'); }"""
    # The app's own toolbar (Full screen) stays right under the app, the code view around both.
    assert web.evaluate(order, "Above") == [
        "stlite-docs-codeview", "stlite-docs-controls", "stlite-docs-stage", "stlite-docs-toolbar", "stlite-docs-spec",
        "stlite-docs-caption"]
    assert web.evaluate(order, "Below") == [
        "stlite-docs-controls", "stlite-docs-stage", "stlite-docs-toolbar", "stlite-docs-codeview", "stlite-docs-spec",
        "stlite-docs-caption"]
    for caption in ("Above", "Below"):
        root = f"{MOUNT}.codeview-{caption.lower()}"
        assert web.evaluate(VISIBLE, f"{root} .stlite-docs-codeview .stlite-docs-source pre")
        assert web.evaluate(TEXT, f"{root} .stlite-docs-codeview pre").strip().endswith(f'st.write("{caption.lower()}")')
        assert web.evaluate(VISIBLE, f"{root} iframe")
    # Apps without show-code keep today's behaviour elsewhere: nothing of this is added.
    assert web.evaluate(COUNT, f"{MOUNT}:not(.has-codeview)") == 0


def test_copy_with_the_clipboard_api_and_with_the_fallback(page):
    web = page
    web.evaluate("""() => { window.__copied = [];
      navigator.clipboard.writeText = (text) => { window.__copied.push(text); return Promise.resolve(); }; }""")
    web.click(f"{MOUNT}.codeview-above button.stlite-docs-copy", text="Copy")
    _say(web, 1, "Copied")
    assert web.evaluate("() => window.__copied") == ['import streamlit as st\nst.write("above")\n']
    assert web.evaluate("() => document.querySelector('.codeview-above [role=status]').getAttribute('aria-live')") == "polite"
    # Without the Clipboard API (an insecure context): a selected scratch textarea and execCommand.
    web.evaluate("""() => { window.__copied = [];
      Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});
      document.execCommand = (command) => { window.__copied.push([command, document.getSelection().toString()
        || document.activeElement.value]); return true; }; }""")
    web.click(f"{MOUNT}.codeview-below button.stlite-docs-copy", text="Copy")
    _say(web, 2, "Copied")
    assert web.evaluate("() => window.__copied") == [["copy", 'import streamlit as st\nst.write("below")\n']]
    assert web.evaluate(COUNT, ".stlite-docs-copy-scratch") == 0


def test_editor_run_writes_the_file_into_the_running_app_without_a_reboot(page):
    web = page
    root = f"{MOUNT}.codeview-above:has(.stlite-docs-run-code)"
    web.wait_for(HAS_CODE_EDITOR, root)
    editor = f"{root} .cm-content"
    assert web.evaluate("(s) => document.getElementById(document.querySelector(s).getAttribute('aria-labelledby'))"
                        ".textContent", editor) == "streamlit_app.py"
    assert web.evaluate(COUNT, f"{root} .stlite-docs-codeview button[type=button]") == 3  # Run, Reset, Copy
    assert not web.evaluate(VISIBLE, f"{root} .stlite-docs-source")  # the editor replaces the listing
    mounts = web.evaluate("() => window.__standin.mounts.length")
    frame = web.evaluate(f"() => {{ const f = document.querySelector('{root} iframe'); f.contentWindow.__same = 1;"
                         " return Array.from(document.querySelectorAll('iframe')).indexOf(f); }")
    [editable] = [m for m in web.evaluate(RECORD)["mounts"] if "editable original" in m["options"]["files"]["streamlit_app.py"]]
    assert editable["options"]["streamlitConfig"]["server.runOnSave"] is True

    edited = 'import streamlit as st\nst.write("edited once")\n'
    web.evaluate(SET_CODE, [root, None, edited])
    web.click(f"{root} button.stlite-docs-run-code", text="Run")
    _say(web, 3, "Ran your code.")
    assert [(w["path"], w["data"]) for w in web.evaluate(RECORD)["writes"]] == [("streamlit_app.py", edited)]
    web.wait_for_text("edited once", frame=("iframe", frame))
    assert web.evaluate("(i) => document.querySelectorAll('iframe')[i].contentWindow.__same", frame) == 1
    assert web.evaluate("() => window.__standin.mounts.length") == mounts

    # Ctrl+Enter in the editor runs; Esc then Tab leaves it (no keyboard trap: test_editor.py).
    again = 'import streamlit as st\nst.write("edited twice")\n'
    web.evaluate(SET_CODE, [root, None, again])
    web.press("Control+Enter", editor)
    web.wait_for_text("edited twice", frame=("iframe", frame))
    _say(web, 3, "Ran your code.")
    assert web.evaluate(CODE, [root, None]) == again  # no newline typed
    web.press("Escape", editor)
    web.press("Tab")
    web.wait_for("(s) => !document.querySelector(s).contains(document.activeElement)", root + " .cm-editor")

    web.click(f"{root} button.stlite-docs-run-code", text="Run")
    _say(web, 3, "Nothing changed since the last run.")
    web.click(f"{root} button.stlite-docs-reset-code", text="Reset")
    _say(web, 3, "Restored the original code.")
    web.wait_for_text("editable original", frame=("iframe", frame))
    writes = [w["data"] for w in web.evaluate(RECORD)["writes"]]
    assert writes == [edited, again, 'import streamlit as st\nst.write("editable original")\n']
    assert web.evaluate("() => window.__standin.reruns") == 3
    assert web.evaluate("() => window.__standin.mounts.length") == mounts


def test_run_before_the_app_runs_boots_it_with_the_edited_code(page):
    web = page
    root = f"{MOUNT}.codeview-below:has(.stlite-docs-run-code)"
    assert web.evaluate(f"() => document.querySelector('{root}').dataset.state") == "click"
    edited = 'import streamlit as st\nst.write("edited before the boot")\n'
    web.evaluate(SET_CODE, [root, None, edited])
    web.click(f"{root} button.stlite-docs-run-code", text="Run")
    web.wait_for(f"() => document.querySelector('{root}').dataset.state === 'running'")
    last = web.evaluate(RECORD)["mounts"][-1]["options"]
    assert last["files"]["streamlit_app.py"] == edited
    assert web.evaluate(RECORD)["writes"] == []


def test_share_link_encodes_the_app_and_says_it_leaves_the_page(page):
    web = page
    link = f"{MOUNT}.codeview-tabs a.stlite-docs-share-link"
    attrs = web.evaluate("(s) => { const a = document.querySelector(s); return [a.target, a.rel, a.textContent,"
                         " document.getElementById(a.getAttribute('aria-describedby')).textContent]; }", link)
    assert attrs == ["_blank", "noopener noreferrer", "Open in stlite sharing",
                     " (opens share.stlite.net in a new tab and sends it this app's code)"]
    href = web.evaluate("(s) => document.querySelector(s).href", link)
    base, fragment = href.split("#", 1)
    assert base == "https://share.stlite.net/"
    app = decode(fragment)
    assert app["entrypoint"] == "streamlit_app.py" and app["requirements"] == []
    assert app["files"] == {"streamlit_app.py": 'import streamlit as st\nfrom helpers import double\nst.write("tabs", double(2))\n',
                            "helpers.py": "def double(x):\n    return 2 * x\n"}
    # Following it: the attached data.csv (this site's own file) goes too; nothing else is fetched.
    web.evaluate("() => { window.__opened = []; window.open = (...args) => { window.__opened.push(args); return null; }; }")
    web.click(link, text="Open in stlite sharing")
    web.wait_for("() => window.__opened.length === 1")
    url, target, features = web.evaluate("() => window.__opened[0]")
    assert (target, features) == ("_blank", "noopener")
    shared = decode(url.split("#", 1)[1])
    assert bytes(shared["files"]["data.csv"]).startswith(b"a,b\n")
    assert set(shared["files"]) == {"streamlit_app.py", "helpers.py", "data.csv"}
    # An editable app's link carries the reader's edits.
    root = f"{MOUNT}.codeview-above:has(.stlite-docs-run-code)"
    web.evaluate(SET_CODE, [root, None, "print('shared edit')\n"])
    web.evaluate("(s) => document.querySelector(s).focus()", f"{root} a.stlite-docs-share-link")
    edited = web.evaluate("(s) => document.querySelector(s).href", f"{root} a.stlite-docs-share-link")
    assert decode(edited.split("#", 1)[1])["files"] == {"streamlit_app.py": "print('shared edit')\n"}
    assert urlsplit(edited).netloc == "share.stlite.net"


def test_paused_and_resumed_apps_keep_their_edits(standin_site, web):
    _open(web, standin_site + "codeview-budget.html", 1)  # :stlite-max-live-apps: 1
    first, second = _nth(0), _nth(1)
    edited = 'import streamlit as st\nst.write("edited, then paused")\n'
    web.evaluate(SET_CODE, [first, None, edited])
    web.click(f"{first} button.stlite-docs-run-code", text="Run")
    web.wait_for_text("edited, then paused", frame=("iframe", 0))
    web.click(f"{second} button.stlite-docs-run", text="Run app")
    _wait_state(web, 0, "paused")
    _wait_state(web, 1, "running")
    assert web.evaluate(CODE, [first, None]) == edited
    web.click(f"{first} button.stlite-docs-resume", text="Resume")
    _wait_state(web, 0, "running")
    assert web.evaluate(RECORD)["mounts"][-1]["options"]["files"]["streamlit_app.py"] == edited
    web.wait_for_text("edited, then paused", frame=("iframe", 0))


def test_material_tabs_and_editor(material_site, web):
    material_site.gate.reset()
    _open(web, material_site + "codeview/", 2)
    web.press("ArrowRight", f"{MOUNT} [role=tab]")
    web.wait_for("() => document.activeElement?.textContent === 'Code'")
    assert "tabs" in web.evaluate(TEXT, f"{MOUNT} [role=tabpanel]:not([hidden]) pre")
    assert web.evaluate(COUNT, f"{MOUNT} a.stlite-docs-share-link") == 1
    root = f"{MOUNT}.codeview-below"
    # Material centres a figure's text: the editor's code and its hint still start at the left.
    web.wait_for(HAS_CODE_EDITOR, root)
    lefts = web.evaluate("""(root) => { const box = document.querySelector(root + ' .stlite-docs-codeview').getBoundingClientRect();
      const range = document.createRange(); const starts = [];
      for (const el of document.querySelectorAll(root + ' .cm-line, ' + root + ' .stlite-docs-editor-hint')) {
        range.selectNodeContents(el); const text = range.getClientRects()[0]; if (text) starts.push(text.left - box.left); }
      return starts; }""", root)
    assert lefts and max(lefts) < 80, lefts  # after the line numbers, never centred in a 600+ px box
    web.evaluate(SET_CODE, [root, None, 'import streamlit as st\nst.write("edited in mkdocs")\n'])
    web.click(f"{root} button.stlite-docs-run-code", text="Run")
    web.wait_for_text("edited in mkdocs", frame=("iframe", 1))
    assert [w["path"] for w in web.evaluate(RECORD)["writes"]] == ["streamlit_app.py"]
