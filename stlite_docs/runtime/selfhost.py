"""Self-hosting: put the pinned stlite and the part of Pyodide a site needs into the site.

``materialize(site_dir, needs, settings)`` is what every front-end calls once per build (Sphinx
on ``build-finished``, MkDocs on ``post_build``; ``stlite-docs fetch`` for Zensical). It writes

- ``_stlite_docs/runtime/stlite-<v>/``: the stlite ``build/`` folder without source maps, every
  file checked against ``runtime-pins.json`` (so the pinned Subresource Integrity holds);
- ``_stlite_docs/runtime/pyodide-<v>/``: Pyodide's core, and the wheels of the closure, in
  ``pyodide-lock.json``, of what stlite installs (micropip, Streamlit's dependencies) and of
  every app's requirements the lock provides; plus pure-Python wheels from PyPI for what the
  lock lacks (stlite's protobuf 7 and three Streamlit dependencies always; app requirements
  with ``vendor_requirements``). The lock written there lists exactly the files served, so
  micropip finds everything on the site's own origin and never asks another host.

Files come from ``runtime_dir`` (``<dir>/stlite/``, ``<dir>/pyodide/``) or are downloaded from
``mirror_url`` into the user cache (``downloads``). Anything else in ``_stlite_docs/runtime/``
is removed, so the folder always holds exactly one build's runtime.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from . import (
    MIRROR_PYODIDE_CORE_PATH,
    MIRROR_PYODIDE_PATH,
    MIRROR_STLITE_PATH,
    PYODIDE_VERSION,
    SELFHOST_DIR,
    SELFHOST_PYODIDE_DIR,
    SELFHOST_STLITE_URL,
    STLITE_VERSION,
)
from .downloads import Download, DownloadError, copy_verified, download_all, file_sha256, key_of, runtime_cache, verified
from .pins import PYODIDE_CORE, load_pins, wheel_entry

if TYPE_CHECKING:  # the runtime package imports nothing of the core: settings come in whole
    from ..core.settings import SiteSettings

LOCK = "pyodide-lock.json"
#: Lock keys that are ours (resolution), not Pyodide's.
_PRIVATE_KEYS = ("requires",)


class SelfHostError(RuntimeError):
    """The runtime cannot be assembled (a missing or altered file, a failed download): the
    message says which file or URL, and the build stops."""


@dataclass(frozen=True)
class Need:
    """A requirement of an app; ``where`` is the front-end's location of its block, handed
    back with any problem about it."""

    requirement: str
    where: Any = None


@dataclass
class Result:
    #: (where, problem) for requirements the site cannot serve
    #: (where, message) for requirements the site cannot serve (each a located ``requirement`` warning)
    problems: list[tuple[Any, str]] = field(default_factory=list)
    #: every file written, as site paths, with its size
    files: dict[str, int] = field(default_factory=dict)
    #: the packages of the served lock
    packages: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(self.files.values())


# ---------------------------------------------------------------------- where files come from
class Source:
    """Gives verified local paths of runtime files."""

    label: str

    def stlite_files(self) -> dict[str, Path]: ...
    def core_files(self) -> dict[str, Path]: ...
    def lock(self) -> dict: ...
    def wheels(self, entries: list[dict]) -> dict[str, Path]: ...


class LocalSource(Source):
    """``runtime_dir``: ``<dir>/stlite/`` (a stlite build/ folder), ``<dir>/pyodide/``."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.label = str(root)
        if not (self.root / "stlite").is_dir() or not (self.root / "pyodide").is_dir():
            raise SelfHostError(
                f"runtime_dir {self.root} must hold stlite/ (the build/ folder of @stlite/browser "
                f"{STLITE_VERSION}) and pyodide/ (Pyodide {PYODIDE_VERSION}); `stlite-docs fetch --dest DIR` makes one"
            )

    def _checked(self, path: Path, sha256: str | None, what: str) -> Path:
        if not path.is_file():
            raise SelfHostError(f"{path} is missing: {what}")
        if sha256 is not None and file_sha256(path) != sha256:
            raise SelfHostError(f"{path} differs from {what} (sha256 mismatch): replace it with the original file")
        return path

    def stlite_files(self) -> dict[str, Path]:
        files = load_pins()["stlite"]["files"]
        what = f"runtime_dir must hold @stlite/browser {STLITE_VERSION}'s build/ folder as stlite/"
        return {rel: self._checked(self.root / "stlite" / rel, sha, what) for rel, (sha, _size) in files.items()}

    def core_files(self) -> dict[str, Path]:
        core = load_pins()["pyodide"]["core"]
        what = f"runtime_dir must hold Pyodide {PYODIDE_VERSION} as pyodide/"
        # The lock may be the distribution's or one extended with more wheels (a fetched folder).
        return {
            name: self._checked(self.root / "pyodide" / name, None if name == LOCK else core[name][0], what)
            for name in PYODIDE_CORE
        }

    def lock(self) -> dict:
        return _read_lock(self.root / "pyodide" / LOCK)

    def wheels(self, entries: list[dict]) -> dict[str, Path]:
        return {
            e["file_name"]: self._checked(
                self.root / "pyodide" / e["file_name"],
                e["sha256"],
                f"the file that {self.root / 'pyodide' / LOCK} lists for {e['name']}",
            )
            for e in entries
        }


class MirrorSource(Source):
    """Downloads from ``mirror_url`` (jsDelivr's layout) into the user cache."""

    def __init__(self, mirror_url: str, cache: Path | None = None, progress: bool = True):
        self.mirror = mirror_url
        self.cache = Path(cache) if cache else runtime_cache()
        self.progress = progress
        self.label = mirror_url

    @property
    def stlite_dir(self) -> Path:
        return self.cache / f"stlite-{STLITE_VERSION}"

    @property
    def pyodide_dir(self) -> Path:
        return self.cache / f"pyodide-{PYODIDE_VERSION}"

    def _get(self, items: list[Download], label: str) -> None:
        try:
            download_all(items, label, self.progress)
        except DownloadError as exc:
            raise SelfHostError(f"{exc} (mirror_url: {self.mirror})") from None

    def stlite_files(self) -> dict[str, Path]:
        files = load_pins()["stlite"]["files"]
        base = self.mirror + MIRROR_STLITE_PATH
        items = [Download(base + rel, self.stlite_dir / rel, sha, size) for rel, (sha, size) in files.items()]
        self._get(items, f"stlite {STLITE_VERSION}")
        return {rel: self.stlite_dir / rel for rel in files}

    def core_files(self) -> dict[str, Path]:
        core = load_pins()["pyodide"]["core"]
        base = self.mirror + MIRROR_PYODIDE_CORE_PATH
        self._get(
            [Download(base + name, self.pyodide_dir / name, sha, size) for name, (sha, size) in core.items()],
            f"Pyodide {PYODIDE_VERSION} core",
        )
        return {name: self.pyodide_dir / name for name in core}

    def lock(self) -> dict:
        return _read_lock(self.core_files()[LOCK])

    def wheels(self, entries: list[dict]) -> dict[str, Path]:
        base = self.mirror + MIRROR_PYODIDE_PATH
        self._get(
            [Download(base + e["file_name"], self.pyodide_dir / e["file_name"], e["sha256"]) for e in entries],
            f"Pyodide {PYODIDE_VERSION} packages",
        )
        return {e["file_name"]: self.pyodide_dir / e["file_name"] for e in entries}


def _read_lock(path: Path) -> dict:
    try:
        lock = json.loads(path.read_text(encoding="utf-8"))
        lock["packages"]  # noqa: B018 - it must have them
        return lock
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SelfHostError(f"{path} is not a readable pyodide-lock.json: {exc}") from None


def source_for(settings: SiteSettings, base_dir: Path | None = None, progress: bool = True) -> Source:
    if settings.runtime_dir:
        root = Path(os.path.expanduser(settings.runtime_dir))
        if not root.is_absolute() and base_dir is not None:
            root = Path(base_dir) / root
        return LocalSource(root)
    return MirrorSource(settings.mirror_url, progress=progress)


# ---------------------------------------------------------------------- PyPI wheels
class Vendor:
    """Pure-Python wheels from PyPI (through pip, so its index settings apply), cached."""

    def __init__(self, cache: Path | None = None, local: Path | None = None):
        self.folder = (Path(cache) if cache else runtime_cache()) / "pypi"
        #: a folder that may hold the wheels already (a runtime_dir's pyodide/)
        self.local = local

    def pinned(self, entry: dict) -> Path:
        """A wheel our pins name, checked against their sha256."""
        for candidate in ([self.local / entry["file_name"]] if self.local else []) + [self.folder / entry["file_name"]]:
            if verified(candidate, entry["sha256"]):
                return candidate
        path = self._pip(f"{entry['name']}=={entry['version']}")
        if file_sha256(path) != entry["sha256"]:
            raise SelfHostError(f"{entry['file_name']} from PyPI differs from the pinned sha256 {entry['sha256']}")
        return path

    def resolve(self, requirement: str) -> dict:
        """The lock entry of a pure wheel for ``requirement``; raises ``VendorProblem``.

        The choice is cached by requirement, so later builds serve the same wheel (offline, and
        without drifting to newer releases); the wheel itself is checked by sha256 on use."""
        record = self.folder / "requirements" / f"{key_of(requirement, '3.13')[:32]}.json"
        try:
            known = json.loads(record.read_text(encoding="utf-8"))
            path = self.folder / known["file_name"]
            if verified(path, known["sha256"]):
                return wheel_entry(path.name, path.read_bytes())
        except (OSError, ValueError, KeyError, TypeError):
            pass
        path = self._pip(requirement)
        entry = wheel_entry(path.name, path.read_bytes())
        _write_atomic(record, json.dumps({"file_name": entry["file_name"], "sha256": entry["sha256"]}).encode())
        return entry

    def _pip(self, requirement: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder, prefix=".pip-") as tmp:
            command = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--platform",
                "any",
                "--python-version",
                "3.13",
                "--implementation",
                "py",
                "--dest",
                tmp,
                requirement,
            ]
            try:
                proc = subprocess.run(command, capture_output=True, text=True, timeout=600)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise VendorProblem(f"could not run pip to fetch {requirement!r}: {exc}") from None
            wheels = sorted(Path(tmp).glob("*.whl"))
            if proc.returncode != 0 or not wheels:
                lines = [line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
                reason = next((line for line in lines if line.startswith("ERROR:")), lines[-1] if lines else "no wheel")
                raise VendorProblem(
                    f"requirement {requirement!r} has no pure-Python wheel that pip can fetch ({reason}); "
                    "Pyodide's lock does not provide it either, so the site cannot serve it"
                )
            target = self.folder / wheels[0].name
            os.replace(wheels[0], target)
            return target


class VendorProblem(Exception):
    pass


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


# ---------------------------------------------------------------------- the closure
@dataclass
class Plan:
    #: canonical name -> lock entry, from the lock or added (PyPI wheels)
    packages: dict[str, dict]
    #: file name -> local path, for the added wheels
    added: dict[str, Path]
    problems: list[tuple[Any, str]]


def resolve(lock: dict, needs: Iterable[Need], vendor: Vendor | None, vendor_requirements: bool) -> Plan:
    """The packages to serve: what stlite installs, then every app requirement, each with its
    closure (``depends`` in the lock; Requires-Dist for added wheels), first come first served.
    """
    entries = {canonicalize_name(name): entry for name, entry in lock["packages"].items()}
    pins = load_pins()
    chosen: dict[str, dict] = {}
    added: dict[str, Path] = {}
    problems: list[tuple[Any, str]] = []
    reported: set[tuple[str, Any]] = set()
    queue: list[tuple[Requirement, Any, bool]] = [(Requirement(r), None, True) for r in pins["requirements"]]
    for need in needs:
        try:
            queue.append((Requirement(need.requirement), need.where, False))
        except InvalidRequirement:
            continue  # the block's own validation reported it

    def problem(where, text: str) -> None:
        if (text, repr(where)) not in reported:
            reported.add((text, repr(where)))
            problems.append((where, text))

    while queue:
        req, where, system = queue.pop(0)
        name = canonicalize_name(req.name)
        if name in chosen:
            if not req.specifier.contains(chosen[name]["version"], prereleases=True):
                problem(
                    where,
                    f"requirement {str(req)!r} conflicts with {name} {chosen[name]['version']}, which the site "
                    "serves (what stlite installs and the requirements before it come first)",
                )
            continue
        entry = entries.get(name)
        if entry is not None and req.specifier.contains(entry["version"], prereleases=True):
            chosen[name] = entry
            queue += [(Requirement(dep), where, system) for dep in entry.get("depends", [])]
            continue
        pinned = pins["pypi"].get(name)
        if pinned is not None and req.specifier.contains(pinned["version"], prereleases=True) and vendor is not None:
            chosen[name] = {k: v for k, v in pinned.items()}
            added[pinned["file_name"]] = vendor.pinned(pinned)
            queue += [(Requirement(r), where, system) for r in pinned.get("requires", [])]
            continue
        if system:
            raise SelfHostError(f"stlite needs {str(req)!r}, which neither Pyodide's lock nor the pinned wheels provide")
        if not vendor_requirements or vendor is None:
            in_lock = f" (the lock has {entry['version']})" if entry else ""
            problem(
                where,
                f"requirement {str(req)!r} is not in Pyodide {PYODIDE_VERSION}'s lock{in_lock}: readers' "
                "browsers will fetch it from PyPI; set vendor_requirements to serve it from the site",
            )
            continue
        try:
            found = vendor.resolve(str(req))
        except VendorProblem as exc:
            problem(where, str(exc))
            continue
        chosen[name] = found
        added[found["file_name"]] = vendor.folder / found["file_name"]
        queue += [(Requirement(r), where, False) for r in found.get("requires", [])]
    return Plan(chosen, added, problems)


def served_lock(lock: dict, plan: Plan) -> bytes:
    """The lock the site serves: Pyodide's ``info``, and exactly the packages it serves."""
    packages = {}
    for name in sorted(plan.packages):
        entry = {k: v for k, v in plan.packages[name].items() if k not in _PRIVATE_KEYS}
        entry["depends"] = [d for d in entry.get("depends", []) if canonicalize_name(d) in plan.packages]
        packages[name] = entry
    return (json.dumps({"info": lock.get("info", {}), "packages": packages}, sort_keys=True, indent=1) + "\n").encode()


# ---------------------------------------------------------------------- the site
#: Where the runtime goes: (stlite folder, Pyodide folder, the folders it owns), from the root.
SITE_LAYOUT = (SELFHOST_STLITE_URL, SELFHOST_PYODIDE_DIR, (SELFHOST_DIR,))
#: The layout of a ``runtime_dir`` (what ``stlite-docs fetch --dest`` fills).
RUNTIME_DIR_LAYOUT = ("stlite/", "pyodide/", ("stlite", "pyodide"))


def materialize(
    site_dir: Path,
    needs: Iterable[Need],
    settings: SiteSettings,
    base_dir: Path | None = None,
    progress: bool = True,
    source: Source | None = None,
    vendor: Vendor | None = None,
    layout: tuple = SITE_LAYOUT,
) -> Result:
    """Write the self-hosted runtime into ``site_dir`` (see the module docstring)."""
    stlite_dir, pyodide_dir, owned = layout
    source = source or source_for(settings, base_dir, progress)
    if vendor is None:
        vendor = Vendor(local=source.root / "pyodide" if isinstance(source, LocalSource) else None)
    stlite = source.stlite_files()
    core = source.core_files()
    lock = _read_lock(core[LOCK])
    plan = resolve(lock, needs, vendor, settings.vendor_requirements)
    from_lock = [e for name, e in sorted(plan.packages.items()) if e["file_name"] not in plan.added]
    wheels = source.wheels(from_lock)

    pins = load_pins()
    wanted: dict[str, tuple[Path | bytes, str | None]] = {}
    for rel, path in stlite.items():
        wanted[stlite_dir + rel] = (path, pins["stlite"]["files"][rel][0])
    for name, path in core.items():
        if name != LOCK:
            wanted[pyodide_dir + name] = (path, pins["pyodide"]["core"][name][0])
    wanted[pyodide_dir + LOCK] = (served_lock(lock, plan), None)
    for entry in plan.packages.values():
        path = plan.added.get(entry["file_name"]) or wheels[entry["file_name"]]
        wanted[pyodide_dir + entry["file_name"]] = (path, entry["sha256"])

    result = Result(problems=plan.problems, packages=sorted(plan.packages))
    site_dir = Path(site_dir)
    for rel in sorted(wanted):
        content, sha = wanted[rel]
        dest = site_dir / rel
        if isinstance(content, bytes):
            if not (dest.is_file() and dest.read_bytes() == content):
                _write_atomic(dest, content)
            result.files[rel] = len(content)
            continue
        if not verified(dest, sha):
            try:
                copy_verified(content, dest, sha)
            except DownloadError as exc:
                raise SelfHostError(str(exc)) from None
        result.files[rel] = dest.stat().st_size
    for folder in owned:
        _prune(site_dir / folder, {site_dir / rel for rel in wanted})
    return result


def _prune(folder: Path, keep: set[Path]) -> None:
    """Remove what an earlier build left in our folder and this one does not write."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*"), reverse=True):
        if path.is_file() or path.is_symlink():
            if path not in keep:
                path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def describe(result: Result) -> str:
    return (
        f"self-hosted runtime: {len(result.files)} files, {result.size / 1e6:.1f} MB, "
        f"{len(result.packages)} Python packages (stlite {STLITE_VERSION}, Pyodide {PYODIDE_VERSION})"
    )


__all__ = [
    "Need",
    "Result",
    "SelfHostError",
    "materialize",
    "resolve",
    "served_lock",
    "LocalSource",
    "MirrorSource",
    "Vendor",
    "describe",
    "source_for",
]
