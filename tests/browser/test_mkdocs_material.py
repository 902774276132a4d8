"""MkDocs + Material in Chromium, Firefox and WebKit: hidden apps boot when revealed; instant
navigation mounts the apps of the page reached and tears down those of the page left, workers
included."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from conftest import gated_serving
from support.builds import mkdocs_build
from support.drivers import wait_until

HERE = Path(__file__).resolve().parent
RECORDED = "() => (window.__standin || {mounts: []}).mounts.length"
UNMOUNTS = "() => (window.__standin || {unmounts: []}).unmounts"
STATE = "(i) => document.querySelectorAll('[data-stlite-docs]')[i]?.dataset.state"


def _build_and_serve(tmp_path_factory, mounts: dict, env: dict):
    """Serve first, then build with the server's URL as site_url (see mkdocs.yml)."""
    out = tmp_path_factory.mktemp("mkdocs-site") / "site"
    out.mkdir()
    serving_context = gated_serving(out, mounts)
    base = serving_context.__enter__()
    saved = {key: os.environ.get(key) for key in [*env, "STLITE_TEST_SITE_URL"]}
    os.environ.update({**env, "STLITE_TEST_SITE_URL": base})
    try:
        build = mkdocs_build(HERE / "mkdocs-site", out, "--strict")
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None) if value is None else os.environ.__setitem__(key, value)
    assert build.returncode == 0, build.output
    return base, serving_context


@pytest.fixture(scope="module")
def material_site(tmp_path_factory):
    base, context = _build_and_serve(tmp_path_factory, {"standin": HERE / "standin"}, {})
    yield base
    context.__exit__(None, None, None)


@pytest.fixture(scope="module")
def material_npm_site(tmp_path_factory, npm_runtime):
    env = {"STLITE_DOCS_STLITE_URL": "/npm/stlite/", "STLITE_DOCS_PYODIDE_URL": "/npm/pyodide/pyodide.mjs"}
    base, context = _build_and_serve(tmp_path_factory, npm_runtime, env)
    yield base
    context.__exit__(None, None, None)


def _wait_state(web, index, state):
    web.wait_for(f"(i) => ({STATE})(i) === {state!r}", index)


def test_apps_in_closed_tabs_and_details_boot_when_revealed(material_site, web):
    material_site.gate.reset()
    web.open(material_site + "hidden/")
    _wait_state(web, 0, "idle")  # in the closed tab
    _wait_state(web, 1, "idle")  # in the closed details
    web.settle()
    time.sleep(0.5)
    # on screen, but hidden: not booted
    assert [url for url in [*web.resources(), *(web.requests() or [])] if "/standin/" in url] == []
    assert material_site.gate.requested("/standin/") == []

    web.click("label", text="Closed tab")
    _wait_state(web, 0, "running")
    assert web.evaluate(STATE, 1) == "idle"

    web.click("summary", text="Closed details")
    _wait_state(web, 1, "running")


def leave_home_by_instant_navigation(web, home: str) -> None:
    """Open the home page (one app, running), follow its link to hidden/ without a reload: the
    home page's app is unmounted and its frame gone. (Material's, and Zensical's, navigation.)"""
    web.open(home)
    _wait_state(web, 0, "running")
    web.evaluate("() => { window.__noReload = true; }")
    web.click("#to-hidden")
    web.wait_for("() => location.pathname.endsWith('/hidden/')")
    assert web.evaluate("() => window.__noReload") is True  # instant navigation, not a page load
    web.wait_for(f"() => ({UNMOUNTS})().length === 1")
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 0


def test_instant_navigation_mounts_new_apps_and_tears_down_old_ones(material_site, web):
    leave_home_by_instant_navigation(web, material_site)
    web.click("label", text="Closed tab")
    _wait_state(web, 0, "running")

    web.click("#to-home")
    web.wait_for("(home) => location.href === home", material_site)
    assert web.evaluate("() => window.__noReload") is True
    # The address changes before the new page's content is in: until then the tab page's app
    # (index 0, running) is still there. So wait for the third mount, then for its state.
    web.wait_for(f"() => ({RECORDED})() === 3")  # home, tab, home again: each page's apps mounted afresh
    _wait_state(web, 0, "running")
    assert web.evaluate(RECORDED) == 3  # and no more
    assert web.evaluate(UNMOUNTS) == ["streamlit_app.py", "streamlit_app.py"]
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 1
    # The loader module was fetched once: instant navigation does not load it again.
    assert len([u for u in web.resources() if "stlite-docs/loader.js" in u]) == 1
    if web.requests() is not None:  # and by the network log, where the engine has one
        assert len([u for u in web.requests() if "stlite-docs/loader.js" in u]) == 1


# stlite logs its failed package installation (the npm Pyodide core has no wheels).
@pytest.mark.allow_console_errors
def test_instant_navigation_terminates_the_real_stlite_worker(material_npm_site, web):
    if web.workers() is None:
        pytest.skip(f"{web.engine}: its WebDriver cannot list a page's workers (the browser's own "
                    "view); the page's view, terminate() on stlite's worker, is checked in every engine by "
                    "test_instant_navigation_terminates_the_real_stlite_worker_seen_from_the_page")
    material_npm_site.gate.reset()  # the test after which this one may run holds stlite.js
    web.open(material_npm_site)
    # The real stlite starts its worker (and Pyodide in it) for the home page's eager app.
    web.wait_for("() => !!document.querySelector('iframe')")
    wait_until(lambda: web.workers(), 90, "stlite started a worker")
    web.evaluate("() => { window.__noReload = true; }")
    web.click("#to-plain")
    web.wait_for("() => location.pathname.endsWith('/plain/')")
    assert web.evaluate("() => window.__noReload") is True
    wait_until(lambda: web.workers() == [], 60, "no worker survived the navigation")


# Seen from the page, so in every engine: a spy around the frame's own Worker constructor (the
# real one runs) records the worker stlite starts and whether it is terminated.
SPY_ON_WORKERS = """() => {
  const win = document.querySelector('iframe').contentWindow;
  const Native = win.Worker;
  const seen = (window.__workers = []);
  win.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      const record = {url: String(args[0]), terminated: false};
      seen.push(record);
      const terminate = this.terminate.bind(this);
      this.terminate = () => { record.terminated = true; terminate(); };
    }
  };
  return true;
}"""


@pytest.mark.allow_console_errors  # as above
def test_instant_navigation_terminates_the_real_stlite_worker_seen_from_the_page(material_npm_site, web):
    gate = material_npm_site.gate
    gate.reset()
    gate.control("/npm/stlite/stlite.js", "hold")  # the frame waits for stlite: time to install the spy
    web.open(material_npm_site, until="domcontentloaded")  # a held frame delays the page's load event
    gate.wait_held(1)
    assert web.wait_for(SPY_ON_WORKERS)
    gate.decide(0, "pass")
    web.wait_for("() => window.__workers.length > 0", timeout=90)  # stlite started its worker
    assert web.evaluate("() => window.__workers.every((w) => !w.terminated)")
    web.evaluate("() => { window.__noReload = true; }")
    web.click("#to-plain")
    web.wait_for("() => location.pathname.endsWith('/plain/')")
    assert web.evaluate("() => window.__noReload") is True
    web.wait_for("() => window.__workers.every((w) => w.terminated)")
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 0
