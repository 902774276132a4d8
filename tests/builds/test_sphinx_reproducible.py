"""Same sources, same bytes: across runs, source locations and -j; minimal incremental rebuilds."""

from __future__ import annotations

import re
from pathlib import Path

from support.builds import copy_root, sphinx_build

# Files Sphinx itself makes differ between runs for reasons that are not ours.
SPHINX_OWN = {".buildinfo"}


def _tree(outdir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and p.name not in SPHINX_OWN
    }


def _assert_same(a: Path, b: Path) -> None:
    left, right = _tree(a), _tree(b)
    assert sorted(left) == sorted(right)
    different = [name for name in left if left[name] != right[name]]
    assert not different, different


def test_parallel_and_serial_builds_are_byte_identical(tmp_path):
    # Two copies at different absolute paths: nothing of the build machine may leak in.
    one = copy_root("basic", tmp_path / "one")
    two = copy_root("basic", tmp_path / "somewhere" / "else")
    serial = sphinx_build(one, tmp_path / "serial", "html", "-j", "1")
    parallel = sphinx_build(two, tmp_path / "parallel", "html", "-j", "2")
    assert serial.returncode == 0 and parallel.returncode == 0, serial.output + parallel.output
    _assert_same(serial.outdir, parallel.outdir)


def test_rebuild_from_scratch_is_byte_identical(tmp_path):
    src = copy_root("basic", tmp_path)
    first = sphinx_build(src, tmp_path / "a", "dirhtml")
    second = sphinx_build(src, tmp_path / "b", "dirhtml")
    assert first.returncode == 0 and second.returncode == 0
    _assert_same(first.outdir, second.outdir)


def _reread(output: str) -> set[str]:
    """Documents Sphinx read again, from its progress lines."""
    return set(re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", output))


def test_editing_an_app_file_rebuilds_exactly_its_pages(tmp_path):
    src = copy_root("basic", tmp_path)
    out = tmp_path / "out"
    assert sphinx_build(src, out, "html").returncode == 0
    unchanged = sphinx_build(src, out, "html")
    assert _reread(unchanged.output) == set()

    app = src / "apps" / "counter.py"
    app.write_text(app.read_text().replace("count * 2", "count * 3"))
    after_app = sphinx_build(src, out, "html")
    assert after_app.returncode == 0
    assert _reread(after_app.output) == {"guide/nested"}
    assert "count * 3" in (out / "guide" / "nested.html").read_text()

    data = src / "data" / "table.csv"
    data.write_text("a,b\n5,6\n")
    after_data = sphinx_build(src, out, "html")
    assert _reread(after_data.output) == {"guide/nested"}
    # The new content is published under a new content-addressed name.
    assert sorted(p.read_text() for p in (out / "_stlite_docs" / "files").glob("*/table.csv")) == [
        "a,b\n1,2\n3,4\n",
        "a,b\n5,6\n",
    ]
