"""Every bad input: a located warning, an in-page notice with the code, and the build goes on."""

from __future__ import annotations

import re

import pytest

from support.bad_input import EXPECTED_SPHINX as EXPECTED
from support.builds import copy_root, sphinx_build
from support.html import scan


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    src = copy_root("bad", tmp)
    return sphinx_build(src, tmp / "out", "html")


def test_each_bad_input_is_a_located_warning(bad_build):
    assert bad_build.returncode == 0, bad_build.output  # the build goes on
    warnings = [line for line in bad_build.output.splitlines() if "WARNING" in line]
    for path, line, fragment, subtype in EXPECTED:
        location = f"{bad_build.srcdir / path}:{line}: WARNING: "
        matches = [w for w in warnings if w.startswith(location) and fragment in w]
        assert len(matches) == 1, f"{location}{fragment}\n" + "\n".join(warnings)
        assert matches[0].endswith(f"[stlite.{subtype}]")
    assert len([w for w in warnings if "[stlite." in w]) == len(EXPECTED), "\n".join(warnings)


def test_pages_show_notices_and_still_build_good_apps(bad_build):
    index = scan(bad_build.page("index.html"))
    md = scan(bad_build.page("md.html"))
    assert len(index.invalid) == 10 and len(md.invalid) == 2
    assert "unknown option 'heigth'" in index.invalid[0] and "import streamlit as st" in index.invalid[0]
    # The code is shown as the author wrote it, options included: nothing is lost.
    assert "#| height: [300" in index.invalid[6]
    assert "def broken(:" in index.invalid[7]
    assert 'if True\n    st.write("x")' in index.invalid[8]
    [good] = index.mounts
    assert "this good app still builds" in good.spec["files"]["streamlit_app.py"]["text"]
    # Invalid blocks are inert: no spec, so the loader never sees them.
    assert bad_build.page("index.html").count("data-stlite-docs") == 1


def test_warnings_fail_a_strict_build(tmp_path):
    src = copy_root("bad", tmp_path)
    build = sphinx_build(src, tmp_path / "out", "html", "-W")
    assert build.returncode != 0
    assert "stlite" in build.output


def test_bad_site_setting_stops_with_its_name(tmp_path):
    src = copy_root("basic", tmp_path)
    with open(src / "conf.py", "a") as conf:
        conf.write('stlite_docs_height = "50%"\n')
    build = sphinx_build(src, tmp_path / "out", "html")
    assert build.returncode != 0
    assert re.search(r"stlite_docs_height.*must be 'auto' or a positive CSS length", build.output), build.output
