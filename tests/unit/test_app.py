"""stlite_docs.core.app.build_app on a real (tmp_path) source tree: the spec, options, syntax-error
locations, the file argument, attachments; problems are returned, never raised."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stlite_docs import __version__
from stlite_docs.check.syntax import SyntaxChecker
from stlite_docs.core.app import PUBLISH_DIR, BuildResult, SourceTree, build_app, check_syntax
from stlite_docs.core.problems import Problem
from stlite_docs.core.render import render_invalid, render_mount
from stlite_docs.core.settings import SiteSettings
from stlite_docs.core.spec import AppSpec
from stlite_docs.runtime.pins import load_pins
from support import yaml_reason
from support.html import scan

DEFAULTS = SiteSettings.from_raw({})
SITE = SiteSettings.from_raw(
    {
        "requirements": ["numpy", "pandas"],
        "height": "500px",
        "load": "eager",
        "stlite_url": "_static/stlite",
        "pyodide_url": "_static/pyodide/pyodide.mjs",
    }
)
KNOWN = "requirements, height, max-height, files, config, caption, name, load, check, theme, show-code, editable, share, preview"

BAD_YAML = "height: 300\nload: : x"
UNCLOSED = "requirements: [numpy, {a"
SITE_SETTINGS = SiteSettings.from_raw({"requirements": ["numpy"], "height": "500px", "load": "eager"})
ASSETS = Path(__file__).resolve().parents[2] / "assets" / "stlite-docs"


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "src"
    (root / "guide").mkdir(parents=True)
    (root / "apps").mkdir()
    return root


@pytest.fixture
def tree(root) -> SourceTree:
    """A document in src/guide/: relative paths start there, '/' paths at src/."""
    return SourceTree(base_dir=root / "guide", root_dir=root)


def build(body, tree, options=None, settings=DEFAULTS, **kwargs) -> BuildResult:
    return build_app(body, options or {}, settings, tree, **kwargs)


def problems(result: BuildResult):
    return [(p.kind, p.message, p.line, p.path) for p in result.problems]


# ----------------------------------------------------------------------------- happy path
def test_happy_path_spec(tree):
    body = (
        "#| requirements: pandas>=2, altair\n"
        "#| config: {theme: {base: dark}, client.toolbarMode: minimal}\n"
        "\n"
        "import streamlit as st\n"
        "## file: helpers.py\n"
        "X = 1\n"
        "## file: pages/two.py\n"
        "import helpers\n"
    )
    result = build(body, tree, {"caption": "Demo <app>", "name": "demo"}, SITE)
    assert result.problems == []
    app = result.app
    assert result.code == app.code == body.split("\n", 3)[3]
    assert app.to_spec("guide/page.html") == {
        "version": 1,
        "generator": __version__,
        "entrypoint": "streamlit_app.py",
        "files": {
            "streamlit_app.py": {"text": "import streamlit as st\n"},
            "helpers.py": {"text": "X = 1\n"},
            "pages/two.py": {"text": "import helpers\n"},
        },
        "requirements": ["numpy", "pandas>=2", "altair"],
        "config": {"client.toolbarMode": "minimal", "theme.base": "dark"},
        "height": "500px",
        "maxHeight": "80vh",
        "load": "eager",
        "title": "Live app: Demo <app>",
        "stliteUrl": "../_static/stlite/",
        "pyodideUrl": "../_static/pyodide/pyodide.mjs",
        "stliteIntegrity": None,
        "theme": "auto",
        "maxLiveApps": 3,
        "concurrency": 1,
        "showCode": "none",
        "editable": False,
        "shareUrl": None,
        "runtime": "isolated",
    }
    assert list(app.to_spec("")["files"]) == ["streamlit_app.py", "helpers.py", "pages/two.py"]
    assert (app.caption, app.name) == ("Demo <app>", "demo")


def test_defaults_come_from_the_settings_and_options_override_them(tree):
    app = build("x = 1\n", tree, settings=SITE).app
    assert (app.height, app.load, app.requirements) == ("500px", "eager", ("numpy", "pandas"))
    app = build("#| height: 300\n#| load: click\nx = 1\n", tree, settings=SITE).app
    assert (app.height, app.load) == ("300px", "click")
    app = build("x = 1\n", tree, {"height": "40em", "load": "lazy", "requirements": "pandas==2.2"}, SITE).app
    assert (app.height, app.load, app.requirements) == ("40em", "lazy", ("numpy", "pandas==2.2"))
    assert build("x = 1\n", tree, settings=SITE).app.max_height == "80vh"  # the site default
    app = build("#| max_height: 500\nx = 1\n", tree, settings=SiteSettings.from_raw({"max_height": "none"})).app
    assert app.max_height == "500px"
    assert build("x = 1\n", tree, settings=SiteSettings.from_raw({"max_height": "none"})).app.to_spec("")["maxHeight"] == "none"
    spec = build("x = 1\n", tree).app.to_spec("a/b/")
    assert (spec["height"], spec["load"], spec["requirements"], spec["config"]) == ("auto", "lazy", [], {})
    assert spec["stliteUrl"] == "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/"
    assert spec["pyodideUrl"] is None
    assert spec["title"] == "Live Streamlit app"


def test_title_uses_the_name_without_caption(tree):
    assert build("x = 1\n", tree, {"name": "demo"}).app.to_spec("")["title"] == "Live app: demo"


def test_a_block_opening_with_a_header_has_that_entrypoint(tree):
    app = build("## file: app.py\nimport b\n## file: b.py\n", tree).app
    assert app.entrypoint == "app.py" and [f.path for f in app.files] == ["app.py", "b.py"]


def test_missing_last_newline_is_added(tree):
    assert build("x = 1", tree).app.files[0].text == "x = 1\n"
    assert build("x = 1", tree).app.to_spec("") == build("x = 1\n", tree).app.to_spec("")


def test_crlf_body_is_kept(tree):
    app = build("x = 1\r\ny = 2\r\n", tree).app
    assert app.files[0].text == "x = 1\r\ny = 2\r\n"


# ----------------------------------------------------------------------------- options
def test_option_both_outside_and_on_an_option_line(tree):
    result = build("#| requirements: numpy\n#| height: 300\nx = 1\n", tree, {"height": "200"})
    assert result.app is None
    assert problems(result) == [("option", "option 'height' is given twice: outside the code and on a '#|' line", 2, None)]


def test_unknown_and_bad_options_are_located(tree):
    result = build("#| height: 300\n#| heigth: 2\n#| load: later\n\nx = 1\n", tree, {"nmae": "x"})
    assert problems(result) == [
        ("option", f"unknown option 'nmae' (did you mean 'name'?); known options: {KNOWN}", None, None),
        ("option", f"unknown option 'heigth' (did you mean 'height'?); known options: {KNOWN}", 2, None),
        ("option", "option 'load' must be one of lazy, eager, click; got 'later'", 3, None),
    ]
    assert result.code == "#| height: 300\n#| heigth: 2\n#| load: later\n\nx = 1\n"


def test_bad_max_height_is_located(tree):
    result = build("#| load: eager\n#| max_height: 50%\n\nx = 1\n", tree, {"max-heigth": "80vh"})
    assert problems(result) == [  # a misspelt key gets a hint; the underscore spelling is the same option
        ("option", f"unknown option 'max-heigth' (did you mean 'max-height'?); known options: {KNOWN}", None, None),
        ("option", "option 'max-height' must be 'none' or a positive CSS length such as 600px, 40em or 80vh; got '50%'", 2, None),
    ]


def test_bad_requirement_on_an_option_line(tree):
    [problem] = build("#| height: 1\n#| requirements: numpy>>2\nx = 1\n", tree).problems
    assert (problem.kind, problem.line) == ("requirement", 2)
    assert problem.message.startswith("invalid requirement 'numpy>>2': ")


def test_yaml_problem_comes_through(tree):
    result = build("#| height: 300\n#| load: : x\n\nx = 1\n", tree)
    assert problems(result) == [("yaml", f"invalid '#|' option lines: {yaml_reason(BAD_YAML)}", 2, None)]


# ----------------------------------------------------------------------------- syntax errors
def test_syntax_error_line_accounts_for_options_and_the_dropped_blank_line(tree):
    body = "#| height: 300\n#| load: eager\n\nimport streamlit as st\nx = (1,\n"
    assert problems(build(body, tree)) == [
        ("syntax", "Python syntax error in streamlit_app.py, line 2: '(' was never closed", 5, None)
    ]


def test_only_one_blank_line_is_dropped_for_the_line_mapping(tree):
    assert [p.line for p in build("#| height: 1\n\n\nx = (\n", tree).problems] == [4]


def test_syntax_errors_in_file_segments(tree):
    body = (
        "#| height: 300\n"  # 1
        "\n"  # 2
        "import a\n"  # 3
        "## file: a.py\n"  # 4
        "A = 1\n"  # 5
        "## file: b.py\n"  # 6
        "B = 1\n"  # 7
        "def f(:\n"  # 8
        "## file: c.py\n"  # 9
        "C = [\n"  # 10
    )
    assert problems(build(body, tree)) == [
        ("syntax", "Python syntax error in b.py, line 2: invalid syntax", 8, None),
        ("syntax", "Python syntax error in c.py, line 1: '[' was never closed", 10, None),
    ]


def test_syntax_error_in_an_opening_header_file(tree):
    assert [(p.line, p.message) for p in build("\n## file: app.py\nok = 1\nif:\n", tree).problems] == [
        (4, "Python syntax error in app.py, line 2: invalid syntax")
    ]


def test_only_python_files_are_compiled(tree):
    result = build("x = 1\n## file: data.csv\n(((,\n## file: README.md\n# not python (\n", tree)
    assert result.problems == []
    assert [f.path for f in result.app.files] == ["streamlit_app.py", "data.csv", "README.md"]


@pytest.mark.parametrize(
    "code",
    [
        "import asyncio\nawait asyncio.sleep(0)\n",
        "async with lock:\n    pass\n",
        "async for x in aiter():\n    pass\n",
        "x = [await f() for f in fs]\n",
    ],
)
def test_top_level_await_is_not_a_syntax_error(tree, code):
    result = build(code, tree)
    assert result.problems == [] and result.app is not None


@pytest.mark.parametrize("code, line", [("x = 1\ndef f():\n    await g()\n", 3), ("x = 1\nbreak\n", 2), ("yield 1\n", 1)])
def test_compiler_syntax_errors_are_reported(tree, code, line):
    [problem] = build("#| height: 1\n\n" + code, tree).problems
    assert (problem.kind, problem.line) == ("syntax", line + 2)


def test_null_byte_is_a_syntax_problem_not_an_exception(tree):
    [problem] = build("#| height: 1\n\nx = 1\ny = '\0'\n", tree).problems
    assert problem.kind == "syntax" and problem.line == 3  # the segment's first line
    assert problem.message.startswith("Python syntax error in streamlit_app.py: ")


def test_check_syntax_directly():
    checker = SyntaxChecker()
    assert check_syntax(checker, "a.txt", "(((") == []
    assert check_syntax(checker, "a.py", "x = (\n", line_offset=10, path="p/a.py") == [
        Problem("syntax", "Python syntax error in a.py, line 1: '(' was never closed", 11, "p/a.py")
    ]
    # a SyntaxWarning (invalid escape) is not a problem
    assert check_syntax(checker, "a.py", "x = '\\d'\n") == []
    checker.close()


# ----------------------------------------------------------------------------- file argument
def test_entry_file_text_byte_for_byte(tree, root):
    raw = "\ufeffimport streamlit as st\r\nst.write('é ✓')\r\n\tx = 1".encode("utf-8")
    (root / "guide" / "demo.py").write_bytes(b"import streamlit as st\r\nst.write('\xc3\xa9')")
    (root / "apps" / "raw.txt").write_bytes(raw)
    seen = []
    result = build("#| height: 300\n", tree, entry_file="demo.py", on_dependency=seen.append)
    assert result.problems == []
    assert seen == [(root / "guide" / "demo.py").resolve()]
    app = result.app
    assert app.entrypoint == "demo.py" and app.height == "300px"
    assert app.to_spec("")["files"] == {"demo.py": {"text": "import streamlit as st\r\nst.write('é')"}}
    assert result.code == app.code == "import streamlit as st\r\nst.write('é')"
    text = build("", tree, entry_file="/apps/raw.txt").app.files[0].text
    assert text.encode("utf-8") == raw


def test_entry_file_relative_to_base_and_rooted_at_root(tree, root):
    (root / "apps" / "a.py").write_text("A = 1\n")
    assert build("", tree, entry_file="../apps/a.py").app.entrypoint == "a.py"
    assert build("", tree, entry_file="/apps/a.py").app.entrypoint == "a.py"
    assert build("", tree, entry_file="  /apps/a.py  ").app.entrypoint == "a.py"


def test_entry_file_with_attachments_and_options(tree, root):
    (root / "guide" / "demo.py").write_text("x = 1\n")
    (root / "guide" / "d.csv").write_text("a\n")
    seen = []
    app = build("#| files: d.csv\n", tree, {"caption": "C"}, entry_file="demo.py", on_dependency=seen.append).app
    assert [f.path for f in app.files] == ["demo.py", "d.csv"]
    assert seen == [(root / "guide" / "demo.py").resolve(), (root / "guide" / "d.csv").resolve()]


def test_syntax_error_is_located_in_the_entry_file(tree, root):
    (root / "apps" / "bad.py").write_text("import streamlit as st\n\nx = (\n")
    result = build("#| height: 300\n#| load: click\n", tree, entry_file="/apps/bad.py")
    assert result.app is None
    assert problems(result) == [("syntax", "Python syntax error in bad.py, line 3: '(' was never closed", 3, "apps/bad.py")]
    assert result.code == "import streamlit as st\n\nx = (\n"


def test_content_besides_option_lines_is_a_problem(tree, root):
    (root / "guide" / "demo.py").write_text("x = 1\n")
    result = build("#| height: 300\n\nx = 1\n", tree, entry_file="demo.py")
    assert result.app is None
    assert problems(result) == [
        ("content", "this block takes its code from 'demo.py'; its content may only hold '#|' option lines", 3, None)
    ]
    # the shown code is the file's
    assert result.code == "x = 1\n"


def test_file_header_in_a_file_block_is_content(tree, root):
    (root / "guide" / "demo.py").write_text("x = 1\n")
    result = build("## file: b.py\nB = 1\n", tree, entry_file="demo.py")
    assert [(p.kind, p.line) for p in result.problems] == [("content", 2)]


def test_blank_content_is_fine_with_a_file(tree, root):
    (root / "guide" / "demo.py").write_text("x = 1\n")
    assert build("\n  \n", tree, entry_file="demo.py").problems == []
    assert build("", tree, entry_file="demo.py").problems == []


def test_missing_entry_file(tree):
    result = build("", tree, entry_file="nope.py")
    assert result.app is None
    assert problems(result) == [("file", "app file 'nope.py' not found (looked for guide/nope.py)", None, None)]
    assert problems(build("", tree, entry_file="  ")) == [("file", "app file: empty path", None, None)]
    (tree.base_dir / "dir.py").mkdir()
    assert problems(build("", tree, entry_file="dir.py")) == [
        ("file", "app file 'dir.py' not found (looked for guide/dir.py)", None, None)
    ]


def test_entry_file_escaping_the_root(tree, root, tmp_path):
    (tmp_path / "outside.py").write_text("x = 1\n")
    real_root = root.resolve()
    seen = []
    result = build("", tree, entry_file="../../outside.py", on_dependency=seen.append)
    assert problems(result) == [("file", f"app file '../../outside.py' is outside the source directory {real_root}", None, None)]
    assert seen == []
    assert problems(build("", tree, entry_file="/../outside.py"))[0][1] == (
        f"app file '/../outside.py' is outside the source directory {real_root}"
    )


def test_entry_file_escaping_the_root_via_a_symlink(tree, root, tmp_path):
    (tmp_path / "outside.py").write_text("x = 1\n")
    (root / "guide" / "link.py").symlink_to(tmp_path / "outside.py")
    (root / "guide" / "linkdir").symlink_to(tmp_path)
    seen = []
    assert problems(build("", tree, entry_file="link.py", on_dependency=seen.append)) == [
        ("file", f"app file 'link.py' is outside the source directory {root.resolve()}", None, None)
    ]
    assert problems(build("", tree, entry_file="linkdir/outside.py"))[0][0] == "file"
    assert seen == []


def test_symlink_inside_the_root_is_followed(tree, root):
    (root / "apps" / "real.py").write_text("x = 1\n")
    (root / "guide" / "alias.py").symlink_to(root / "apps" / "real.py")
    seen = []
    result = build("", tree, entry_file="alias.py", on_dependency=seen.append)
    assert result.problems == [] and seen == [(root / "apps" / "real.py").resolve()]
    # the app file is named after the file read
    assert result.app.entrypoint == "real.py"


def test_non_utf8_entry_file(tree, root):
    (root / "guide" / "latin1.py").write_bytes(b"x = '\xe9'\n")
    seen = []
    result = build("", tree, entry_file="latin1.py", on_dependency=seen.append)
    assert problems(result) == [
        ("file", "app file 'latin1.py' is not UTF-8 text: invalid continuation byte at byte 5", None, None)
    ]
    assert seen == [(root / "guide" / "latin1.py").resolve()]  # a fix to the file must rebuild the page


# ----------------------------------------------------------------------------- attachments
def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def test_attachments_are_content_addressed(tree, root):
    data = root / "guide" / "data.csv"
    first, second = b"a,b\n1,2\n", b"a,b\n1,3\n"
    data.write_bytes(first)
    seen = []
    app = build("x = 1\n", tree, {"files": "data.csv"}, on_dependency=seen.append).app
    [published] = app.published_files
    assert published.path == "data.csv"
    assert published.site_path == f"{PUBLISH_DIR}/{digest(first)}/data.csv"
    assert published.site_path.startswith("_stlite_docs/files/")
    assert published.source == str(data.resolve())
    assert seen == [data.resolve()]
    spec = app.to_spec("a/b.html")
    assert spec["files"]["data.csv"] == {"url": "../" + published.site_path}
    assert app.to_spec("")["files"]["data.csv"] == {"url": published.site_path}
    assert app.to_spec("a/b/")["files"]["data.csv"] == {"url": "../../" + published.site_path}

    data.write_bytes(second)
    changed = build("x = 1\n", tree, {"files": "data.csv"}).app.published_files[0]
    assert changed.site_path == f"{PUBLISH_DIR}/{digest(second)}/data.csv"
    assert changed.site_path != published.site_path


def test_attachment_binary_and_named_by_mapping(tree, root):
    blob = bytes(range(256))
    (root / "apps" / "img.bin").write_bytes(blob)
    app = build("#| files: {assets/pic.bin: /apps/img.bin}\nx = 1\n", tree).app
    [published] = app.published_files
    assert (published.path, published.site_path) == ("assets/pic.bin", f"{PUBLISH_DIR}/{digest(blob)}/img.bin")
    assert app.to_spec("x.html")["files"]["assets/pic.bin"] == {"url": published.site_path}


def test_attachment_default_paths(tree, root):
    (root / "guide" / "data").mkdir()
    (root / "guide" / "data" / "x.csv").write_text("x\n")
    (root / "apps" / "y.csv").write_text("y\n")
    app = build("x = 1\n", tree, {"files": "data/x.csv, ../apps/y.csv"}).app
    assert [f.path for f in app.files] == ["streamlit_app.py", "data/x.csv", "y.csv"]


def test_attachment_problems(tree, root, tmp_path):
    (tmp_path / "secret.txt").write_text("s\n")
    result = build("x = 1\n", tree, {"files": "nope.csv, ../../secret.txt"})
    assert problems(result) == [
        ("file", "attached file 'nope.csv' not found (looked for guide/nope.csv)", None, None),
        ("file", f"attached file '../../secret.txt' is outside the source directory {root.resolve()}", None, None),
    ]
    assert result.app is None


def test_attachment_clashing_with_a_file_segment(tree, root):
    (root / "guide" / "b.py").write_text("B = 2\n")
    result = build("x = 1\n## file: b.py\nB = 1\n", tree, {"files": "b.py"})
    assert problems(result) == [("file-path", "attached file 'b.py' would replace the app file 'b.py'", None, None)]
    (root / "guide" / "other.py").write_text("y = 1\n")
    result = build("x = 1\n", tree, {"files": {"streamlit_app.py": "other.py"}})
    assert problems(result) == [
        ("file-path", "attached file 'other.py' would replace the app file 'streamlit_app.py'", None, None)
    ]


def test_attachment_clashing_with_the_entry_file(tree, root):
    (root / "guide" / "demo.py").write_text("x = 1\n")
    result = build("", tree, {"files": "demo.py"}, entry_file="demo.py")
    assert problems(result) == [("file-path", "attached file 'demo.py' would replace the app file 'demo.py'", None, None)]


# ----------------------------------------------------------------------------- empty
@pytest.mark.parametrize("body", ["", "\n", "  \n\t\n", "#| height: 300\n", "#| height: 300\n\n\n  \n"])
def test_empty_block(tree, body):
    result = build(body, tree)
    assert result.app is None
    assert problems(result) == [("empty", "the block has no code: write the app in the block, or name a file", None, None)]


def test_header_only_block_is_not_empty(tree):
    result = build("## file: app.py\n", tree)
    # a block that only names a file has some text ('## file: app.py') but no code
    assert result.app is not None and result.app.files[0].text == ""


def test_invalid_block_shows_the_whole_body(tree):
    body = "#| height: nope\n\nx = 1\n"
    result = build(body, tree)
    assert result.app is None and result.code == body


# ----------------------------------------------------------------------------- never raises
_FRAGMENTS = st.sampled_from(
    [
        "#| height: 300",
        "#| height: [",
        "#| files: x.csv",
        "#| files: ../../x",
        "#| config: {a: 1}",
        "#| requirements: numpy>>2",
        "#| name: 1x",
        "",
        "x = 1",
        "x = (",
        "await g()",
        "## file: a.py",
        "## file: /abs.py",
        "## file: ../x.py",
        "## file: a.py",
        "## file: data.txt",
        "\t",
        "\r",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    lines=st.lists(st.one_of(_FRAGMENTS, st.text(max_size=15).filter(lambda s: "\0" not in s)), max_size=10),
    options=st.dictionaries(
        st.sampled_from(["height", "load", "requirements", "config", "caption", "name", "heigth"]),
        st.one_of(st.none(), st.text(max_size=10)),
        max_size=3,
    ),
    entry=st.sampled_from([None, "demo.py", "nope.py", "../x.py", "bad.py"]),
)
def test_build_app_never_raises(tmp_path_factory, lines, options, entry):
    root = tmp_path_factory.getbasetemp() / "never_raises"
    if not root.exists():
        root.mkdir()
        (root / "demo.py").write_text("x = 1\n")
        (root / "bad.py").write_text("x = (\n")
        (root / "x.csv").write_text("a\n")
    tree = SourceTree(root, root)
    result = build_app("\n".join(lines), options, DEFAULTS, tree, entry_file=entry)
    assert (result.app is None) == bool(result.problems)
    for problem in result.problems:
        assert isinstance(problem.message, str) and problem.message
        assert problem.line is None or problem.line >= 1


@pytest.mark.parametrize(
    "body, options, entry",
    [
        ('#| files: "a\\0b.csv"\nx = 1\n', {}, None),  # YAML "\0" is a NUL character
        ("x = 1\n", {"files": "a" * 300 + ".csv"}, None),
        ("", {}, "a" * 300 + ".py"),
        ("", {}, "a\0.py"),
    ],
)
def test_unusable_paths_are_problems_not_exceptions(tree, body, options, entry):
    result = build(body, tree, options, entry_file=entry)
    assert result.app is None and [p.kind for p in result.problems] == ["file"]


@pytest.mark.parametrize("attach", [False, True])
def test_unreadable_files_are_problems_not_exceptions(tree, root, monkeypatch, attach):
    (root / "guide" / "demo.py").write_text("x = 1\n")
    original = Path.read_bytes

    def read_bytes(self):
        if self.name == "demo.py":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    if attach:
        result = build("x = 1\n", tree, {"files": {"d.py": "demo.py"}})
    else:
        result = build("", tree, entry_file="demo.py")
    assert result.app is None and [p.kind for p in result.problems] == ["file"]


# ----------------------------------------------------------------------------- (from the first core tests)
@pytest.fixture
def docs_tree(tmp_path) -> SourceTree:
    (tmp_path / "docs" / "apps").mkdir(parents=True)
    return SourceTree(base_dir=tmp_path / "docs", root_dir=tmp_path / "docs")


def test_happy_path_spec_with_site_settings(docs_tree):
    result = build_app(
        "#| requirements: numpy>=2, altair\n\nimport streamlit as st\n## file: b.py\nB = 1\n",
        {"caption": "Hi"},
        SITE_SETTINGS,
        docs_tree,
    )
    assert result.problems == []
    spec = result.app.to_spec("guide/page.html")
    assert spec == {
        "version": 1,
        "generator": __version__,
        "entrypoint": "streamlit_app.py",
        "files": {"streamlit_app.py": {"text": "import streamlit as st\n"}, "b.py": {"text": "B = 1\n"}},
        "requirements": ["numpy>=2", "altair"],
        "config": {},
        "height": "500px",
        "maxHeight": "80vh",
        "load": "eager",
        "title": "Live app: Hi",
        "stliteUrl": "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/",
        "pyodideUrl": None,
        "stliteIntegrity": load_pins()["stlite"]["integrity"],
        "theme": "auto",
        "maxLiveApps": 3,
        "concurrency": 1,
        "showCode": "none",
        "editable": False,
        "shareUrl": None,
        "runtime": "isolated",
    }


def test_a_missing_last_newline_is_added_so_front_ends_agree(docs_tree):
    with_newline = build_app("x = 1\n", {}, SITE_SETTINGS, docs_tree).app
    without = build_app("x = 1", {}, SITE_SETTINGS, docs_tree).app
    assert with_newline.to_spec("") == without.to_spec("")


def test_option_in_two_places(docs_tree):
    [problem] = build_app("#| height: 300\nx = 1\n", {"height": "200"}, SITE_SETTINGS, docs_tree).problems
    assert problem.line == 1 and "given twice" in problem.message


def test_syntax_errors_map_to_body_lines(docs_tree):
    body = "#| height: 300\n\nimport streamlit as st\nx = (\n## file: b.py\nok = 1\ndef f(:\n"
    problems = build_app(body, {}, SITE_SETTINGS, docs_tree).problems
    assert [(p.kind, p.line) for p in problems] == [("syntax", 4), ("syntax", 7)]
    assert problems[1].message.startswith("Python syntax error in b.py, line 2")


def test_top_level_await_is_allowed(docs_tree):
    assert build_app("import asyncio\nawait asyncio.sleep(0)\n", {}, SITE_SETTINGS, docs_tree).problems == []


def test_entry_from_a_file(docs_tree):
    app_file = docs_tree.root_dir / "apps" / "demo.py"
    app_file.write_bytes("import streamlit as st\r\nst.write('é')".encode())
    seen = []
    result = build_app("#| height: 300\n", {}, SITE_SETTINGS, docs_tree, entry_file="apps/demo.py", on_dependency=seen.append)
    assert result.problems == [] and seen == [app_file.resolve()]
    assert result.app.entrypoint == "demo.py"
    assert result.app.to_spec("")["files"]["demo.py"]["text"] == "import streamlit as st\r\nst.write('é')"


def test_entry_file_problems(docs_tree, tmp_path):
    (docs_tree.root_dir / "apps" / "bad.py").write_text("x = (\n")
    [problem] = build_app("", {}, SITE_SETTINGS, docs_tree, entry_file="apps/bad.py").problems
    assert (problem.path, problem.line, problem.kind) == ("apps/bad.py", 1, "syntax")
    [problem] = build_app("x = 1\n", {}, SITE_SETTINGS, docs_tree, entry_file="apps/bad.py").problems[:1]
    assert problem.kind == "content" and problem.line == 1
    assert "not found" in build_app("", {}, SITE_SETTINGS, docs_tree, entry_file="nope.py").problems[0].message
    (tmp_path / "outside.py").write_text("x = 1\n")
    assert (
        "outside the source directory"
        in build_app("", {}, SITE_SETTINGS, docs_tree, entry_file="../outside.py").problems[0].message
    )
    (docs_tree.root_dir / "link.py").symlink_to(tmp_path / "outside.py")
    assert "outside the source directory" in build_app("", {}, SITE_SETTINGS, docs_tree, entry_file="link.py").problems[0].message
    (docs_tree.root_dir / "latin1.py").write_bytes(b"x = '\xe9'\n")
    assert "not UTF-8" in build_app("", {}, SITE_SETTINGS, docs_tree, entry_file="latin1.py").problems[0].message


def test_attachments_are_content_addressed_on_a_docs_tree(docs_tree):
    data = docs_tree.root_dir / "data.csv"
    data.write_text("a\n1\n")
    first = build_app("x = 1\n", {"files": "data.csv"}, SITE_SETTINGS, docs_tree).app
    [published] = first.published_files
    assert re.fullmatch(r"_stlite_docs/files/[0-9a-f]{16}/data\.csv", published.site_path)
    assert first.to_spec("a/b.html")["files"]["data.csv"] == {"url": "../" + published.site_path}
    data.write_text("a\n2\n")
    second = build_app("x = 1\n", {"files": "data.csv"}, SITE_SETTINGS, docs_tree).app
    assert second.published_files[0].site_path != published.site_path


def test_attachment_cannot_replace_an_app_file(docs_tree):
    (docs_tree.root_dir / "b.py").write_text("B = 2\n")
    [problem] = build_app("x = 1\n## file: b.py\nB = 1\n", {"files": "b.py"}, SITE_SETTINGS, docs_tree).problems
    assert "would replace the app file 'b.py'" in problem.message


def test_empty_block_on_a_docs_tree(docs_tree):
    [problem] = build_app("#| height: 300\n\n", {}, SITE_SETTINGS, docs_tree).problems
    assert problem.kind == "empty"


def test_render_mount_round_trips_the_spec(docs_tree):
    app = build_app(
        "st.write('</script><!-- &amp; \\u2028')\n", {"caption": 'A "b" <c>', "name": "n1"}, SITE_SETTINGS, docs_tree
    ).app
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
def test_any_code_reaches_the_spec_byte_for_byte(docs_tree, code):
    """Whatever the file holds (markup, </script>, <!--, entities, quotes, NUL, any unicode),
    the browser parses the page into the same structure and the spec carries the exact text."""
    (docs_tree.root_dir / "data.txt").write_bytes(code.encode("utf-8"))
    result = build_app("", {}, SITE_SETTINGS, docs_tree, entry_file="data.txt")
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
