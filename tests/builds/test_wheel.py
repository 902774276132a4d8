"""The release artifacts: ``python -m build`` makes a wheel and an sdist that ``twine check``
accepts; the wheel carries the browser assets and the data files and no tests; and installed
into a fresh virtualenv (of the oldest Python we support, where there is one) it builds a
Sphinx site and an MkDocs site with a live app, and runs ``stlite-docs``, without the checkout.

The fresh virtualenv installs the wheel's declared dependencies from the package index, as a
user's ``pip install`` does: a dependency missing from pyproject.toml fails here.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = (ROOT / "stlite_docs" / "_version.py").read_text().split('"')[1]


def _oldest_python() -> str:
    """Python 3.10 (the oldest ``requires-python`` admits) where this machine has one."""
    candidates = [shutil.which("python3.10"), *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.10*/bin/python3.10")))]
    for found in filter(None, candidates):  # a pyenv shim is on PATH even where it cannot run
        if subprocess.run([found, "-c", "import venv"], capture_output=True).returncode == 0:
            return found
    return sys.executable


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: the build backend (hatchling) comes from the test extra, so the test needs
    # no index for it; CI's release job builds isolated.
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


def _wheel(dist: Path) -> Path:
    [wheel] = dist.glob("stlite_docs-*.whl")
    return wheel


def test_build_makes_a_wheel_and_an_sdist_that_twine_accepts(dist):
    assert {p.name for p in dist.iterdir()} == {f"stlite_docs-{VERSION}-py3-none-any.whl", f"stlite_docs-{VERSION}.tar.gz"}
    proc = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2, proc.stdout


def test_the_wheel_has_assets_data_metadata_and_no_tests(dist):
    archive = zipfile.ZipFile(_wheel(dist))
    names = set(archive.namelist())
    for asset in (
        "loader.js",
        "frame.js",
        "frame.html",
        "frame.css",
        "spec.js",
        "stlite-docs.css",
        "support.js",
        "fullscreen.js",
        "health.js",
    ):
        assert f"stlite_docs/assets/stlite-docs/{asset}" in names
    assert "stlite_docs/runtime/data/runtime-pins.json" in names
    assert any(n.startswith("stlite_docs/check/data/") and n.endswith(".json") for n in names)
    assert not any(n.endswith(".map") or n.startswith("tests/") or "/tests/" in n or n.startswith("docs/") for n in names)
    info = f"stlite_docs-{VERSION}.dist-info"
    assert f"{info}/licenses/LICENSE" in names
    entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "[mkdocs.plugins]" in entry_points and "stlite = stlite_docs.frontends.mkdocs:StlitePlugin" in entry_points
    assert (
        "[properdocs.plugins]" in entry_points and "stlite_docs = stlite_docs.frontends.markdown:StliteExtension" in entry_points
    )
    metadata = archive.read(f"{info}/METADATA").decode()
    for line in (
        "License-Expression: Apache-2.0",
        "Classifier: Framework :: MkDocs",
        "Classifier: Framework :: Sphinx :: Extension",
        "Requires-Python: >=3.10",
        "Project-URL: Documentation, ",
        "Description-Content-Type: text/markdown",
    ):
        assert line in metadata, line


def test_the_sdist_has_sources_docs_and_tests_but_no_build_output(dist):
    [sdist] = dist.glob("*.tar.gz")
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    for wanted in (
        "LICENSE",
        "CHANGELOG.md",
        "README.md",
        "pyproject.toml",
        "docs/conf.py",
        "docs/index.rst",
        "assets/stlite-docs/loader.js",
        "stlite_docs/cli/__init__.py",
        "tests/builds/test_wheel.py",
        "example_site/mkdocs/mkdocs.yml",
    ):
        assert wanted in names, wanted
    assert not any(n.startswith(("docs/_build", ".venv", ".cache")) or "__pycache__" in n for n in names)


SPHINX_PAGE = """Demo
====

.. stlite::
   :files: data/numbers.csv
   :caption: A live app

   import streamlit as st
   st.write(open("data/numbers.csv").read())

.. stlite:: app.py
"""

MKDOCS_PAGE = """# Demo

```stlite caption="A live app"
import streamlit as st
st.write("hello")
```
"""


@pytest.mark.timeout(900)
def test_the_installed_wheel_builds_sphinx_and_mkdocs_sites_and_runs_the_command(dist, tmp_path):
    python = _oldest_python()
    venv = tmp_path / "venv"
    subprocess.run([python, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", f"{_wheel(dist)}[sphinx,mkdocs]"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert install.returncode == 0, install.stderr[-3000:]

    def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
        return subprocess.run(args, capture_output=True, text=True, cwd=cwd, env=env)

    # The package imported is the installed one, not this checkout.
    where = run(str(bin_dir / "python"), "-c", "import stlite_docs; print(stlite_docs.__file__)", cwd=tmp_path)
    assert str(venv) in where.stdout, where.stdout + where.stderr

    helped = run(str(bin_dir / "stlite-docs"), "--help", cwd=tmp_path)
    assert helped.returncode == 0 and "previews" in helped.stdout and "check" in helped.stdout, helped.stderr

    sphinx_src = tmp_path / "sphinx"
    (sphinx_src / "data").mkdir(parents=True)
    (sphinx_src / "conf.py").write_text('extensions = ["stlite_docs"]\n')
    (sphinx_src / "index.rst").write_text(SPHINX_PAGE)
    (sphinx_src / "data" / "numbers.csv").write_text("n\n1\n2\n")
    (sphinx_src / "app.py").write_text('import streamlit as st\nst.write("from a file")\n')
    built = run(
        str(bin_dir / "sphinx-build"), "-W", "-b", "html", "-q", str(sphinx_src), str(tmp_path / "sphinx-out"), cwd=tmp_path
    )
    assert built.returncode == 0, built.stdout + built.stderr
    page = (tmp_path / "sphinx-out" / "index.html").read_text()
    assert page.count('data-stlite-docs="1"') == 2 and "stlite-docs/loader.js" in page
    assert (tmp_path / "sphinx-out" / "_static" / "stlite-docs" / "frame.html").is_file()
    assert list((tmp_path / "sphinx-out" / "_stlite_docs" / "files").glob("*/numbers.csv"))

    mkdocs_project = tmp_path / "mkdocs"
    (mkdocs_project / "docs").mkdir(parents=True)
    (mkdocs_project / "mkdocs.yml").write_text(
        "site_name: Demo\nplugins:\n  - stlite\nmarkdown_extensions:\n  - pymdownx.superfences\n"
    )
    (mkdocs_project / "docs" / "index.md").write_text(MKDOCS_PAGE)
    built = run(str(bin_dir / "mkdocs"), "build", "--strict", "-q", cwd=mkdocs_project)
    assert built.returncode == 0, built.stdout + built.stderr
    assert 'data-stlite-docs="1"' in (mkdocs_project / "site" / "index.html").read_text()
    assert (mkdocs_project / "site" / "assets" / "stlite-docs" / "loader.js").is_file()

    checked = run(str(bin_dir / "stlite-docs"), "check", "--check", "imports", "docs", cwd=mkdocs_project)
    assert checked.returncode == 0 and "0 problem(s) in 1 block(s)" in checked.stderr, checked.stdout + checked.stderr
