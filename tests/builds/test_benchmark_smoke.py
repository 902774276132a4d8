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
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "3 pages x 2 apps, median of 1 build(s)" in out
    for row in (
        "sphinx -j 1 ",
        "sphinx -j 2 ",
        "mkdocs ",
        "sphinx -j 1, warm check cache",
        "sphinx -j 1, incremental",
        "sphinx -j 1, baseline again [4]",
        "mkdocs, baseline again [4]",
        "mkdocs, full build [1]",
        "mkdocs --dirty [2]",
        "loader.js",
    ):
        assert row in out, row
    assert "target: apps / baseline <= 1.10" in out
    # the synthetic site is seeded: another run writes the same sources
    again = tmp_path / "again"
    subprocess.run(
        [sys.executable, str(SCRIPT), "--quick", "--only", "mkdocs", "--no-extra", "--keep", str(again)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    first, second = tmp_path / "bench" / "src" / "mkdocs-app", again / "src" / "mkdocs-app"
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files and files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / rel).read_bytes() == (second / rel).read_bytes() for rel in files)


def _bench_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("stlite_docs_build_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def _case(bench, **walls):
    case = bench.Case("sphinx -j 1", "sphinx")
    for variant, values in walls.items():
        case.times[variant] = [bench.Timing(wall, wall) for wall in values]
    return case


def test_a_verdict_nearer_the_target_than_the_noise_line_is_to_one_is_inconclusive():
    bench = _bench_module()
    # The baseline against itself reads 1.03: a ratio of 1.09 or 1.11 is within that of 1.10.
    noisy = _case(bench, base=[10.0] * 5, again=[10.3] * 5, app=[10.9] * 5, warm=[11.1] * 5)
    assert (noisy.verdict("app"), noisy.verdict("warm")) == ("met?", "NOT met?")
    # Beyond the noise, a verdict stands either way.
    clear = _case(bench, base=[10.0] * 5, again=[10.1] * 5, app=[10.7] * 5, warm=[11.2] * 5)
    assert (clear.verdict("app"), clear.verdict("warm")) == ("met", "NOT met")
    # Without the noise line (--no-extra) the ratio alone decides.
    bare = _case(bench, base=[10.0] * 5, app=[10.99] * 5)
    assert bare.verdict("app") == "met"
