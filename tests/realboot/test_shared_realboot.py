"""Real boots (``STLITE_DOCS_RUNTIME``) of ``runtime: shared`` in Chromium: three real Streamlit
apps in one page render, in the page itself (no frames), in one Python: each app adds its name
to a set kept on the ``sys`` module, and the last to start sees all three; a slider reruns its
app. No dedicated worker runs (stlite's SharedWorker serves them all)."""

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
