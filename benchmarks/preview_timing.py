"""Time from an app entering the viewport to its first pixels, with and without build-time
previews, each as a ratio to bare stlite's first render measured in the same run.

For the page benchmark (benchmarks/page.py), which calls::

    from preview_timing import measure_preview_timing, table_rows
    result = measure_preview_timing(runtime_dir, work_dir, browser)   # a Playwright Chromium
    rows = table_rows(result)                                        # markdown table rows

or on its own::

    STLITE_DOCS_RUNTIME=/path/to/runtime .venv/bin/python benchmarks/preview_timing.py [--repeats 3]

One Sphinx page with one app below a screen of text; `stlite-docs previews` captures its
preview first (a real boot). Then, in fresh browser contexts (cold cache), the page is scrolled
so the app enters the viewport, and the time to its first pixels is taken: the preview image
painted (with previews), the live app's first render (without: `preview: off`). "Bare stlite"
is the same app mounted by a page that calls stlite's `mount()` directly, from the call to
the first render. Median of ``repeats`` runs each, interleaved.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from stlite_docs.serve import make_server  # noqa: E402

APP = "import streamlit as st\n\nx = st.slider('Pick a number', 0, 10, 3)\nst.write('Twice your number is', 2 * x)\n"
SPACER = "\n\n".join(f"Paragraph {i} of text above the app, so that it starts below the fold." for i in range(60))
RUNTIME_URLS = ["-D", "stlite_docs_stlite_url=/_runtime/stlite/", "-D", "stlite_docs_pyodide_url=/_runtime/pyodide/pyodide.mjs"]

# In the page: scroll the app into view, then resolve with the ms until `ready()` is true on a frame.
ENTER_AND_TIME = """(ready) => new Promise((resolve) => {
  const mount = document.querySelector('[data-stlite-docs]');
  const test = new Function('mount', 'return (' + ready + ')(mount)');
  const start = performance.now();
  mount.scrollIntoView({block: 'center'});
  const poll = () => test(mount) ? requestAnimationFrame(() => resolve(performance.now() - start)) : requestAnimationFrame(poll);
  poll();
})"""
PREVIEW_PAINTED = """(m) => { const i = m.querySelector('.stlite-docs-preview img');
  return !!i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 0; }"""
APP_RENDERED = "(m) => m.dataset.state === 'running'"

BARE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/_runtime/stlite/stlite.css"></head>
<body><div id="root"></div><script type="module">
const start = performance.now();
const { mount } = await import("/_runtime/stlite/stlite.js");
mount({ entrypoint: "streamlit_app.py", files: { "streamlit_app.py": %s },
        pyodideUrl: new URL("/_runtime/pyodide/pyodide.mjs", location.href).href }, document.getElementById("root"));
const done = () => { const a = document.querySelector('[data-testid="stApp"]');
  return a && a.getAttribute("data-test-script-state") === "notRunning"; };
const poll = () => done() ? (window.__firstRender = performance.now() - start) : requestAnimationFrame(poll);
poll();
</script></body></html>"""


def _project(work: Path, preview: str) -> Path:
    src = work / f"src-{preview}"
    src.mkdir(parents=True, exist_ok=True)  # a preview captured by an earlier run is kept
    (src / "conf.py").write_text('extensions = ["stlite_docs"]\n')
    body = "".join(f"   {line}\n" for line in APP.splitlines())
    (src / "index.rst").write_text(f"Timing\n======\n\n{SPACER}\n\n.. stlite::\n   :preview: {preview}\n\n{body}\nAfter.\n")
    return src


def _build(src: Path, out: Path) -> None:
    cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "html", *RUNTIME_URLS, str(src), str(out)]
    subprocess.run(cmd, check=True, capture_output=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))


def _prepare(runtime: Path, work: Path) -> Path:
    """The served folder: /with/ (captured preview), /without/ (preview: off), /bare.html."""
    site = work / "site"
    shutil.rmtree(site, ignore_errors=True)
    with_src = _project(work, "auto")
    capture = subprocess.run([sys.executable, "-m", "stlite_docs.cli", "previews", str(with_src), "--runtime", str(runtime)],
                             capture_output=True, text=True, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    if capture.returncode != 0 or not list((with_src / "_stlite_previews").glob("*")):
        raise RuntimeError(f"capturing the preview failed:\n{capture.stderr}")
    _build(with_src, site / "with")
    _build(_project(work, "off"), site / "without")
    (site / "bare.html").write_text(BARE_PAGE % json.dumps(APP))
    return site


def measure_preview_timing(runtime: Path, work: Path, browser, repeats: int = 3) -> dict:
    """Seconds (medians) and ratios; ``browser`` is a Playwright Chromium (sync API)."""
    import threading

    site = _prepare(Path(runtime), Path(work))
    server = make_server(str(site), {"_runtime": str(runtime)}, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    runs: dict[str, list[float]] = {"with": [], "without": [], "bare": []}
    try:
        for _ in range(repeats):
            for name in runs:
                context = browser.new_context(viewport={"width": 1000, "height": 800})
                page = context.new_page()
                page.set_default_timeout(300_000)
                if name == "bare":
                    page.goto(base + "bare.html")
                    page.wait_for_function("() => window.__firstRender !== undefined"
                                           " || document.body.innerText.includes('Error during booting')")
                    if page.evaluate("() => window.__firstRender === undefined"):
                        raise RuntimeError("bare stlite failed: " + page.evaluate("() => document.body.innerText")[:300])
                    runs[name].append(page.evaluate("() => window.__firstRender") / 1000)
                else:
                    page.goto(base + f"{name}/index.html")
                    page.wait_for_function("() => window.stliteDocs")
                    ready = PREVIEW_PAINTED if name == "with" else APP_RENDERED
                    runs[name].append(page.evaluate(ENTER_AND_TIME, ready) / 1000)
                context.close()
    finally:
        server.shutdown()
        server.server_close()
    medians = {name: statistics.median(values) for name, values in runs.items()}
    return {
        "runs": runs,
        "with_previews_s": medians["with"],
        "without_previews_s": medians["without"],
        "bare_stlite_s": medians["bare"],
        "ratio_with": medians["with"] / medians["bare"],
        "ratio_without": medians["without"] / medians["bare"],
    }


def table_rows(result: dict) -> list[str]:
    """Markdown rows: | what | seconds | ratio to bare stlite's first render |"""
    return [
        "| app enters the viewport → first pixels | seconds (median) | ratio to bare stlite's first render |",
        "|---|---|---|",
        f"| with a build-time preview | {result['with_previews_s']:.3f} | {result['ratio_with']:.3f} |",
        f"| without (`preview: off`) | {result['without_previews_s']:.2f} | {result['ratio_without']:.2f} |",
        f"| bare stlite `mount()` → first render | {result['bare_stlite_s']:.2f} | 1 |",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "preview-timing")
    args = parser.parse_args()
    runtime = os.environ.get("STLITE_DOCS_RUNTIME")
    if not runtime:
        sys.exit("set STLITE_DOCS_RUNTIME to a complete runtime (stlite/ and pyodide/)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("STLITE_DOCS_CHROMIUM", "/usr/bin/chromium"),
                                             headless=True, args=["--no-sandbox"])
        try:
            result = measure_preview_timing(Path(runtime), args.work, browser, args.repeats)
        finally:
            browser.close()
    print("\n".join(table_rows(result)))
    print(json.dumps(result["runs"]))


if __name__ == "__main__":
    main()
