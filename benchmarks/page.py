#!/usr/bin/env python3
"""What a page of live apps costs its reader, per runtime mode, measured in a real browser.

    STLITE_DOCS_RUNTIME=/path/to/runtime python benchmarks/page.py            # Chromium
    STLITE_DOCS_RUNTIME=/path/to/runtime python benchmarks/page.py --browser firefox
    python benchmarks/page.py --quick --standin tests/browser/standin          # smoke run, no Python

What it does:

- Writes a Sphinx (reStructuredText) site with a page of six apps and a page of one app, each
  once with ``:stlite-runtime: isolated`` and once with ``:stlite-runtime: shared``, every other
  setting at its default (``load: lazy``, ``max_live_apps: 3``, ``concurrency: 1``). The apps are
  small docs apps with widgets and a chart; about a screen and a half of prose separates them,
  so they come into view one by one.
- Builds it with the real ``sphinx-build``, against the complete offline runtime
  (``STLITE_DOCS_RUNTIME`` or ``--runtime``: ``stlite/`` and ``pyodide/``), and serves both on
  127.0.0.1.
- For each page and mode, starts a fresh headless browser (cold cache, no other tab), opens
  the page and scrolls it top to bottom the way a reader does: each app in turn is scrolled to
  the middle of the viewport, the script waits until it has rendered (or failed), lingers
  ``--dwell`` seconds, and goes on to the next.
- Measures, in the page, the time from each app entering the viewport (an IntersectionObserver
  on its box) to its first render (the loader's ``data-state="running"``); and, outside it,
  the browser's memory: every 0.25 s the sum of the PSS of every process of the browser
  (``/proc/<pid>/smaps_rollup``; PSS, not RSS, so pages shared between the browser's processes
  count once), of which the peak is kept.
- Prints, per mode, the six-app page against the one-app page of the same run (and the shared
  one-app page against the isolated one): peak memory and the median time to first render,
  as ratios.

Chromium is Debian's ``/usr/bin/chromium``; ``--browser firefox`` is Firefox ESR
(``/usr/bin/firefox-esr``) through Playwright's ``moz-firefox`` channel (WebDriver BiDi), as in
tests/support/drivers.py. ``--quick`` is a page of two apps, lingering half a second;
``--standin DIR`` serves DIR as stlite (the tests' recording stand-in: no Python runs) to
check the script's own code paths without a runtime.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FIREFOX = Path("/usr/bin/firefox-esr")
#: As root and offline: no sandbox, and no background traffic to hosts that cannot answer.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MODES = ("isolated", "shared")
VIEWPORT = {"width": 1100, "height": 900}
BOOT_TIMEOUT = 300.0
SAMPLE_EVERY = 0.25

# ------------------------------------------------------------------ the site
APPS = [
    ("Squares", """
        import streamlit as st
        points = st.slider("Points", 2, 50, 12)
        st.line_chart([i * i for i in range(points)])
    """),
    ("A table", """
        import streamlit as st
        rows = st.number_input("Rows", 1, 20, 5)
        st.dataframe({"n": list(range(rows)), "double": [2 * n for n in range(rows)]})
    """),
    ("Greeting", """
        import streamlit as st
        name = st.text_input("Your name", "reader")
        st.write(f"Hello, {name}!")
    """),
    ("A metric", """
        import streamlit as st
        unit = st.radio("Unit", ["m", "km"], horizontal=True)
        st.metric("Distance", f"{1200 if unit == 'm' else 1.2} {unit}", "+5%")
    """),
    ("Bars", """
        import streamlit as st
        tall = st.checkbox("Taller bars")
        st.bar_chart({"a": [3, 5, 2], "b": [4, 1, 6] if tall else [1, 1, 1]})
    """),
    ("A counter", """
        import streamlit as st
        if "count" not in st.session_state:
            st.session_state.count = 0
        if st.button("Add one"):
            st.session_state.count += 1
        st.write("Count:", st.session_state.count)
    """),
]
PROSE = ("Between two apps the page goes on with prose, as documentation does: an explanation of "
         "what the previous app shows and what the next one adds, long enough that the reader "
         "scrolls a while before the next app comes into view. ") * 3


def page_source(apps: int, mode: str) -> str:
    parts = [f":orphan:\n:stlite-runtime: {mode}\n", f"{apps} app{'s' if apps > 1 else ''}, {mode}\n" + "=" * 40 + "\n"]
    for index in range(apps):
        caption, code = APPS[index % len(APPS)]
        parts.append("\n\n".join([PROSE] * 8))
        body = textwrap.indent(textwrap.dedent(code).strip(), "   ")
        parts.append(f".. stlite::\n   :caption: {caption}\n\n{body}\n")
    parts.append("\n\n".join([PROSE] * 8))
    return "\n\n".join(parts) + "\n"


def write_site(src: Path, sizes: tuple[int, ...]) -> list[str]:
    src.mkdir(parents=True, exist_ok=True)
    (src / "conf.py").write_text('project = "Page benchmark"\nextensions = ["stlite_docs"]\n')
    (src / "index.rst").write_text("Page benchmark\n==============\n\nOnly the orphan pages count.\n")
    names = []
    for apps in sizes:
        for mode in MODES:
            name = f"apps{apps}-{mode}"
            (src / f"{name}.rst").write_text(page_source(apps, mode))
            names.append(name)
    return names


def build(src: Path, out: Path, with_pyodide: bool) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out),
           "-D", "stlite_docs_stlite_url=/_runtime/stlite/"]
    if with_pyodide:
        cmd += ["-D", "stlite_docs_pyodide_url=/_runtime/pyodide/pyodide.mjs"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"sphinx-build failed:\n{proc.stdout}{proc.stderr}")


# ------------------------------------------------------------------ serving
def serving(site: Path, runtime: dict[str, Path]):
    """The site at /, the runtime's folders under /_runtime/, on 127.0.0.1: the server of
    scripts/serve.py, as the tests use it."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support.server import serving as serve

    return serve(site, {f"_runtime/{name}": path for name, path in runtime.items()})


# ------------------------------------------------------------------ memory
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(parent, []).append(int(entry))
    return tree


def browser_pids(browser: str) -> list[int]:
    """Every process of the browser: descendants of this script whose program is the browser
    (Playwright's own driver, a node process in between, is not counted)."""
    tree, found, todo = _children(), [], [os.getpid()]
    marker = "chrom" if browser == "chromium" else "firefox"
    while todo:
        pid = todo.pop()
        for child in tree.get(pid, []):
            todo.append(child)
            try:
                exe = os.readlink(f"/proc/{child}/exe")
            except OSError:
                continue
            if marker in os.path.basename(exe):
                found.append(child)
    return found


def pss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue  # the process ended meanwhile
    return total


class PeakMemory:
    """Samples the browser's PSS in a thread until stopped; keeps the peak."""

    def __init__(self, browser: str):
        self.browser = browser
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, pss_kib(browser_pids(self.browser)))
            self._stop.wait(SAMPLE_EVERY)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# ------------------------------------------------------------------ one page in one browser
# Installed before the page's own scripts: when each app's box first shows in the viewport,
# and when the loader first marks it running (its first render) or failed.
RECORDER = """
window.__bench = { entered: {}, rendered: {}, failed: {} };
document.addEventListener("DOMContentLoaded", () => {
  const mounts = Array.from(document.querySelectorAll("[data-stlite-docs]"));
  const seen = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      const index = mounts.indexOf(entry.target);
      if (entry.isIntersecting && !(index in __bench.entered)) __bench.entered[index] = performance.now();
    }
  });
  const states = new MutationObserver(() => mounts.forEach((mount, index) => {
    const state = mount.dataset.state;
    if (state === "running" && !(index in __bench.rendered)) __bench.rendered[index] = performance.now();
    if (state === "error" && !(index in __bench.failed)) __bench.failed[index] = mount.innerText.slice(0, 300);
  }));
  mounts.forEach((mount) => { seen.observe(mount); states.observe(mount, { attributes: true, attributeFilter: ["data-state"] }); });
});
"""


@dataclass
class Result:
    apps: int
    mode: str
    peak_mib: float
    #: seconds from entering the viewport to the first render, per app in page order
    first_render: list[float] = field(default_factory=list)
    browser_version: str = ""

    @property
    def median_render(self) -> float:
        return statistics.median(self.first_render)


def launch(playwright, browser: str):
    if browser == "chromium":
        return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    return playwright.firefox.launch(channel="moz-firefox", executable_path=str(FIREFOX), headless=True)


def measure_page(playwright, browser: str, url: str, apps: int, mode: str, dwell: float) -> Result:
    instance = launch(playwright, browser)
    version = instance.version
    try:
        with PeakMemory(browser) as memory:
            context = instance.new_context(viewport=VIEWPORT)
            context.add_init_script(RECORDER)
            page = context.new_page()
            page.goto(url)
            page.wait_for_function("() => window.stliteDocs && window.__bench")
            for index in range(apps):
                page.evaluate("(i) => document.querySelectorAll('[data-stlite-docs]')[i]"
                              ".scrollIntoView({block: 'center'})", index)
                page.wait_for_function("(i) => i in __bench.rendered || i in __bench.failed", arg=index,
                                       timeout=BOOT_TIMEOUT * 1000)
                failed = page.evaluate("(i) => __bench.failed[i] ?? null", index)
                if failed:
                    raise SystemExit(f"{url}: app {index} failed: {failed}")
                time.sleep(dwell)
            bench = page.evaluate("() => __bench")
            context.close()
    finally:
        instance.close()
    renders = [(bench["rendered"][str(i)] - bench["entered"][str(i)]) / 1000 for i in range(apps)]
    # An app can render before it is seen (booted while within a viewport of it): no wait.
    return Result(apps, mode, memory.peak / 1024, [max(0.0, seconds) for seconds in renders], version)


# ------------------------------------------------------------------ report
def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} CPUs ({cpu}), Linux {platform.release()}, load {load}"


def ratio(value: float, reference: float) -> str:
    """value / reference; a reference under 0.05 s (an app that rendered as it came into view)
    gives no meaningful ratio."""
    return f"{value / reference:.2f}" if reference >= 0.05 else "-"


def report(results: dict[tuple[int, str], Result], sizes: tuple[int, int], browser: str, version: str) -> str:
    one, many = sizes
    lines = [
        f"page cost in {browser} {version}: a page of {many} apps and a page of {one}, scrolled top to bottom,",
        "peak browser memory (sum of PSS over the browser's processes) and time from an app entering",
        "the viewport to its first render; ratios against the one-app page of the same mode and run",
        "",
        f"{'mode':<9} {'page':<9} {'peak memory':>12} {'ratio':>6}   {'first render, median':>20} {'ratio':>6}   per app (s)",
    ]
    for mode in MODES:
        reference = results[(one, mode)]
        for apps in sizes:
            r = results[(apps, mode)]
            per_app = " ".join(f"{s:.1f}" for s in r.first_render)
            lines.append(
                f"{mode:<9} {f'{apps} app' + ('s' if apps > 1 else ''):<9} {r.peak_mib:>8.0f} MiB {r.peak_mib / reference.peak_mib:>6.2f}"
                f"   {r.median_render:>18.1f} s {ratio(r.median_render, reference.median_render):>6}   {per_app}"
            )
    iso, sha = results[(one, "isolated")], results[(one, "shared")]
    lines += [
        "",
        f"shared against isolated, one-app page: memory {sha.peak_mib / iso.peak_mib:.2f}, "
        f"first render {ratio(sha.median_render, iso.median_render)}",
        f"shared against isolated, {many}-app page: memory "
        f"{results[(many, 'shared')].peak_mib / results[(many, 'isolated')].peak_mib:.2f}, first render "
        f"{ratio(results[(many, 'shared')].median_render, results[(many, 'isolated')].median_render)}",
        f"machine: {machine()}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--browser", choices=("chromium", "firefox"), default="chromium")
    parser.add_argument("--runtime", type=Path, default=os.environ.get("STLITE_DOCS_RUNTIME"),
                        help="the complete offline runtime (stlite/ and pyodide/); default: $STLITE_DOCS_RUNTIME")
    parser.add_argument("--standin", type=Path, help="serve this folder as stlite instead (no Python runs): a smoke run")
    parser.add_argument("--quick", action="store_true", help="a page of two apps instead of six, half a second per app")
    parser.add_argument("--dwell", type=float, help="seconds to linger at each rendered app (default 3; 0.5 with --quick)")
    parser.add_argument("--keep", type=Path, help="build the site here and keep it")
    args = parser.parse_args(argv)
    if args.standin:
        runtime = {"stlite": args.standin.resolve()}
    elif args.runtime:
        runtime = {"stlite": args.runtime.resolve() / "stlite", "pyodide": args.runtime.resolve() / "pyodide"}
        if not (runtime["stlite"] / "stlite.js").is_file() or not (runtime["pyodide"] / "pyodide.mjs").is_file():
            parser.error(f"{args.runtime} is not a complete runtime (stlite/stlite.js and pyodide/pyodide.mjs)")
    else:
        parser.error("needs the complete offline runtime: set STLITE_DOCS_RUNTIME or pass --runtime "
                     "(../shared/offline-runtime/assemble.sh builds one); --standin DIR for a smoke run")
    binary = CHROMIUM if args.browser == "chromium" else FIREFOX
    if not binary.exists():
        parser.error(f"{binary} is missing")
    sizes = (1, 2 if args.quick else 6)
    dwell = args.dwell if args.dwell is not None else (0.5 if args.quick else 3.0)

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="stlite-docs-page-") as tmp:
        root = args.keep or Path(tmp)
        write_site(root / "src", sizes)
        build(root / "src", root / "html", with_pyodide="pyodide" in runtime)
        results: dict[tuple[int, str], Result] = {}
        with serving(root / "html", runtime) as base, sync_playwright() as playwright:
            # Interleaved, one-app page first in each mode: drift on a busy machine hits both alike.
            for mode in MODES:
                for apps in sizes:
                    started = time.monotonic()
                    result = measure_page(playwright, args.browser, f"{base}apps{apps}-{mode}.html", apps, mode, dwell)
                    results[(apps, mode)] = result
                    print(f"  {mode}, {apps} app(s): peak {result.peak_mib:.0f} MiB, first renders "
                          f"{' '.join(f'{s:.1f}' for s in result.first_render)} s ({time.monotonic() - started:.0f} s)",
                          file=sys.stderr, flush=True)
        print(report(results, sizes, args.browser, results[(1, "isolated")].browser_version))
    return 0


if __name__ == "__main__":
    sys.exit(main())
