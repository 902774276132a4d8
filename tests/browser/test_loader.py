"""The loader in Chromium, Firefox and WebKit, on real Sphinx output, with the recording stand-in
for stlite. Everything is observed through the page (the driver interface every engine has) and
through the test server's log and gate (support: tests/browser/conftest.py)."""

from __future__ import annotations

import json
import time
import urllib.request
from urllib.parse import urljoin

import pytest

RECORDED = "() => (window.__standin || {mounts: []}).mounts"
MOUNT = "[data-stlite-docs]"

# Visible as Playwright means it: a non-empty box and not visibility:hidden.
VISIBLE = """(selector) => { const el = document.querySelector(selector);
  if (!el) return false; const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== 'hidden'; }"""
TEXT = "(selector) => document.querySelector(selector)?.innerText ?? null"
ATTRIBUTE = "([selector, name]) => document.querySelector(selector)?.getAttribute(name) ?? null"
COUNT = "(selector) => document.querySelectorAll(selector).length"


def _wait_state(web, index, state, timeout=30):
    web.wait_for(f"([i, s]) => document.querySelectorAll('{MOUNT}')[i]?.dataset.state === s",
                 [index, state], timeout=timeout)


def _page_spec(web, index=0) -> dict:
    text = web.evaluate("(i) => document.querySelectorAll('script.stlite-docs-spec')[i].textContent", index)
    return json.loads(text)[0]


# Give mount points new specs: each becomes a fresh copy (as the build would have written it) that
# the loader sets up and boots anew, after tearing down the one it replaces.
RESPEC = """(changes) => {
  const mounts = document.querySelectorAll('[data-stlite-docs]');
  for (const [index, change] of Object.entries(changes)) {
    const old = mounts[Number(index)];
    const fresh = old.cloneNode(true);
    const script = fresh.querySelector('script.stlite-docs-spec');
    const [spec] = JSON.parse(script.textContent);
    script.textContent = JSON.stringify([Object.assign(spec, change)]);
    fresh.removeAttribute('data-state');
    fresh.removeAttribute('aria-busy');
    fresh.classList.remove('is-booting', 'is-running');
    fresh.querySelectorAll('.stlite-docs-controls, .stlite-docs-status, .stlite-docs-stage').forEach((e) => e.remove());
    old.replaceWith(fresh);
  }
  window.stliteDocs.scan();
}"""


def _respec(web, changes: dict[int, dict]) -> None:
    web.wait_for("() => typeof window.stliteDocs?.scan === 'function'")  # the loader has started
    web.evaluate(RESPEC, {str(index): change for index, change in changes.items()})


def _fetched(web, fragment: str) -> list[str]:
    """What the page fetched, by its own record and by the engine's network log if it has one."""
    return [url for url in [*web.resources(), *(web.requests() or [])] if fragment in url]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode()


def test_lazy_boot_requests_nothing_until_near_and_hands_mount_the_spec(standin_site, web):
    web.open(standin_site + "lazy.html")
    _wait_state(web, 0, "idle")
    # Give a wrongly eager loader every chance to fetch: the page is loaded and quiet.
    web.settle()
    time.sleep(0.5)
    assert _fetched(web, "/standin/") == [] and _fetched(web, "frame.html") == []
    assert standin_site.gate.requested("/standin/") == [] and standin_site.gate.requested("frame.html") == []
    assert web.evaluate(COUNT, "iframe") == 0

    web.evaluate(f"() => document.querySelector('{MOUNT}').scrollIntoView()")
    _wait_state(web, 0, "running")
    assert web.evaluate(COUNT, "iframe") == 1
    assert _fetched(web, "/standin/stlite.js")

    spec = _page_spec(web)
    [mounted] = web.evaluate(RECORDED)
    page_url = web.url
    assert mounted["options"] == {
        "entrypoint": "streamlit_app.py",
        "files": {
            "streamlit_app.py": 'import streamlit as st\nst.write("lazy")\n',
            "helper.py": "X = 1\n",
            # attached files reach stlite as absolute URLs (the frame is not at the page's URL)
            "data.csv": {"url": urljoin(page_url, spec["files"]["data.csv"]["url"])},
        },
        "requirements": ["numpy"],
        "streamlitConfig": {"theme.primaryColor": "#123456"},
        "moduleAutoLoad": True,  # Pyodide's own packages load on import
    }
    # The attached file is really there.
    assert _get(mounted["options"]["files"]["data.csv"]["url"]) == "a,b\n1,2\n"
    web.wait_for_text("STANDIN RENDERED", frame="iframe")
    assert web.evaluate(VISIBLE, "[data-testid=stMainBlockContainer] p", frame="iframe")
    # The code view gives way to the app; the mount point is no longer busy.
    assert not web.evaluate(VISIBLE, f"{MOUNT} .stlite-docs-source")
    assert web.evaluate(ATTRIBUTE, [MOUNT, "aria-busy"]) is None
    assert web.evaluate(ATTRIBUTE, ["iframe", "title"]) == "Live app: Far below"


def test_each_app_gets_its_own_frame_and_the_host_page_is_untouched(standin_site, web):
    web.open(standin_site + "two.html")
    title, url, history_length = web.evaluate("() => [document.title, location.href, history.length]")
    _wait_state(web, 0, "running")
    _wait_state(web, 1, "running")
    assert web.evaluate(COUNT, "iframe") == 2
    assert web.evaluate("() => { const f = document.querySelectorAll('iframe');"
                        " return f[0].contentWindow !== f[1].contentWindow; }")
    mounted = web.evaluate(RECORDED)
    texts = sorted(m["options"]["files"]["streamlit_app.py"] for m in mounted)
    assert texts == ['import streamlit as st\nst.write("first")\n', 'import streamlit as st\nst.write("second")\n']
    # The stand-in set document.title and pushed history inside each frame, as Streamlit does.
    assert web.evaluate("() => [document.title, location.href, history.length]") == [title, url, history_length]
    assert web.url == url


def test_click_to_run_works_from_the_keyboard(standin_site, web):
    web.open(standin_site + "click.html")
    _wait_state(web, 0, "click")
    run = f"{MOUNT} button.stlite-docs-run"
    assert web.evaluate(VISIBLE, run)
    assert web.evaluate(TEXT, run) == "Run app"
    assert web.evaluate(ATTRIBUTE, [run, "aria-label"]).startswith("Run app")  # its accessible name
    web.settle()
    assert _fetched(web, "/standin/") == [] and standin_site.gate.requested("/standin/") == []
    web.press("Enter", selector=run)  # focus the button, then the key on the keyboard
    _wait_state(web, 0, "running")
    assert len(web.evaluate(RECORDED)) == 1


# The index-th frame: its height on the page, its content's bottom, and whether it scrolls inside.
FRAME_FIT = """(i) => { const f = document.querySelectorAll('iframe')[i];
  const doc = f.contentDocument; const content = doc.querySelector('[data-testid=stMainBlockContainer]');
  if (!content) return null;
  return {height: f.getBoundingClientRect().height, content: content.getBoundingClientRect().bottom + f.contentWindow.scrollY,
          scrolls: doc.documentElement.scrollHeight > doc.documentElement.clientHeight + 1,
          viewport: window.innerHeight}; }"""


def test_fixed_and_auto_heights(standin_site, web):
    web.open(standin_site + "heights.html")
    for index in range(4):
        _wait_state(web, index, "running")
    heights = "() => Array.from(document.querySelectorAll('iframe'), (f) => f.getBoundingClientRect().height)"
    assert web.evaluate(heights)[0] == 320
    # max_height: none: the frame grows to its content (40 lines of code in the stand-in), no inner scroll.
    web.wait_for(f"() => {{ const f = ({FRAME_FIT})(2); return f && Math.abs(f.height - f.content) <= 2; }}")
    assert web.evaluate(FRAME_FIT, 2)["height"] > 700 and not web.evaluate(FRAME_FIT, 2)["scrolls"]
    # The default max_height, 80vh: the same app stops there and scrolls inside.
    web.wait_for(f"() => {{ const f = ({FRAME_FIT})(1); return f && Math.abs(f.height - 0.8 * f.viewport) <= 1; }}")
    tall = web.evaluate(FRAME_FIT, 1)
    assert tall["content"] > tall["height"] + 50 and tall["scrolls"]
    # Scrolled inside, it keeps its height (the content's height is measured unscrolled).
    web.evaluate("() => document.querySelectorAll('iframe')[1].contentWindow.scrollTo(0, 10000)")
    web.settle()
    assert abs(web.evaluate(FRAME_FIT, 1)["height"] - tall["height"]) <= 1
    # max_height: 300px on a short app: below it, the frame fits its content.
    web.wait_for(f"() => {{ const f = ({FRAME_FIT})(3); return f && Math.abs(f.height - Math.max(150, f.content)) <= 2; }}")
    assert web.evaluate(FRAME_FIT, 3)["height"] < 300 and not web.evaluate(FRAME_FIT, 3)["scrolls"]


def test_nested_page_resolves_urls_against_the_page(standin_site, web):
    web.open(standin_site + "nested/page.html")
    _wait_state(web, 0, "running")
    [mounted] = web.evaluate(RECORDED)
    url = mounted["options"]["files"]["data.csv"]["url"]
    assert url.startswith(standin_site + "_stlite_docs/files/")
    assert _get(url) == "a,b\n1,2\n"
    assert mounted["frameUrl"].startswith(standin_site + "_static/stlite-docs/frame.html")


@pytest.mark.allow_console_errors
@pytest.mark.parametrize("how", ["404", "abort"])
def test_unreachable_stlite_is_a_local_error_with_retry(standin_site, web, how):
    gate = standin_site.gate
    web.open(standin_site + "two.html")
    _wait_state(web, 0, "running")
    _wait_state(web, 1, "running")
    # Both apps boot again at once, the first from a stlite URL that fails (404, or the
    # connection closed without an answer) and the second from the working one: the other app
    # on the page must go on. (Failing the first of two requests for one URL cannot single out
    # an app: WebKit serves both frames from one load, Firefox retries a dropped connection.)
    gate.control("/standin-flaky/stlite.js", how)
    started = time.monotonic()
    _respec(web, {0: {"stliteUrl": "/standin-flaky/"}, 1: {}})
    failed = f"{MOUNT}[data-state=error]"
    web.wait_for(f"() => document.querySelectorAll('{failed}').length === 1"
                 f" && document.querySelectorAll('{MOUNT}[data-state=running]').length === 1")
    assert time.monotonic() - started < 15
    assert web.evaluate(f"() => document.querySelectorAll('{MOUNT}')[0].dataset.state") == "error"
    alert = web.evaluate(TEXT, f"{failed} [role=alert]")
    assert "Could not load stlite from" in alert and "/standin-flaky/stlite.js" in alert
    assert web.evaluate(VISIBLE, f"{failed} .stlite-docs-source")  # the code stays readable
    assert web.evaluate(COUNT, f"{failed} iframe") == 0
    assert gate.requested("/standin-flaky/stlite.js")

    gate.control("/standin-flaky/stlite.js", "pass")
    web.click(f"{failed} button.stlite-docs-retry", text="Retry")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT}[data-state=running]').length === 2")


@pytest.mark.allow_console_errors
def test_unreachable_pyodide_is_reported_by_the_load_guard(standin_site, web):
    web.open(standin_site + "click.html")
    # Point this app at a Pyodide the page cannot get (the server has no /nowhere/), before it boots.
    _respec(web, {0: {"pyodideUrl": "/nowhere/pyodide.mjs"}})
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
    _wait_state(web, 0, "error")
    assert "Could not load Pyodide from" in web.evaluate(TEXT, f"{MOUNT} [role=alert]")
    assert standin_site.gate.requested("/nowhere/pyodide.asm.wasm")  # the guard did ask
    assert web.evaluate(RECORDED) == []  # mount() was never called


def test_booting_state_is_busy_and_shows_progress(standin_site, web):
    gate = standin_site.gate
    gate.control("/standin/stlite.js", "hold")  # hold the download
    web.open(standin_site + "click.html")
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
    web.wait_for(f"() => document.querySelector('{MOUNT}').dataset.state === 'booting'")
    assert web.evaluate(ATTRIBUTE, [MOUNT, "aria-busy"]) == "true"
    status = f"{MOUNT} [role=status]"
    web.wait_for("(s) => document.querySelector(s)?.textContent === 'Loading stlite…'", status)
    assert web.evaluate(VISIBLE, status)
    assert web.evaluate(ATTRIBUTE, [f"{MOUNT} iframe", "title"]) == "Live app: Press run"
    gate.wait_held(1)  # the frame asks for stlite.js shortly after it loads
    time.sleep(0.3)
    assert gate.held == 1
    assert web.evaluate(ATTRIBUTE, [MOUNT, "data-state"]) == "booting"  # still waiting for stlite
    gate.decide(0, "pass")
    _wait_state(web, 0, "running")
    assert web.evaluate(ATTRIBUTE, [MOUNT, "aria-busy"]) is None
    assert not web.evaluate(VISIBLE, status)


@pytest.mark.allow_console_errors  # the engines report the loader's 404
def test_without_the_loader_the_reader_sees_the_code_never_a_blank_box(standin_site, web):
    # What a browser shows that cannot run the loader (no JavaScript modules, or the loader
    # blocked): the build's own markup, i.e. the app's code and its caption.
    standin_site.gate.control("/_static/stlite-docs/loader.js", "404")
    web.open(standin_site + "click.html")
    web.settle()
    assert standin_site.gate.requested("/_static/stlite-docs/loader.js")
    assert web.evaluate(ATTRIBUTE, [MOUNT, "data-state"]) is None  # no loader ran
    assert web.evaluate(VISIBLE, f"{MOUNT} .stlite-docs-source pre")
    assert "st.write(\"clicked\")" in web.evaluate(TEXT, f"{MOUNT} .stlite-docs-source")
    assert web.evaluate(TEXT, f"{MOUNT} figcaption") == "Press run"
    assert web.evaluate(COUNT, "iframe") == 0
