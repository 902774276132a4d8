"""Helpers for the self-hosting tests: an npm-made runtime folder, a logging server, and a
Chromium that can resolve no host but 127.0.0.1.

``npm_runtime_dir`` builds a ``runtime_dir`` (``stlite/`` + ``pyodide/``) from the npm tarballs
``scripts/test`` packs. The npm Pyodide package has the core but no package wheels, so the
folder gets a test-made lock: Pyodide's own lock, whose entries for the packages a site needs
point at small stand-in wheel files (their sha256 written into that lock). Everything about
stlite and Pyodide's core in it is the real thing; the stand-in wheels are named as such.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import tarfile
import threading
import urllib.parse
import zipfile
from pathlib import Path

import pytest

from support.chromium import ARGS, CHROMIUM, require_chromium
from support.server import serve

NPM_CACHE = Path(os.environ.get("STLITE_DOCS_NPM_CACHE", Path(__file__).resolve().parents[2] / ".cache" / "npm"))
NPM_TARBALLS = {"stlite": "stlite-browser-1.9.2.tgz", "pyodide": "pyodide-0.29.3.tgz"}
#: Chromium that resolves no host name at all, except the loopback test server.
ISOLATED_ARGS = [*ARGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


def npm_tarballs() -> dict[str, Path]:
    missing = [name for name in NPM_TARBALLS.values() if not (NPM_CACHE / name).is_file()]
    if missing:
        reason = f"npm tarballs missing from {NPM_CACHE}: {missing} (scripts/test runs npm pack)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return {key: NPM_CACHE / name for key, name in NPM_TARBALLS.items()}


def extract_npm(dest: Path) -> dict[str, Path]:
    """The npm packages, extracted: {"stlite": .../package, "pyodide": .../package}."""
    out = {}
    for key, tgz in npm_tarballs().items():
        with tarfile.open(tgz) as archive:
            archive.extractall(dest / key, filter="data")
        out[key] = dest / key / "package"
    return out


def standin_wheel(name: str, version: str) -> tuple[str, bytes]:
    """A small valid pure-Python wheel (a test stand-in for a Pyodide package wheel)."""
    file_name = f"{name.replace('-', '_')}-{version}-py3-none-any.whl"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(f"{name.replace('-', '_')}_standin/__init__.py", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(info, "STANDIN = True\n")
        meta = zipfile.ZipInfo(f"{name.replace('-', '_')}-{version}.dist-info/METADATA", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(meta, f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        dist = f"{name.replace('-', '_')}-{version}.dist-info"
        archive.writestr(zipfile.ZipInfo(f"{dist}/WHEEL", date_time=(2020, 1, 1, 0, 0, 0)),
                         "Wheel-Version: 1.0\nGenerator: stlite-docs-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        archive.writestr(zipfile.ZipInfo(f"{dist}/RECORD", date_time=(2020, 1, 1, 0, 0, 0)), "")
    return file_name, buffer.getvalue()


def npm_runtime_dir(dest: Path, extra_wheels: bool = True) -> Path:
    """A runtime_dir from the npm tarballs: the real stlite build (source maps included, as
    npm ships it) and Pyodide core, and a lock whose every package file is a stand-in wheel.

    ``extra_wheels``: also give the lock stlite's protobuf 7 and the three Streamlit
    dependencies Pyodide's lock lacks (stand-ins too), so no PyPI download is needed."""
    npm = extract_npm(dest / "npm")
    root = dest / "runtime"
    (root / "pyodide").mkdir(parents=True)
    os.symlink(npm["stlite"] / "build", root / "stlite")
    for name in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"):
        os.symlink(npm["pyodide"] / name, root / "pyodide" / name)
    lock = json.loads((npm["pyodide"] / "pyodide-lock.json").read_text())
    extra = {"protobuf": "7.34.1", "blinker": "1.9.0", "itsdangerous": "2.2.0", "python-multipart": "0.0.34"}
    for name, version in extra.items() if extra_wheels else ():
        lock["packages"][name] = {"name": name, "version": version, "file_name": "", "install_dir": "site",
                                  "sha256": "", "package_type": "package", "imports": [name.replace("-", "_")],
                                  "depends": [], "unvendored_tests": False}
    for key, entry in lock["packages"].items():
        file_name, data = standin_wheel(entry["name"], entry["version"])
        entry["file_name"], entry["sha256"] = file_name, hashlib.sha256(data).hexdigest()
        (root / "pyodide" / file_name).write_bytes(data)
    (root / "pyodide" / "pyodide-lock.json").write_text(json.dumps(lock))
    return root


# ---------------------------------------------------------------------- a logging server
class _LoggingHandler(serve.PrefixHandler):
    def __init__(self, *args, log: list[str], **kwargs):
        self.log = log
        super().__init__(*args, **kwargs)

    def do_GET(self):
        self.log.append(urllib.parse.unquote(urllib.parse.urlsplit(self.path).path))
        super().do_GET()


class Served(str):
    """Base URL of a served folder, with ``log``: every path requested from it."""

    log: list[str]


@contextlib.contextmanager
def logging_server(root: Path, mounts: dict[str, Path] | None = None):
    log: list[str] = []
    folders = {"/": os.path.abspath(root)}
    for prefix, folder in (mounts or {}).items():
        folders["/" + prefix.strip("/") + "/"] = os.path.abspath(folder)
    handler = functools.partial(_LoggingHandler, mounts=folders, log=log)
    server = serve.QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    served = Served(f"http://127.0.0.1:{server.server_address[1]}/")
    served.log = log
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------- isolated Chromium
def launch_isolated(playwright):
    """Chromium that cannot resolve any host but 127.0.0.1: an off-origin request fails."""
    require_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ISOLATED_ARGS)


class OriginWatch:
    """Every request a browser context makes (pages, frames, workers), and the failures."""

    def __init__(self, context, origin: str):
        self.origin = origin.rstrip("/")
        self.requests: list[str] = []
        self.failed: list[str] = []
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("requestfailed", lambda request: self.failed.append(f"{request.url}: {request.failure}"))

    def off_origin(self) -> list[str]:
        return [url for url in self.requests
                if not url.startswith(self.origin + "/") and not url.startswith(("data:", "blob:", "about:"))]
