"""Real boots: every example_site app renders in Chromium and reacts to a widget.

Needs a complete self-hosted runtime (``../shared/offline-runtime/assemble.sh``): the variable
``STLITE_DOCS_RUNTIME`` names its folder (with ``stlite/`` and ``pyodide/``). Nothing here is a
test double: the real stlite, the real Pyodide and real Streamlit run the site's own apps.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.html import scan
from support.server import serving
from support.builds import mkdocs_build, sphinx_build

pytestmark = pytest.mark.realboot

EXAMPLES = Path(__file__).resolve().parents[2] / "example_site"
RUNTIME = os.environ.get("STLITE_DOCS_RUNTIME")
BOOT_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module", params=["sphinx", "mkdocs"])
def site(request, tmp_path_factory, monkeypatch_module):
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps "
                    "(build one with ../shared/offline-runtime/assemble.sh)")
    runtime = Path(RUNTIME)
    assert (runtime / "stlite" / "stlite.js").is_file() and (runtime / "pyodide" / "pyodide.mjs").is_file()
    out = tmp_path_factory.mktemp(request.param) / "site"
    stlite_url, pyodide_url = "/_runtime/stlite/", "/_runtime/pyodide/pyodide.mjs"
    if request.param == "sphinx":
        build = sphinx_build(
            EXAMPLES / "sphinx", out, "html", "-W",
            "-D", f"stlite_docs_stlite_url={stlite_url}", "-D", f"stlite_docs_pyodide_url={pyodide_url}",
        )
    else:
        monkeypatch_module.setenv("STLITE_DOCS_STLITE_URL", stlite_url)
        monkeypatch_module.setenv("STLITE_DOCS_PYODIDE_URL", pyodide_url)
        build = mkdocs_build(EXAMPLES / "mkdocs", out, "--strict")
    assert build.returncode == 0, build.output
    with serving(out, {"_runtime": runtime}) as base:
        yield out, base


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


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
    out, _ = site
    assert sum(n for _, n in _pages_with_apps(out)) >= 8


# Which widget to use, in order of preference, and how to change its value.
def _interact(frame) -> str:
    slider = frame.locator('input[type="range"]')
    if slider.count():
        slider.first.focus()
        slider.first.press("ArrowRight")
        return "slider"
    button = frame.get_by_role("button", name="Add one")
    if button.count():
        button.click()
        return "button"
    radio = frame.locator('[data-testid="stRadioOption"]')
    if radio.count() > 1:
        radio.nth(1).click()  # the label: the input itself is visually hidden
        return "radio"
    raise AssertionError("the app has no widget this test knows how to use")


def _main_text(frame) -> str:
    return frame.locator('[data-testid="stMainBlockContainer"]').inner_text()


def test_every_app_renders_and_reacts(site, browser):
    out, base = site
    failures = []
    for page_name, count in _pages_with_apps(out):
        page = browser.new_page(viewport={"width": 1100, "height": 900})
        try:
            page.goto(base + page_name)
            for index in range(count):
                mount = page.locator("[data-stlite-docs]").nth(index)
                mount.evaluate(REVEAL)
                mount.scroll_into_view_if_needed()
                if mount.get_attribute("data-load") == "click":
                    mount.get_by_role("button", name="Run app").click()
                page.wait_for_function(
                    "el => el.dataset.state === 'running' || el.dataset.state === 'error'",
                    arg=mount.element_handle(), timeout=BOOT_TIMEOUT_MS,
                )
                if mount.get_attribute("data-state") != "running":
                    failures.append(f"{page_name} app {index}: {mount.inner_text()[:300]}")
                    continue
                frame = mount.locator("iframe").element_handle().content_frame()
                frame.wait_for_selector('[data-testid="stMainBlockContainer"]')
                before = _main_text(frame)
                assert before.strip(), f"{page_name} app {index} rendered nothing"
                how = _interact(frame)
                try:
                    frame.wait_for_function(
                        "before => { const el = document.querySelector('[data-testid=\"stMainBlockContainer\"]');"
                        " return el && el.innerText !== before; }",
                        arg=before, timeout=30_000,
                    )
                except Exception:
                    failures.append(f"{page_name} app {index}: no change after using its {how}")
        finally:
            page.close()
    assert not failures, "\n".join(failures)
