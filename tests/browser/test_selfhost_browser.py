"""A self-hosted site in Chromium that can resolve no host but 127.0.0.1: the real stlite module
and the real Pyodide core load from the site itself, with Subresource Integrity enforced, and
not one request leaves the site's origin.

The runtime_dir comes from the npm tarballs (support/selfhost.py): the real stlite build and
Pyodide core, with stand-in package wheels, so a boot goes as far as Pyodide and the package
installation; full boots are tests/realboot/test_selfhost_realboot.py's.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from stlite_docs.runtime.pins import load_pins
from support.builds import sphinx_build
from support.selfhost import OriginWatch, launch_isolated, logging_server, npm_runtime_dir

HERE = Path(__file__).resolve().parent
MOUNT = "[data-stlite-docs]"
RUNTIME = "/_stlite_docs/runtime/"


@pytest.fixture(scope="module")
def selfhosted_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("selfhost-browser")
    runtime = npm_runtime_dir(root)
    out = root / "html"
    build = sphinx_build(HERE / "site", out, "html", "-W", "-D", "stlite_docs_assets=self-host",
                         "-D", f"stlite_docs_runtime_dir={runtime}")
    assert build.returncode == 0, build.output
    return out


@pytest.fixture(scope="module")
def isolated(playwright_instance):
    browser = launch_isolated(playwright_instance)
    yield browser
    browser.close()


def _wait(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


# Runs in every frame: records the integrity of each script and stylesheet element added, in
# the top page (the app frame is torn down when a boot without real wheels fails).
RECORD_SRI = """
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType === 1 && node.hasAttribute('integrity')) {
      (window.top.__sri = window.top.__sri || []).push({tag: node.tagName.toLowerCase(), type: node.type || node.rel,
        url: node.src || node.href, integrity: node.integrity, crossorigin: node.getAttribute('crossorigin')});
    }
  }
}).observe(document, {childList: true, subtree: true});
"""


def _open_and_run(isolated, base: str):
    context = isolated.new_context(viewport={"width": 1000, "height": 800})
    context.add_init_script(RECORD_SRI)
    watch = OriginWatch(context, base)
    page = context.new_page()
    page.goto(base + "click.html")
    page.click(f"{MOUNT} button.stlite-docs-run")
    return context, page, watch


def test_stlite_and_pyodide_load_from_the_site_alone(selfhosted_site, isolated):
    with logging_server(selfhosted_site) as base:
        context, page, watch = _open_and_run(isolated, base)
        try:
            for name in ("stlite-1.9.2/stlite.js", "stlite-1.9.2/stlite.css", "pyodide-0.29.3/pyodide.mjs",
                         "pyodide-0.29.3/pyodide.asm.wasm", "pyodide-0.29.3/python_stdlib.zip",
                         "pyodide-0.29.3/pyodide-lock.json"):
                _wait(lambda n=name: RUNTIME + n in base.log, 90, f"the site to serve {name}")
            # stlite's worker went on to install packages from the site's own lock.
            _wait(lambda: any(p.startswith(RUNTIME + "pyodide-0.29.3/") and p.endswith(".whl") for p in base.log),
                  90, "a wheel from the site")
            integrity = load_pins()["stlite"]["integrity"]
            assert sorted(page.evaluate("() => window.__sri"), key=lambda e: e["tag"]) == [
                {"tag": "link", "type": "stylesheet", "url": base + RUNTIME[1:] + "stlite-1.9.2/stlite.css",
                 "integrity": integrity["stlite.css"], "crossorigin": "anonymous"},
                {"tag": "script", "type": "module", "url": base + RUNTIME[1:] + "stlite-1.9.2/stlite.js",
                 "integrity": integrity["stlite.js"], "crossorigin": "anonymous"},
            ]
            # The module ran: the chunks it imports were fetched (without integrity: see README).
            assert [p for p in base.log if "/stlite-1.9.2/index-" in p]
            assert watch.off_origin() == []
            assert not [p for p in base.log if p.endswith(".map")]
        finally:
            context.close()
    assert watch.off_origin() == []


@pytest.mark.parametrize("tampered", ["stlite.js", "stlite.css"])
def test_an_altered_stlite_file_is_refused(selfhosted_site, isolated, tmp_path, tampered):
    site = tmp_path / "site"
    shutil.copytree(selfhosted_site, site, symlinks=True)
    target = site / RUNTIME.strip("/") / "stlite-1.9.2" / tampered
    target.write_bytes(target.read_bytes() + b"\n/* altered */\n")
    with logging_server(site) as base:
        context, page, watch = _open_and_run(isolated, base)
        try:
            if tampered == "stlite.js":
                page.wait_for_function(f"() => document.querySelector('{MOUNT}').dataset.state === 'error'", timeout=60_000)
                text = page.locator(f"{MOUNT} [role=alert]").inner_text()
                assert "Could not load stlite from" in text and "integrity" in text
                # The module never ran: none of the chunks it imports was asked for.
                assert not [p for p in base.log if "/stlite-1.9.2/index-" in p]
                assert not [p for p in base.log if "/pyodide-0.29.3/" in p]
            else:
                _wait(lambda: RUNTIME + "stlite-1.9.2/stlite.css" in base.log, 60, "the stylesheet request")
                frame = page.frame_locator(f"{MOUNT} iframe")
                # The browser refused the stylesheet: it has no CSSOM sheet.
                frame.locator('link[rel="stylesheet"][integrity]').wait_for(state="attached")
                page.wait_for_timeout(500)
                assert frame.locator('link[rel="stylesheet"][integrity]').evaluate("link => link.sheet === null")
            assert watch.off_origin() == []
        finally:
            context.close()


@pytest.mark.parametrize("integrity", ["pinned", "wrong"])
def test_a_mirror_of_the_pinned_build_keeps_its_integrity(npm_runtime, isolated, tmp_path, integrity):
    """stlite_integrity: pinned, for a stlite_url that serves the pinned build from elsewhere."""
    value = "pinned" if integrity == "pinned" else (
        "{stlite.js: sha384-" + "A" * 64 + ", stlite.css: " + load_pins()["stlite"]["integrity"]["stlite.css"] + "}")
    out = tmp_path / "html"
    build = sphinx_build(HERE / "site", out, "html", "-W", "-D", "stlite_docs_stlite_url=/npm/stlite/",
                         "-D", "stlite_docs_pyodide_url=/npm/pyodide/pyodide.mjs", "-D", f"stlite_docs_stlite_integrity={value}")
    assert build.returncode == 0, build.output
    with logging_server(out, npm_runtime) as base:
        context, page, watch = _open_and_run(isolated, base)
        try:
            if integrity == "pinned":
                _wait(lambda: any(p.startswith("/npm/stlite/index-") for p in base.log), 60, "stlite's chunks")
                _wait(lambda: "/npm/pyodide/pyodide.asm.wasm" in base.log, 60, "Pyodide's wasm")
            else:
                page.wait_for_function(f"() => document.querySelector('{MOUNT}').dataset.state === 'error'", timeout=60_000)
                assert "integrity" in page.locator(f"{MOUNT} [role=alert]").inner_text()
                assert not [p for p in base.log if p.startswith("/npm/stlite/index-")]
            assert watch.off_origin() == []
        finally:
            context.close()


# stlite logs the failed package installation (stand-in wheels) or the refused module.
@pytest.mark.allow_console_errors
@pytest.mark.parametrize("tampered", [False, True])
def test_integrity_is_enforced_in_every_engine(selfhosted_site, web, tmp_path, tampered):
    """Chromium, Firefox ESR and WebKit (Safari's engine) run the pinned module and refuse an
    altered one before it runs (none of the chunks it imports is requested)."""
    site = selfhosted_site
    if tampered:
        site = tmp_path / "site"
        shutil.copytree(selfhosted_site, site, symlinks=True)
        target = site / RUNTIME.strip("/") / "stlite-1.9.2" / "stlite.js"
        target.write_bytes(target.read_bytes() + b"\n/* altered */\n")
    with logging_server(site) as base:
        web.open(base + "click.html")
        web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
        if tampered:
            web.wait_for(f"() => document.querySelector('{MOUNT}').dataset.state === 'error'", timeout=60)
            text = web.evaluate(f"() => document.querySelector('{MOUNT} [role=alert]').innerText")
            assert "integrity" in text, text
            assert not [p for p in base.log if "/stlite-1.9.2/index-" in p]
        else:
            _wait(lambda: any("/stlite-1.9.2/index-" in p for p in base.log), 60, "the chunks stlite.js imports")
            _wait(lambda: RUNTIME + "pyodide-0.29.3/pyodide.asm.wasm" in base.log, 90, "Pyodide's wasm")
