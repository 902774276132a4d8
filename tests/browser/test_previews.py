"""Build-time previews in Chromium, Firefox and WebKit, on real Sphinx output, with the recording
stand-in for stlite: the picture is there before the app boots, in the page's scheme, with the
Run button over it for `load: click`; the live app replaces it in the same box (the page does
not move: bounding boxes, and Chromium's own layout-shift entries); no fade under
prefers-reduced-motion.

The previews folder is filled the way `stlite-docs previews` fills it (one image per scheme,
named by the key the build wrote on the mount point), between a first and a second build: the
second, incremental, build must pick the images up by itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from conftest import STANDIN, gated_serving
from support.builds import sphinx_build

HERE = Path(__file__).resolve().parent
MOUNT = "[data-stlite-docs]"
FIRST = "figure.stlite-docs:nth-of-type(1)"
STLITE = "/standin/stlite.js"
SHOWN = """(selector) => Array.from(document.querySelectorAll(selector)).filter((el) => {
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(el).display !== 'none';
}).map((el) => el.dataset.scheme || el.className)"""
RECT = "(selector) => { const r = document.querySelector(selector).getBoundingClientRect(); return [r.top + scrollY, r.height]; }"
# Layout shifts as the engine itself reports them (Chromium); null where it has no such entries.
WATCH_SHIFTS = """() => { window.__shifts = null;
  if (!(PerformanceObserver.supportedEntryTypes || []).includes('layout-shift')) return;
  window.__shifts = [];
  new PerformanceObserver((list) => window.__shifts.push(...list.getEntries().map((e) => [e.value,
    e.sources.map((s) => (s.node?.className || s.node?.nodeName || '?') + ' ' + JSON.stringify([s.previousRect.y, s.currentRect.y, s.previousRect.height, s.currentRect.height]))])))
    .observe({type: 'layout-shift', buffered: true}); }"""
# Whether the stage of the first app was ever cross-fading (class is-revealing), and when the
# preview left the page.
WATCH_FADE = """() => { window.__faded = false;
  const stage = document.querySelector('[data-stlite-docs] .stlite-docs-stage');
  new MutationObserver(() => { if (stage.classList.contains('is-revealing')) window.__faded = true; })
    .observe(stage, {attributes: true, attributeFilter: ['class']}); }"""


def _image(path: Path, size: tuple[int, int], colour: str) -> None:
    image = Image.new("RGB", size, colour)
    ImageDraw.Draw(image).rectangle([20, 20, size[0] - 20, 60], fill="#ff4b4b")
    image.save(path)


@pytest.fixture(scope="module")
def preview_site(tmp_path_factory):
    src = tmp_path_factory.mktemp("previews-src") / "src"
    shutil.copytree(HERE / "previews-site", src)
    _image(src / "poster.png", (704, 300), "#eeeeee")
    out = src.parent / "html"
    first = sphinx_build(src, out, "html", "-W", "-D", "stlite_docs_stlite_url=/standin/")
    assert first.returncode == 0, first.output
    keys = re.findall(r'data-preview-key="([0-9a-f]+)" data-preview-schemes="light dark"', first.page("index.html"))
    assert len(keys) == 1, keys  # the click app with its own image has no key, the third is off
    folder = src / "_stlite_previews"
    folder.mkdir()
    _image(folder / f"{keys[0]}-light.png", (704, 400), "#ffffff")
    _image(folder / f"{keys[0]}-dark.png", (704, 400), "#0e1117")
    second = sphinx_build(src, out, "html", "-W", "-D", "stlite_docs_stlite_url=/standin/")
    assert second.returncode == 0, second.output
    assert "stlite-docs-preview-image" in second.page("index.html"), "the incremental build missed the new previews"
    with gated_serving(out, {"standin": STANDIN}) as site:
        yield site


@pytest.fixture
def site(preview_site):
    preview_site.gate.reset()
    yield preview_site
    preview_site.gate.reset()


def _state(web, index, state, timeout=30):
    web.wait_for(f"([i, s]) => document.querySelectorAll('{MOUNT}')[i]?.dataset.state === s", [index, state], timeout=timeout)


def test_preview_before_boot_then_the_live_app_in_the_same_box(site, web):
    site.gate.control(STLITE, "hold")
    web.open(site + "index.html")
    web.evaluate(WATCH_SHIFTS)
    web.evaluate("() => document.documentElement.setAttribute('data-theme', 'light')")
    _state(web, 0, "booting")
    site.gate.wait_held(1)
    # Booting, stlite held back: the reader sees the picture, at its size, and a badge; not the code.
    assert web.evaluate(SHOWN, f"{FIRST} .stlite-docs-preview img") == ["light"]
    assert web.wait_for("() => { const i = document.querySelector('figure.stlite-docs .stlite-docs-preview img');"
                        " return i.complete && i.naturalWidth === 704 && i.getBoundingClientRect().height === 400; }")
    assert web.evaluate(SHOWN, f"{FIRST} .stlite-docs-source") == []
    assert web.evaluate(SHOWN, f"{FIRST} .stlite-docs-status") == ["stlite-docs-status"]
    assert web.evaluate(f"() => document.querySelector('{MOUNT} .stlite-docs-status').getAttribute('role')") == "status"
    before = (web.evaluate(RECT, MOUNT), web.evaluate(RECT, "p:last-of-type"))
    web.evaluate(WATCH_FADE)
    for index in range(site.gate.held):
        site.gate.decide(index, "pass")
    _state(web, 0, "running")
    web.wait_for(f"() => !document.querySelector('{FIRST} .stlite-docs-preview')")
    assert web.evaluate(SHOWN, f"{FIRST} iframe") == ["stlite-docs-frame"]
    assert web.evaluate("() => window.__faded") is True  # a cross-fade, not a cut
    after = (web.evaluate(RECT, MOUNT), web.evaluate(RECT, "p:last-of-type"))
    assert after == before, "the app's box moved when the live app replaced its preview"
    shifts = web.evaluate("() => window.__shifts")
    if shifts is not None:
        assert sum(value for value, _ in shifts) == 0, f"layout shifts: {shifts}"


def test_the_shown_preview_follows_the_page_scheme(site, web):
    site.gate.control(STLITE, "hold")  # the app stays in its preview
    web.open(site + "index.html")
    selector = f"{FIRST} .stlite-docs-preview img"
    for attribute, value, scheme in [("data-theme", "dark", "dark"), ("data-theme", "light", "light")]:
        web.evaluate("([a, v]) => document.documentElement.setAttribute(a, v)", [attribute, value])
        assert web.wait_for(f"(s) => ({SHOWN})(s).join() === {scheme!r}", selector)
    # Material's palette toggle, on <body>
    web.evaluate("() => document.documentElement.removeAttribute('data-theme')")
    web.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    assert web.wait_for(f"(s) => ({SHOWN})(s).join() === 'dark'", selector)


@pytest.mark.parametrize("system", ["light", "dark"])
def test_a_light_only_theme_shows_the_light_picture_whatever_the_system(site, browser, system):
    """alabaster (the site's theme) is light whatever the reader's system: so is the picture;
    a page stlite-docs knows nothing of that follows the system gets the system's. Chromium
    (Playwright emulates the system's scheme; the other drivers cannot)."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, color_scheme=system)
    try:
        page = context.new_page()
        site.gate.control(STLITE, "hold")  # the app stays in its preview
        page.goto(site + "index.html", wait_until="domcontentloaded")
        selector = f"{FIRST} .stlite-docs-preview img"
        page.wait_for_function(f"(s) => ({SHOWN})(s).join() === 'light'", arg=selector)
        if system == "dark":
            page.emulate_media(color_scheme="light")
            # the browser reports a media change at its next rendering update: let it pass
            page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
            page.add_style_tag(content="@media (prefers-color-scheme: dark) { body { background: #111 !important; } }")
            page.emulate_media(color_scheme="dark")
            page.wait_for_function(f"(s) => ({SHOWN})(s).join() === 'dark'", arg=selector)
    finally:
        site.gate.reset()
        context.close()


def test_click_app_shows_its_poster_under_the_run_button(site, web):
    web.open(site + "index.html")
    _state(web, 1, "click")
    poster = f"#poster .stlite-docs-preview img"
    assert web.evaluate(SHOWN, poster) == ["any"]
    button = web.evaluate("() => { const b = document.querySelector('#poster button.stlite-docs-run').getBoundingClientRect();"
                          " const p = document.querySelector('#poster .stlite-docs-preview').getBoundingClientRect();"
                          " return [b.top >= p.top, b.bottom <= p.bottom, Math.abs((b.top + b.bottom) / 2 - (p.top + p.bottom) / 2) < 2]; }")
    assert button == [True, True, True]  # over the picture, in its middle
    assert web.evaluate("() => document.querySelector('#poster img').alt") == "Preview of the app poster"
    web.click("#poster button.stlite-docs-run")
    _state(web, 1, "running")
    web.wait_for("() => !document.querySelector('#poster .stlite-docs-preview')")
    # An auto-height app then fits its content (the stand-in's is smaller than the poster).
    assert web.evaluate(SHOWN, "#poster iframe") == ["stlite-docs-frame"]
    # The app without a preview is today's: code shown, a Run button above it.
    assert web.evaluate(SHOWN, "figure.stlite-docs:nth-of-type(3) .stlite-docs-source") == ["stlite-docs-source"]
    assert web.evaluate(f"() => document.querySelectorAll('{MOUNT}')[2].querySelector('.stlite-docs-preview')") is None


def test_no_fade_under_reduced_motion(site, browser):
    """Chromium (Playwright emulates the media feature; the other drivers cannot)."""
    context = browser.new_context(viewport={"width": 1000, "height": 800}, reduced_motion="reduce")
    try:
        page = context.new_page()
        site.gate.control(STLITE, "hold")
        page.goto(site + "index.html")
        page.wait_for_function(f"() => document.querySelector('{MOUNT}').dataset.state === 'booting'")
        site.gate.wait_held(1)
        page.evaluate(WATCH_FADE)
        for index in range(site.gate.held):
            site.gate.decide(index, "pass")
        page.wait_for_function(f"() => document.querySelector('{MOUNT}').dataset.state === 'running'")
        # Gone at once, in the same task as the render: no fade left to wait for.
        assert page.evaluate(f"() => document.querySelector('{FIRST} .stlite-docs-preview')") is None
        assert page.evaluate("() => window.__faded") is False
    finally:
        context.close()


@pytest.mark.allow_console_errors  # the engines report the loader's 404
def test_without_the_loader_the_note_says_the_picture_is_a_picture(site, web):
    """No loader (blocked, JavaScript off): the reader sees the preview, and the stylesheet's
    note (see test_robust) calls it a picture of the app, not its code."""
    site.gate.control("/_static/stlite-docs/loader.js", "404")
    web.open(site + "index.html")
    note = f"""() => getComputedStyle(document.querySelector('{FIRST}'), '::before').content"""
    web.wait_for(f"() => ({note})().includes('Live app')", timeout=10)
    assert "this is a picture of it" in web.evaluate(note)
    assert web.evaluate(SHOWN, f"{FIRST} .stlite-docs-preview img")
