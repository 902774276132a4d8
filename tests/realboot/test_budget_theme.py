"""Real boots (``STLITE_DOCS_RUNTIME``) of the loader's scheduling on real Streamlit apps, in
Chromium: the memory budget pauses and resumes real apps, and ``theme: auto`` switches a
running app's Streamlit theme with the host page's toggle, without a reboot; each with the apps
in frames (``runtime: isolated``) and in the page, in one Python (``runtime: shared``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.builds import sphinx_build
from support.server import serving

pytestmark = pytest.mark.realboot

SITE = Path(__file__).resolve().parents[1] / "browser" / "site"
RUNTIME = os.environ.get("STLITE_DOCS_RUNTIME")
BOOT_TIMEOUT = 240
MOUNT = "[data-stlite-docs]"
STATES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.state)"
# An app's box: its iframe, or its container in the page (runtime: shared); both carry this class.
BOX = ".stlite-docs-frame"
# The Streamlit app's background colour inside the index-th box, as luminance 0..1.
LUMINANCE = """(i) => {
  const box = document.querySelectorAll('.stlite-docs-frame')[i];
  const app = (box?.contentDocument ?? box)?.querySelector('[data-testid=stApp]');
  if (!app) return null;
  const [r, g, b] = getComputedStyle(app).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""
# The index-th box shows this text.
SHOWS = """([i, text]) => {
  const box = document.querySelectorAll('.stlite-docs-frame')[i];
  return ((box?.contentDocument?.body ?? box)?.innerText ?? '').includes(text);
}"""
# What stays while an app runs: its frame's window, or the root stlite renders into in the page.
KEEPER = "(box) => box.contentWindow ?? box.firstChild"


@pytest.fixture(scope="module", params=["isolated", "shared"])
def site(tmp_path_factory, request):
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps "
                    "(build one with ../shared/offline-runtime/assemble.sh)")
    out = tmp_path_factory.mktemp("realboot-budget") / "html"
    build = sphinx_build(SITE, out, "html", "-W", "-D", "stlite_docs_stlite_url=/_runtime/stlite/",
                         "-D", "stlite_docs_pyodide_url=/_runtime/pyodide/pyodide.mjs",
                         "-D", f"stlite_docs_runtime={request.param}")
    assert build.returncode == 0, build.output
    with serving(out, {"_runtime": Path(RUNTIME)}) as base:
        yield base


@pytest.fixture
def chromium(driver):
    if driver.engine != "chromium":
        pytest.skip("real boots of the scheduler run in Chromium (the stand-in tests cover all three engines)")
    return driver


def test_theme_follows_the_page_toggle_on_a_real_app(site, chromium):
    web = chromium
    web.open(site + "two.html")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')", timeout=BOOT_TIMEOUT)
    system_dark = web.evaluate("() => document.documentElement.dataset.stliteDocsScheme === 'dark'")  # the page's
    web.wait_for(f"(dark) => {{ const l = ({LUMINANCE})(0); return l !== null && (l < 0.5) === dark; }}", system_dark)
    web.evaluate(f"() => document.querySelectorAll('{BOX}').forEach((b) => {{ ({KEEPER})(b).__same = true; }})")
    target = "light" if system_dark else "dark"
    web.evaluate("(t) => document.documentElement.setAttribute('data-theme', t)", target)
    for index in (0, 1):
        web.wait_for(f"([i, dark]) => {{ const l = ({LUMINANCE})(i); return l !== null && (l < 0.5) === dark; }}",
                     [index, target == "dark"], timeout=30)
    # The same documents (or in-page roots): switched in place, not remounted.
    assert web.evaluate(f"() => Array.from(document.querySelectorAll('{BOX}'), (b) => ({KEEPER})(b).__same === true)") \
        == [True, True]


def test_budget_pauses_and_resumes_real_apps(site, chromium):
    web = chromium
    web.open(site + "budget.html")  # :stlite-max-live-apps: 2
    for index in range(3):
        web.evaluate(f"(i) => document.querySelectorAll('{MOUNT}')[i].scrollIntoView()", index)
        web.wait_for(f"(i) => document.querySelectorAll('{MOUNT}')[i].dataset.state === 'running'", index,
                     timeout=BOOT_TIMEOUT)
    states = web.evaluate(STATES)
    assert states[:3] == ["paused", "running", "running"], states
    # Paused: unmounted (in shared mode the worker stays, for the others).
    assert web.evaluate(f"() => document.querySelectorAll('{BOX}').length") == 2
    web.wait_for(SHOWS, [1, "budget 2"], timeout=30)
    web.evaluate(f"() => document.querySelectorAll('{MOUNT}')[0].scrollIntoView()")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT}')[0].dataset.state === 'running'", timeout=BOOT_TIMEOUT)
    web.wait_for(SHOWS, [0, "budget 0"], timeout=30)
    states = web.evaluate(STATES)
    assert states.count("running") + states.count("booting") <= 2, states
