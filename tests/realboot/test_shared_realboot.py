"""Real boots (``STLITE_DOCS_RUNTIME``) of ``runtime: shared`` in Chromium: three real Streamlit
apps in one page render, in the page itself (no frames), in one Python: each app adds its name
to a set kept on the ``sys`` module, and the last to start sees all three; a slider reruns its
app. No dedicated worker runs (stlite's SharedWorker serves them all). A multipage app switches
pages without changing the reader's URL, history or title. The memory budget and
theme switching of in-page apps: test_budget_theme.py, in both modes."""

from __future__ import annotations

import pytest

from test_budget_theme import chromium, site  # noqa: F401 (fixtures: the test site, served; Chromium)

pytestmark = pytest.mark.realboot

BOOT_TIMEOUT = 300
MOUNT = "[data-stlite-docs]"
STATES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.state)"
TEXT = f"(i) => document.querySelectorAll('{MOUNT}')[i].querySelector('[data-testid=stMainBlockContainer]')?.innerText ?? ''"


def test_three_apps_share_one_python_in_the_page(site, chromium, request):
    if request.node.callspec.params["site"] != "isolated":
        pytest.skip("shared_python.html sets :stlite-runtime: shared itself: one build of the site is enough")
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



def test_a_multipage_app_switches_pages_without_touching_the_page(site, chromium, request):
    if request.node.callspec.params["site"] != "isolated":
        pytest.skip("shared_multipage.html sets :stlite-runtime: shared itself: one build of the site is enough")
    web = chromium
    web.open(site + "shared_multipage.html")
    page = "() => [location.href, history.length, document.title]"
    before = web.evaluate(page)
    web.wait_for(f"() => ({STATES})()[0] === 'running'", timeout=BOOT_TIMEOUT)
    web.wait_for(f"() => ({TEXT})(0).includes('home page here')", timeout=60)
    web.click(f"{MOUNT} [data-testid=stSidebarNav] a", text="Details")
    web.wait_for(f"() => ({TEXT})(0).includes('details page here')", timeout=60)
    # Streamlit's pushState and its page title were kept off the reader's page.
    assert web.evaluate(page) == before
