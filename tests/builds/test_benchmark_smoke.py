"""benchmarks/build.py still runs: a tiny site (3 pages x 2 apps), one build of each kind.

The benchmark itself is run on demand (see the README's "Build-time cost"); this only keeps the
script from rotting as the package changes.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "build.py"


def test_quick_benchmark_prints_its_tables(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--keep", str(tmp_path / "bench")],
        capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "3 pages x 2 apps, median of 1 build(s)" in out
    for row in ("sphinx -j 1 ", "sphinx -j 2 ", "mkdocs ", "sphinx -j 1, warm check cache",
                "sphinx -j 1, incremental",
                "sphinx -j 1, baseline again [4]", "mkdocs, baseline again [4]", "mkdocs, full build [1]", "mkdocs --dirty [2]", "loader.js"):
        assert row in out, row
    assert "target: apps / baseline <= 1.05" in out
    # the synthetic site is seeded: another run writes the same sources
    again = tmp_path / "again"
    subprocess.run([sys.executable, str(SCRIPT), "--quick", "--only", "mkdocs", "--no-extra", "--keep", str(again)],
                   capture_output=True, text=True, timeout=600, check=True)
    first, second = tmp_path / "bench" / "src" / "mkdocs-app", again / "src" / "mkdocs-app"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / rel).read_bytes() == (second / rel).read_bytes() for rel in files)
