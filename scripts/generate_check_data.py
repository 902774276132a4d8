#!/usr/bin/env python3
"""Generate the data of the ``imports`` check (``stlite_docs/check/data/``). Run by hand.

    .venv/bin/python scripts/generate_check_data.py [PYODIDE_TGZ] [--stlite TGZ] [--python EXE] [--out DIR]

It reads three things and writes three JSON files, sorted and one entry a line so a new
release shows up as a readable diff:

``stdlib-3.13.json``, from a real Python 3.13 (``--python``, else ``$STLITE_DOCS_PYTHON313``,
else ``python3.13`` on PATH, else a pyenv install; it fails if none of them is a 3.13):
    ``modules``: ``sys.stdlib_module_names``, the standard library's top-level modules.

``pyodide-<version>.json``, from the npm tarball of Pyodide (``npm pack pyodide@0.29.3``):
    ``packages``: every package of ``pyodide-lock.json`` with its import names and direct
    dependencies (lock keys). Left out: the ``*-tests`` packages (test suites of other
    packages) and shared libraries without import names (their dependencies are passed on
    to the packages that need them). A lock import name that is not an identifier (the lock
    has ``matplotlib-inline``) is replaced by the package name with ``-`` as ``_``.
    ``unvendored``: true for the standard-library modules Pyodide ships as separate packages
    (``sqlite3``, ``ssl``, ``lzma``...): they are loaded like any package, only when asked for.
    ``builtin``: modules Pyodide adds outside the standard library: the top-level modules of
    ``python_stdlib.zip`` that are not standard (``pyodide``, ``_pyodide``...) and the JS
    modules ``pyodide.asm.js`` registers (``js``, ``pyodide_js``).
    ``missing_stdlib``: standard-library modules that Pyodide does not have: neither in
    ``python_stdlib.zip``, nor a C module compiled into ``pyodide.asm.wasm`` (its
    ``PyInit_<name>`` symbols), nor a package of the lock, nor one of the interpreter's core
    modules (``sys``, ``builtins``...). For 0.29.3: ``tkinter``, ``curses``, ``pwd``...

``stlite-<version>.json``, from the npm tarball of ``@stlite/browser`` (``npm pack
@stlite/browser@1.9.2``): what an app can import without declaring anything, because stlite
installs it before the app runs. stlite's worker (base64 inside ``build/*.js``) does:

    await pyodide.loadPackage("micropip")
    micropip.add_mock_package("pyarrow", ...)           # a stub: imports, but fails on use
    micropip.install(["protobuf>=...", <streamlit wheel>, <stlite_lib wheel>, ...requirements])

The wheels are in ``build/wheels/``. The generator takes ``micropip``, the mock's name, the
literal requirements installed with the wheels and the wheels' ``Requires-Dist`` (markers
evaluated for Pyodide: ``sys_platform == "emscripten"``, no extras), and follows their
dependencies: through the lock for lock packages (micropip prefers them), through
``OFF_LOCK`` below for those micropip fetches from the package index. It fails when the worker
code no longer matches these patterns, or when a dependency is in neither, so a new stlite
release cannot silently change the list. ``imports`` is the union of their import names;
``distributions`` lists them.

stlite's ``mount()`` does not pass ``moduleAutoLoad`` to its kernel (default: off), so a
Pyodide package that is not in that list is *not* loaded when an app imports it: it must be
in the requirements. The generator fails if ``build/stlite.js`` starts mentioning
``moduleAutoLoad``, so that assumption gets re-checked (``stlite_docs/check/imports.py``).
"""

from __future__ import annotations

import argparse
import base64
import glob
import io
import json
import keyword
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import HeaderParser
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PYODIDE = ROOT / ".cache" / "npm" / "pyodide-0.29.3.tgz"
DEFAULT_STLITE = ROOT / ".cache" / "npm" / "stlite-browser-1.9.2.tgz"
DEFAULT_OUT = ROOT / "stlite_docs" / "check" / "data"
PYTHON_VARIABLE = "STLITE_DOCS_PYTHON313"

#: Packages stlite's install pulls from the package index rather than the Pyodide lock, with
#: their import names and dependencies, read from their wheels (blinker 1.9.0, itsdangerous
#: 2.2.0, python-multipart 0.0.x). A new one makes the generator fail until it is added here.
OFF_LOCK: dict[str, dict[str, list[str]]] = {
    "blinker": {"imports": ["blinker"], "depends": []},
    "itsdangerous": {"imports": ["itsdangerous"], "depends": []},
    "python-multipart": {"imports": ["multipart", "python_multipart"], "depends": []},
}

#: Always there, without a ``PyInit_`` symbol or a file: the interpreter's own modules.
CORE_MODULES = {"builtins", "sys", "marshal", "_warnings", "_frozen_importlib", "_frozen_importlib_external"}

#: The environment markers of Pyodide 0.29.3 (``python_full_version`` is filled in from the lock).
PYODIDE_MARKERS = {
    "os_name": "posix",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "platform_release": "",
    "platform_version": "",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "extra": "",
}

_STDLIB_SCRIPT = "import sys, json; print(json.dumps({'version': sys.version.split()[0], 'modules': sorted(sys.stdlib_module_names)}))"


class Failure(Exception):
    """A clear reason to stop; printed without a traceback."""


# ----------------------------------------------------------------------------- Python 3.13
def python_candidates(explicit: str | None) -> list[str]:
    if explicit:
        return [explicit]
    found = [os.environ.get(PYTHON_VARIABLE), shutil.which("python3.13")]
    pyenv = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    found += sorted(glob.glob(os.path.join(pyenv, "versions", "3.13*", "bin", "python3.13")), reverse=True)
    return [c for c in found if c]


def stdlib_of(explicit: str | None) -> dict:
    """``{"version": "3.13.x", "modules": [...]}`` from the first working Python 3.13."""
    tried = []
    for candidate in python_candidates(explicit):
        try:
            done = subprocess.run([candidate, "-I", "-c", _STDLIB_SCRIPT], capture_output=True, text=True, timeout=60)
            info = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, subprocess.SubprocessError, ValueError):
            info = None
        if info and info["version"].startswith("3.13."):
            return info
        tried.append(f"{candidate} ({info['version'] if info else 'does not run'})")
    raise Failure(
        "no Python 3.13 found (tried: " + (", ".join(tried) or "nothing") + "); "
        f"pass --python /path/to/python3.13 or set {PYTHON_VARIABLE}"
    )


# ----------------------------------------------------------------------------- tarballs
def read_tar(path: Path) -> dict[str, bytes]:
    if not path.is_file():
        raise Failure(f"{path} not found: create it with `npm pack` in {path.parent} (see this script's docstring)")
    members: dict[str, bytes] = {}
    with tarfile.open(path, "r:gz") as tar:
        for member in tar.getmembers():
            if member.isfile():
                members[member.name] = tar.extractfile(member).read()
    return members


def package_version(members: dict[str, bytes], path: Path) -> str:
    try:
        return json.loads(members["package/package.json"])["version"]
    except (KeyError, ValueError) as exc:
        raise Failure(f"{path}: no usable package/package.json ({exc})") from None


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


# ----------------------------------------------------------------------------- Pyodide
def pyodide_data(members: dict[str, bytes], path: Path, stdlib: list[str]) -> dict:
    version = package_version(members, path)
    try:
        lock = json.loads(members["package/pyodide-lock.json"])
        zip_bytes = members["package/python_stdlib.zip"]
        asm_js = members["package/pyodide.asm.js"].decode("utf-8", "replace")
        wasm = members["package/pyodide.asm.wasm"]
    except KeyError as exc:
        raise Failure(f"{path} has no {exc.args[0]}: is it the npm tarball of pyodide?") from None
    entries = lock["packages"]

    packages: dict[str, dict] = {}
    kept = {key for key, entry in entries.items() if not key.endswith("-tests") and entry.get("imports")}

    def direct(key: str, seen: set[str]) -> set[str]:
        """Direct dependencies among kept packages, passing through the ones left out."""
        result: set[str] = set()
        for dep in entries.get(key, {}).get("depends", []):
            dep = canonicalize_name(dep)
            if dep in kept:
                result.add(dep)
            elif dep in entries and dep not in seen:
                seen.add(dep)
                result |= direct(dep, seen)
        return result

    for key in sorted(kept):
        entry = entries[key]
        imports = sorted({name if is_identifier(name) else key.replace("-", "_") for name in entry["imports"]})
        item: dict = {"imports": imports, "depends": sorted(direct(key, {key}) - {key})}
        if entry.get("package_type") == "cpython_module":
            item["unvendored"] = True
        packages[key] = item

    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        tops = set()
        for name in archive.namelist():
            top = name.split("/", 1)[0]
            top = re.sub(r"\.pyc?$", "", top) if "/" not in name else top
            tops.add(top)
    inits = set(re.findall(rb"PyInit_([A-Za-z0-9_]+)", wasm))
    inits = {name.decode() for name in inits}
    if len(inits) < 30:
        raise Failure(f"only {len(inits)} PyInit_ symbols in pyodide.asm.wasm: cannot tell its C modules any more")
    js_modules = set(re.findall(r'register_js_module\("([A-Za-z_][A-Za-z0-9_]*)"', asm_js))
    if not js_modules:
        raise Failure("pyodide.asm.js registers no JS module any more (register_js_module(\"js\", ...))")
    std = set(stdlib)
    lock_imports = {name for item in packages.values() for name in item["imports"]}
    builtin = sorted({t for t in tops if is_identifier(t) and t not in std} | js_modules)
    missing = sorted(std - tops - inits - lock_imports - CORE_MODULES)
    return {
        "pyodide": version,
        "python": lock.get("info", {}).get("python", ""),
        "builtin": builtin,
        "missing_stdlib": missing,
        "packages": packages,
    }


# ----------------------------------------------------------------------------- stlite
def _wheel_info(data: bytes) -> tuple[str, str, list[str], list[str]]:
    """(name, version, top-level import names, Requires-Dist) of a wheel."""
    with zipfile.ZipFile(io.BytesIO(data)) as wheel:
        names = wheel.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = HeaderParser().parsestr(wheel.read(meta_name).decode("utf-8"))
        # From the files themselves: streamlit's top_level.txt names a "dist" it does not ship.
        tops = {re.sub(r"\.(py|pyc|so)$", "", n.split("/", 1)[0]) for n in names if ".dist-info/" not in n and ".data/" not in n}
        tops = sorted(t for t in tops if is_identifier(t))
    return meta["Name"], meta["Version"], tops, meta.get_all("Requires-Dist") or []


def _worker_code(members: dict[str, bytes]) -> str:
    for name, data in sorted(members.items()):
        if name.startswith("package/build/") and name.endswith(".js"):
            for encoded in re.findall(rb"data:text/javascript;base64,([A-Za-z0-9+/=]+)", data):
                code = base64.b64decode(encoded).decode("utf-8", "replace")
                if "micropip" in code:
                    return code
    raise Failure("no worker code (a base64 data:text/javascript module using micropip) in build/*.js")


def stlite_data(members: dict[str, bytes], path: Path, pyodide: dict, lock_python: str) -> dict:
    version = package_version(members, path)
    if b"moduleAutoLoad" in members.get("package/build/stlite.js", b""):
        raise Failure(
            "build/stlite.js mentions moduleAutoLoad: check whether mount() now loads Pyodide packages "
            "on import, and update stlite_docs/check/imports.py (MODULE_AUTOLOAD) and this script"
        )
    worker = _worker_code(members)
    loaded = re.findall(r'\bloadPackage\("([^"]+)"\)', worker)
    mocks = re.findall(r'add_mock_package\.callKwargs\("([^"]+)"', worker)
    system = re.search(r'((?:\w+\.push\("[^"]+"\),\s*)+)\w+\.push\(\w+\.streamlit\)', worker)
    if not loaded or not mocks or not system:
        raise Failure(
            "stlite's worker no longer matches loadPackage(\"micropip\") / add_mock_package(\"pyarrow\") / "
            "push(\"protobuf...\"), push(wheels.streamlit): read it and update this script"
        )
    literal = re.findall(r'\.push\("([^"]+)"\)', system.group(1))

    wheels = {}
    for name, data in sorted(members.items()):
        if name.startswith("package/build/wheels/") and name.endswith(".whl"):
            dist, dist_version, tops, requires = _wheel_info(data)
            wheels[canonicalize_name(dist)] = (dist_version, tops, requires)
    if "streamlit" not in wheels:
        raise Failure("no streamlit wheel in build/wheels/")

    env = dict(PYODIDE_MARKERS)
    env["python_full_version"] = lock_python or "3.13.0"
    env["python_version"] = ".".join(env["python_full_version"].split(".")[:2])

    def wanted(spec: str) -> str | None:
        req = Requirement(spec)
        if req.marker is not None and not Marker(str(req.marker)).evaluate(env):
            return None
        return canonicalize_name(req.name)

    lock = pyodide["packages"]
    todo = [*loaded, *(dep for dep in map(wanted, literal) if dep), *wheels]
    distributions: set[str] = set()
    imports: set[str] = set(mocks)
    while todo:
        name = canonicalize_name(todo.pop())
        if name in distributions:
            continue
        distributions.add(name)
        if name in wheels:
            _, tops, requires = wheels[name]
            imports.update(tops)
            todo += [dep for dep in map(wanted, requires) if dep]
        elif name in lock:
            imports.update(lock[name]["imports"])
            todo += lock[name]["depends"]
        elif name in OFF_LOCK:
            imports.update(OFF_LOCK[name]["imports"])
            todo += OFF_LOCK[name]["depends"]
        else:
            raise Failure(f"stlite installs {name!r}, which is neither in pyodide-lock.json nor in OFF_LOCK: add it there")
    return {
        "stlite": version,
        "pyodide": pyodide["pyodide"],
        "streamlit": wheels["streamlit"][0],
        "module_autoload": False,
        "mocks": sorted(mocks),
        "distributions": sorted(distributions),
        "imports": sorted(imports),
    }


# ----------------------------------------------------------------------------- output
def dumps(data: dict) -> str:
    """JSON with one top-level key a line, one list item or mapping entry a line below it,
    and anything deeper compact: small diffs, stable order."""
    compact = lambda value: json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))  # noqa: E731
    lines = ["{"]
    keys = list(data)
    for i, key in enumerate(keys):
        value = data[key]
        end = "," if i < len(keys) - 1 else ""
        if isinstance(value, dict) and value:
            lines.append(f"  {json.dumps(key)}: {{")
            items = sorted(value.items())
            lines += [f"    {json.dumps(k)}: {compact(v)}" + ("," if j < len(items) - 1 else "") for j, (k, v) in enumerate(items)]
            lines.append("  }" + end)
        elif isinstance(value, list) and value:
            lines.append(f"  {json.dumps(key)}: [")
            lines += [f"    {compact(v)}" + ("," if j < len(value) - 1 else "") for j, v in enumerate(value)]
            lines.append("  ]" + end)
        else:
            lines.append(f"  {json.dumps(key)}: {compact(value)}{end}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate(pyodide_tgz: Path, stlite_tgz: Path, python: str | None, out: Path) -> list[Path]:
    stdlib = stdlib_of(python)
    pyodide = pyodide_data(read_tar(pyodide_tgz), pyodide_tgz, stdlib["modules"])
    stlite = stlite_data(read_tar(stlite_tgz), stlite_tgz, pyodide, pyodide["python"])
    minor = ".".join(stdlib["version"].split(".")[:2])
    files = {
        out / f"stdlib-{minor}.json": {"python": stdlib["version"], "modules": stdlib["modules"]},
        out / f"pyodide-{pyodide['pyodide']}.json": pyodide,
        out / f"stlite-{stlite['stlite']}.json": stlite,
    }
    out.mkdir(parents=True, exist_ok=True)
    for path, data in files.items():
        path.write_text(dumps(data), encoding="utf-8")
    return list(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pyodide", nargs="?", type=Path, default=DEFAULT_PYODIDE, help=f"Pyodide npm tarball (default {DEFAULT_PYODIDE.relative_to(ROOT)})")
    parser.add_argument("--stlite", type=Path, default=DEFAULT_STLITE, help=f"@stlite/browser npm tarball (default {DEFAULT_STLITE.relative_to(ROOT)})")
    parser.add_argument("--python", help=f"a Python 3.13 interpreter (default: ${PYTHON_VARIABLE}, python3.13 on PATH, pyenv)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        written = generate(args.pyodide, args.stlite, args.python, args.out)
    except Failure as exc:
        print(f"generate_check_data: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
