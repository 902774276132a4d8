"""The wheel carries the browser assets and the templates: a site built from an installed
wheel must not depend on a source checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_assets_and_entry_points(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    [wheel] = tmp_path.glob("stlite_docs-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
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
    assert "stlite_docs/core/render.py" in names  # the markup is written in Python (no templates)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[mkdocs.plugins]" in text and "stlite = stlite_docs.frontends.mkdocs:StlitePlugin" in text
    assert not any(n.endswith(".map") or "/tests/" in n for n in names)
