"""``stlite-docs previews`` end to end, with headless Chromium and the recording stand-in as the
runtime (``--runtime DIR``: its stlite.js is the stand-in, its Pyodide a four-byte wasm that
passes the frame's check): the command finds both projects below the folder, builds and serves
them, captures each app once (an app both projects share is written to both), reports the app
that raises and the one that never finishes at their document line, removes unused images, and
exits 1 only with ``--strict``. The real runtime is exercised in tests/realboot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageStat

from support.builds import sphinx_build
from support.chromium import require_chromium

STANDIN = Path(__file__).resolve().parents[1] / "browser" / "standin"
GOOD = "import streamlit as st\nst.write('shared app')\n"


def _rst_block(code: str, options: str = "") -> str:
    return ".. stlite::\n" + options + "\n" + "".join(f"   {line}\n" for line in code.splitlines()) + "\n"


@pytest.fixture
def projects(tmp_path):
    require_chromium()
    root = tmp_path / "docs-root"
    sphinx = root / "sphinx"
    sphinx.mkdir(parents=True)
    (sphinx / "conf.py").write_text('extensions = ["stlite_docs"]\n')
    (sphinx / "index.rst").write_text(
        "Apps\n====\n\n"
        + _rst_block(GOOD)
        + _rst_block("import streamlit as st\n# STANDIN_RAISES\nst.write(1 / 0)\n")
        + _rst_block("import streamlit as st\n# STANDIN_HANGS\n")
        + _rst_block("import streamlit as st\nst.write('dark only')\n", "   :theme: dark\n")
    )
    mk = root / "mkdocs"
    (mk / "docs").mkdir(parents=True)
    (mk / "mkdocs.yml").write_text("site_name: x\nplugins: [stlite]\nmarkdown_extensions: [pymdownx.superfences]\n")
    (mk / "docs" / "index.md").write_text(f"# Page\n\n```stlite\n{GOOD}```\n")
    runtime = tmp_path / "runtime"
    (runtime / "stlite").mkdir(parents=True)
    (runtime / "pyodide").mkdir()
    shutil.copy(STANDIN / "stlite.js", runtime / "stlite" / "stlite.js")
    shutil.copy(STANDIN / "stlite.css", runtime / "stlite" / "stlite.css")
    shutil.copy(STANDIN / "worker.js", runtime / "stlite" / "worker.js")  # its kernel worker
    (runtime / "pyodide" / "pyodide.mjs").write_text("export {};\n")
    (runtime / "pyodide" / "pyodide.asm.wasm").write_bytes(b"\x00asm\x01\x00\x00\x00")
    return root, runtime


def _previews(root: Path, runtime: Path, *extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    cmd = [sys.executable, "-m", "stlite_docs.cli", "previews", str(root), "--runtime", str(runtime), "--timeout", "10", *extra]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root.parent, timeout=600)


def test_capture_report_prune_and_strict(projects):
    root, runtime = projects
    stale = root / "sphinx" / "_stlite_previews" / "0123456789abcdef0123-light.webp"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    run = _previews(root, runtime, "--jobs", "2")
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "building docs-root/mkdocs/mkdocs.yml (mkdocs)" in output and "building docs-root/sphinx/conf.py (sphinx)" in output
    assert re.search(r"\[#{20}\] 4/4 apps", output), output  # the shared app is captured once
    assert re.search(r"docs-root/sphinx/index\.rst:9: no preview: the app raised an exception: ZeroDivisionError", output), output
    assert re.search(r"docs-root/sphinx/index\.rst:15: no preview: it did not render within 10 s", output), output
    assert "5 image(s) written, 2 app(s) without a preview, 1 unused image(s) removed" in output, output
    assert not stale.exists()
    sphinx_images = sorted(p.name for p in (root / "sphinx" / "_stlite_previews").iterdir())
    mkdocs_images = sorted(p.name for p in (root / "mkdocs" / "_stlite_previews").iterdir())
    assert [re.sub(r"^[0-9a-f]{20}", "KEY", n) for n in sphinx_images] == [
        "KEY-dark.webp",
        "KEY-dark.webp",
        "KEY-light.webp",
    ]  # the dark-only app has one picture
    assert set(mkdocs_images) <= set(sphinx_images) and len(mkdocs_images) == 2
    for name in sphinx_images:
        image = Image.open(root / "sphinx" / "_stlite_previews" / name)
        assert image.format == "WEBP" and image.width == 704 and image.height >= 150
        assert max(ImageStat.Stat(image.convert("L")).stddev) > 5, f"{name} is blank"
    assert oct((root / "sphinx" / "_stlite_previews" / sphinx_images[0]).stat().st_mode & 0o777) == "0o644"

    # The build now shows them; a second run has nothing new to capture but the two failures.
    build = sphinx_build(root / "sphinx", root.parent / "site")
    assert build.page("index.html").count('<div class="stlite-docs-preview') == 2
    again = _previews(root, runtime, "--strict")
    assert again.returncode == 1, again.stdout + again.stderr
    assert "0 image(s) written, 2 app(s) without a preview, 0 unused image(s) removed" in again.stderr


def test_no_project_and_no_runtime(tmp_path):
    empty = _previews(tmp_path, tmp_path / "nowhere")
    assert empty.returncode == 2 and "no docs project (conf.py, mkdocs.yml, properdocs.yml)" in empty.stderr
    (tmp_path / "conf.py").write_text("")
    missing = _previews(tmp_path, tmp_path / "nowhere")
    assert missing.returncode == 2 and "no stlite/stlite.js there" in missing.stderr
