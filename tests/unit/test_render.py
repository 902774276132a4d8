"""stlite_docs.core.render: the mount point and the invalid-block notice, read back with the standard
library's HTML parser the way a browser would, including a property test over any app text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stlite_docs.core.app import SourceTree, build_app
from stlite_docs.core.previews import preview_key
from stlite_docs.core.render import render_invalid, render_mount
from stlite_docs.core.settings import SiteSettings
from stlite_docs.core.spec import App, AppFile

DEFAULTS = SiteSettings.from_raw({})
ANY_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)))  # every str but lone surrogates


# ----------------------------------------------------------------------------- an HTML reader
@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)
    text: str = ""  # all text inside, descendants included

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def find_all(self, tag: str) -> list[Element]:
        found = []
        for child in self.children:
            if child.tag == tag:
                found.append(child)
            found.extend(child.find_all(tag))
        return found


class Reader(HTMLParser):
    """Builds an element tree and records anything a template must never produce."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.current = self.root
        self.start_tags: list[str] = []
        self.tags_inside_script: list[str] = []
        self.script_raw: list[str] = []  # the raw text of each script element
        self.comments: list[str] = []
        self.mismatched: list[str] = []

    def handle_starttag(self, tag, attrs):
        if self.current.tag == "script":
            self.tags_inside_script.append(tag)
        self.start_tags.append(tag)
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        self.current = element
        if tag == "script":
            self.script_raw.append("")

    def handle_endtag(self, tag):
        if self.current.tag != tag:
            self.mismatched.append(tag)
            return
        self.current = self.current.parent

    def handle_data(self, data):
        if self.current.tag == "script":
            self.script_raw[-1] += data
        node = self.current
        while node is not None:
            node.text += data
            node = node.parent

    def handle_comment(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.comments.append(decl)

    def handle_pi(self, data):
        self.comments.append(data)

    def unknown_decl(self, data):
        self.comments.append(data)


def read(html: str) -> Reader:
    reader = Reader()
    reader.feed(html)
    reader.close()
    assert reader.current is reader.root, "an element was left open"
    assert reader.mismatched == [] and reader.comments == []
    return reader


def strict_json(text: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def mount_parts(html: str):
    """The figure, its spec script and the spec, checking the contract's structure."""
    reader = read(html)
    [figure] = reader.root.children
    assert figure.tag == "figure" and figure.classes == ["stlite-docs"]
    assert reader.start_tags.count("script") == 1 and reader.tags_inside_script == []
    script = figure.children[0]
    assert script.tag == "script" and script.attrs == {"type": "application/json", "class": "stlite-docs-spec"}
    [raw] = reader.script_raw
    # nothing a browser would read differently: no markup, no entity, no character it rewrites
    assert not any(c in raw for c in "<>&'\r\0")
    wrapped = strict_json(raw)
    assert isinstance(wrapped, list) and len(wrapped) == 1
    return reader, figure, wrapped[0]


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture
def tree(tmp_path) -> SourceTree:
    return SourceTree(tmp_path, tmp_path)


@pytest.fixture(scope="module")
def file_tree(tmp_path_factory) -> SourceTree:
    root = tmp_path_factory.mktemp("render_files")
    return SourceTree(root, root)


# ----------------------------------------------------------------------------- render_mount
def test_mount_round_trips_the_spec(tree):
    (tree.root_dir / "data.csv").write_text("a\n1\n")
    body = (
        "#| files: data.csv\n\nimport streamlit as st\nst.write('</script><!-- &amp; \\'q\\' \"d\"')\n## file: b.py\nB = '<b>'\n"
    )
    app = build_app(body, {"caption": "A \"b\" <c> & 'd'", "name": "n-1", "height": "30em", "load": "click"}, DEFAULTS, tree).app
    for page in ("", "x/y.html", "x/y/", "#document-z"):
        html = render_mount(app, page)
        reader, figure, spec = mount_parts(html)
        assert spec == app.to_spec(page)
        assert figure.attrs == {
            "class": "stlite-docs",
            "id": "n-1",
            "data-stlite-docs": "1",
            "data-load": "click",
            "data-height": "30em",
            "data-preview-key": preview_key(app),
            "data-preview-schemes": "light dark",
        }
        [caption] = figure.find_all("figcaption")
        assert caption.attrs == {"class": "stlite-docs-caption"}
        assert caption.text == "A \"b\" <c> & 'd'"
    # the caption is never raw markup in the page
    assert "<c>" not in html and 'A "b"' not in html


def test_mount_without_caption_or_name(tree):
    app = build_app("x = 1\n", {}, DEFAULTS, tree).app
    reader, figure, spec = mount_parts(render_mount(app, "a.html"))
    assert "id" not in figure.attrs
    assert figure.find_all("figcaption") == []
    assert [c.tag for c in figure.children] == ["script", "div"]
    assert spec["title"] == "Live Streamlit app"


def test_mount_children_and_no_js_view(tree):
    code = "import streamlit as st\nst.write('<i>x</i> &amp;')\n"
    app = build_app(code, {"caption": "C"}, DEFAULTS, tree).app
    reader, figure, spec = mount_parts(render_mount(app, ""))
    assert [c.tag for c in figure.children] == ["script", "div", "figcaption"]
    source = figure.children[1]
    assert source.classes == ["stlite-docs-source"]
    [pre] = source.find_all("pre")
    assert pre.text == code  # Pygments escaped it; the reader gets the code back
    assert "i" not in reader.start_tags  # the code's markup is text


def test_spec_json_has_sorted_keys_and_is_deterministic(tree):
    app = build_app("x = 1\n", {"config": "{theme.base: dark, client.toolbarMode: minimal}"}, DEFAULTS, tree).app
    html = render_mount(app, "a/b.html")
    assert html == render_mount(app, "a/b.html")
    [raw] = read(html).script_raw
    keys = list(strict_json(raw)[0])
    assert keys == sorted(keys)


def test_mount_for_a_directly_built_app():
    app = App(
        entrypoint="app.py",
        files=(AppFile("app.py", text="</script>"), AppFile("d.bin", site_path="_s/d.bin")),
        requirements=("numpy",),
        stlite_url="_static/stlite/",
        code="</script>",
    )
    reader, figure, spec = mount_parts(render_mount(app, "a/b/"))
    assert spec["files"] == {"app.py": {"text": "</script>"}, "d.bin": {"url": "../../_s/d.bin"}}
    assert spec["stliteUrl"] == "../../_static/stlite/"


def test_spec_is_strict_json_even_for_odd_config(tree):
    """Config values that JSON or HTML treat specially reach the spec as strict JSON; a value
    JSON cannot hold (NaN) is refused at its line instead of writing a spec no browser reads."""
    body = '#| config: {theme.font: "</script>\\u2028", theme.baseRadius: 1.0e+300, server.port: -0}\nx = 1\n'
    result = build_app(body, {}, DEFAULTS, tree)
    assert result.app is not None, result.problems
    [raw] = read(render_mount(result.app, "")).script_raw
    assert strict_json(raw)[0]["config"]["theme.font"] == "</script>\u2028"
    [problem] = build_app("#| config: {theme.baseRadius: .nan}\nx = 1\n", {}, DEFAULTS, tree).problems
    assert (problem.kind, problem.line) == ("option", 1) and "theme.baseRadius" in problem.message


# ----------------------------------------------------------------------------- properties
@settings(max_examples=200, deadline=None)
@given(code=ANY_TEXT)
def test_any_file_text_reaches_the_spec_byte_for_byte(file_tree, code):
    """Whatever the app file holds (</script>, <!--, &amp;, quotes, NUL, U+2028, any unicode), the
    parsed page has the same structure and the spec carries the exact text."""
    path = file_tree.root_dir / "data.txt"  # not .py: any text is a valid app file
    path.write_bytes(code.encode("utf-8"))
    result = build_app("", {}, DEFAULTS, file_tree, entry_file="data.txt")
    assert result.problems == []
    reader, figure, spec = mount_parts(render_mount(result.app, "a/b.html"))
    assert spec == result.app.to_spec("a/b.html")
    assert spec["entrypoint"] == "data.txt"
    assert spec["files"]["data.txt"]["text"] == code
    assert spec["files"]["data.txt"]["text"].encode("utf-8") == path.read_bytes()
    assert set(reader.start_tags) <= {"figure", "script", "div", "pre", "span"}


@settings(max_examples=200, deadline=None)
@given(caption=ANY_TEXT.filter(lambda s: s.strip()))
def test_any_caption_is_text(file_tree, caption):
    app = build_app("x = 1\n", {"caption": caption}, DEFAULTS, file_tree).app
    reader, figure, spec = mount_parts(render_mount(app, ""))
    [figcaption] = figure.find_all("figcaption")
    assert figcaption.text == caption.strip()
    assert figcaption.children == []
    assert spec["title"] == f"Live app: {caption.strip()}"


# ----------------------------------------------------------------------------- render_invalid
def test_invalid_shows_escaped_messages_then_the_code():
    messages = ["bad <b>thing</b> & 'x'", 'option "height" is <wrong>']
    code = "#| height: <b>\nx = '<i>' & 1\n"
    html = render_invalid(messages, code)
    reader = read(html)
    [box] = reader.root.children
    assert box.tag == "div" and box.classes == ["stlite-docs", "stlite-docs-invalid"]
    assert "data-stlite-docs" not in box.attrs  # the loader never sees it
    assert "script" not in reader.start_tags and "b" not in reader.start_tags and "i" not in reader.start_tags
    notice, source = box.children
    assert notice.classes == ["stlite-docs-error"] and notice.attrs.get("role") == "note"
    assert [li.text for li in notice.find_all("li")] == messages
    assert source.classes == ["stlite-docs-source"]
    [pre] = source.find_all("pre")
    assert pre.text == code
    assert "<b>thing" not in html and "&lt;b&gt;thing&lt;/b&gt;" in html


def test_invalid_without_messages():
    reader = read(render_invalid([], "x\n"))
    assert reader.root.find_all("li") == []


def test_invalid_for_a_real_build(tree):
    result = build_app("#| height: 50%\n\nx = '<script>'\n", {}, DEFAULTS, tree)
    assert result.app is None
    reader = read(render_invalid([p.message for p in result.problems], result.code))
    [li] = reader.root.find_all("li")
    assert li.text == ("option 'height' must be 'auto' or a positive CSS length such as 400px, 30em or 60vh; got '50%'")
    [pre] = reader.root.find_all("pre")
    assert pre.text == "#| height: 50%\n\nx = '<script>'\n"
    assert "script" not in reader.start_tags
