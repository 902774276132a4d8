"""Real boots: every app of the manual (``docs/``, Sphinx) and of its MkDocs twin
(``example_site/mkdocs``) renders and reacts to a widget, in Chromium, Firefox and WebKit (the
``engine`` fixture); and in Chromium for the same MkDocs sources built by ProperDocs and by
Zensical.

Needs a complete self-hosted runtime (``../shared/offline-runtime/assemble.sh``): the variable
``STLITE_DOCS_RUNTIME`` names its folder (with ``stlite/`` and ``pyodide/``). Nothing here is a
test double: the real stlite, the real Pyodide and real Streamlit run the site's own apps.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from support.html import scan
from support.server import serving
from support.builds import mkdocs_build, properdocs_build, sphinx_build, stlite_docs, zensical_build

pytestmark = pytest.mark.realboot

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "example_site"
MANUAL = ROOT / "docs"
RUNTIME = os.environ.get("STLITE_DOCS_RUNTIME")
# WebKit boots take two to four times as long as Chromium's here (2 shared cores), and a page's
# apps boot together: wait past the loader's own 240 s limit, so its verdict is what we see.
BOOT_TIMEOUT = 300
RERUN_TIMEOUT = 60
STLITE_URL, PYODIDE_URL = "/_runtime/stlite/", "/_runtime/pyodide/pyodide.mjs"


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """Each example site built once per session (the engines take turns over the same builds)."""
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps "
                    "(build one with ../shared/offline-runtime/assemble.sh)")
    runtime = Path(RUNTIME)
    assert (runtime / "stlite" / "stlite.js").is_file() and (runtime / "pyodide" / "pyodide.mjs").is_file()
    cache: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in cache:
            out = tmp_path_factory.mktemp(name) / "site"
            if name == "sphinx":
                result = sphinx_build(
                    MANUAL, out, "html", "-W",
                    "-D", f"stlite_docs_stlite_url={STLITE_URL}", "-D", f"stlite_docs_pyodide_url={PYODIDE_URL}",
                )
            elif name == "zensical":
                # Zensical writes beside its config, and serves the loader from docs/: a copy of
                # the project, set up the documented way.
                project = out.parent / "project"
                shutil.copytree(EXAMPLES / "mkdocs", project)
                assert stlite_docs("assets", "docs/assets", cwd=project).returncode == 0
                with pytest.MonkeyPatch.context() as patch:
                    patch.setenv("STLITE_DOCS_STLITE_URL", STLITE_URL)
                    patch.setenv("STLITE_DOCS_PYODIDE_URL", PYODIDE_URL)
                    result = zensical_build(project, "--clean")
                out = result.outdir
            else:
                tool = mkdocs_build if name == "mkdocs" else properdocs_build
                extra = {} if name == "mkdocs" else {"config": "mkdocs.yml"}
                with pytest.MonkeyPatch.context() as patch:
                    patch.setenv("STLITE_DOCS_STLITE_URL", STLITE_URL)
                    patch.setenv("STLITE_DOCS_PYODIDE_URL", PYODIDE_URL)
                    result = tool(EXAMPLES / "mkdocs", out, "--strict", **extra)
            assert result.returncode == 0, result.output
            cache[name] = out
        return cache[name]

    return runtime, build


#: Tools whose builds run in Chromium only: they build the MkDocs sources, whose pages the
#: MkDocs build already boots in all three engines; what these tools change is the page, not
#: the browser.
CHROMIUM_ONLY = {"properdocs", "zensical"}


@pytest.fixture(params=["sphinx", "mkdocs", "properdocs", "zensical"])
def site(request, built):
    runtime, build = built
    out = build(request.param)
    with serving(out, {"_runtime": runtime}) as base:
        yield out, base, request.param


def _pages_with_apps(out: Path) -> list[tuple[str, int]]:
    found = []
    for page in sorted(out.rglob("*.html")):
        count = len(scan(page.read_text()).mounts)
        if count:
            found.append((page.relative_to(out).as_posix(), count))
    return found


# Open the closed details or select the tab that hides an app (Material's markup).
REVEAL = """el => {
  const details = el.closest('details');
  if (details) details.open = true;
  const block = el.closest('.tabbed-block');
  if (block) {
    const index = Array.from(block.parentElement.children).indexOf(block);
    block.closest('.tabbed-set').querySelectorAll(':scope > input')[index].click();
  }
}"""


def test_example_site_has_apps(site):
    out, _, _ = site
    assert sum(n for _, n in _pages_with_apps(out)) >= 8


MOUNT = "[data-stlite-docs]"
CONTENT = '[data-testid="stMainBlockContainer"]'


# The widgets this test knows how to use, in order of preference. Streamlit loads a widget's
# component on demand, so a widget can appear after the app's first text: wait for one.
# `scope` is "" in an app's frame, or "<mount selector> " for an app in the page (runtime: shared).
WIDGET = """(scope) => {
  const all = (selector) => document.querySelectorAll(scope + selector);
  if (all('input[type="range"]').length) return 'slider';
  if (Array.from(all('button')).some((b) => b.innerText.trim() === 'Add one')) return 'button';
  if (all('[data-testid="stRadioOption"]').length > 1) return 'radio';
  return null;
}"""


def _interact(web, frame, scope) -> str:
    """Change the value of the app's widget; say which kind it was."""
    try:
        how = web.wait_for(WIDGET, scope, frame=frame, timeout=RERUN_TIMEOUT)
    except TimeoutError:
        raise AssertionError("the app has no widget this test knows how to use") from None
    if how == "slider":
        web.press("ArrowRight", selector=scope + 'input[type="range"]', frame=frame)
    elif how == "button":
        web.click(scope + "button", text="Add one", frame=frame)
    else:
        web.click(scope + '[data-testid="stRadioOption"]', frame=frame, nth=1)  # the label: the input is hidden
    return how


def _main_text(web, frame, scope) -> str:
    return web.evaluate("(s) => document.querySelector(s).innerText", scope + CONTENT, frame=frame)


@pytest.mark.timeout(2400)  # every app of a site, page after page, in one engine
def test_every_app_renders_and_reacts(site, engine, measure):
    out, base, tool = site
    if tool in CHROMIUM_ONLY and engine.name != "chromium":
        pytest.skip(f"{tool} builds the MkDocs sources, booted in {engine.name} by the MkDocs build")
    failures = []
    for page_name, count in _pages_with_apps(out):
        web = engine.new_driver(1100, 900)  # a fresh profile: every page boots from a cold cache
        try:
            opened = time.monotonic()
            web.open(base + page_name)
            web.evaluate(f"() => document.querySelectorAll('{MOUNT}').forEach((m, i) => m.dataset.testIndex = i)")
            for index in range(count):
                mount = f"{MOUNT}[data-test-index='{index}']"
                web.evaluate(f"(s) => ({REVEAL})(document.querySelector(s))", mount)
                web.evaluate("(s) => document.querySelector(s).scrollIntoView({block: 'center'})", mount)
                clicked = None
                if web.evaluate("(s) => document.querySelector(s).dataset.load", mount) == "click":
                    clicked = time.monotonic()
                    web.click(f"{mount} button.stlite-docs-run")
                state = web.wait_for(
                    "(s) => { const st = document.querySelector(s).dataset.state;"
                    " return (st === 'running' || st === 'error') && st; }", mount, timeout=BOOT_TIMEOUT)
                if state != "running":
                    failures.append(f"{page_name} app {index}: {web.evaluate('(s) => document.querySelector(s).innerText', mount)[:300]}")
                    continue
                if clicked is not None:
                    measure(engine.name, "Run pressed to first render", time.monotonic() - clicked)
                elif index == 0:  # it boots with the page: the reader's wait, from a cold cache
                    measure(engine.name, "page opened to first render of its first app", time.monotonic() - opened)
                # The app's own document (its frame), or its container in the page (runtime: shared).
                in_page = web.evaluate("(s) => !!document.querySelector(s + ' .stlite-docs-inpage')", mount)
                frame, scope = (None, f"{mount} ") if in_page else (f"{mount} iframe", "")
                # The first run is over; its elements may still be drawing (components load on demand).
                try:
                    web.wait_for("(s) => document.querySelector(s)?.innerText.trim()", scope + CONTENT,
                                 frame=frame, timeout=RERUN_TIMEOUT)
                except TimeoutError:
                    raise AssertionError(f"{page_name} app {index} rendered nothing") from None
                web.wait_for(WIDGET, scope, frame=frame, timeout=RERUN_TIMEOUT)
                before = _main_text(web, frame, scope)
                how = _interact(web, frame, scope)
                try:
                    web.wait_for("([s, before]) => { const el = document.querySelector(s);"
                                 " return el && el.innerText !== before; }", [scope + CONTENT, before], frame=frame,
                                 timeout=RERUN_TIMEOUT)
                except TimeoutError:
                    failures.append(f"{page_name} app {index}: no change after using its {how}")
        finally:
            web.close()
    assert not failures, f"{engine.name}:\n" + "\n".join(failures)
