"""A Zensical-built site in Chromium, Firefox and WebKit: the documented setup (extension, ``stlite-docs assets``,
extra_javascript/extra_css) boots apps, boots hidden ones when revealed, and instant
navigation mounts and tears down apps as under Material for MkDocs.

The site is tests/browser/mkdocs-site, rewritten for Zensical: Zensical runs no plugins, so
the plugin's settings move to the extension's entry. stlite is the stand-in module
(tests/browser/standin/stlite.js), a test double at the stlite boundary.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.builds import ZENSICAL_ASSETS, stlite_docs, zensical_build
from support.server import serving
from test_mkdocs_material import STATE, _wait_state, leave_home_by_instant_navigation

HERE = Path(__file__).resolve().parent
RECORDED = "() => (window.__standin || {mounts: []}).mounts.length"
UNMOUNTS = "() => (window.__standin || {unmounts: []}).unmounts"

def zensical_project(dest: Path, stlite_url: str, pyodide_url: str | None = None) -> Path:
    project = dest / "zensical-site"
    shutil.copytree(HERE / "mkdocs-site", project)
    config = project / "mkdocs.yml"
    text = config.read_text()
    plugin = text[text.index("plugins:"):text.index("markdown_extensions:")]
    settings = f"      stlite_url: {stlite_url}\n" + (f"      pyodide_url: {pyodide_url}\n" if pyodide_url else "")
    text = text.replace(plugin, "").replace("markdown_extensions:\n", "markdown_extensions:\n  - stlite_docs.markdown:\n" + settings)
    config.write_text(text + ZENSICAL_ASSETS)
    assert stlite_docs("assets", "docs/assets", cwd=project).returncode == 0
    return project


def build_and_serve(tmp_path_factory, mounts: dict, **settings):
    """Serve first, then build with the server's URL as site_url (instant navigation needs
    links whose origin matches it)."""
    tmp = tmp_path_factory.mktemp("zensical")
    project = zensical_project(tmp, **settings)
    (project / "site").mkdir()
    context = serving(project / "site", mounts)
    base = context.__enter__()
    saved = os.environ.get("STLITE_TEST_SITE_URL")
    os.environ["STLITE_TEST_SITE_URL"] = base
    try:
        build = zensical_build(project, "--clean")
    finally:
        os.environ.pop("STLITE_TEST_SITE_URL") if saved is None else os.environ.__setitem__("STLITE_TEST_SITE_URL", saved)
    assert build.returncode == 0 and "[stlite." not in build.output, build.output
    return base, context


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    base, context = build_and_serve(tmp_path_factory, {"standin": HERE / "standin"}, stlite_url="/standin/")
    yield base
    context.__exit__(None, None, None)


@pytest.fixture(scope="module")
def zensical_npm_site(tmp_path_factory, npm_runtime):
    base, context = build_and_serve(tmp_path_factory, npm_runtime, stlite_url="/npm/stlite/", pyodide_url="/npm/pyodide/pyodide.mjs")
    yield base
    context.__exit__(None, None, None)


def test_apps_boot_and_hidden_ones_wait_until_revealed(zensical_site, web):
    web.open(zensical_site)
    _wait_state(web, 0, "running")
    assert web.evaluate("() => window.stliteDocs.version") == web.evaluate(
        "() => JSON.parse(document.querySelector('script.stlite-docs-spec').textContent)[0].generator")
    assert web.evaluate("() => document.querySelectorAll('.stlite-docs-note').length") == 0  # versions agree

    web.open(zensical_site + "hidden/")
    _wait_state(web, 0, "idle")  # in the closed tab
    _wait_state(web, 1, "idle")  # in the closed details
    web.settle()
    time.sleep(0.5)
    assert web.evaluate(STATE, 1) == "idle" and web.evaluate(STATE, 0) == "idle"
    web.click("label", text="Closed tab")
    _wait_state(web, 0, "running")
    web.click("summary", text="Closed details")
    _wait_state(web, 1, "running")


def test_instant_navigation_mounts_new_apps_and_tears_down_old_ones(zensical_site, web):
    leave_home_by_instant_navigation(web, zensical_site)
    web.click("#to-home")
    web.wait_for("(home) => location.href === home", zensical_site)
    assert web.evaluate("() => window.__noReload") is True
    _wait_state(web, 0, "running")
    assert web.evaluate(RECORDED) == 2  # home, then home again: mounted afresh
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 1
    # The loader module ran once: instant navigation does not load it again.
    assert len([u for u in web.resources() if "stlite-docs/loader.js" in u]) == 1


def test_a_stale_loader_copy_is_named_in_the_page(zensical_site, watched, tmp_path):
    """The page says which stlite-docs built it; a loader of another version says what to run.

    Chromium only: it serves a loader of another version by request interception, which
    WebKit's WebDriver does not have; the note is plain DOM the loader writes the same way in
    every engine (test_apps_boot_and_hidden_ones_wait_until_revealed checks, in all three, that
    a loader of the page's own version writes none)."""
    page = watched.page
    page.route("**/assets/stlite-docs/loader.js*", lambda route: route.fulfill(
        content_type="text/javascript",
        body=(HERE.parents[1] / "assets/stlite-docs/loader.js").read_text().replace(
            'export const VERSION = "', 'export const VERSION = "0.0.1+'),
    ))
    page.goto(zensical_site)
    note = page.locator(".stlite-docs-note")
    expect(note).to_contain_text("This page was built by stlite-docs")
    expect(note).to_contain_text("but its loader is 0.0.1+")
    expect(note).to_contain_text("run `stlite-docs assets`")
    expect(page.locator("[data-stlite-docs]")).to_have_attribute("data-state", "running")  # the app still runs


# stlite logs its failed package installation (the npm Pyodide core has no wheels).
@pytest.mark.allow_console_errors
def test_instant_navigation_terminates_the_real_stlite_worker(zensical_npm_site, watched):
    # Chromium only: it lists the browser's own workers (Playwright's page.workers), which the
    # other engines' drivers cannot; the teardown is the loader's, the same under Material, where
    # test_mkdocs_material checks it from the page in all three engines.
    page = watched.page
    page.goto(zensical_npm_site)
    page.wait_for_function("() => !!document.querySelector('iframe')")
    deadline = time.monotonic() + 30
    while not app_workers(page) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert app_workers(page), "stlite started no worker"
    page.evaluate("window.__noReload = true")
    page.locator("#to-plain").click()
    page.wait_for_url("**/plain/")
    assert page.evaluate("window.__noReload") is True
    deadline = time.monotonic() + 30
    while app_workers(page) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert app_workers(page) == [], "a worker survived the navigation"


def app_workers(page) -> list:
    """Workers but the theme's own search worker (Zensical starts it on every page)."""
    return [worker for worker in page.workers if "/assets/javascripts/workers/search." not in worker.url]
