"""Boot apps in headless Chromium and take their picture, N at a time.

Each app gets a page of its own (a capture page beside the built site, holding only its mount
point, loaded with the site's own loader and stylesheet, with the built page as its base URL),
so it boots exactly as it does for a reader, with no other app competing for the budget of
live apps. Once the app has rendered and is idle, its frame is photographed; for an app that
follows the page's scheme, the page then turns dark and the app, following it live, is
photographed again: one boot for both pictures.
"""

from __future__ import annotations

import asyncio
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..core.previews import CAPTURE_WIDTH

#: Debian's Chromium; ``STLITE_DOCS_CHROMIUM`` names another.
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
#: Quiet this long (no change in the app's document, no script run) counts as idle.
QUIET_MS = 1500

CAPTURE_PAGE = """<!DOCTYPE html>
<html lang="en" data-theme="{scheme}"><head><meta charset="utf-8">
<base href="{base}">
<title>stlite-docs preview capture</title>
<link rel="stylesheet" href="{stylesheet}">
<style>html, body {{ margin: 0; background: transparent; }}
.stlite-docs {{ width: {width}px; margin: 0 !important; border: 0 !important; border-radius: 0 !important; }}
.stlite-docs-status, .stlite-docs-caption, .stlite-docs-note {{ display: none !important; }}</style>
<script type="module" src="{loader}"></script>
</head><body>
{figure}
</body></html>
"""

# In the app's frame: rendered, no script running, nothing loading, and the document quiet.
IDLE = """(quietMs) => new Promise((resolve) => {
  const doc = document.querySelector('iframe')?.contentDocument;
  if (!doc) return resolve(false);
  let last = performance.now();
  const observer = new MutationObserver(() => { last = performance.now(); });
  observer.observe(doc, {subtree: true, childList: true, attributes: true, characterData: true});
  const check = () => {
    const app = doc.querySelector('[data-testid="stApp"]');
    const busy = !app || app.getAttribute('data-test-script-state') !== 'notRunning'
      || doc.querySelector('[data-testid="stSkeleton"], [data-testid="stSpinner"], .stSpinner');
    if (busy) last = performance.now();
    if (performance.now() - last >= quietMs) { observer.disconnect(); resolve(true); }
    else setTimeout(check, 100);
  };
  check();
})"""
EXCEPTION = """() => {
  const doc = document.querySelector('iframe')?.contentDocument;
  const error = doc?.querySelector('[data-testid="stException"]');
  return error ? error.innerText.trim().slice(0, 500) : null;
}"""
STATE = "() => document.querySelector('[data-stlite-docs]')?.dataset.state"


class BrowserMissing(Exception):
    pass


@dataclass
class Job:
    """One app to photograph: the capture page's URL and the schemes it needs."""

    url: str
    schemes: tuple[str, ...]
    label: str  # where the app is, for messages: "docs/page.md:12"


@dataclass
class Shot:
    job: Job
    images: dict[str, bytes]  # scheme -> PNG
    error: str | None = None


def write_capture_page(folder: Path, name: str, base: str, mount, scheme: str, figure: str) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        CAPTURE_PAGE.format(
            scheme=scheme,
            base=base,
            stylesheet=mount.stylesheet,
            loader=mount.loader,
            width=CAPTURE_WIDTH,
            figure=figure,
        ),
        encoding="utf-8",
    )
    return name


def chromium_path() -> str | None:
    path = os.environ.get("STLITE_DOCS_CHROMIUM") or CHROMIUM
    return path if Path(path).exists() else shutil.which("chromium")


async def capture(jobs: list[Job], parallel: int, timeout: float, on_done) -> list[Shot]:
    """Photograph every job, ``parallel`` at a time; ``on_done(shot)`` after each."""
    try:
        from playwright.async_api import async_playwright
    except ImportError:
        raise BrowserMissing(
            "stlite-docs previews drives headless Chromium through Playwright, which is not installed: "
            "pip install 'stlite-docs[previews]'"
        ) from None
    executable = chromium_path()
    async with async_playwright() as playwright:
        try:
            browser = await playwright.chromium.launch(executable_path=executable, headless=True, args=ARGS)
        except Exception as exc:  # noqa: BLE001 - Playwright raises its own Error for a missing browser
            raise BrowserMissing(
                f"cannot start Chromium ({executable or 'Playwright’s own'}): {exc}; "
                "install Debian's chromium or set STLITE_DOCS_CHROMIUM"
            ) from None
        gate = asyncio.Semaphore(parallel)

        async def one(job: Job) -> Shot:
            async with gate:
                shot = await _photograph(browser, job, timeout)
            on_done(shot)
            return shot

        try:
            return list(await asyncio.gather(*(one(job) for job in jobs)))
        finally:
            await browser.close()


async def _photograph(browser, job: Job, timeout: float) -> Shot:
    context = await browser.new_context(viewport={"width": CAPTURE_WIDTH, "height": 900}, device_scale_factor=1)
    page = await context.new_page()
    images: dict[str, bytes] = {}
    try:
        await page.goto(job.url)
        await page.wait_for_function(f"() => ['running', 'error'].includes(({STATE})())", timeout=timeout * 1000)
        if await page.evaluate(STATE) == "error":
            message = await page.evaluate("() => document.querySelector('[data-stlite-docs]').innerText")
            return Shot(job, {}, f"the app did not start: {message.strip()[:300]}")
        for scheme in job.schemes:
            if await page.evaluate("() => document.documentElement.dataset.theme") != scheme:
                await page.evaluate("(s) => { document.documentElement.dataset.theme = s; }", scheme)
                await page.wait_for_function(
                    "(s) => ['custom', s].includes(document.querySelector('[data-stlite-docs]').dataset.appTheme)",
                    arg=scheme,
                    timeout=timeout * 1000,
                )
            await page.evaluate(IDLE, QUIET_MS)
            error = await page.evaluate(EXCEPTION)
            if error:
                return Shot(job, {}, f"the app raised an exception: {error}")
            images[scheme] = await page.locator("[data-stlite-docs] iframe").screenshot(type="png", animations="disabled")
        return Shot(job, images)
    except Exception as exc:  # noqa: BLE001 - a timeout or a crashed page: this app gets no preview
        reason = f"it did not render within {timeout:g} s" if "Timeout" in type(exc).__name__ else str(exc).splitlines()[0]
        return Shot(job, {}, reason)
    finally:
        await context.close()
