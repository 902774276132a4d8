"""Real previews: ``stlite-docs previews SOURCES --runtime "$STLITE_DOCS_RUNTIME"`` on a copy of
the manual (``docs/``) and its MkDocs twin (``example_site/mkdocs``) with their committed
previews removed captures every app (real stlite, real
Pyodide, real Streamlit, headless Chromium), and each picture is the app itself: not blank, and
the same pixels as the live app shows when a reader's browser boots it (so its own text,
widgets and charts), for the light and the dark scheme. Slow: every example app boots once."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import io

from PIL import Image, ImageChops, ImageStat

from support.builds import sphinx_build
from support.chromium import launch
from support.server import serving

pytestmark = pytest.mark.realboot

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = os.environ.get("STLITE_DOCS_RUNTIME")
KEYS = re.compile(r'data-preview-key="([0-9a-f]{20})" data-preview-schemes="([a-z ]+)"')


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps")
    root = tmp_path_factory.mktemp("previews") / "sources"
    ignore = shutil.ignore_patterns("_stlite_previews", "_build", "site")
    shutil.copytree(ROOT / "docs", root / "sphinx", ignore=ignore)
    shutil.copytree(ROOT / "example_site" / "mkdocs", root / "mkdocs", ignore=ignore)
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "stlite_docs.cli", "previews", str(root), "--runtime", RUNTIME, "--strict"],
        capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), timeout=3000,
    )
    print(f"\nstlite-docs previews (manual and MkDocs twin): {time.monotonic() - started:.0f} s\n{run.stderr[-2000:]}")
    assert run.returncode == 0, run.stdout + run.stderr
    return root


def _drawn(image: Image.Image) -> float:
    """The share of pixels that differ clearly from the background (the commonest grey)."""
    histogram = image.histogram()
    background = max(range(256), key=histogram.__getitem__)
    drawn = sum(count for grey, count in enumerate(histogram) if abs(grey - background) > 40)
    return drawn / (image.width * image.height)


@pytest.mark.timeout(3600)
def test_every_example_app_has_its_pictures(captured):
    # The sites as their authors build them now show a preview for every app.
    out = captured.parent / "sphinx-site"
    build = sphinx_build(captured / "sphinx", out, "html", "-W")
    assert build.returncode == 0, build.output
    for project, site in [("sphinx", out)]:
        folder = captured / project / "_stlite_previews"
        wanted = {(key, scheme) for page in site.rglob("*.html")
                  for key, schemes in KEYS.findall(page.read_text()) for scheme in schemes.split()}
        assert len(wanted) >= 16
        for key, scheme in sorted(wanted):
            path = folder / f"{key}-{scheme}.webp"
            assert path.is_file(), f"{path.name} was not captured"
            image = Image.open(path).convert("L")
            assert image.width == 704 and image.height >= 150
            assert _drawn(image) > 0.002, f"{path.name} is blank"
        mounts = sum(page.read_text().count("data-preview-key=") for page in site.rglob("*.html"))
        previews = sum(page.read_text().count('<div class="stlite-docs-preview') for page in site.rglob("*.html"))
        assert previews == mounts, f"{previews} of {mounts} apps with preview: auto have a preview"
    assert len(list((captured / "mkdocs" / "_stlite_previews").glob("*.webp"))) >= 16


@pytest.mark.timeout(900)
def test_a_preview_is_what_the_live_app_shows(captured, playwright_instance):
    """The home page's app, booted live from a build against the same runtime, photographed in
    the same box: its preview has the same pixels (up to antialiasing and WebP's loss)."""
    out = captured.parent / "live-site"
    build = sphinx_build(captured / "sphinx", out, "html", "-W", "-D", "stlite_docs_stlite_url=/_runtime/stlite/",
                         "-D", "stlite_docs_pyodide_url=/_runtime/pyodide/pyodide.mjs")
    assert build.returncode == 0, build.output
    html = (out / "index.html").read_text()
    key = KEYS.search(html).group(1)
    browser = launch(playwright_instance)
    try:
        with serving(out, {"_runtime": Path(RUNTIME)}) as base:
            page = browser.new_page(viewport={"width": 704, "height": 900})
            page.goto(base + "index.html")
            page.evaluate("() => { document.documentElement.dataset.theme = 'light';"
                          " const m = document.querySelector('[data-stlite-docs]');"
                          " m.style.width = '704px'; m.style.border = '0'; m.scrollIntoView(); }")
            page.wait_for_function("() => document.querySelector('[data-stlite-docs]').dataset.state === 'running'",
                                   timeout=600_000)
            page.wait_for_timeout(3000)
            shot = page.locator("[data-stlite-docs] iframe").screenshot(type="png")
    finally:
        browser.close()
    live = Image.open(io.BytesIO(shot)).convert("RGB")
    preview = Image.open(captured / "sphinx" / "_stlite_previews" / f"{key}-light.webp").convert("RGB")
    # The frame fits its content to the pixel as Streamlit settles: allow a pixel or two.
    assert live.width == preview.width and abs(live.height - preview.height) <= 2, (live.size, preview.size)
    height = min(live.height, preview.height)
    live, preview = live.crop((0, 0, live.width, height)), preview.crop((0, 0, preview.width, height))
    difference = ImageStat.Stat(ImageChops.difference(live, preview).convert("L")).mean[0]
    assert difference < 3, f"the preview differs from the live app by {difference:.1f} grey levels on average"
