"""The pins shipped in stlite_docs/data/runtime-pins.json are what the real npm tarballs hold."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import tarfile
from pathlib import Path

import pytest

from stlite_docs.runtime import PYODIDE_VERSION, STLITE_VERSION
from stlite_docs.runtime.pins import PINS_FILE, STLITE_SYSTEM_REQUIREMENTS, compute_pins, load_pins
from support.selfhost import npm_tarballs


@pytest.fixture(scope="module")
def tarballs():
    return npm_tarballs()


@pytest.fixture(scope="module")
def recomputed(tarballs):
    return compute_pins(tarballs["stlite"], tarballs["pyodide"], [])


def test_stlite_and_pyodide_pins_match_the_npm_tarballs(recomputed):
    pins = load_pins()
    assert pins["stlite"] == recomputed["stlite"]
    assert pins["pyodide"] == recomputed["pyodide"]
    assert pins["requirements"] == recomputed["requirements"]
    assert pins["stlite"]["version"] == STLITE_VERSION and pins["pyodide"]["version"] == PYODIDE_VERSION


def test_the_integrity_is_the_sha384_of_the_tarball_files(tarballs):
    with tarfile.open(tarballs["stlite"]) as archive:
        for name in ("stlite.js", "stlite.css"):
            data = archive.extractfile(f"package/build/{name}").read()
            expected = "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()
            assert load_pins()["stlite"]["integrity"][name] == expected


def test_no_source_map_is_pinned_and_every_other_build_file_is(tarballs):
    files = load_pins()["stlite"]["files"]
    assert not [rel for rel in files if rel.endswith(".map")]
    with tarfile.open(tarballs["stlite"]) as archive:
        build = {
            m.name[len("package/build/") :] for m in archive.getmembers() if m.isfile() and m.name.startswith("package/build/")
        }
    assert set(files) == {rel for rel in build if not rel.endswith(".map")}
    assert len(build) > len(files)  # the tarball does have source maps


def test_stlites_own_requirements_are_what_its_worker_installs(tarballs):
    """The worker (a data: URL inside stlite's main chunk) asks micropip for this protobuf."""
    with tarfile.open(tarballs["stlite"]) as archive:
        chunks = [m for m in archive.getmembers() if re.match(r"package/build/index-[^/]*\.js$", m.name)]
        sources = [archive.extractfile(m).read().decode() for m in chunks]
    workers = [
        base64.b64decode(found).decode("utf-8", "replace")
        for source in sources
        for found in re.findall(r"data:text/javascript;base64,([A-Za-z0-9+/=]+)", source)
    ]
    code = "\n".join(workers)
    assert 'loadPackage("micropip")' in code
    for requirement in STLITE_SYSTEM_REQUIREMENTS[1:]:
        assert f'"{requirement}"' in code


def test_pinned_pypi_wheels_are_the_ones_a_complete_runtime_serves():
    pypi = load_pins()["pypi"]
    assert sorted(pypi) == ["blinker", "itsdangerous", "protobuf", "python-multipart"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["sha256"]) and e["file_name"].endswith("-none-any.whl") for e in pypi.values())
    runtime = os.environ.get("STLITE_DOCS_RUNTIME")
    if not runtime:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: the wheels' sha256 are checked against a complete runtime's lock")
    lock = json.loads((Path(runtime) / "pyodide" / "pyodide-lock.json").read_text())["packages"]
    for name, entry in pypi.items():
        assert (lock[name]["file_name"], lock[name]["sha256"]) == (entry["file_name"], entry["sha256"])


def test_the_pins_file_is_written_deterministically():
    text = PINS_FILE.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True) + "\n"
