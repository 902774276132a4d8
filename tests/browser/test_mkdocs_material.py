"""MkDocs + Material in Chromium: hidden apps boot when revealed; instant navigation mounts the
apps of the page reached and tears down those of the page left, workers included."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.builds import mkdocs_build
from support.server import serving

HERE = Path(__file__).resolve().parent
RECORDED = "() => (window.__standin || {mounts: []}).mounts.length"
UNMOUNTS = "() => (window.__standin || {unmounts: []}).unmounts"


def _build_and_serve(tmp_path_factory, mounts: dict, env: dict):
    """Serve first, then build with the server's URL as site_url (see mkdocs.yml)."""
    out = tmp_path_factory.mktemp("mkdocs-site") / "site"
    out.mkdir()
    serving_context = serving(out, mounts)
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


def test_apps_in_closed_tabs_and_details_boot_when_revealed(material_site, watched):
    page = watched.page
    page.goto(material_site + "hidden/")
    tab_app = page.locator("[data-stlite-docs]").nth(0)
    details_app = page.locator("[data-stlite-docs]").nth(1)
    expect(tab_app).to_have_attribute("data-state", "idle")
    expect(details_app).to_have_attribute("data-state", "idle")
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    assert watched.requested("/standin/") == []  # on screen, but hidden: not booted

    page.get_by_text("Closed tab", exact=True).click()
    expect(tab_app).to_have_attribute("data-state", "running")
    expect(details_app).to_have_attribute("data-state", "idle")

    page.get_by_text("Closed details", exact=True).click()
    expect(details_app).to_have_attribute("data-state", "running")


def test_instant_navigation_mounts_new_apps_and_tears_down_old_ones(material_site, watched):
    page = watched.page
    page.goto(material_site)
    home = page.locator("[data-stlite-docs]")
    expect(home).to_have_attribute("data-state", "running")
    page.evaluate("window.__noReload = true")

    page.locator("#to-hidden").click()
    page.wait_for_url("**/hidden/")
    assert page.evaluate("window.__noReload") is True  # instant navigation, not a page load
    page.wait_for_function(f"() => ({UNMOUNTS})().length === 1")
    assert page.locator("iframe").count() == 0
    page.get_by_text("Closed tab", exact=True).click()
    expect(page.locator("[data-stlite-docs]").nth(0)).to_have_attribute("data-state", "running")

    page.locator("#to-home").click()
    page.wait_for_url(material_site)
    assert page.evaluate("window.__noReload") is True
    expect(page.locator("[data-stlite-docs]")).to_have_attribute("data-state", "running")
    assert page.evaluate(RECORDED) == 3  # home, tab, home again: each page's apps mounted afresh
    assert page.evaluate(UNMOUNTS) == ["streamlit_app.py", "streamlit_app.py"]
    assert page.locator("iframe").count() == 1
    # The loader module ran once: instant navigation does not re-evaluate it.
    assert len(watched.requested("stlite-docs/loader.js")) == 1


# stlite logs its failed package installation (the npm Pyodide core has no wheels).
@pytest.mark.allow_console_errors
def test_instant_navigation_terminates_the_real_stlite_worker(material_npm_site, watched):
    page = watched.page
    page.goto(material_npm_site)
    # The real stlite starts its worker (and Pyodide in it) for the home page's eager app.
    page.wait_for_function("() => !!document.querySelector('iframe')")
    deadline = time.monotonic() + 30
    while not page.workers and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert page.workers, "stlite started no worker"
    page.evaluate("window.__noReload = true")
    page.locator("#to-plain").click()
    page.wait_for_url("**/plain/")
    assert page.evaluate("window.__noReload") is True
    deadline = time.monotonic() + 30
    while page.workers and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert page.workers == [], "a worker survived the navigation"
