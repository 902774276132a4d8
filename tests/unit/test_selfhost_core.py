"""Self-hosting in the core: settings, the closure of what a site serves, the served lock, and
the files ``materialize`` writes, file by file, from a runtime_dir made of the npm tarballs."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from stlite_docs.core.settings import SettingsError, SiteSettings
from stlite_docs.core.spec import App, AppFile
from stlite_docs.runtime import SELFHOST_PYODIDE_URL, SELFHOST_STLITE_URL
from stlite_docs.runtime.pins import load_pins
from stlite_docs.runtime.selfhost import (
    RUNTIME_DIR_LAYOUT,
    LocalSource,
    Need,
    SelfHostError,
    Vendor,
    materialize,
    resolve,
    served_lock,
)
from support.selfhost import extract_npm, npm_runtime_dir, standin_wheel

#: What stlite 1.9.2 installs on Pyodide 0.29.3: micropip, then Streamlit's and stlite_lib's
#: dependencies with their closure in the lock (protobuf 7 and three more from PyPI).
STREAMLIT_CLOSURE = [
    "altair",
    "anyio",
    "attrs",
    "blinker",
    "cramjam",
    "fastparquet",
    "fsspec",
    "itsdangerous",
    "jinja2",
    "jsonschema",
    "jsonschema-specifications",
    "libopenssl",
    "markupsafe",
    "micropip",
    "narwhals",
    "numpy",
    "packaging",
    "pandas",
    "pillow",
    "protobuf",
    "pyodide-http",
    "pyrsistent",
    "python-dateutil",
    "python-multipart",
    "pytz",
    "referencing",
    "rpds-py",
    "six",
    "sniffio",
    "ssl",
    "starlette",
    "typing-extensions",
]


@pytest.fixture(scope="module")
def npm(tmp_path_factory):
    return extract_npm(tmp_path_factory.mktemp("npm"))


@pytest.fixture(scope="module")
def npm_lock(npm):
    return json.loads((npm["pyodide"] / "pyodide-lock.json").read_text())


@pytest.fixture(scope="module")
def runtime_dir(tmp_path_factory):
    return npm_runtime_dir(tmp_path_factory.mktemp("runtime"))


def _settings(**raw) -> SiteSettings:
    return SiteSettings.from_raw({"assets": "self-host", **raw})


class _NoPyPI(Vendor):
    """A vendor that has the pinned wheels (stand-ins) and never runs pip."""

    def __init__(self, folder: Path):
        super().__init__(cache=folder)
        self.asked: list[str] = []

    def pinned(self, entry):
        return self.folder / entry["file_name"]

    def resolve(self, requirement):
        self.asked.append(requirement)
        from stlite_docs.runtime.selfhost import VendorProblem

        raise VendorProblem(f"requirement {requirement!r} has no pure-Python wheel (test)")


# ---------------------------------------------------------------------- settings
def test_self_host_points_every_app_at_the_versioned_folders():
    settings = _settings()
    assert (settings.stlite_url, settings.pyodide_url) == (SELFHOST_STLITE_URL, SELFHOST_PYODIDE_URL)
    assert SELFHOST_STLITE_URL == "_stlite_docs/runtime/stlite-1.9.2/"
    assert SELFHOST_PYODIDE_URL == "_stlite_docs/runtime/pyodide-0.29.3/pyodide.mjs"
    assert settings.stlite_integrity == load_pins()["stlite"]["integrity"]
    app = App(
        "a.py",
        (AppFile("a.py", text=""),),
        (),
        stlite_url=settings.stlite_url,
        pyodide_url=settings.pyodide_url,
        stlite_integrity=settings.stlite_integrity,
    )
    spec = app.to_spec("guide/deep/page.html")
    assert spec["stliteUrl"] == "../../_stlite_docs/runtime/stlite-1.9.2/"
    assert spec["pyodideUrl"] == "../../_stlite_docs/runtime/pyodide-0.29.3/pyodide.mjs"
    assert spec["stliteIntegrity"] == load_pins()["stlite"]["integrity"]


def test_self_host_refuses_its_own_urls():
    with pytest.raises(SettingsError, match="stlite_docs_stlite_url and stlite_docs_pyodide_url must stay unset"):
        SiteSettings.from_raw({"assets": "self-host", "stlite_url": "_static/stlite/"}, prefix="stlite_docs_")
    with pytest.raises(SettingsError, match="pyodide_url"):
        _settings(pyodide_url="/p/pyodide.mjs")


@pytest.mark.parametrize(
    "raw, expected",
    [
        ({}, "pinned"),
        ({"stlite_url": "_static/stlite/"}, None),
        ({"stlite_url": "_static/stlite/", "stlite_integrity": "off"}, None),
        ({"stlite_integrity": "off"}, None),
        ({"stlite_url": "https://mirror.example/npm/@stlite/browser@1.9.2/build/", "stlite_integrity": "pinned"}, "pinned"),
        (
            {"stlite_url": "/s/", "stlite_integrity": {"stlite.js": "sha384-AAAA", "stlite.css": "sha256-BBBB"}},
            {"stlite.js": "sha384-AAAA", "stlite.css": "sha256-BBBB"},
        ),
    ],
)
def test_integrity_is_pinned_only_where_the_pinned_build_loads(raw, expected):
    integrity = SiteSettings.from_raw(raw).stlite_integrity
    assert integrity == (load_pins()["stlite"]["integrity"] if expected == "pinned" else expected)


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"assets": "local"}, "option 'assets' must be one of cdn, self-host"),
        ({"stlite_integrity": {"stlite.js": "md5-x"}}, "exactly the keys stlite.js, stlite.css"),
        ({"stlite_integrity": {"stlite.js": "md5-x", "stlite.css": "sha384-A"}}, "stlite.js must be a Subresource Integrity"),
        ({"mirror_url": "ftp://x/"}, "must be an http(s):// or file:// URL"),
        ({"vendor_requirements": "maybe"}, "must be true or false"),
        ({"runtime_dir": ""}, "runtime_dir must be the path"),
    ],
)
def test_bad_settings_are_named(raw, message):
    with pytest.raises(SettingsError) as caught:
        SiteSettings.from_raw(raw)
    assert message in str(caught.value)


def test_mirror_url_always_ends_in_a_slash():
    assert SiteSettings.from_raw({"mirror_url": "https://mirror.example/jsd"}).mirror_url == "https://mirror.example/jsd/"


# ---------------------------------------------------------------------- the closure
def test_streamlits_closure_from_pyodides_own_lock(npm_lock, tmp_path):
    plan = resolve(npm_lock, [], _NoPyPI(tmp_path), vendor_requirements=False)
    assert sorted(plan.packages) == STREAMLIT_CLOSURE
    assert plan.problems == []
    # Pyodide's lock has protobuf 6; stlite asks for 7.x: the pinned PyPI wheel replaces it.
    assert plan.packages["protobuf"]["version"] == "7.34.1"
    assert sorted(plan.added) == sorted(e["file_name"] for e in load_pins()["pypi"].values())


def test_app_requirements_the_lock_provides_add_their_closure(npm_lock, tmp_path):
    plan = resolve(npm_lock, [Need("requests", "page:3"), Need("scikit-learn", "page:9")], _NoPyPI(tmp_path), False)
    extra = sorted(set(plan.packages) - set(STREAMLIT_CLOSURE))
    assert {
        "requests",
        "certifi",
        "charset-normalizer",
        "idna",
        "urllib3",
        "scikit-learn",
        "scipy",
        "joblib",
        "threadpoolctl",
    } <= set(extra)
    for name in extra:  # each with its lock closure
        assert all(canonicalize_name(dep) in plan.packages for dep in npm_lock["packages"][name]["depends"])
    assert plan.problems == []


def test_requirements_the_lock_lacks_are_located_problems(npm_lock, tmp_path):
    vendor = _NoPyPI(tmp_path)
    plan = resolve(npm_lock, [Need("no-such-thing>=1", ("guide", 12)), Need("numpy<2", ("api", 4))], vendor, False)
    messages = dict(plan.problems)
    assert "is not in Pyodide 0.29.3's lock: readers' browsers will fetch it from PyPI" in messages[("guide", 12)]
    assert "conflicts with numpy 2.2.5" in messages[("api", 4)]
    assert vendor.asked == []
    plan = resolve(npm_lock, [Need("no-such-thing>=1", ("guide", 12))], vendor, True)
    assert vendor.asked == ["no-such-thing>=1"]
    assert plan.problems[0][0] == ("guide", 12)
    assert "has no pure-Python wheel" in plan.problems[0][1]


def test_the_served_lock_lists_exactly_what_is_served(npm_lock, tmp_path):
    plan = resolve(npm_lock, [Need("requests")], _NoPyPI(tmp_path), False)
    served = json.loads(served_lock(npm_lock, plan))
    assert served["info"] == npm_lock["info"]
    assert sorted(served["packages"]) == sorted(plan.packages)
    for entry in served["packages"].values():
        assert "requires" not in entry
        assert all(canonicalize_name(dep) in served["packages"] for dep in entry["depends"])
    assert served_lock(npm_lock, plan) == served_lock(npm_lock, resolve(npm_lock, [Need("requests")], _NoPyPI(tmp_path), False))


# ---------------------------------------------------------------------- files in the site
def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_materialize_copies_the_closure_file_by_file(runtime_dir, tmp_path):
    site = tmp_path / "site"
    result = materialize(site, [Need("requests", "x")], _settings(runtime_dir=str(runtime_dir)), progress=False)
    assert result.problems == []
    files = _tree(site)
    stlite = {rel.split("/", 3)[3]: sha for rel, sha in files.items() if rel.startswith("_stlite_docs/runtime/stlite-1.9.2/")}
    pyodide = {rel.split("/", 3)[3] for rel in files if rel.startswith("_stlite_docs/runtime/pyodide-0.29.3/")}
    assert set(files) == {f"_stlite_docs/runtime/stlite-1.9.2/{r}" for r in stlite} | {
        f"_stlite_docs/runtime/pyodide-0.29.3/{r}" for r in pyodide
    }
    # stlite: every pinned file, with the pinned bytes, and no source map
    assert stlite == {rel: sha for rel, (sha, _size) in load_pins()["stlite"]["files"].items()}
    assert not [rel for rel in files if rel.endswith(".map")]
    # Pyodide: the core, the lock, and one wheel per package of the served lock, nothing else
    lock = json.loads((site / "_stlite_docs/runtime/pyodide-0.29.3/pyodide-lock.json").read_text())
    wheels = {e["file_name"] for e in lock["packages"].values()}
    assert pyodide == {"pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"} | wheels
    assert set(lock["packages"]) == set(STREAMLIT_CLOSURE) | {"requests", "certifi", "charset-normalizer", "idna", "urllib3"}
    for entry in lock["packages"].values():
        assert files[f"_stlite_docs/runtime/pyodide-0.29.3/{entry['file_name']}"] == entry["sha256"]
    for name, (sha, _size) in load_pins()["pyodide"]["core"].items():
        if name != "pyodide-lock.json":
            assert files[f"_stlite_docs/runtime/pyodide-0.29.3/{name}"] == sha
    assert result.size == sum((site / rel).stat().st_size for rel in files)


def test_materialize_is_deterministic_and_removes_what_is_no_longer_needed(runtime_dir, tmp_path):
    settings = _settings(runtime_dir=str(runtime_dir))
    one, two = tmp_path / "one", tmp_path / "two"
    materialize(one, [Need("requests")], settings, progress=False)
    (one / "_stlite_docs/runtime/old-file.txt").write_text("left by an older build")
    materialize(one, [], settings, progress=False)
    materialize(two, [], settings, progress=False)
    assert _tree(one) == _tree(two)
    assert not (one / "_stlite_docs/runtime/old-file.txt").exists()
    assert not list(one.rglob("requests-*"))


def test_a_runtime_dir_with_an_altered_stlite_file_is_refused(runtime_dir, tmp_path):
    altered = tmp_path / "rt"
    (altered / "pyodide").mkdir(parents=True)
    for item in (runtime_dir / "pyodide").iterdir():
        os.symlink(item, altered / "pyodide" / item.name)
    (altered / "stlite").mkdir()
    for item in runtime_dir.joinpath("stlite").iterdir():
        if item.name != "stlite.js":
            os.symlink(item, altered / "stlite" / item.name)
    (altered / "stlite" / "stlite.js").write_text("// not stlite\n")
    with pytest.raises(SelfHostError, match=r"stlite/stlite\.js differs from .*sha256 mismatch"):
        materialize(tmp_path / "site", [], _settings(runtime_dir=str(altered)), progress=False)
    os.unlink(altered / "stlite" / "stlite.css")
    with pytest.raises(SelfHostError, match=r"stlite/stlite\.css is missing"):
        materialize(tmp_path / "site", [], _settings(runtime_dir=str(altered)), progress=False)
    with pytest.raises(SelfHostError, match="must hold stlite/"):
        LocalSource(tmp_path / "nowhere")


def test_a_fetched_runtime_dir_is_a_complete_runtime_dir(runtime_dir, tmp_path):
    """fetch --dest writes a runtime_dir whose lock already holds the PyPI wheels."""
    dest = tmp_path / "fetched"
    settings = _settings(runtime_dir=str(runtime_dir))
    materialize(dest, [Need("requests")], settings, progress=False, layout=RUNTIME_DIR_LAYOUT)
    assert (dest / "stlite" / "stlite.js").is_file() and (dest / "pyodide" / "pyodide.mjs").is_file()
    site = tmp_path / "site"

    class Offline(Vendor):
        def _pip(self, requirement):
            raise AssertionError(f"pip asked for {requirement}")

    result = materialize(
        site, [Need("requests")], _settings(runtime_dir=str(dest)), progress=False, vendor=Offline(cache=tmp_path / "cache")
    )
    assert result.problems == []
    assert len(result.packages) == len(STREAMLIT_CLOSURE) + 5


def test_vendored_wheels_join_the_served_lock(npm_lock, tmp_path):
    """vendor_requirements: a pure wheel pip fetched is served, with its Requires-Dist."""
    name, data = standin_wheel("tiny-thing", "1.2.3")

    class Fetched(_NoPyPI):
        def resolve(self, requirement):
            from stlite_docs.runtime.pins import wheel_entry

            self.folder.mkdir(parents=True, exist_ok=True)
            (self.folder / name).write_bytes(data)
            entry = wheel_entry(name, data)
            entry["requires"], entry["depends"] = ["requests>=2"], ["requests"]
            return entry

    plan = resolve(npm_lock, [Need("tiny-thing==1.2.3", "p")], Fetched(tmp_path), True)
    assert plan.problems == []
    assert plan.packages["tiny-thing"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert plan.packages["tiny-thing"]["imports"] == ["tiny_thing_standin"]
    assert "requests" in plan.packages and "urllib3" in plan.packages
    assert plan.added[name] == tmp_path / "pypi" / name
