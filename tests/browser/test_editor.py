"""The code editor of editable apps (editor.js: CodeMirror 6 from assets/stlite-docs/vendor/) and
the side-by-side code views (show-code: left | right), in Chromium, Firefox and WebKit, with the
recording stand-in for stlite (it records controller.writeFile and reruns under runOnSave).

The keyboard is driven for real: typing, Tab and Shift+Tab, Esc then Tab, Ctrl+Enter."""

from __future__ import annotations

import pytest

MOUNT = "[data-stlite-docs]"
FIRST, SECOND, THIRD, FOURTH = (f"{MOUNT}:nth-of-type({n})" for n in (1, 2, 3, 4))
RECORD = "() => window.__standin"
EDITORS = "(root) => document.querySelectorAll(root + ' .cm-editor').length"
# An editor's text, as the code view holds it (what Run writes).
VALUE = """([root, path]) => { const box = document.querySelector(root);
  return window.stliteDocs.apps.find((app) => app.root === box).codeView.editors.get(path).value; }"""
CONTENT = ".cm-content"
STATUS = "(root) => document.querySelector(root + ' .stlite-docs-codeview-status').textContent"
IN_EDITOR = "(root) => !!document.activeElement?.closest(root + ' .cm-editor')"


def _open(web, url, running):
    web.open(url)
    web.wait_for(f"(n) => document.querySelectorAll('{MOUNT}[data-state=running]').length === n", running)
    web.wait_for(f"() => document.querySelectorAll('{MOUNT} .cm-editor').length > 0")


@pytest.fixture
def editor_page(standin_site, web):
    """editor.html: two files with the code on the left, one file on the right, a listing on the
    left, an editor in App / Code tabs."""
    _open(web, standin_site + "editor.html", 4)
    return web


def _value(web, root, path="streamlit_app.py"):
    return web.evaluate(VALUE, [root, path])


def test_the_editor_replaces_the_text_fields_and_highlights_python(editor_page):
    web = editor_page
    assert web.evaluate(EDITORS, FIRST) == 2 and web.evaluate(EDITORS, SECOND) == 1
    assert web.evaluate(EDITORS, THIRD) == 0  # not editable: the build's listing
    assert web.evaluate("(s) => document.querySelectorAll(s).length", f"{MOUNT} textarea") == 0
    # Line numbers, and Python's keywords and strings in their own colours.
    gutter = web.evaluate("(s) => Array.from(document.querySelectorAll(s)).filter((e) =>"
                          " getComputedStyle(e).visibility !== 'hidden').map((e) => e.textContent)",
                          f"{SECOND} .cm-lineNumbers .cm-gutterElement")
    assert gutter == ["1", "2", "3"]
    colours = web.evaluate("""(root) => { const spans = document.querySelectorAll(root + ' .cm-line span');
      const of = (text) => Array.from(spans).find((s) => s.textContent === text);
      return [of('import'), of('"right original"')].map((s) => s && getComputedStyle(s).color); }""", SECOND)
    text = web.evaluate("(s) => getComputedStyle(document.querySelector(s)).color", f"{SECOND} .cm-content")
    assert None not in colours and len({*colours, text}) == 3, (colours, text)
    # Named by its file, described by the keyboard hint; the code view is a labelled group.
    names = web.evaluate("""(s) => { const c = document.querySelector(s);
      return [document.getElementById(c.getAttribute('aria-labelledby')).textContent,
              document.getElementById(c.getAttribute('aria-describedby')).textContent,
              c.getAttribute('role'), c.getAttribute('aria-multiline')]; }""", f"{SECOND} {CONTENT}")
    assert names[0] == "streamlit_app.py"
    assert "Esc, then Tab" in names[1] and "Enter runs the code" in names[1]
    assert names[2:] == ["textbox", "true"]


def test_typing_tab_indents_and_ctrl_enter_runs(editor_page):
    web = editor_page
    root, content = SECOND, f"{SECOND} {CONTENT}"
    frame = ("iframe", 1)
    mounts = web.evaluate("() => window.__standin.mounts.length")
    web.press("Control+End", content)
    # "/" and "s" are shortcuts of Sphinx's page (search): typed here, they are code.
    web.type("st.write('typed', 6 / 3)", content)
    web.press("Enter")
    web.press("Tab")
    assert _value(web, root).endswith("st.write('typed', 6 / 3)\n    ")
    web.press("Shift+Tab")
    assert _value(web, root).endswith("st.write('typed', 6 / 3)\n")
    web.type("x = 1")
    web.press("Home")
    web.press("Tab")  # at the start of a line: indents it
    assert _value(web, root).endswith("\n    x = 1")
    web.press("Shift+Tab")
    assert web.evaluate(IN_EDITOR, root)
    web.press("Control+Enter")
    edited = "import streamlit as st\nst.write(\"right original\")\nst.write('typed', 6 / 3)\nx = 1"
    web.wait_for("(n) => (window.__standin.writes || []).length === n", 1)
    assert [(w["path"], w["data"]) for w in web.evaluate(RECORD)["writes"]] == [("streamlit_app.py", edited)]
    web.wait_for_text("st.write('typed', 6 / 3)", frame=frame)
    web.wait_for(f"(root) => ({STATUS})(root) === 'Ran your code.'", root)
    assert _value(web, root) == edited  # Ctrl+Enter typed no new line
    assert web.evaluate("() => window.__standin.mounts.length") == mounts  # no reboot
    # Reset brings the page's code back, as one change that Ctrl+Z undoes.
    web.click(f"{root} button.stlite-docs-reset-code", text="Reset")
    web.wait_for_text("right original", frame=frame)
    assert _value(web, root) == 'import streamlit as st\nst.write("right original")\n'
    web.press("Control+z", content)
    assert _value(web, root) == edited


def test_escape_then_tab_leaves_the_editor(editor_page):
    web = editor_page
    root, content = FIRST, f"{FIRST} .stlite-docs-editor-file:not([hidden]) {CONTENT}"  # code left of its app
    before = _value(web, root)
    web.press("Control+Home", content)
    web.press("Tab")
    assert web.evaluate(IN_EDITOR, root) and _value(web, root) == "    " + before  # Tab indents
    web.press("Escape")
    web.press("Tab")
    # Focus went on to what follows the editor: out of the code view, into the app's column.
    web.wait_for(f"(root) => !({IN_EDITOR})(root)", root)
    after = web.evaluate("""(root) => { const editor = document.querySelector(root + ' .cm-editor');
      const now = document.activeElement;
      return [!!(editor.compareDocumentPosition(now) & Node.DOCUMENT_POSITION_FOLLOWING), now.tagName]; }""", root)
    assert after == [True, "IFRAME"], after
    assert _value(web, root) == "    " + before  # the Tab that left typed nothing
    # Backwards: Esc, then Shift+Tab, goes to what comes before: the file's tab.
    web.press("Escape", content)
    web.press("Shift+Tab")
    web.wait_for("() => document.activeElement?.textContent === 'streamlit_app.py'")
    # Esc alone changes nothing: a Tab after a while (2 s) indents again.
    web.press("Control+Home", content)
    web.press("Escape")
    web.evaluate("() => new Promise((done) => setTimeout(done, 2300))")
    web.press("Tab")
    assert web.evaluate(IN_EDITOR, root) and _value(web, root) == "        " + before


def test_an_editor_in_the_code_tab(editor_page):
    """Made while its tab panel is hidden, it is measured when shown: its line numbers stand by
    their lines; Run (Ctrl+Enter) shows the App tab with the new code."""
    web = editor_page
    web.press("ArrowRight", f"{FOURTH} [role=tab]")
    web.wait_for("() => document.activeElement?.textContent === 'Code'")
    web.wait_for("""(root) => { const tops = (s) => Array.from(document.querySelectorAll(root + ' ' + s),
        (e) => Math.round(e.getBoundingClientRect().top)).filter((top, i, all) => all.indexOf(top) === i);
      const lines = tops('.cm-line'), numbers = tops('.cm-lineNumbers .cm-gutterElement').slice(-lines.length);
      return lines.length === 3 && lines.every((top, i) => Math.abs(top - numbers[i]) <= 1); }""", FOURTH)
    assert web.evaluate("(s) => document.querySelector(s).tabIndex", f"{FOURTH} [role=tabpanel]:not([hidden])") == -1
    web.press("Control+End", f"{FOURTH} {CONTENT}")
    web.type("st.write('in a tab')")
    web.press("Control+Enter")
    web.wait_for("() => document.activeElement?.textContent === 'App'")
    web.wait_for_text("st.write('in a tab')", frame=("iframe", 3))
    assert web.evaluate(RECORD)["writes"][0]["data"].endswith("st.write('in a tab')")


def test_one_tab_per_file(editor_page):
    web = editor_page
    tabs = f"{FIRST} [role=tablist].stlite-docs-editor-files"
    state = """(tabs) => Array.from(document.querySelectorAll(tabs + ' [role=tab]'), (t) => {
      const panel = document.getElementById(t.getAttribute('aria-controls'));
      return [t.textContent, t.getAttribute('aria-selected'), t.tabIndex, panel.hidden,
              panel.getAttribute('aria-labelledby') === t.id, !!panel.querySelector('.cm-editor')]; })"""
    assert web.evaluate("(s) => document.querySelector(s).getAttribute('aria-label')", tabs) == (
        "Live app: Two files, code on the left: files")
    assert web.evaluate(state, tabs) == [["streamlit_app.py", "true", 0, False, True, True],
                                         ["helpers.py", "false", -1, True, True, True]]
    web.press("ArrowRight", f"{tabs} [role=tab]")
    web.wait_for("() => document.activeElement?.textContent === 'helpers.py'")
    assert web.evaluate(state, tabs)[1][1:4] == ["true", 0, False]
    web.press("Tab")  # from the selected tab into its file's editor
    web.wait_for(f"(root) => ({IN_EDITOR})(root)", FIRST)
    web.press("Control+End")
    web.type("# helped")
    web.press("Control+Enter")
    web.wait_for("() => (window.__standin.writes || []).length === 1")
    [write] = web.evaluate(RECORD)["writes"]
    assert (write["path"], write["data"]) == ("helpers.py", "def double(x):\n    return 2 * x\n# helped")
    web.press("Home", f"{tabs} [role=tab][aria-selected=true]")
    web.wait_for("() => document.activeElement?.textContent === 'streamlit_app.py'")
    assert web.evaluate(state, tabs)[0][1:4] == ["true", 0, False]


# Relative luminance and contrast ratio (WCAG 2), of CSS colours as computed ("rgb(r, g, b)").
CONTRAST = """(root) => {
  const rgb = (css) => css.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (css) => { const [r, g, b] = rgb(css).map((c) => { c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const editor = document.querySelector(root + ' .cm-editor');
  const bg = getComputedStyle(editor).backgroundColor;
  const texts = [editor.querySelector('.cm-content'), ...editor.querySelectorAll('.cm-line span, .cm-gutterElement')];
  const ratios = texts.filter((e) => e.textContent.trim()).map((e) => [e.textContent, ratio(getComputedStyle(e).color, bg)]);
  return {bg: lum(bg), scheme: editor.closest('.stlite-docs-codeview').dataset.scheme, worst: ratios.sort((a, b) => a[1] - b[1])[0],
          tokens: new Set(Array.from(editor.querySelectorAll('.cm-line span'), (e) => getComputedStyle(e).color)).size};
}"""


def test_editor_colours_are_readable_light_and_dark(editor_page):
    web = editor_page
    light = web.evaluate(CONTRAST, FIRST)
    assert light["scheme"] == "light" and light["bg"] > 0.8
    assert light["worst"][1] >= 4.5, light
    # The page turns dark (as pydata and Furo mark it): the editors follow, without a reload.
    web.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    web.wait_for(f"() => document.querySelector('{FIRST} .stlite-docs-codeview').dataset.scheme === 'dark'")
    dark = web.evaluate(CONTRAST, FIRST)
    assert dark["bg"] < 0.05 and dark["worst"][1] >= 4.5, dark
    assert dark["tokens"] >= 3  # still highlighted: keywords, strings, names in their colours
    web.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
    web.wait_for(f"() => document.querySelector('{FIRST} .stlite-docs-codeview').dataset.scheme === 'light'")


def _boxes(web, root):
    return web.evaluate("""(root) => { const box = (s) => { const r = document.querySelector(root + ' ' + s).getBoundingClientRect();
      return [Math.round(r.left), Math.round(r.top), Math.round(r.width), Math.round(r.bottom)]; };
      return {box: box('').slice(0, 3), code: box('.stlite-docs-codeview'), app: box('.stlite-docs-split-app')}; }""".replace(
        "root + ' ' + s", "s ? root + ' ' + s : root"), root)


@pytest.mark.parametrize("width", [1200, 390])
def test_side_by_side_in_a_wide_box_stacked_in_a_narrow_one(standin_site, engine, width):
    web = engine.new_driver(width, 900)
    try:
        _open(web, standin_site + "editor-wide.html", 2)
        for root, side in ((FIRST, "left"), (SECOND, "right")):
            b = _boxes(web, root)
            (left, _, width_), code, app = b["box"], b["code"], b["app"]
            if width == 1200:  # a 1100 px box: two columns, as wide as each other, side by side
                assert abs(code[1] - app[1]) <= 1 and abs(code[2] - app[2]) <= 2, b
                assert abs(code[2] + app[2] - width_) <= 4, b
                first, second = (code, app) if side == "left" else (app, code)
                assert abs(first[0] - left) <= 2 and abs(second[0] - (first[0] + first[2])) <= 2, b
            else:  # a phone: the code above the app, both the box's width
                assert code[3] <= app[1] + 1 and abs(code[2] - app[2]) <= 2 and code[2] >= width_ - 4, b
        # An editor at 390 px is still a usable one: its code fits the phone's width, nothing
        # of the page scrolls sideways.
        assert web.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        web.close()


def test_stacked_in_a_narrow_column_of_a_wide_screen(standin_site, engine):
    """The box's width decides, not the viewport's: alabaster's 660 px column at 1200 px."""
    web = engine.new_driver(1200, 900)
    try:
        _open(web, standin_site + "editor.html", 4)
        for root in (FIRST, SECOND, THIRD):
            b = _boxes(web, root)
            assert b["box"][2] < 900 and b["code"][3] <= b["app"][1] + 1, b
    finally:
        web.close()


def test_pages_without_an_editable_app_never_fetch_the_editor(standin_site, web):
    web.open(standin_site + "no-editor.html")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT}[data-state=running]').length === 2")
    web.settle()
    fetched = web.resources() + (web.requests() or []) + standin_site.gate.requested("/")
    assert any("codeview.js" in url for url in fetched)  # the code views came
    assert not [url for url in fetched if "editor.js" in url or "codemirror" in url]
    # The editor's page fetches it, once, from the site itself.
    standin_site.gate.reset()
    _open(web, standin_site + "editor.html", 4)
    assert standin_site.gate.requested("/vendor/codemirror.js") == ["/_static/stlite-docs/vendor/codemirror.js"]


@pytest.mark.allow_console_errors
def test_text_fields_where_the_editor_cannot_load(standin_site, web):
    standin_site.gate.control("/_static/stlite-docs/vendor/codemirror.js", "404")
    web.open(standin_site + "editor.html")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT}[data-state=running]').length === 4")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT} textarea').length === 4")
    web.settle()
    assert web.evaluate(EDITORS, MOUNT) == 0
    hint = web.evaluate("(s) => document.getElementById(document.querySelector(s).getAttribute('aria-describedby')).textContent",
                        f"{SECOND} textarea")
    assert hint.endswith("Enter runs the code.") and "Esc" not in hint  # a text field never traps Tab
    web.evaluate("(s) => { const t = document.querySelector(s); t.focus(); t.setSelectionRange(t.value.length, t.value.length); }",
                 f"{SECOND} textarea")
    web.type("st.write('plain')", f"{SECOND} textarea")
    web.press("Control+Enter")
    web.wait_for_text("st.write('plain')", frame=("iframe", 1))
    assert web.evaluate(RECORD)["writes"][0]["data"].endswith("st.write('plain')")
    web.press("Tab")
    assert web.evaluate("(s) => document.activeElement !== document.querySelector(s)", f"{SECOND} textarea")
    # The editor, when it loads, takes the text field's place at its height: nothing below moves.
    heights = "(sel) => Array.from(document.querySelectorAll(sel), (e) => Math.round(e.getBoundingClientRect().height))"
    fields = web.evaluate(heights, f"{MOUNT} .stlite-docs-editor-file:not([hidden]) textarea")
    standin_site.gate.reset()
    _open(web, standin_site + "editor.html", 4)
    web.wait_for("() => document.querySelectorAll('.cm-editor').length === 4")
    editors = web.evaluate(heights, f"{MOUNT} .stlite-docs-editor-file:not([hidden]) .cm-editor")
    assert len(fields) == 3 and all(abs(a - b) <= 2 for a, b in zip(fields, editors)), (fields, editors)
