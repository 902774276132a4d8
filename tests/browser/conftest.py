"""Browser tests: real Sphinx and MkDocs builds, served on 127.0.0.1, in three engines.

``web`` is a fresh page in one engine (Chromium, Firefox, WebKit; see support/drivers.py): every
test that takes it runs in all three. A console error or an uncaught exception fails the test
where the engine's driver reports them (Chromium and Firefox; WebKit's WebDriver has no console),
unless the test is marked ``allow_console_errors`` (for failures caused on purpose, which it
asserts).

The sites are served by a test server with a ``Gate``: it logs every request path it receives
(whatever engine, frame or worker sent it) and can hold, or fail, the requests for one path. Tests
use it instead of an engine's request interception, which WebKit's WebDriver does not have.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tarfile
import threading
import urllib.parse
from pathlib import Path

import pytest

from support.builds import sphinx_build
from support.server import serve

HERE = Path(__file__).resolve().parent
STANDIN = HERE / "standin"
NPM_CACHE = Path(os.environ.get("STLITE_DOCS_NPM_CACHE", HERE.parents[1] / ".cache" / "npm"))
NPM_TARBALLS = {"stlite": "stlite-browser-1.9.2.tgz", "pyodide": "pyodide-0.29.3.tgz"}


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_console_errors: the test causes console errors on purpose")


# ------------------------------------------------------------------ the gated test server
class Gate:
    """The server's side of a test: every request path it saw, and control over one path.

    Modes for the controlled path: ``pass``; ``hold`` (each request waits for a decision by
    ``decide``); ``404`` (answered "404 not here"); ``abort`` (the connection is closed without
    a response: a network error in every engine).
    """

    def __init__(self):
        self._cond = threading.Condition()
        self.log: list[str] = []
        self._path: str | None = None
        self._mode = "pass"
        self._held: list[dict] = []

    def requested(self, fragment: str) -> list[str]:
        with self._cond:
            return [path for path in self.log if fragment in path]

    def control(self, path: str, mode: str) -> None:
        with self._cond:
            self._path, self._mode = path, mode

    @property
    def held(self) -> int:
        with self._cond:
            return len(self._held)

    def wait_held(self, count: int, timeout: float = 30) -> None:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self._held) >= count, timeout), (
                f"{len(self._held)} requests held, expected {count}")

    def decide(self, index: int, decision: str) -> None:
        """Answer the index-th held request: ``pass``, ``404`` or ``abort``."""
        with self._cond:
            self._held[index]["decision"] = decision
            self._cond.notify_all()

    def reset(self) -> None:
        with self._cond:
            for slot in self._held:
                slot["decision"] = slot["decision"] or "pass"
            self._held, self._path, self._mode = [], None, "pass"
            self.log.clear()
            self._cond.notify_all()

    def _on_request(self, path: str) -> str:
        with self._cond:
            self.log.append(path)
            if path != self._path or self._mode != "hold":
                return self._mode if path == self._path else "pass"
            slot = {"decision": None}
            self._held.append(slot)
            self._cond.notify_all()
            self._cond.wait_for(lambda: slot["decision"], timeout=120)
            return slot["decision"] or "pass"


class _GatedHandler(serve.PrefixHandler):
    def __init__(self, *args, gate: Gate, **kwargs):
        self.gate = gate
        super().__init__(*args, **kwargs)

    def do_GET(self):
        decision = self.gate._on_request(urllib.parse.urlsplit(self.path).path)
        if decision == "404":
            self.send_error(404, "not here")
        elif decision == "abort":
            self.close_connection = True  # no status line at all
        else:
            super().do_GET()


class Site(str):
    """A served site's base URL (ending in "/"), with the ``gate`` of its server."""

    gate: Gate


@contextlib.contextmanager
def gated_serving(root: Path, mounts: dict[str, Path] | None = None):
    gate = Gate()
    folders = {"/": os.path.abspath(root)}
    for prefix, folder in (mounts or {}).items():
        folders["/" + prefix.strip("/") + "/"] = os.path.abspath(folder)
    handler = functools.partial(_GatedHandler, mounts=folders, gate=gate)
    server = serve.QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site = Site(f"http://127.0.0.1:{server.server_address[1]}/")
    site.gate = gate
    try:
        yield site
    finally:
        gate.reset()
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------ sites
@pytest.fixture(scope="session")
def standin_site_build(tmp_path_factory) -> Path:
    """tests/browser/site built by the real sphinx-build, with stlite_url at the stand-in."""
    out = tmp_path_factory.mktemp("browser-site") / "html"
    build = sphinx_build(HERE / "site", out, "html", "-W", "-D", "stlite_docs_stlite_url=/standin/")
    assert build.returncode == 0, build.output
    return out


@pytest.fixture(scope="session")
def _standin_server(standin_site_build):
    # The stand-in twice: /standin-flaky/ is for apps a test points at a failing stlite URL.
    with gated_serving(standin_site_build, {"standin": STANDIN, "standin-flaky": STANDIN}) as site:
        yield site


@pytest.fixture
def standin_site(_standin_server) -> Site:
    """The stand-in site's URL; its gate starts each test empty and open."""
    _standin_server.gate.reset()
    yield _standin_server
    _standin_server.gate.reset()


# ------------------------------------------------------------------ pages
@pytest.fixture
def web(driver, request):
    """A fresh page in each engine, watched for console errors where the engine reports them."""
    yield driver
    errors = driver.console_errors()
    if errors and not request.node.get_closest_marker("allow_console_errors"):
        pytest.fail(f"console errors in {driver.engine}: {errors}")


class Watched:
    """A Chromium page (Playwright) plus everything it asked for and complained about.

    For tests that need Playwright itself; loader behaviour tests use ``web`` (all engines)."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))

    def _console(self, msg) -> None:
        # The browser's own favicon request is not the page's doing.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(f"{msg.text} at {msg.location.get('url')}")

    def requested(self, fragment: str) -> list[str]:
        return [url for url in self.requests if fragment in url]


@pytest.fixture
def watched(browser, request):
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    page = context.new_page()
    page.set_default_timeout(20_000)
    watch = Watched(page)
    yield watch
    context.close()
    if not request.node.get_closest_marker("allow_console_errors"):
        assert not watch.errors, f"console errors: {watch.errors}"


@pytest.fixture(scope="session")
def npm_runtime(tmp_path_factory) -> dict[str, Path]:
    """The real @stlite/browser 1.9.2 build and Pyodide 0.29.3 core (no wheels), from the npm
    tarballs scripts/test packs, as server mounts: /npm/stlite/ and /npm/pyodide/."""
    missing = [name for name in NPM_TARBALLS.values() if not (NPM_CACHE / name).is_file()]
    if missing:
        reason = f"npm tarballs missing from {NPM_CACHE}: {missing} (scripts/test runs npm pack)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    tmp = tmp_path_factory.mktemp("npm")
    for key, name in NPM_TARBALLS.items():
        with tarfile.open(NPM_CACHE / name) as archive:
            archive.extractall(tmp / key, filter="data")
    return {"npm/stlite": tmp / "stlite" / "package" / "build", "npm/pyodide": tmp / "pyodide" / "package"}

