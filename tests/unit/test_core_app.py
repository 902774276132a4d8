"""build_app: options, files, syntax checks, publishing, rendering; and the escaping property."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stlite_docs import __version__
from stlite_docs.core.app import SourceTree, build_app
from stlite_docs.core.render import render_invalid, render_mount
from stlite_docs.core.settings import SiteSettings
from stlite_docs.runtime.pins import load_pins
from stlite_docs.core.spec import AppSpec
from support.html import scan

SETTINGS = SiteSettings.from_raw({"requirements": ["numpy"], "height": "500px", "load": "eager"})
ASSETS = Path(__file__).resolve().parents[2] / "assets" / "stlite-docs"


@pytest.fixture
def tree(tmp_path) -> SourceTree:
    (tmp_path / "docs" / "apps").mkdir(parents=True)
    return SourceTree(base_dir=tmp_path / "docs", root_dir=tmp_path / "docs")


def test_happy_path_spec(tree):
    result = build_app("#| requirements: numpy>=2, altair\n\nimport streamlit as st\n## file: b.py\nB = 1\n",
                       {"caption": "Hi"}, SETTINGS, tree)
    assert result.problems == []
    spec = result.app.to_spec("guide/page.html")
    assert spec == {
        "version": 1, "generator": __version__, "entrypoint": "streamlit_app.py",
        "files": {"streamlit_app.py": {"text": "import streamlit as st\n"}, "b.py": {"text": "B = 1\n"}},
        "requirements": ["numpy>=2", "altair"], "config": {}, "height": "500px", "maxHeight": "80vh", "load": "eager",
        "title": "Live app: Hi", "stliteUrl": "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/",
        "pyodideUrl": None,
        "stliteIntegrity": load_pins()["stlite"]["integrity"],
        "theme": "auto", "maxLiveApps": 3, "concurrency": 1,
        "showCode": "none", "editable": False, "shareUrl": None, "runtime": "isolated",
    }


def test_a_missing_last_newline_is_added_so_front_ends_agree(tree):
    with_newline = build_app("x = 1\n", {}, SETTINGS, tree).app
    without = build_app("x = 1", {}, SETTINGS, tree).app
    assert with_newline.to_spec("") == without.to_spec("")


def test_option_in_two_places(tree):
    [problem] = build_app("#| height: 300\nx = 1\n", {"height": "200"}, SETTINGS, tree).problems
    assert problem.line == 1 and "given twice" in problem.message


def test_syntax_errors_map_to_body_lines(tree):
    body = "#| height: 300\n\nimport streamlit as st\nx = (\n## file: b.py\nok = 1\ndef f(:\n"
    problems = build_app(body, {}, SETTINGS, tree).problems
    assert [(p.kind, p.line) for p in problems] == [("syntax", 4), ("syntax", 7)]
    assert problems[1].message.startswith("Python syntax error in b.py, line 2")


def test_top_level_await_is_allowed(tree):
    assert build_app("import asyncio\nawait asyncio.sleep(0)\n", {}, SETTINGS, tree).problems == []


def test_entry_from_a_file(tree):
    app_file = tree.root_dir / "apps" / "demo.py"
    app_file.write_bytes("import streamlit as st\r\nst.write('é')".encode())
    seen = []
    result = build_app("#| height: 300\n", {}, SETTINGS, tree, entry_file="apps/demo.py", on_dependency=seen.append)
    assert result.problems == [] and seen == [app_file.resolve()]
    assert result.app.entrypoint == "demo.py"
    assert result.app.to_spec("")["files"]["demo.py"]["text"] == "import streamlit as st\r\nst.write('é')"


def test_entry_file_problems(tree, tmp_path):
    (tree.root_dir / "apps" / "bad.py").write_text("x = (\n")
    [problem] = build_app("", {}, SETTINGS, tree, entry_file="apps/bad.py").problems
    assert (problem.path, problem.line, problem.kind) == ("apps/bad.py", 1, "syntax")
    [problem] = build_app("x = 1\n", {}, SETTINGS, tree, entry_file="apps/bad.py").problems[:1]
    assert problem.kind == "content" and problem.line == 1
    assert "not found" in build_app("", {}, SETTINGS, tree, entry_file="nope.py").problems[0].message
    (tmp_path / "outside.py").write_text("x = 1\n")
    assert "outside the source directory" in build_app("", {}, SETTINGS, tree, entry_file="../outside.py").problems[0].message
    (tree.root_dir / "link.py").symlink_to(tmp_path / "outside.py")
    assert "outside the source directory" in build_app("", {}, SETTINGS, tree, entry_file="link.py").problems[0].message
    (tree.root_dir / "latin1.py").write_bytes(b"x = '\xe9'\n")
    assert "not UTF-8" in build_app("", {}, SETTINGS, tree, entry_file="latin1.py").problems[0].message


def test_attachments_are_content_addressed(tree):
    data = tree.root_dir / "data.csv"
    data.write_text("a\n1\n")
    first = build_app("x = 1\n", {"files": "data.csv"}, SETTINGS, tree).app
    [published] = first.published_files
    assert re.fullmatch(r"_stlite_docs/files/[0-9a-f]{16}/data\.csv", published.site_path)
    assert first.to_spec("a/b.html")["files"]["data.csv"] == {"url": "../" + published.site_path}
    data.write_text("a\n2\n")
    second = build_app("x = 1\n", {"files": "data.csv"}, SETTINGS, tree).app
    assert second.published_files[0].site_path != published.site_path


def test_attachment_cannot_replace_an_app_file(tree):
    (tree.root_dir / "b.py").write_text("B = 2\n")
    [problem] = build_app("x = 1\n## file: b.py\nB = 1\n", {"files": "b.py"}, SETTINGS, tree).problems
    assert "would replace the app file 'b.py'" in problem.message


def test_empty_block(tree):
    [problem] = build_app("#| height: 300\n\n", {}, SETTINGS, tree).problems
    assert problem.kind == "empty"


def test_render_mount_round_trips_the_spec(tree):
    app = build_app("st.write('</script><!-- &amp; \\u2028')\n", {"caption": 'A "b" <c>', "name": "n1"}, SETTINGS, tree).app
    html = render_mount(app, "x/y.html")
    found = scan(html)
    [mount] = found.mounts
    assert mount.spec == app.to_spec("x/y.html")
    assert mount.attrs["id"] == "n1" and mount.caption == 'A "b" <c>'
    assert len(found.scripts) == 1
    assert "</script><!--" not in html.split("stlite-docs-spec")[1].split("</script>")[0]


def test_render_invalid_escapes():
    html = render_invalid(["bad <b>thing</b>"], "x = '<i>'\n")
    assert "bad &lt;b&gt;thing&lt;/b&gt;" in html and "<b>" not in html
    assert "&lt;i&gt;" in html


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(code=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_any_code_reaches_the_spec_byte_for_byte(tree, code):
    """Whatever the file holds (markup, </script>, <!--, entities, quotes, NUL, any unicode),
    the browser parses the page into the same structure and the spec carries the exact text."""
    (tree.root_dir / "data.txt").write_bytes(code.encode("utf-8"))
    result = build_app("", {}, SETTINGS, tree, entry_file="data.txt")
    assert result.problems == []
    found = scan(render_mount(result.app, "a/b.html"))
    [mount] = found.mounts
    assert len(found.scripts) == 1  # nothing in the code opened or closed a script
    assert mount.spec["files"]["data.txt"]["text"] == code


@given(code=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_inline_code_without_headers_is_kept(code):
    from stlite_docs.core.block import parse_body

    lines = code.splitlines(keepends=True)
    if lines and re.match(r"(#\||# \||##\|)", lines[0]) or any(line.startswith("## file:") for line in lines):
        return  # option and file lines are syntax, not code
    assert parse_body(code).segments[0].text == code


def test_spec_keys_match_the_jsdoc_typedef():
    source = (ASSETS / "spec.js").read_text()
    typedef = source.split("@typedef {Object} AppSpec", 1)[1].split("*/", 1)[0]
    js_keys = re.findall(r"@property \{[^}]*\} (\w+)", typedef)
    assert js_keys == list(AppSpec.__annotations__)
