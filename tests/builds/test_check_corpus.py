"""The corpus of broken apps (tests/builds/roots/check-corpus) through Sphinx (MyST), MkDocs and
``stlite-docs check``: the same problems, with the same messages, at the same lines.

The run check is real: Streamlit's AppTest in a worker process of the build's Python.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from support.builds import ROOTS, _env, copy_root, mkdocs_build, sphinx_build, stlite_docs
from support.html import scan

# (page line, kind, first line of the message) for docs/index.md
EXPECTED = [
    (8, "syntax", "Python syntax error in streamlit_app.py, line 2: expected ':'"),
    (
        15,
        "import",
        "module 'plotly' (imported on line 2 of streamlit_app.py) is not in the standard library, "
        "the app's files, Pyodide 0.29.3 or the requirements: add 'plotly' to requirements",
    ),
    (
        23,
        "import",
        "module 'plotly' (imported on line 2 of streamlit_app.py) is not in the standard library, "
        "the app's files, Pyodide 0.29.3 or the requirements: the requirement 'plotlyy' looks "
        "misspelt: did you mean 'plotly'?",
    ),
    (30, "run", "the app failed on its headless run: ZeroDivisionError: division by zero"),
    (40, "run", "the app failed on its headless run: ZeroDivisionError: division by zero"),
    (
        47,
        "run",
        "the app's headless run did not finish within 5 s (an endless loop?); raise check_timeout, "
        "or set 'check: imports' on this block",
    ),
]
# The traceback under each run failure: app paths only, never a temporary folder.
TRACEBACKS = {
    30: ['File "streamlit_app.py", line 3, in <module>', "ratio = 1 / 0"],
    40: ['File "streamlit_app.py", line 3, in <module>', 'File "helpers.py", line 2, in ratio', "return a / b"],
}
CAPTIONS_BUILT = [
    "missing import",
    "misspelt requirement",
    "exception at run",
    "exception in a helper file",
    "endless loop",
    "stops early",
    "browser only, opted out of the run",
    "fine",
]

SPHINX_CONF = """\
extensions = ["myst_parser", "stlite_docs"]
stlite_docs_check = "run"
stlite_docs_check_timeout = 5
"""


def located(output: str, marker: str) -> list[tuple[int, str, str]]:
    """(line, kind, first message line) of every stlite problem in a tool's output. A message
    may go on over indented lines (a traceback); the ``[stlite.kind]`` tag ends the first line
    (our own output) or the last one (Sphinx appends it to the whole message)."""
    records: list[list[str]] = []
    for row in output.splitlines():
        if "index.md:" in row:
            records.append([row])
        elif records and row.startswith(" ") and "[stlite." not in records[-1][-1]:
            records[-1].append(row)
    found = []
    for record in records:
        kind = record[-1].rsplit("[stlite.", 1)[-1].rstrip("]") if "[stlite." in record[-1] else None
        if kind is None:
            continue
        where, message = record[0].split("index.md:", 1)[1].split(": ", 1)
        first = message.split(marker, 1)[-1].split(" [stlite.", 1)[0]
        found.append((int(where), kind, first))
    return found


def test_the_command(tmp_path):
    project = copy_root("check-corpus", tmp_path)
    result = stlite_docs("check", "docs", cwd=project)
    assert result.returncode == 1
    assert located(result.stdout, "\x00") == EXPECTED, result.stdout
    for line, rows in TRACEBACKS.items():
        block = result.stdout.split(f"index.md:{line}: ", 1)[1].split("docs/index.md:", 1)[0]
        assert all(row in block for row in rows), block
        assert "tmp" not in block and str(tmp_path) not in block


@pytest.fixture(scope="module")
def mkdocs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus-mkdocs")
    project = copy_root("check-corpus", tmp)
    return project, mkdocs_build(project, tmp / "site")


def test_mkdocs(mkdocs, tmp_path):
    project, build = mkdocs
    assert build.returncode == 0, build.output
    assert located(build.output, "\x00") == EXPECTED, build.output
    assert [m.caption for m in scan(build.page("index.html")).mounts] == CAPTIONS_BUILT
    assert mkdocs_build(project, tmp_path / "strict", "--strict").returncode != 0


@pytest.fixture(scope="module")
def sphinx(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("corpus-sphinx")
    src = tmp / "src"
    shutil.copytree(ROOTS / "check-corpus" / "docs", src)
    (src / "conf.py").write_text(SPHINX_CONF)
    return src, sphinx_build(src, tmp / "out")


def test_sphinx(sphinx, tmp_path):
    src, build = sphinx
    assert build.returncode == 0, build.output
    assert located(build.output, "WARNING: ") == EXPECTED, build.output
    assert [m.caption for m in scan(build.page("index.html")).mounts] == CAPTIONS_BUILT
    assert sphinx_build(src, tmp_path / "strict", "html", "-W").returncode != 0


def test_valid_apps_pass_untouched(tmp_path):
    """The valid blocks alone: no message at any level, and the spec is what check: off gives."""
    text = (ROOTS / "check-corpus" / "docs" / "index.md").read_text()
    fine = [block for block in text.split("```stlite\n")[1:] if "stops early" in block or "caption: fine" in block]
    page = "".join(f"```stlite\n{block.split('```', 1)[0]}```\n\n" for block in fine)
    specs = {}
    for level in ("off", "run"):
        project = tmp_path / level
        (project / "docs").mkdir(parents=True)
        (project / "docs" / "index.md").write_text(page)
        (project / "mkdocs.yml").write_text(f"site_name: x\nplugins:\n  - stlite:\n      check: {level}\n")
        build = mkdocs_build(project, project / "site", "--strict")
        assert build.returncode == 0 and "stlite" not in build.output.replace("stlite-docs", ""), build.output
        specs[level] = [m.spec for m in scan(build.page("index.html")).mounts]
    assert len(specs["run"]) == 2 and specs["run"] == specs["off"]


def test_an_unchanged_app_is_not_run_again(tmp_path):
    """The app appends to a file at each run; two checks of the same app run it once."""
    count = tmp_path / "runs.txt"
    (tmp_path / "page.md").write_text(
        f"```stlite\nimport streamlit as st\nwith open({str(count)!r}, 'a') as f:\n    f.write('run\\n')\n```\n"
    )
    env = dict(_env(), STLITE_DOCS_CACHE_DIR=str(tmp_path / "cache"))
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "stlite_docs.cli", "check", "--check", "run", "page.md"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert count.read_text() == "run\n"
    # a changed app is run again
    (tmp_path / "page.md").write_text(
        (tmp_path / "page.md").read_text().replace("import streamlit as st", "import streamlit as st  # edited")
    )
    subprocess.run(
        [sys.executable, "-m", "stlite_docs.cli", "check", "--check", "run", "page.md"], cwd=tmp_path, env=env, check=False
    )
    assert count.read_text() == "run\nrun\n"


def test_the_manual_and_example_sites_apps_all_pass_run():
    """Every app of the manual (docs/) and of the MkDocs twin runs headlessly without a problem,
    and has its committed preview."""
    root = ROOTS.parents[2]
    result = stlite_docs("check", "--check", "run", "docs", "example_site/mkdocs", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note:" not in result.stdout, result.stdout  # every app really ran, none lacks a preview
    assert "0 problem(s) in 37 block(s) of 35 file(s)" in result.stderr
