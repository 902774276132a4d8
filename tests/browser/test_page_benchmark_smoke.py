"""benchmarks/page.py still runs: its quick mode, in Chromium, with the recording stand-in served
as stlite (no Python runs, so no runtime is needed): the site is built, served, scrolled in both
modes, memory sampled and the table printed.

The benchmark itself runs on demand against the complete runtime (see the README's "Page cost");
this only keeps the script from rotting as the loader changes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from support.chromium import require_chromium

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "page.py"
STANDIN = Path(__file__).resolve().parent / "standin"


def test_quick_page_benchmark_prints_both_modes(tmp_path):
    require_chromium()
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--standin", str(STANDIN), "--keep", str(tmp_path / "bench")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "page cost in chromium" in out and "a page of 2 apps and a page of 1" in out
    rows = re.findall(r"^(isolated|shared)\s+(\d) apps?\s+(\d+) MiB\s+([\d.]+)\s", out, re.M)
    assert [(mode, apps) for mode, apps, _, _ in rows] == [("isolated", "1"), ("isolated", "2"), ("shared", "1"), ("shared", "2")]
    # The browser's memory was really sampled (a headless Chromium is well over 50 MiB), and the
    # one-app page is its own reference.
    assert all(int(mib) > 50 for _, _, mib, _ in rows)
    assert [ratio for _, apps, _, ratio in rows if apps == "1"] == ["1.00", "1.00"]
    # The built pages carry the runtime the benchmark asked for.
    html = (tmp_path / "bench" / "html" / "apps2-shared.html").read_text()
    assert html.count("data-stlite-docs=") == 2 and '"runtime": "shared"' in html
    assert "machine: " in out


def test_without_a_runtime_it_says_what_it_needs(tmp_path):
    proc = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2
    assert "needs the complete offline runtime: set STLITE_DOCS_RUNTIME" in proc.stderr
