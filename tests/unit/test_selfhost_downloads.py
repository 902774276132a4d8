"""Downloads into the user cache, from a mirror: a local HTTP server (the test boundary) serving
the extracted npm tarballs under jsDelivr's paths, and stand-in wheels under Pyodide's."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from stlite_docs.runtime import MIRROR_PYODIDE_CORE_PATH, MIRROR_PYODIDE_PATH, MIRROR_STLITE_PATH
from stlite_docs.runtime.downloads import Download, DownloadError, fetch, runtime_cache
from stlite_docs.runtime.pins import load_pins
from stlite_docs.runtime.selfhost import MirrorSource, SelfHostError
from support.selfhost import extract_npm, logging_server, standin_wheel

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def mirror(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirror")
    npm = extract_npm(root / "npm-packages")
    wheels = root / "full"
    wheels.mkdir()
    entries = []
    for name in ("alpha", "beta"):
        file_name, data = standin_wheel(name, "1.0")
        (wheels / file_name).write_bytes(data)
        entries.append({"name": name, "file_name": file_name, "sha256": hashlib.sha256(data).hexdigest()})
    mounts = {MIRROR_STLITE_PATH: npm["stlite"] / "build", MIRROR_PYODIDE_CORE_PATH: npm["pyodide"], MIRROR_PYODIDE_PATH: wheels}
    (root / "www").mkdir()
    with logging_server(root / "www", mounts) as base:
        base.entries = entries
        yield base


def _cached(cache: Path) -> dict[str, str]:
    return {
        p.relative_to(cache).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(cache.rglob("*"))
        if p.is_file()
    }


def test_the_cache_is_filled_once_and_verified(mirror, tmp_path):
    cache = tmp_path / "cache"
    source = MirrorSource(mirror, cache=cache, progress=False)
    mirror.log.clear()
    stlite, core = source.stlite_files(), source.core_files()
    pins = load_pins()
    assert len(mirror.log) == len(pins["stlite"]["files"]) + len(pins["pyodide"]["core"])
    assert {rel: (hashlib.sha256(path.read_bytes()).hexdigest()) for rel, path in stlite.items()} == {
        rel: sha for rel, (sha, _) in pins["stlite"]["files"].items()
    }
    assert all(path.parent == cache / "pyodide-0.29.3" for path in core.values())
    assert not [p for p in cache.rglob(".tmp-*")]
    mirror.log.clear()
    MirrorSource(mirror, cache=cache, progress=False).stlite_files()
    assert mirror.log == []  # all there, all verified: nothing fetched again


def test_a_truncated_cached_file_is_fetched_again(mirror, tmp_path):
    cache = tmp_path / "cache"
    MirrorSource(mirror, cache=cache, progress=False).core_files()
    wasm = cache / "pyodide-0.29.3" / "pyodide.asm.wasm"
    wasm.write_bytes(wasm.read_bytes()[:1000])
    mirror.log.clear()
    MirrorSource(mirror, cache=cache, progress=False).core_files()
    assert mirror.log == ["/" + MIRROR_PYODIDE_CORE_PATH + "pyodide.asm.wasm"]
    assert hashlib.sha256(wasm.read_bytes()).hexdigest() == load_pins()["pyodide"]["core"]["pyodide.asm.wasm"][0]


def test_wheels_are_checked_against_the_lock(mirror, tmp_path):
    cache = tmp_path / "cache"
    source = MirrorSource(mirror, cache=cache, progress=False)
    paths = source.wheels(mirror.entries)
    assert sorted(p.name for p in paths.values()) == sorted(e["file_name"] for e in mirror.entries)
    wrong = dict(mirror.entries[0], sha256="0" * 64)
    (cache / "pyodide-0.29.3" / wrong["file_name"]).unlink()
    with pytest.raises(SelfHostError) as caught:
        source.wheels([wrong])
    url = f"{mirror}{MIRROR_PYODIDE_PATH}{wrong['file_name']}"
    assert f"could not download {url}: sha256 " in str(caught.value)
    assert "does not match the expected 0000" in str(caught.value)
    assert not (cache / "pyodide-0.29.3" / wrong["file_name"]).exists()  # never a bad file in the cache
    assert not list(cache.rglob(".tmp-*"))


def test_a_missing_file_and_an_unreachable_mirror_name_the_url(mirror, tmp_path):
    missing = {"name": "gamma", "file_name": "gamma-1.0-py3-none-any.whl", "sha256": "1" * 64}
    with pytest.raises(
        SelfHostError, match=rf"could not download {mirror}{MIRROR_PYODIDE_PATH}gamma-1.0-py3-none-any.whl: HTTP 404"
    ):
        MirrorSource(mirror, cache=tmp_path, progress=False).wheels([missing])
    dead = "http://127.0.0.1:9/"
    with pytest.raises(SelfHostError, match=rf"could not download {dead}{MIRROR_PYODIDE_CORE_PATH}\S+: .*\(mirror_url: {dead}\)"):
        MirrorSource(dead, cache=tmp_path, progress=False).core_files()


def test_a_short_response_is_refused(mirror, tmp_path):
    url = f"{mirror}{MIRROR_PYODIDE_CORE_PATH}pyodide.mjs"
    sha, size = load_pins()["pyodide"]["core"]["pyodide.mjs"]
    with pytest.raises(DownloadError, match=rf"got {size} bytes, expected {size + 1} \(truncated or changed\)"):
        fetch(Download(url, tmp_path / "pyodide.mjs", sha, size + 1))
    assert list(tmp_path.iterdir()) == []


CONCURRENT = """
import sys
from pathlib import Path
from stlite_docs.runtime.selfhost import MirrorSource
source = MirrorSource(sys.argv[1], cache=Path(sys.argv[2]), progress=False)
source.stlite_files(); source.core_files()
"""


def test_two_builds_fill_one_cache_at_once(mirror, tmp_path):
    cache = tmp_path / "cache"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", CONCURRENT, mirror, str(cache)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    pins = load_pins()
    expected = {f"stlite-1.9.2/{rel}": sha for rel, (sha, _) in pins["stlite"]["files"].items()}
    expected.update({f"pyodide-0.29.3/{name}": sha for name, (sha, _) in pins["pyodide"]["core"].items()})
    assert _cached(cache) == expected  # every file whole, no temporary file left


def test_the_cache_is_under_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("STLITE_DOCS_CACHE_DIR", str(tmp_path))
    assert runtime_cache() == tmp_path / "runtime"
    monkeypatch.delenv("STLITE_DOCS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert runtime_cache() == tmp_path / "xdg" / "stlite-docs" / "runtime"
    assert json.loads(json.dumps(load_pins()))  # the pins load from the package
