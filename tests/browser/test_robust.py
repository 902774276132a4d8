"""Failure stays local, boot does not move the page, full screen, and browsers without some
feature: in Chromium, Firefox and WebKit, on Sphinx output, with the recording stand-in for stlite
(whose kernel worker is a real Worker that can be made to crash, break or be terminated).

Features are removed from the page before the loader runs by the test site's classic script
(``site/_static/testhooks.js``, ``?without=...``), which works in every engine (WebKit's
WebDriver has no init scripts); the stand-in removes the same ones in each app frame.
"""

from __future__ import annotations

import time

import pytest

from test_loader import ATTRIBUTE, COUNT, MOUNT, TEXT, VISIBLE, _wait_state

STATES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.state)"
DEBUG = "() => window.__debugLog || []"
# Short probe limits: the health probe every 0.2 s, an answer due within 1.5 s.
FAST = "timeouts=healthEvery:200,healthTimeout:1500"


def _debug_lines(web, fragment: str) -> list[str]:
    return [line for line in web.evaluate(DEBUG) if fragment in line]


# ------------------------------------------------------------------ a dying worker
@pytest.mark.allow_console_errors  # the worker's uncaught exception is reported by the engine
@pytest.mark.parametrize("how, says", [
    ("crash", "its Python worker crashed"),                 # an exception escaped the worker
    ("fatal", "reports an error (HTTP 500)"),              # Python broken: Streamlit answers 500
    ("terminate", "did not answer within 1.5 s"),           # killed: no answer at all
])
def test_a_dead_worker_is_a_local_error_with_retry(standin_site, web, how, says):
    web.open(standin_site + f"robust.html?{FAST}")
    _wait_state(web, 0, "running")
    _wait_state(web, 1, "running")
    web.wait_for("() => window.__standin.kernels.length === 2")
    web.evaluate("(how) => window.__standin.kernels.find((k) => k.code.includes('breakable')).kill(how)", how)
    failed = f"{MOUNT}[data-state=error]"
    web.wait_for(f"() => document.querySelectorAll('{failed}').length === 1", timeout=15)
    assert web.evaluate(STATES) == ["error", "running"]  # the other app goes on
    alert = web.evaluate(TEXT, f"{failed} [role=alert]")
    assert alert.startswith("The app stopped:") and says in alert, alert
    assert web.evaluate(VISIBLE, f"{failed} .stlite-docs-source")  # its code is readable again
    assert web.evaluate(COUNT, "iframe") == 1
    web.settle()
    assert web.evaluate(STATES) == ["error", "running"]  # the bystander's probes keep passing

    web.press("Enter", selector=f"{failed} button.stlite-docs-retry")
    _wait_state(web, 0, "running")
    assert web.evaluate(STATES) == ["running", "running"]


def test_a_long_script_run_is_not_a_dead_kernel(standin_site, web):
    """A probe unanswered while a script runs proves nothing: the worker's thread is busy."""
    web.open(standin_site + f"robust.html?{FAST}")
    _wait_state(web, 0, "running")
    web.wait_for("() => window.__standin.kernels.length >= 1")
    # Streamlit says a script runs; the worker stops answering meanwhile (as a busy one would).
    web.evaluate("() => document.querySelector('iframe').contentDocument"
                 ".querySelector('[data-testid=stApp]').setAttribute('data-test-script-state', 'running')")
    web.evaluate("() => window.__standin.kernels.find((k) => k.code.includes('breakable')).kill('terminate')")
    time.sleep(2.5)  # more than the probe's time limit, several probe intervals
    assert web.evaluate(STATES)[0] == "running"
    # The run ends and the worker is still silent: now it is gone.
    web.evaluate("() => document.querySelector('iframe').contentDocument"
                 ".querySelector('[data-testid=stApp]').setAttribute('data-test-script-state', 'notRunning')")
    _wait_state(web, 0, "error", timeout=15)


# ------------------------------------------------------------------ the page does not move
BELOW = "() => { const e = document.querySelector('.below-the-app'); return e.getBoundingClientRect().top + window.scrollY; }"


def test_boot_keeps_the_page_below_still(standin_site, web):
    gate = standin_site.gate
    gate.control("/standin/stlite.js", "hold")  # the app stays booting until the test says
    web.open(standin_site + "shift.html")
    _wait_state(web, 0, "click")
    before = web.evaluate(BELOW)
    web.press("Enter", selector=f"{MOUNT} button.stlite-docs-run")
    _wait_state(web, 0, "booting")
    web.wait_for("(s) => document.querySelector(s)?.textContent === 'Loading stlite…'", f"{MOUNT} [role=status]")
    assert abs(web.evaluate(BELOW) - before) <= 1  # the Run row, code and status traded places
    gate.wait_held(1)
    time.sleep(0.3)
    assert abs(web.evaluate(BELOW) - before) <= 1
    gate.decide(0, "pass")
    _wait_state(web, 0, "running")
    # Running: the frame fits its content (one move, at the first render).
    web.wait_for("() => { const f = document.querySelector('iframe'); const c = f.contentDocument"
                 ".querySelector('[data-testid=stMainBlockContainer]');"
                 " return c && Math.abs(f.getBoundingClientRect().height - Math.max(150, c.getBoundingClientRect().bottom)) <= 2; }")


# ------------------------------------------------------------------ full screen
FRAME_HEIGHT = "() => document.querySelector('iframe').getBoundingClientRect().height"
FILLS = f"""() => {{ const box = document.querySelector('{MOUNT}').getBoundingClientRect();
  const frame = document.querySelector('iframe').getBoundingClientRect();
  return box.top <= 1 && box.left <= 1 && box.width >= window.innerWidth - 1 && box.height >= window.innerHeight - 1
    && frame.height >= window.innerHeight - 80; }}"""
BUTTON = f"{MOUNT} button.stlite-docs-fullscreen"


def _running_with_button(web, url):
    web.open(url)
    _wait_state(web, 0, "running")
    web.wait_for("(s) => document.querySelector(s)?.disabled === false", BUTTON)
    web.wait_for(f"() => ({FRAME_HEIGHT})() > 0")
    web.settle()
    return web.evaluate(FRAME_HEIGHT)


def test_fullscreen_button_fills_the_screen_and_returns(standin_site, web):
    fitted = _running_with_button(web, standin_site + "two.html")
    assert web.evaluate(TEXT, BUTTON) == "Full screen"
    assert web.evaluate(ATTRIBUTE, [BUTTON, "aria-label"]) == "Full screen: Live app: First"  # which app
    assert web.evaluate("(s) => document.querySelector(s).tagName", BUTTON) == "BUTTON"
    web.press("Enter", selector=BUTTON)
    web.wait_for(f"() => document.querySelector('{MOUNT}').classList.contains('is-fullscreen')")
    web.wait_for(FILLS)
    assert web.evaluate(TEXT, BUTTON) == "Exit full screen"
    assert web.evaluate(ATTRIBUTE, [BUTTON, "aria-label"]) == "Exit full screen: Live app: First"
    mode = web.evaluate(f"() => document.querySelector('{MOUNT}').classList.contains('is-overlay') ? 'overlay' : 'native'")
    if mode == "overlay":  # the engine refused the Fullscreen API here: the fallback, logged
        assert _debug_lines(web, "overlay")
    web.press("Enter", selector=BUTTON)
    web.wait_for(f"() => !document.querySelector('{MOUNT}').classList.contains('is-fullscreen')")
    web.wait_for(f"(h) => Math.abs(({FRAME_HEIGHT})() - h) <= 1", fitted)  # its fitted height again
    assert web.evaluate(TEXT, BUTTON) == "Full screen"
    assert web.evaluate("(s) => document.activeElement === document.querySelector(s)", BUTTON)


WITHOUT_FULLSCREEN = ("without=Element.prototype.requestFullscreen,Element.prototype.webkitRequestFullscreen,"
                      "Document.prototype.fullscreenEnabled,Document.prototype.webkitFullscreenEnabled")


def test_without_the_fullscreen_api_an_overlay_keeps_focus_and_closes_on_escape(standin_site, web):
    fitted = _running_with_button(web, standin_site + f"two.html?{WITHOUT_FULLSCREEN}")
    web.press("Enter", selector=BUTTON)
    web.wait_for(f"() => document.querySelector('{MOUNT}').classList.contains('is-overlay')")
    web.wait_for(FILLS)
    assert _debug_lines(web, "no Fullscreen API")
    assert web.evaluate("() => getComputedStyle(document.documentElement).overflow") == "hidden"  # page still
    assert web.evaluate("(s) => document.activeElement === document.querySelector(s)", BUTTON)
    # Focus that leaves the overlay (Tab past the app, a script) comes back to its button.
    web.evaluate("() => document.querySelector('a[href]').focus()")
    web.wait_for("(s) => document.activeElement === document.querySelector(s)", BUTTON)
    # Esc in the page closes it...
    web.press("Escape", selector=BUTTON)
    web.wait_for(f"() => !document.querySelector('{MOUNT}').classList.contains('is-fullscreen')")
    web.wait_for(f"(h) => Math.abs(({FRAME_HEIGHT})() - h) <= 1", fitted)
    # ...and so does Esc inside the app.
    web.press("Enter", selector=BUTTON)
    web.wait_for(f"() => document.querySelector('{MOUNT}').classList.contains('is-overlay')")
    web.press("Escape", selector="[data-testid=stMainBlockContainer] button", frame="iframe")
    web.wait_for(f"() => !document.querySelector('{MOUNT}').classList.contains('is-fullscreen')")
    assert web.evaluate("() => getComputedStyle(document.documentElement).overflow") != "hidden"


# ------------------------------------------------------------------ browsers without a feature
@pytest.mark.parametrize("feature, named", [("WebAssembly", "WebAssembly"), ("Worker", "Web Workers")])
def test_without_a_hard_requirement_the_code_stays_with_a_message(standin_site, web, feature, named):
    web.open(standin_site + f"two.html?without={feature}")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'unsupported')")
    note = web.evaluate(TEXT, f"{MOUNT} .stlite-docs-unsupported").strip()  # WebKit ends innerText with a newline
    assert note == f"This live app cannot run in this browser: it lacks {named}. Here is the app's code."
    assert web.evaluate(VISIBLE, f"{MOUNT} .stlite-docs-source pre")
    assert web.evaluate(COUNT, "iframe") == 0 and web.evaluate(COUNT, f"{MOUNT} button") == 0
    web.settle()
    assert standin_site.gate.requested("/standin/") == []  # nothing fetched for apps that cannot run
    assert _debug_lines(web, "unsupported browser")


def test_missing_conveniences_fall_back_and_are_logged(standin_site, web):
    """No IntersectionObserver, ResizeObserver or Element.replaceChildren: apps still boot,
    auto height still fits, and each fallback is a console.debug line."""
    web.open(standin_site + "heights.html?without=IntersectionObserver,ResizeObserver,Element.prototype.replaceChildren")
    for index in range(4):
        _wait_state(web, index, "running")
    assert web.evaluate("() => typeof ResizeObserver + typeof IntersectionObserver") == "undefinedundefined"
    # Auto height without ResizeObserver: the frame still fits its content (max_height: none).
    web.wait_for("() => { const f = document.querySelectorAll('iframe')[2]; const c = f.contentDocument"
                 ".querySelector('[data-testid=stMainBlockContainer]');"
                 " return c && Math.abs(f.getBoundingClientRect().height - c.getBoundingClientRect().bottom) <= 2; }")
    assert _debug_lines(web, "no IntersectionObserver")
    assert _debug_lines(web, "no ResizeObserver")
    assert _debug_lines(web, "no Element.replaceChildren")


# ------------------------------------------------------------------ no loader at all
NOTE = f"""() => {{ const e = document.querySelector('{MOUNT}'); const s = getComputedStyle(e, '::before');
  return {{content: s.content, height: parseFloat(s.height) || 0}}; }}"""


@pytest.mark.allow_console_errors  # the engines report the loader's 404
def test_without_the_loader_a_note_says_what_the_code_is(standin_site, web):
    standin_site.gate.control("/_static/stlite-docs/loader.js", "404")
    web.open(standin_site + "click.html")
    assert web.evaluate(ATTRIBUTE, [MOUNT, "data-state"]) is None  # no loader ran
    web.wait_for(f"() => ({NOTE})().height > 10", timeout=10)  # shown after a moment
    assert "Live app: it runs here in a browser with JavaScript and WebAssembly" in web.evaluate(NOTE)["content"]
    assert web.evaluate(VISIBLE, f"{MOUNT} .stlite-docs-source pre")
    # Generated content: not in the page's text (search indexes, copy and paste).
    assert "Live app: it runs" not in web.evaluate("() => document.body.innerText")


def test_with_the_loader_no_note(standin_site, web):
    web.open(standin_site + "click.html")
    _wait_state(web, 0, "click")
    time.sleep(2.5)  # past the note's delay
    assert web.evaluate(NOTE)["content"] in ("none", "normal")
