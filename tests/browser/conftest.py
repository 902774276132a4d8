"""Browser tests: real Sphinx builds, served on 127.0.0.1, in Debian's headless Chromium.

Every page is watched: a console error or an uncaught exception fails the test, unless the
test is marked ``allow_console_errors`` (for failures caused on purpose, which it asserts).
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import pytest

from support.builds import sphinx_build
from support.server import serving

HERE = Path(__file__).resolve().parent
STANDIN = HERE / "standin"
NPM_CACHE = Path(os.environ.get("STLITE_DOCS_NPM_CACHE", HERE.parents[1] / ".cache" / "npm"))
NPM_TARBALLS = {"stlite": "stlite-browser-1.9.2.tgz", "pyodide": "pyodide-0.29.3.tgz"}


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_console_errors: the test causes console errors on purpose")


@pytest.fixture(scope="session")
def standin_site(tmp_path_factory):
    """tests/browser/site built by the real sphinx-build, with stlite_url at the stand-in."""
    out = tmp_path_factory.mktemp("browser-site") / "html"
    build = sphinx_build(HERE / "site", out, "html", "-W", "-D", "stlite_docs_stlite_url=/standin/")
    assert build.returncode == 0, build.output
    with serving(out, {"standin": STANDIN}) as base:
        yield base


class Watched:
    """A page plus everything it asked for and everything it complained about."""

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
