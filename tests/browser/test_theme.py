"""`theme: auto` follows the host page's scheme, live and without a reboot, in Chromium, Firefox
and WebKit, on Sphinx and MkDocs (Material) output, with the recording stand-in for stlite
(which imitates Streamlit's host messages: GUEST_READY, SET_CUSTOM_THEME_CONFIG)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_mkdocs_material import _build_and_serve
from test_loader import _respec

HERE = Path(__file__).resolve().parent
MOUNT = "[data-stlite-docs]"
APP_THEMES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.appTheme || null)"
MOUNTS = "() => (window.__standin || {mounts: []}).mounts.length"
# The page's scheme as the loader reads it (theme.js): this site's alabaster is light-only.
PAGE_SCHEME = "() => document.documentElement.dataset.stliteDocsScheme"


def _running(web, count):
    web.wait_for(f"(n) => document.querySelectorAll('{MOUNT}[data-state=running]').length === n", count)


def test_auto_theme_follows_the_page_toggle_without_a_reboot(standin_site, web):
    web.open(standin_site + "two.html")
    _running(web, 2)
    page = web.evaluate(PAGE_SCHEME)
    assert page == "light"
    web.wait_for(f"(t) => ({APP_THEMES})().every((x) => x === t)", page)
    other = "dark"
    # pydata-sphinx-theme's toggle (<html data-theme>); Furo's is the same attribute on <body>.
    web.evaluate("(t) => document.documentElement.setAttribute('data-theme', t)", other)
    web.wait_for(f"(t) => ({APP_THEMES})().every((x) => x === t)", other)
    assert web.evaluate(MOUNTS) == 2  # no remount
    name = {"light": "Light", "dark": "Dark"}
    assert web.evaluate("() => window.__standin.themes") == [name[page]] * 2 + [name[other]] * 2
    mounted = web.evaluate("() => window.__standin.mounts[0].options")
    assert mounted["hostConfig"] == {"allowedOrigins": [standin_site.rstrip("/")]}
    assert "theme.base" not in mounted["streamlitConfig"]


def test_forced_and_custom_themes(standin_site, web):
    web.open(standin_site + "two.html")
    _running(web, 2)
    # The first forced dark and with the author's own colours (a custom theme: the base is
    # added); the second with the author's colours only (used as written: it cannot follow).
    custom = {"config": {"theme.primaryColor": "#123456"}}
    _respec(web, {0: {"theme": "dark", **custom}, 1: custom})
    _running(web, 2)
    web.wait_for(f"() => ({APP_THEMES})()[0] === 'dark'")
    mounts = web.evaluate("() => window.__standin.mounts.slice(2).map((m) => m.options)")
    assert sorted(m["streamlitConfig"].get("theme.base", "none") for m in mounts) == ["dark", "none"]
    assert all("hostConfig" not in m for m in mounts)
    assert web.evaluate(APP_THEMES)[1] == "custom"
    web.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
    web.evaluate("() => document.documentElement.setAttribute('data-theme', 'dark')")
    web.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
    web.wait_for("() => true")
    assert web.evaluate(APP_THEMES) == ["dark", "custom"]  # neither follows


@pytest.fixture(scope="module")
def theme_mkdocs_site(tmp_path_factory):
    base, context = _build_and_serve(tmp_path_factory, {"standin": HERE / "standin"}, {})
    yield base
    context.__exit__(None, None, None)


def test_material_palette_toggle(theme_mkdocs_site, web):
    theme_mkdocs_site.gate.reset()
    web.open(theme_mkdocs_site)
    _running(web, 1)
    # Material's palette toggle sets data-md-color-scheme on <body>: slate is dark.
    web.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    web.wait_for(f"() => ({APP_THEMES})()[0] === 'dark'")
    web.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
    web.wait_for(f"() => ({APP_THEMES})()[0] === 'light'")
    assert web.evaluate(MOUNTS) == 1
