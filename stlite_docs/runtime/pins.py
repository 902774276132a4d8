"""What stlite-docs knows about the pinned runtime, shipped as ``data/runtime-pins.json``.

- ``stlite``: every file of ``@stlite/browser``'s ``build/`` folder except source maps, with its
  sha256 and size (what a download fetches and checks; a CDN has no directory listing), and
  the Subresource Integrity (sha384) of ``stlite.js`` and ``stlite.css``.
- ``pyodide``: the core files of the Pyodide distribution, with sha256 and size.
- ``requirements``: what stlite installs before any app's own requirements (micropip, the
  protobuf it asks for, and the Requires-Dist of its Streamlit and stlite_lib wheels).
- ``pypi``: the pure-Python wheels of those that Pyodide's lock does not provide (or not at a
  version stlite accepts), with sha256, ready to be added to a served lock.

``compute_pins`` derives all this from the npm tarballs (``scripts/generate_runtime_pins.py``
writes the file; a test recomputes it).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import re
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PINS_FILE = Path(__file__).resolve().parent / "data" / "runtime-pins.json"

#: Pyodide's core files that a page needs (``pyodide.mjs`` loads the other four).
PYODIDE_CORE = ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")
#: What stlite 1.9.2's worker installs besides its two wheels: ``loadPackage("micropip")``,
#: then ``micropip.install(["protobuf>=7.34.1,<8", <streamlit wheel>, <stlite_lib wheel>])``.
STLITE_SYSTEM_REQUIREMENTS = ("micropip", "protobuf>=7.34.1,<8")
#: The wheels of stlite's build that micropip installs from the stlite folder.
STLITE_WHEELS = ("streamlit", "stlite_lib")

#: The environment markers of Pyodide 0.29 (Python 3.13 on Emscripten), for Requires-Dist.
PYODIDE_MARKERS = {
    "implementation_name": "cpython",
    "implementation_version": "3.13.2",
    "os_name": "posix",
    "platform_machine": "wasm32",
    "platform_python_implementation": "CPython",
    "platform_release": "4.0.9",
    "platform_system": "Emscripten",
    "platform_version": "#1",
    "python_full_version": "3.13.2",
    "python_version": "3.13",
    "sys_platform": "emscripten",
    "extra": "",
}


@functools.lru_cache(maxsize=1)
def load_pins() -> dict[str, Any]:
    return json.loads(PINS_FILE.read_text(encoding="utf-8"))


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


def runtime_requirements(metadata: bytes | str) -> list[str]:
    """The Requires-Dist of a wheel's METADATA that apply in Pyodide without extras."""
    text = metadata.decode("utf-8") if isinstance(metadata, bytes) else metadata
    found = []
    for value in HeaderParser().parsestr(text).get_all("Requires-Dist") or []:
        req = Requirement(value)
        if req.marker is None or req.marker.evaluate(dict(PYODIDE_MARKERS)):
            req.marker = None
            found.append(str(req))
    return found


def wheel_metadata(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = next(n for n in archive.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        return archive.read(name)


def wheel_imports(data: bytes) -> list[str]:
    """Top-level import names a wheel provides (packages and modules), for a lock's ``imports``."""
    names = set()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.namelist():
            top = entry.split("/", 1)[0]
            if top.endswith((".dist-info", ".data")):
                continue
            if "/" in entry:
                names.add(top)
            elif top.endswith(".py"):
                names.add(top[:-3])
    return sorted(n for n in names if n.isidentifier())


def wheel_entry(file_name: str, data: bytes) -> dict[str, Any]:
    """A pyodide-lock.json package entry for a pure-Python wheel."""
    metadata = HeaderParser().parsestr(wheel_metadata(data).decode("utf-8"))
    return {
        "name": canonicalize_name(metadata["Name"]),
        "version": metadata["Version"],
        "file_name": file_name,
        "install_dir": "site",
        "sha256": hashlib.sha256(data).hexdigest(),
        "package_type": "package",
        "imports": wheel_imports(data),
        "depends": [str(canonicalize_name(Requirement(r).name)) for r in runtime_requirements(wheel_metadata(data))],
        "requires": runtime_requirements(wheel_metadata(data)),
        "unvendored_tests": False,
        "shared_library": False,
    }


def compute_pins(stlite_tgz: Path, pyodide_tgz: Path, pypi_wheels: list[Path]) -> dict[str, Any]:
    stlite_files: dict[str, list] = {}
    integrity: dict[str, str] = {}
    requirements = list(STLITE_SYSTEM_REQUIREMENTS)
    with tarfile.open(stlite_tgz) as archive:
        version = json.load(archive.extractfile("package/package.json"))["version"]
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if not member.isfile() or not member.name.startswith("package/build/") or member.name.endswith(".map"):
                continue
            rel = member.name[len("package/build/") :]
            data = archive.extractfile(member).read()
            stlite_files[rel] = [hashlib.sha256(data).hexdigest(), len(data)]
            if rel in ("stlite.js", "stlite.css"):
                integrity[rel] = sri(data)
            if rel.startswith("wheels/") and re.match(r"wheels/(streamlit|stlite_lib)-", rel):
                requirements += runtime_requirements(wheel_metadata(data))
    core: dict[str, list] = {}
    with tarfile.open(pyodide_tgz) as archive:
        pyodide_version = json.load(archive.extractfile("package/package.json"))["version"]
        for name in PYODIDE_CORE:
            data = archive.extractfile(f"package/{name}").read()
            core[name] = [hashlib.sha256(data).hexdigest(), len(data)]
    pypi = {}
    for path in pypi_wheels:
        entry = wheel_entry(path.name, path.read_bytes())
        pypi[entry["name"]] = entry
    return {
        "stlite": {"version": version, "integrity": integrity, "files": stlite_files},
        "pyodide": {"version": pyodide_version, "core": core},
        "requirements": requirements,
        "pypi": pypi,
    }
