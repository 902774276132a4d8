"""Real boots (``STLITE_DOCS_RUNTIME``) of ``runtime: shared`` in Chromium: three real Streamlit
apps in one page render, in the page itself (no frames), in one Python: each app adds its name
to a set kept on the ``sys`` module, and the last to start sees all three; a slider reruns its
app. No dedicated worker runs (stlite's SharedWorker serves them all). The same test site built
with ``runtime: shared`` for every page: the memory budget pauses (unmounts) and resumes real
in-page apps, and the theme follows the page's toggle in every app without a reboot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.builds import sphinx_build
from support.server import serving

pytestmark = pytest.mark.realboot

SITE = Path(__file__).resolve().parents[1] / "browser" / "site"
RUNTIME = os.environ.get("STLITE_DOCS_RUNTIME")
BOOT_TIMEOUT = 300
MOUNT = "[data-stlite-docs]"
STATES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.state)"
TEXT = f"(i) => document.querySelectorAll('{MOUNT}')[i].querySelector('[data-testid=stMainBlockContainer]')?.innerText ?? ''"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps "
                    "(build one with ../shared/offline-runtime/assemble.sh)")
    out = tmp_path_factory.mktemp("realboot-shared") / "html"
    build = sphinx_build(SITE, out, "html", "-W", "-D", "stlite_docs_stlite_url=/_runtime/stlite/",
                         "-D", "stlite_docs_pyodide_url=/_runtime/pyodide/pyodide.mjs")
    assert build.returncode == 0, build.output
    with serving(out, {"_runtime": Path(RUNTIME)}) as base:
        yield base


@pytest.fixture(scope="module")
def all_shared(tmp_path_factory):
    """tests/browser/site with ``runtime: shared`` as the site setting."""
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps")
    out = tmp_path_factory.mktemp("realboot-all-shared") / "html"
    build = sphinx_build(SITE, out, "html", "-W", "-D", "stlite_docs_stlite_url=/_runtime/stlite/",
                         "-D", "stlite_docs_pyodide_url=/_runtime/pyodide/pyodide.mjs", "-D", "stlite_docs_runtime=shared")
    assert build.returncode == 0, build.output
    with serving(out, {"_runtime": Path(RUNTIME)}) as base:
        yield base


@pytest.fixture
def chromium(driver):
    if driver.engine != "chromium":
        pytest.skip("real boots of shared mode run in Chromium (the stand-in tests cover all three engines)")
    return driver


def test_three_apps_share_one_python_in_the_page(site, chromium):
    web = chromium
    web.open(site + "shared_python.html")
    title = web.evaluate("() => document.title")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')", timeout=BOOT_TIMEOUT)
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 0
    assert web.evaluate("() => document.querySelectorAll('.stlite-docs-inpage [data-testid=stApp]').length") == 3
    # One Python: the apps boot one after another, and the last one sees all three names.
    web.wait_for(f"() => ({TEXT})(2).includes('apps in this Python: 3')", timeout=60)
    assert web.workers() == []  # no dedicated worker: the three share stlite's SharedWorker
    # A widget reruns its own app, in the same Python (it now counts all three too).
    web.press("ArrowRight", selector=f"{MOUNT} input[type=range]")
    web.wait_for(f"() => ({TEXT})(0).includes('A doubled 8; apps in this Python: 3')", timeout=60)
    # Streamlit's page title stayed inside the app; each box grew to its app.
    assert web.evaluate("() => document.title") == title
    heights = web.evaluate("() => Array.from(document.querySelectorAll('.stlite-docs-inpage'), (b) => b.offsetHeight)")
    assert all(h >= 150 for h in heights), heights


def test_budget_pauses_and_resumes_in_page_apps(all_shared, chromium):
    web = chromium
    web.open(all_shared + "budget.html")  # :stlite-max-live-apps: 2
    for index in range(3):
        web.evaluate(f"(i) => document.querySelectorAll('{MOUNT}')[i].scrollIntoView()", index)
        web.wait_for(f"(i) => document.querySelectorAll('{MOUNT}')[i].dataset.state === 'running'", index,
                     timeout=BOOT_TIMEOUT)
    states = web.evaluate(STATES)
    assert states[:3] == ["paused", "running", "running"], states
    # Paused: its app unmounted from the page (the shared worker stays for the others).
    assert web.evaluate("() => document.querySelectorAll('.stlite-docs-inpage').length") == 2
    web.wait_for(f"() => ({TEXT})(2).includes('budget 2')", timeout=60)
    web.evaluate(f"() => document.querySelectorAll('{MOUNT}')[0].scrollIntoView()")
    web.wait_for(f"() => document.querySelectorAll('{MOUNT}')[0].dataset.state === 'running'", timeout=BOOT_TIMEOUT)
    web.wait_for(f"() => ({TEXT})(0).includes('budget 0')", timeout=60)
    states = web.evaluate(STATES)
    assert states.count("running") + states.count("booting") <= 2, states


# The Streamlit app's background colour inside the index-th in-page box, as luminance 0..1.
LUMINANCE = """(i) => {
  const app = document.querySelectorAll('.stlite-docs-inpage')[i]?.querySelector('[data-testid=stApp]');
  if (!app) return null;
  const [r, g, b] = getComputedStyle(app).backgroundColor.match(/\\d+/g).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}"""


def test_theme_follows_the_page_toggle_in_every_in_page_app(all_shared, chromium):
    web = chromium
    web.open(all_shared + "two.html")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')", timeout=BOOT_TIMEOUT)
    system_dark = web.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    for index in (0, 1):
        web.wait_for(f"([i, dark]) => {{ const l = ({LUMINANCE})(i); return l !== null && (l < 0.5) === dark; }}",
                     [index, system_dark], timeout=30)
    web.evaluate("() => document.querySelectorAll('.stlite-docs-inpage').forEach((b) => { b.firstChild.__same = true; })")
    target = "light" if system_dark else "dark"
    web.evaluate("(t) => document.documentElement.setAttribute('data-theme', t)", target)
    for index in (0, 1):
        web.wait_for(f"([i, dark]) => {{ const l = ({LUMINANCE})(i); return l !== null && (l < 0.5) === dark; }}",
                     [index, target == "dark"], timeout=30)
    # Switched in place, not remounted.
    assert web.evaluate("() => Array.from(document.querySelectorAll('.stlite-docs-inpage'), (b) => b.firstChild.__same === true)") \
        == [True, True]
