"""Real boots (``STLITE_DOCS_RUNTIME``), in Chromium, of what the stand-in cannot prove: a tall
real Streamlit app stops at its max_height and scrolls inside; an app that raises shows
Streamlit's own error inside its frame (the box stays running); full screen and back; and a real
stlite worker that is terminated is noticed by the health probe (Streamlit's /_stcore/health,
answered by the real kernel until then) and offered a Retry. In shared mode, a real crash of the
page's one Python (a null function pointer called through ctypes: WebAssembly traps, Pyodide fails
fatally) stops every app of the page, and a reload brings them back."""

from __future__ import annotations

import time

import pytest

from test_budget_theme import BOOT_TIMEOUT, MOUNT, STATES, chromium, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.realboot

# Probe every second, an answer due within 5 s (the defaults are 15 s and 10 s).
PAGE = "failures.html?timeouts=healthEvery:1000,healthTimeout:5000"
# Inside the index-th frame: an element that scrolls (Streamlit scrolls its main area itself).
SCROLLS = """(i) => { const doc = document.querySelectorAll('iframe')[i].contentDocument;
  return Array.from(doc.querySelectorAll('*')).some((e) => e.scrollHeight > e.clientHeight + 20
    && /(auto|scroll)/.test(getComputedStyle(e).overflowY)) || doc.documentElement.scrollHeight > doc.documentElement.clientHeight + 20; }"""
FRAME_HEIGHT = "(i) => document.querySelectorAll('iframe')[i].getBoundingClientRect().height"


@pytest.fixture
def booted(site, chromium, request):  # noqa: F811
    if request.node.callspec.params.get("site") == "shared":
        # Scrolling inside a capped frame, the frame's health probe and killing the frame's
        # worker are frame behaviours; in the page (runtime: shared) the box grows with the app
        # and one SharedWorker serves every app (see README, "Shared runtime").
        pytest.skip("max-height, full screen and dead-worker real boots are of apps in frames")
    web = chromium
    web.open(site + PAGE)
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')", timeout=BOOT_TIMEOUT)
    web.wait_for_text("row 29", frame=("iframe", 0), timeout=60)
    return web


def test_real_apps_at_max_height_raising_fullscreen_and_a_dead_worker(booted):
    web = booted
    # The tall app: capped at 300px, scrolling inside.
    web.wait_for(f"() => Math.abs(({FRAME_HEIGHT})(0) - 300) <= 1", timeout=30)
    assert web.evaluate(SCROLLS, 0)

    # The app that raises: Streamlit's own exception box, in its frame; the box runs on.
    web.wait_for_text("boom from the app", frame=("iframe", 1), timeout=60)
    assert web.evaluate("() => !!document.querySelectorAll('iframe')[1].contentDocument"
                        ".querySelector('[data-testid=stException]')")
    assert web.evaluate(STATES) == ["running", "running"]

    # Full screen and back to the fitted (capped) height.
    button = f"{MOUNT} button.stlite-docs-fullscreen"
    web.press("Enter", selector=button)
    web.wait_for(f"() => document.querySelector('{MOUNT}').classList.contains('is-fullscreen')")
    web.wait_for(f"() => ({FRAME_HEIGHT})(0) >= window.innerHeight - 80")
    web.press("Enter", selector=button)
    web.wait_for(f"() => Math.abs(({FRAME_HEIGHT})(0) - 300) <= 1")

    # The health probe passes on real apps: several probes later, both still run.
    time.sleep(4)
    assert web.evaluate(STATES) == ["running", "running"]
    # The real worker dies (as a browser that reclaims its memory ends it): noticed, with Retry;
    # the other app goes on.
    web.evaluate("() => document.querySelector('iframe').stliteDocs.controller._kernel._worker.terminate()")
    web.wait_for(f"() => ({STATES})()[0] === 'error'", timeout=30)
    alert = web.evaluate(f"() => document.querySelector('{MOUNT} [role=alert]').innerText")
    assert "The app stopped: its Python kernel did not answer within 5 s." in alert
    assert web.evaluate(STATES)[1] == "running"
    web.click(f"{MOUNT} button.stlite-docs-retry", text="Retry")
    web.wait_for(f"() => ({STATES})()[0] === 'running'", timeout=BOOT_TIMEOUT)
    web.wait_for_text("row 29", frame=("iframe", 0), timeout=60)


def test_a_crashed_shared_python_stops_every_app_until_a_reload(site, chromium, request):
    if request.node.callspec.params["site"] != "isolated":
        pytest.skip("shared_crash.html sets :stlite-runtime: shared itself: one build of the site is enough")
    web = chromium
    web.open(site + "shared_crash.html?timeouts=healthEvery:1000,healthTimeout:5000")
    ready = "() => ['crasher ready', 'bystander ready'].every((t) => document.body.innerText.includes(t))"
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')", timeout=BOOT_TIMEOUT)
    web.wait_for(ready, timeout=60)
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 0  # both in the page
    web.click(f"{MOUNT} .stlite-docs-inpage button", text="Crash Python")
    web.wait_for(f"() => ({STATES})().join() === 'error,error'", timeout=60)
    alerts = web.evaluate(f"() => Array.from(document.querySelectorAll('{MOUNT} [role=alert]'), (a) => a.innerText)")
    assert all(a.startswith("The apps on this page share one Python, and it stopped: the Python kernel") for a in alerts), alerts
    assert web.evaluate(f"() => document.querySelectorAll('{MOUNT} button.stlite-docs-retry').length") == 0
    # A reload gives the page a new SharedWorker, and a new Python.
    web.evaluate("() => { window.__before_reload = true; }")
    web.press("Enter", selector=f"{MOUNT} button.stlite-docs-reload")
    web.wait_for("() => !window.__before_reload", timeout=30)
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')", timeout=BOOT_TIMEOUT)
    web.wait_for(ready, timeout=60)
