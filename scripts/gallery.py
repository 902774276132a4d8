"""Screenshots of apps in every docs theme, in every state, for a person to look at before a release.

Builds the layout test sites (tests/browser/themes: one page of apps of every kind, one with a
paused app) with the real Sphinx, MkDocs and Zensical, one site per theme (tests/support/themes.py),
serves them on 127.0.0.1 and photographs each page in headless Chromium: booting, live, failed
and paused; light and dark; a desktop (1280 px) and a phone (390 px) viewport. Writes
``<out>/<theme>/<viewport>-<scheme>-<state>.png`` and ``<out>/index.html``, a page of them all.

Offline with the stand-in stlite (tests/browser/standin: no Python runs, the app is its code);
with ``STLITE_DOCS_RUNTIME`` set (a complete self-hosted runtime), with real apps.
``--docs-screenshots DIR`` also writes one small WebP per theme family of a live app in its
page (``theme-<name>.webp``, for the README and the manual).

Run it through ``scripts/gallery``, which sets up the environment.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.chromium import ARGS, CHROMIUM  # noqa: E402
from support.themes import THEMES, build_theme_site  # noqa: E402


def _browser_tests_conftest():
    """The browser tests' gated server (it can hold or fail stlite's module: booting, failed)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("browser_conftest", ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_conftest = _browser_tests_conftest()
STANDIN, gated_serving = _conftest.STANDIN, _conftest.gated_serving

VIEWPORTS = {
    "desktop": dict(viewport={"width": 1280, "height": 900}),
    "phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True),
    # the docs pictures (--docs-screenshots): a laptop window
    "docs": dict(viewport={"width": 1280, "height": 880}),
}
SCHEMES = ("light", "dark")
STATES = ("booting", "live", "failed", "paused")
#: The theme family pictures for the docs: the theme each is taken in.
FAMILIES = {
    "material": "material",
    "material-slate": "material-slate",
    "zensical": "zensical",
    "furo": "furo",
    "pydata": "pydata",
    "alabaster": "alabaster",
}
MOUNT_STATES = "() => Array.from(document.querySelectorAll('[data-stlite-docs]'), (e) => e.dataset.state)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "gallery", help="where the screenshots go")
    parser.add_argument("--themes", default=",".join(THEMES), help=f"comma-separated, of: {', '.join(THEMES)}")
    parser.add_argument("--viewports", default="desktop,phone", help="desktop, phone")
    parser.add_argument("--schemes", default=",".join(SCHEMES), help="light, dark")
    parser.add_argument(
        "--states", default=",".join(STATES), help=", ".join(STATES) + " ('': none, e.g. for --docs-screenshots alone)"
    )
    parser.add_argument(
        "--docs-screenshots",
        type=Path,
        metavar="DIR",
        help="also write theme-<family>.webp of a live app per theme family into DIR",
    )
    args = parser.parse_args(argv)
    chosen = {
        "themes": _choose(args.themes, THEMES),
        "viewports": _choose(args.viewports, ("desktop", "phone")),
        "schemes": _choose(args.schemes, SCHEMES),
        "states": _choose(args.states, STATES),
    }
    runtime = os.environ.get("STLITE_DOCS_RUNTIME")
    if runtime:
        stlite_url, pyodide_url, mounts = "/_runtime/stlite/", "/_runtime/pyodide/pyodide.mjs", {"_runtime": Path(runtime)}
        print(f"== real apps, from the runtime in {runtime}")
    else:
        stlite_url, pyodide_url, mounts = "/standin/", None, {"standin": STANDIN}
        print("== the stand-in stlite (no Python runs; set STLITE_DOCS_RUNTIME for real apps)")
    stlite_js = stlite_url + "stlite.js"
    args.out.mkdir(parents=True, exist_ok=True)
    shots: dict[str, list[str]] = {}
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="stlite-docs-gallery-") as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            for name in chosen["themes"]:
                theme = THEMES[name]
                print(f"== {name}: building with {theme.tool}")
                site = build_theme_site(theme, Path(tmp) / name, stlite_url, pyodide_url)
                with gated_serving(site, mounts) as base:
                    camera = Camera(browser, theme, base, stlite_js, real=bool(runtime))
                    shots[name] = camera.all(chosen, args.out / name)
                    if args.docs_screenshots and name in FAMILIES.values():
                        family = next(key for key, value in FAMILIES.items() if value == name)
                        path = camera.docs_picture(args.docs_screenshots / f"theme-{family}.webp")
                        print(f"   {path} ({path.stat().st_size // 1024} kB)")
        finally:
            browser.close()
    index = _write_index(args.out, shots, bool(runtime))
    print(f"== {sum(map(len, shots.values()))} screenshots; open {index}")
    return 0


def _choose(given: str, known) -> list[str]:
    names = [name.strip() for name in given.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"unknown: {', '.join(unknown)} (known: {', '.join(known)})")
    return names


class Camera:
    """Photographs one theme's site, served at ``base`` behind a gate on stlite's module."""

    def __init__(self, browser, theme, base, stlite_js: str, real: bool):
        self.browser, self.theme, self.base, self.stlite_js = browser, theme, base, stlite_js
        self.boot_timeout = 300_000 if real else 30_000

    def all(self, chosen: dict, folder: Path) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        names = []
        for viewport in chosen["viewports"]:
            for scheme in chosen["schemes"]:
                for state in chosen["states"]:
                    if state == "paused" and self.theme.tool == "zensical":
                        continue  # no paused app there: see support.themes.FRONT_MATTER_IGNORED
                    started = time.monotonic()
                    name = f"{viewport}-{scheme}-{state}.png"
                    self.photograph(viewport, scheme, state, folder / name)
                    print(f"   {self.theme.name}/{name} ({time.monotonic() - started:.1f} s)")
                    names.append(name)
        return names

    def _page(self, viewport: str, scheme: str):
        context = self.browser.new_context(color_scheme=scheme, device_scale_factor=1, **VIEWPORTS[viewport])
        page = context.new_page()
        page.set_default_timeout(self.boot_timeout)
        return context, page

    def _dark(self, page, scheme: str) -> None:
        """The reader's dark mode: the system's (emulated), and the theme's own toggle if it has one."""
        if scheme == "dark" and self.theme.dark_toggle:
            element, attribute, value = self.theme.dark_toggle
            page.evaluate(
                "([e, a, v]) => (e === 'html' ? document.documentElement : document.body).setAttribute(a, v)",
                [element, attribute, value],
            )

    def photograph(self, viewport: str, scheme: str, state: str, path: Path) -> None:
        gate = self.base.gate
        gate.reset()
        context, page = self._page(viewport, scheme)
        try:
            if state == "booting":
                gate.control(self.stlite_js, "hold")
            elif state == "failed":
                gate.control(self.stlite_js, "404")
            page.goto(self.base + self.theme.page("paused" if state == "paused" else "states"), wait_until="domcontentloaded")
            self._dark(page, scheme)
            wanted = {"booting": "booting", "live": "running", "failed": "error", "paused": "paused"}[state]
            page.wait_for_function(f"(s) => ({MOUNT_STATES})().includes(s)", arg=wanted)
            if state == "live":
                page.wait_for_function(f"() => ({MOUNT_STATES})().every((s) => ['running', 'click'].includes(s))")
            elif state == "paused":
                page.wait_for_function(f"() => ({MOUNT_STATES})().includes('running')")
            self._dark(page, scheme)  # again: a theme's own script may have restored its saved scheme
            page.wait_for_timeout(600)  # fades and the frames' last height
            page.screenshot(path=str(path), full_page=True, animations="disabled")
        finally:
            gate.reset()  # lets held requests go before the page closes
            context.close()

    def docs_picture(self, path: Path) -> Path:
        """The showcase page with its app live, in a laptop's window, as a small WebP."""
        from PIL import Image

        context, page = self._page("docs", "light")
        try:
            page.goto(self.base + self.theme.page("showcase"))
            page.wait_for_function("() => document.querySelector('[data-stlite-docs]').dataset.state === 'running'")
            page.wait_for_timeout(3000)  # the chart's drawing and the frame's last height
            png = page.screenshot(animations="disabled")
        finally:
            context.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.open(io.BytesIO(png)).convert("RGB").save(path, "WEBP", quality=75, method=6)
        return path


def _write_index(out: Path, shots: dict[str, list[str]], real: bool) -> Path:
    rows = []
    for theme, names in shots.items():
        figures = "".join(
            f'<figure><a href="{html.escape(theme)}/{html.escape(n)}"><img loading="lazy" src="{html.escape(theme)}/'
            f'{html.escape(n)}" alt=""></a><figcaption>{html.escape(n[:-4])}</figcaption></figure>'
            for n in names
        )
        rows.append(f"<h2>{html.escape(theme)}</h2><div class=row>{figures}</div>")
    what = "real apps" if real else "the stand-in stlite"
    page = (
        f"<!doctype html><meta charset=utf-8><title>stlite-docs gallery</title><style>"
        "body{font:14px sans-serif;margin:1em}.row{display:flex;flex-wrap:wrap;gap:12px}"
        "figure{margin:0;width:220px}img{width:220px;height:300px;object-fit:cover;object-position:top;"
        "border:1px solid #ccc}figcaption{font-size:12px}</style>"
        f"<h1>stlite-docs in every theme ({what})</h1>{''.join(rows)}"
    )
    index = out / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


if __name__ == "__main__":
    sys.exit(main())
