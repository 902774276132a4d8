"""The listings helper in real builds: ``sphinx-build -j 1`` and ``mkdocs build`` give the same
bytes with it as without it (``STLITE_DOCS_HIGHLIGHT_AHEAD=0``), and with it the build itself
runs Pygments only for the listings the helper could not know (an entry file's code)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stlite_docs.highlight_ahead import MIN_DOCUMENTS, VARIABLE
from support.builds import _env, mkdocs_build, sphinx_build

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper needs os.fork")

PAGES = MIN_DOCUMENTS + 1
APP_FILE = "import streamlit as st\n\nst.write('from a file')\n"


def _code(page: int, index: int) -> str:
    return f'import streamlit as st\n\nvalue = st.slider("Page {page}, app {index}", 0, {page + index + 5})\nst.write(f"<b>{{value}}</b> é")\n'


def _sphinx_site(root: Path) -> Path:
    (root / "apps").mkdir(parents=True)
    (root / "apps" / "app.py").write_text(APP_FILE)
    (root / "conf.py").write_text('project = "Helper"\nextensions = ["stlite_docs"]\n')
    index = "Helper\n======\n\n.. toctree::\n\n" + "".join(f"   page{p}\n" for p in range(PAGES))
    (root / "index.rst").write_text(index)
    for p in range(PAGES):
        body = f"Page {p}\n=======\n\n"
        for i in range(2):
            body += ".. stlite::\n   :height: 300px\n\n   #| caption: App\n\n" + textwrap.indent(_code(p, i), "   ") + "\n"
        if p == 0:
            body += ".. stlite:: apps/app.py\n"
        (root / f"page{p}.rst").write_text(body)
    return root


def _mkdocs_site(root: Path) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: Helper\nuse_directory_urls: false\nplugins:\n  - stlite\n")
    (docs / "index.md").write_text("# Helper\n")
    (docs / "app.py").write_text(APP_FILE)
    for p in range(PAGES):
        body = f"# Page {p}\n\n"
        for i in range(2):
            body += "```stlite\n#| caption: App\n" + _code(p, i) + "```\n\n"
        if p == 0:
            body += '```{.stlite file="app.py"}\n```\n'
        (docs / f"page{p}.md").write_text(body)
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ".buildinfo" and ".doctrees" not in p.parts}


# Builds in one process, counting the build's own Pygments runs (a spy at that boundary; it
# changes nothing). The first listing waits for the helper to be done, so the count does not
# depend on how busy the machine is: a real build never waits.
COUNTING_BUILD = r"""
import json, os, sys
from stlite_docs import highlight_ahead
from stlite_docs.core import render

runs = []
pygments_highlight = render.highlight
render.highlight = lambda *args: (runs.append(1), pygments_highlight(*args))[1]
get = highlight_ahead.HighlightAhead.get
def get_after_helper(self, code):
    if self._pid is not None:
        os.waitpid(self._pid, 0)
        self._pid = None
    return get(self, code)
highlight_ahead.HighlightAhead.get = get_after_helper

frontend, src, out, *extra = sys.argv[1:]
if frontend == "sphinx":
    from sphinx.cmd.build import main
    status = main(["-q", "-N", "-E", "-j", "1", "-b", "html", src, out])
else:
    from mkdocs.__main__ import cli
    try:
        cli(["build", "-q", "-f", os.path.join(src, "mkdocs.yml"), "-d", out, *extra])
        status = 0
    except SystemExit as exc:
        status = exc.code or 0
print(json.dumps({"status": status, "runs": len(runs)}))
"""


def _counting_build(frontend: str, src: Path, out: Path, helper: bool, *extra: str) -> int:
    env = _env()
    env["NO_MKDOCS_2_WARNING"] = "1"
    env[VARIABLE] = "1" if helper else "0"
    proc = subprocess.run([sys.executable, "-c", COUNTING_BUILD, frontend, str(src), str(out), *extra],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["status"] == 0, proc.stdout + proc.stderr
    return result["runs"]


@pytest.fixture
def two_cores(monkeypatch):
    if (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) < 2:
        pytest.skip("one core: the helper does not start")


def test_sphinx_with_the_helper_is_byte_identical_and_highlights_only_what_it_could_not(tmp_path, monkeypatch, two_cores):
    src = _sphinx_site(tmp_path / "src")
    monkeypatch.setenv(VARIABLE, "0")
    without = sphinx_build(src, tmp_path / "without", "html", "-j", "1")
    monkeypatch.delenv(VARIABLE)
    with_helper = sphinx_build(src, tmp_path / "with", "html", "-j", "1")
    # -j 2: Sphinx's writing processes, forks of the build, take the helper's listings too
    parallel = sphinx_build(src, tmp_path / "parallel", "html", "-j", "2")
    assert without.returncode == 0 and with_helper.returncode == 0, without.output + with_helper.output
    assert parallel.returncode == 0, parallel.output
    assert _tree(without.outdir) == _tree(with_helper.outdir) == _tree(parallel.outdir)
    assert with_helper.page("page0.html").count('class="stlite-docs-source"') == 3

    listings = PAGES * 2 + 1
    assert _counting_build("sphinx", src, tmp_path / "count-off", helper=False) == listings
    assert _counting_build("sphinx", src, tmp_path / "count-on", helper=True) == 1  # the entry file's


def test_mkdocs_with_the_helper_is_byte_identical_and_highlights_only_what_it_could_not(tmp_path, monkeypatch, two_cores):
    project = _mkdocs_site(tmp_path / "project")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # MkDocs' build date, else the one difference
    monkeypatch.setenv(VARIABLE, "0")
    without = mkdocs_build(project, tmp_path / "without")
    monkeypatch.delenv(VARIABLE)
    with_helper = mkdocs_build(project, tmp_path / "with")
    assert without.returncode == 0 and with_helper.returncode == 0, without.output + with_helper.output
    assert _tree(without.outdir) == _tree(with_helper.outdir)
    assert with_helper.page("page0.html").count('class="stlite-docs-source"') == 3

    listings = PAGES * 2 + 1
    assert _counting_build("mkdocs", project, tmp_path / "count-off", helper=False) == listings
    assert _counting_build("mkdocs", project, tmp_path / "count-on", helper=True) == 1


def test_a_dirty_mkdocs_build_counts_only_the_pages_it_converts(tmp_path, two_cores):
    """``mkdocs build --dirty`` converts only modified pages: one page edited is too little
    for a helper, which would otherwise highlight every page for nothing."""
    project = _mkdocs_site(tmp_path / "project")
    out = tmp_path / "site"
    assert _counting_build("mkdocs", project, out, helper=True) == 1
    page = project / "docs" / "page1.md"
    page.write_text(page.read_text() + "\nEdited.\n")
    later = page.stat().st_mtime + 10
    os.utime(page, (later, later))
    assert _counting_build("mkdocs", project, out, True, "--dirty") == 2  # its own two listings, here
