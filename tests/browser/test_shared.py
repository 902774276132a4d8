"""`runtime: shared` in Chromium, Firefox and WebKit, on real Sphinx output with the recording
stand-in for stlite: the page's apps mount in the page (no frames) with `sharedWorker: true`,
stlite and its CSS are fetched once, the reader's page keeps its title, URL and history, the
containers fit their apps, the theme follows the page, failures show Retry, teardown unmounts;
without SharedWorker each app gets its own frame."""

from __future__ import annotations

import base64
import hashlib
import time

import pytest

from support.editor import SET_CODE
from test_loader import _respec

HERE = __import__("pathlib").Path(__file__).resolve().parent
MOUNT = "[data-stlite-docs]"
STATES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.state)"
MOUNTS = "() => (window.__standin || {mounts: []}).mounts"
FRAMES = "() => document.querySelectorAll('iframe').length"


def _run_both(web):
    buttons = f"() => document.querySelectorAll('{MOUNT} button.stlite-docs-run').length"
    web.wait_for(f"() => ({buttons})() === 2")
    # The lower app first: an app that starts grows, and moves what is below it. Clicked first,
    # the upper one could move the lower button while WebKit's WebDriver clicks it (under load,
    # the click then missed it). Each click is done once its button is gone.
    for nth, left in ((1, 1), (0, 0)):
        web.click(f"{MOUNT} button.stlite-docs-run", text="Run app", nth=nth)
        web.wait_for(f"() => ({buttons})() === {left}")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')")


def test_apps_mount_in_the_page_with_one_stlite(standin_site, web):
    gate = standin_site.gate
    web.open(standin_site + "shared.html")
    title, url, length = web.evaluate("() => [document.title, location.href, history.length]")
    _run_both(web)
    assert web.evaluate(FRAMES) == 0
    mounts = web.evaluate(MOUNTS)
    assert [m["inPage"] for m in mounts] == [True, True]
    assert [m["options"]["sharedWorker"] for m in mounts] == [True, True]
    # One module and one stylesheet for the page, however many apps.
    assert len(gate.requested("/standin/stlite.js")) == 1
    assert len(gate.requested("/standin/stlite.css")) == 1
    assert web.evaluate("() => document.querySelectorAll('link[href*=\"stlite.css\"]').length") == 1
    # Streamlit's document.title and history.pushState (the stand-in does both) stay off the page.
    assert web.evaluate("() => [document.title, location.href, history.length]") == [title, url, length]
    # Each app in a labelled region of the page, grown to its content (the second is taller).
    boxes = web.evaluate("""() => Array.from(document.querySelectorAll('.stlite-docs-inpage'), (box) => {
      const content = box.querySelector('[data-testid=stMainBlockContainer]');
      return [box.getAttribute('role'), box.getAttribute('aria-label'), box.getBoundingClientRect().height,
              content.getBoundingClientRect().height];
    })""")
    assert [b[:2] for b in boxes] == [["region", "Live app: First shared"], ["region", "Live app: Second shared"]]
    for _, _, box, content in boxes:
        assert box >= max(150, content) - 1
    assert boxes[1][3] > boxes[0][3]
    # The page's own scripts still change its title and history.
    web.evaluate("() => { document.title = 'Mine'; history.pushState({}, '', '#mine'); }")
    assert web.evaluate("() => [document.title, location.hash]") == ["Mine", "#mine"]


def test_only_a_page_with_in_page_apps_fetches_the_shared_runtime(standin_site, web):
    """shared.js (with boot.js and health.js, which it imports) is loaded dynamically: a page
    whose apps run in frames never fetches it; a shared page fetches it once, for all its apps."""
    gate = standin_site.gate
    web.open(standin_site + "robust.html")  # runtime: isolated, two eager apps
    web.wait_for(f"() => ({STATES})().join() === 'running,running'")
    assert gate.requested("/_static/stlite-docs/shared.js") == []
    web.open(standin_site + "shared.html")
    _run_both(web)
    assert len(gate.requested("/_static/stlite-docs/shared.js")) == 1


def test_theme_goes_to_every_app_of_the_page(standin_site, web):
    web.open(standin_site + "shared.html")
    _run_both(web)
    system = web.evaluate("() => document.documentElement.dataset.stliteDocsScheme")  # the page's (theme.js)
    apps = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.appTheme)"
    web.wait_for(f"(t) => ({apps})().every((x) => x === t)", system)
    other = "dark" if system == "light" else "light"
    web.evaluate("(t) => document.documentElement.setAttribute('data-theme', t)", other)
    web.wait_for(f"(t) => ({apps})().every((x) => x === t)", other)
    web.wait_for("(t) => Array.from(document.querySelectorAll('[data-standin-theme]'), (a) => a.dataset.standinTheme)"
                 ".join() === [t, t].join()", other.capitalize())
    assert len(web.evaluate(MOUNTS)) == 2  # switched in place


def test_teardown_unmounts_in_page_apps(standin_site, web):
    web.open(standin_site + "shared.html")
    _run_both(web)
    web.evaluate(f"() => {{ document.querySelector('{MOUNT}').remove(); window.stliteDocs.scan(); }}")
    assert web.evaluate("() => window.__standin.unmounts") == ["streamlit_app.py"]
    assert web.evaluate("() => document.querySelectorAll('.stlite-docs-inpage').length") == 1


@pytest.mark.allow_console_errors
def test_a_failed_stlite_shows_retry_and_retry_imports_again(standin_site, web):
    gate = standin_site.gate
    gate.control("/standin/stlite.js", "404")
    web.open(standin_site + "shared.html")
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
    web.wait_for(f"() => document.querySelector('{MOUNT}').dataset.state === 'error'")
    assert "Could not load stlite" in web.evaluate(f"() => document.querySelector('{MOUNT} [role=alert]').innerText")
    gate.control("/standin/stlite.js", "pass")
    web.click(f"{MOUNT} button.stlite-docs-retry", text="Retry")
    web.wait_for(f"() => document.querySelector('{MOUNT}').dataset.state === 'running'")
    assert web.evaluate(MOUNTS)[0]["inPage"] is True


# ------------------------------------------------------------------ the page's Python found gone
# Short probe limits: the health probe every 0.2 s, an answer due within 1.5 s.
FAST = "timeouts=healthEvery:200,healthTimeout:1500"
BREAKABLE = "window.__standin.kernels.find((k) => k.code.includes('breakable'))"
SCRIPT_STATE = ("([i, s]) => document.querySelectorAll('.stlite-docs-inpage [data-testid=stApp]')[i]"
                ".setAttribute('data-test-script-state', s)")


@pytest.mark.allow_console_errors  # the worker's uncaught exception is reported by the engine
@pytest.mark.parametrize("how", ["crash", "fatal", "terminate"])
def test_a_dead_shared_python_stops_every_app_and_offers_a_reload(standin_site, web, how):
    """One Python serves the page's apps: found gone through any app, every app says so, and
    the way out is a reload (a Retry would reconnect to the same dead SharedWorker)."""
    web.open(standin_site + f"shared_robust.html?{FAST}")
    web.wait_for(f"() => ({STATES})().join() === 'running,running'")
    web.wait_for("() => window.__standin.kernels.length === 2")
    web.evaluate(f"(how) => {BREAKABLE}.kill(how)", how)
    web.wait_for(f"() => ({STATES})().join() === 'error,error'", timeout=15)
    alerts = web.evaluate(f"() => Array.from(document.querySelectorAll('{MOUNT} [role=alert]'), (a) => a.innerText)")
    assert len(set(alerts)) == 1, alerts
    assert alerts[0].startswith("The apps on this page share one Python, and it stopped: the Python "), alerts[0]
    assert "Reload the page to start them again." in alerts[0]
    assert web.evaluate(f"() => document.querySelectorAll('{MOUNT} button.stlite-docs-retry').length") == 0
    assert web.evaluate("() => document.querySelectorAll('.stlite-docs-inpage').length") == 0  # torn down
    # The way out, by keyboard: a new page, a new Python, both apps run again.
    web.evaluate("() => { window.__before_reload = true; }")
    web.press("Enter", selector=f"{MOUNT} button.stlite-docs-reload")
    web.wait_for(f"() => !window.__before_reload && ({STATES})().join() === 'running,running'", timeout=30)


def test_a_busy_app_holds_the_shared_python_not_a_dead_one(standin_site, web):
    """A probe unanswered while any app of the page runs a script proves nothing: they share
    the worker's one thread."""
    web.open(standin_site + f"shared_robust.html?{FAST}")
    web.wait_for(f"() => ({STATES})().join() === 'running,running'")
    web.wait_for("() => window.__standin.kernels.length === 2")
    web.wait_for("() => document.querySelectorAll('.stlite-docs-inpage [data-testid=stApp][data-test-script-state=notRunning]').length === 2")
    web.evaluate(SCRIPT_STATE, [1, "running"])  # the bystander runs a long script
    web.evaluate(f"() => {BREAKABLE}.kill('terminate')")  # and the breakable app's probe goes unanswered
    time.sleep(2.5)  # more than the probe's time limit, several probe intervals
    assert web.evaluate(STATES) == ["running", "running"]
    web.evaluate(SCRIPT_STATE, [1, "notRunning"])  # the run ends; the silence now means gone
    web.wait_for(f"() => ({STATES})().join() === 'error,error'", timeout=15)


def test_teardown_stops_an_in_page_apps_health_probe(standin_site, web):
    """In the page (no frame to discard), the probe's timer would outlive its app."""
    web.open(standin_site + f"shared_robust.html?{FAST}")
    web.wait_for(f"() => ({STATES})().join() === 'running,running'")
    web.wait_for(f"() => {BREAKABLE}?.probes >= 2")
    web.evaluate(f"() => {{ document.querySelector('{MOUNT}').remove(); window.stliteDocs.scan(); }}")
    before = web.evaluate(f"() => {BREAKABLE}.probes")
    # Past a probe's time limit: a probe left running would find the unmounted app's worker
    # silent and declare the page's Python gone.
    time.sleep(2.5)
    assert web.evaluate(f"() => {BREAKABLE}.probes") == before
    assert web.evaluate("() => window.__standin.kernels.find((k) => k.code.includes('bystander')).probes") > 0
    assert web.evaluate(STATES) == ["running"]  # the other app runs on


def _sri(path):
    return "sha384-" + base64.b64encode(hashlib.sha384((HERE / "standin" / path).read_bytes()).digest()).decode()


@pytest.mark.allow_console_errors
def test_integrity_applies_in_the_page(standin_site, web):
    web.open(standin_site + "shared.html")
    good = {"stlite.js": _sri("stlite.js"), "stlite.css": _sri("stlite.css")}
    bad = {**good, "stlite.js": "sha384-" + "A" * 64}
    _respec(web, {0: {"stliteIntegrity": bad}})
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
    web.wait_for(f"() => document.querySelector('{MOUNT}').dataset.state === 'error'")
    assert "integrity" in web.evaluate(f"() => document.querySelector('{MOUNT} [role=alert]').innerText")
    assert web.evaluate(MOUNTS) == []  # the module never ran
    _respec(web, {1: {"stliteIntegrity": good}})
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app", nth=0)
    web.wait_for(f"() => document.querySelectorAll('{MOUNT}')[1].dataset.state === 'running'")
    assert web.evaluate("(sri) => !!document.querySelector(`script[integrity=\"${sri}\"]`)", good["stlite.js"])
    assert web.evaluate("(sri) => !!document.querySelector(`link[integrity=\"${sri}\"]`)", good["stlite.css"])


def test_without_shared_worker_each_app_gets_its_own_frame(standin_site, web):
    web.open(standin_site + "shared.html")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT} button.stlite-docs-run').length === 2")
    # Chrome on Android has no SharedWorker; neither has this page now (before any app boots).
    web.evaluate("() => { delete window.SharedWorker; window.SharedWorker = undefined; }")
    _run_both(web)
    assert web.evaluate(FRAMES) == 2
    mounts = web.evaluate(MOUNTS)
    assert [m["inPage"] for m in mounts] == [False, False]
    assert all("sharedWorker" not in m["options"] for m in mounts)


def test_material_instant_navigation_unmounts_and_remounts_in_page(web, tmp_path_factory):
    from test_mkdocs_material import _build_and_serve

    base, context = _build_and_serve(tmp_path_factory, {"standin": HERE / "standin"}, {})
    try:
        web.open(base + "shared/")
        web.wait_for(f"() => document.querySelector('{MOUNT}')?.dataset.state === 'running'")
        title = web.evaluate("() => document.title")
        web.evaluate("() => { window.__noReload = true; }")
        web.click("#shared-to-plain")  # Material's own history.pushState: not stlite's, so it goes through
        web.wait_for("() => location.pathname.endsWith('/plain/')")
        assert web.evaluate("() => window.__noReload") is True
        web.wait_for("() => window.__standin.unmounts.length === 1")
        assert web.evaluate("() => document.querySelectorAll('.stlite-docs-inpage').length") == 0
        web.evaluate("() => history.back()")
        web.wait_for("() => location.pathname.endsWith('/shared/')")
        web.wait_for(f"() => document.querySelector('{MOUNT}')?.dataset.state === 'running'")
        assert web.evaluate("() => window.__noReload") is True
        assert [m["inPage"] for m in web.evaluate(MOUNTS)] == [True, True]
        assert web.evaluate("() => document.title") == title
        # The page's stlite, loaded once, serves the app of the page reached without a reload.
        assert len(base.gate.requested("/standin/stlite.js")) == 1
    finally:
        context.__exit__(None, None, None)


def test_an_editable_app_in_the_page_reruns_with_the_edited_code(standin_site, web):
    """The code view's Run writes into an in-page app as into a frame: mounted with
    server.runOnSave, Streamlit (the stand-in) reruns it with the new code, no second mount."""
    web.open(standin_site + "shared_editable.html")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')")
    [mount] = web.evaluate(MOUNTS)
    assert mount["inPage"] and mount["options"]["streamlitConfig"]["server.runOnSave"] is True
    edited = 'import streamlit as st\nst.write("shared edited")\n'
    web.evaluate(SET_CODE, [MOUNT, None, edited])
    web.click(f"{MOUNT} button.stlite-docs-run-code", text="Run")
    web.wait_for_text("shared edited")
    # The rerun is seen in the app's box as in a frame: the code view says it ran.
    web.wait_for("() => document.querySelector('[data-stlite-docs] .stlite-docs-codeview-status')"
                 ".textContent === 'Ran your code.'", timeout=15)
    assert [(w["path"], w["data"]) for w in web.evaluate("() => window.__standin.writes")] == [("streamlit_app.py", edited)]
    assert len(web.evaluate(MOUNTS)) == 1 and web.evaluate(FRAMES) == 0
