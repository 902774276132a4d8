"""Real boots of self-hosted sites: ``assets: self-host`` copies stlite and the Pyodide the site
needs into the site, and every app of example_site boots from there, in a Chromium that can
resolve no host but 127.0.0.1, with zero requests off the site's origin.

Needs the complete offline runtime (``STLITE_DOCS_RUNTIME``, see ../shared/offline-runtime),
used as ``runtime_dir``: the npm Pyodide package has no package wheels.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from support.builds import mkdocs_build, sphinx_build
from support.html import scan
from support.selfhost import OriginWatch, launch_isolated, logging_server

pytestmark = pytest.mark.realboot

EXAMPLES = Path(__file__).resolve().parents[2] / "example_site"
MANUAL = Path(__file__).resolve().parents[2] / "docs"
RUNTIME = os.environ.get("STLITE_DOCS_RUNTIME")
BOOT_TIMEOUT = 180_000
MOUNT = "[data-stlite-docs]"
RUNTIME_PREFIX = "/_stlite_docs/runtime/"

REVEAL = """el => {
  const details = el.closest('details');
  if (details) details.open = true;
  const block = el.closest('.tabbed-block');
  if (block) {
    const index = Array.from(block.parentElement.children).indexOf(block);
    block.closest('.tabbed-set').querySelectorAll(':scope > input')[index].click();
  }
}"""


@pytest.fixture(scope="module")
def runtime() -> Path:
    if not RUNTIME:
        pytest.skip("STLITE_DOCS_RUNTIME is not set: no complete runtime to boot real apps "
                    "(build one with ../shared/offline-runtime/assemble.sh)")
    return Path(RUNTIME)


@pytest.fixture(scope="module")
def isolated(playwright_instance):
    browser = launch_isolated(playwright_instance)
    yield browser
    browser.close()


def _mkdocs_project(dest: Path, runtime: Path) -> Path:
    """A copy of example_site/mkdocs with self-hosting on (set where the site's settings are)."""
    project = dest / "mkdocs"
    shutil.copytree(EXAMPLES / "mkdocs", project)
    config = project / "mkdocs.yml"
    text = config.read_text()
    text, count = re.subn(r"(\n  - stlite_docs\.markdown:\n)",
                          rf"\1      assets: self-host\n      runtime_dir: {runtime}\n", text)
    assert count == 1
    text = re.sub(r"\n      (stlite_url|pyodide_url): !ENV[^\n]*", "", text)
    # Material fetches Roboto from Google Fonts unless told not to: an offline site turns it off.
    text, count = re.subn(r"\ntheme:\n  name: material\n", "\ntheme:\n  name: material\n  font: false\n", text)
    assert count == 1
    config.write_text(text)
    return project


@pytest.fixture(scope="module", params=["sphinx", "mkdocs"])
def selfhosted(request, runtime, tmp_path_factory):
    out = tmp_path_factory.mktemp(f"selfhost-{request.param}") / "site"
    if request.param == "sphinx":
        build = sphinx_build(MANUAL, out, "html", "-W", "-D", "stlite_docs_assets=self-host",
                             "-D", f"stlite_docs_runtime_dir={runtime}")
    else:
        build = mkdocs_build(_mkdocs_project(tmp_path_factory.mktemp("mkdocs-project"), runtime), out, "--strict")
    assert build.returncode == 0, build.output
    return out


def _pages_with_apps(out: Path) -> list[tuple[str, int]]:
    found = []
    for page in sorted(out.rglob("*.html")):
        count = len(scan(page.read_text()).mounts)
        if count:
            found.append((page.relative_to(out).as_posix(), count))
    return found


@pytest.mark.timeout(1800)
def test_every_app_boots_from_the_site_alone(selfhosted, isolated):
    failures = []
    with logging_server(selfhosted) as base:
        for page_name, count in _pages_with_apps(selfhosted):
            context = isolated.new_context(viewport={"width": 1100, "height": 900})
            watch = OriginWatch(context, base)
            page = context.new_page()
            try:
                page.goto(base + page_name)
                mounts = page.locator(MOUNT)
                for index in range(count):
                    mount = mounts.nth(index)
                    mount.evaluate(REVEAL)
                    mount.scroll_into_view_if_needed()
                    if mount.get_attribute("data-load") == "click":
                        mount.locator("button.stlite-docs-run").click()
                    page.wait_for_function(
                        "([s, i]) => ['running', 'error'].includes(document.querySelectorAll(s)[i].dataset.state)",
                        arg=[MOUNT, index], timeout=BOOT_TIMEOUT)
                    if mount.get_attribute("data-state") != "running":
                        failures.append(f"{page_name} app {index}: {mount.inner_text()[:300]}")
                assert watch.off_origin() == [], f"{page_name}: requests off the site's origin"
            finally:
                context.close()
        served_runtime = [path for path in base.log if path.startswith(RUNTIME_PREFIX)]
        assert any(path.endswith("/stlite.js") for path in served_runtime)
        assert any(path.endswith("/pyodide.asm.wasm") for path in served_runtime)
        assert any(path.endswith(".whl") for path in served_runtime)
    assert not failures, "\n".join(failures)


def _sizes(root: Path, paths) -> int:
    return sum((root / path.lstrip("/")).stat().st_size for path in set(paths))


@pytest.mark.timeout(600)
def test_size_of_a_one_app_site_against_what_a_boot_fetches(runtime, isolated, tmp_path, capsys):
    """The figure in the README: a self-hosted site with one app and no requirements, against
    the files one boot of that app actually fetches."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["stlite_docs"]\nstlite_docs_assets = "self-host"\n'
                                 f'stlite_docs_runtime_dir = {str(runtime)!r}\n')
    (src / "index.rst").write_text("One app\n=======\n\n.. stlite::\n\n   import streamlit as st\n"
                                   "   x = st.slider('x', 0, 10, 3)\n   st.write('MARK', x * 2)\n")
    out = tmp_path / "site"
    build = sphinx_build(src, out, "html", "-W")
    assert build.returncode == 0, build.output
    runtime_dir = out / RUNTIME_PREFIX.strip("/")
    copied = sum(p.stat().st_size for p in runtime_dir.rglob("*") if p.is_file())
    files = sum(1 for p in runtime_dir.rglob("*") if p.is_file())
    site = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    with logging_server(out) as base:
        context = isolated.new_context(viewport={"width": 1100, "height": 900})
        watch = OriginWatch(context, base)
        page = context.new_page()
        page.goto(base + "index.html")
        page.wait_for_function(f"() => document.querySelector('{MOUNT}').dataset.state === 'running'", timeout=BOOT_TIMEOUT)
        page.wait_for_timeout(2000)  # components Streamlit loads after the first render
        context.close()
        assert watch.off_origin() == []
        fetched = {path for path in base.log if path.startswith(RUNTIME_PREFIX)}
    needed = _sizes(out, fetched)
    with capsys.disabled():
        print(f"\nself-hosted site with one app: {site / 1e6:.1f} MB in all; runtime copied: {files} files, "
              f"{copied / 1e6:.1f} MB; fetched by one boot: {len(fetched)} files, {needed / 1e6:.1f} MB "
              f"({needed / copied:.0%} of the copy)")
        for part in ("stlite-1.9.2", "pyodide-0.29.3"):
            folder = runtime_dir / part
            part_files = [p for p in folder.rglob("*") if p.is_file()]
            used = [p for p in fetched if p.startswith(f"{RUNTIME_PREFIX}{part}/")]
            print(f"  {part}: copied {len(part_files)} files, {sum(p.stat().st_size for p in part_files) / 1e6:.1f} MB; "
                  f"fetched {len(used)} files, {_sizes(out, used) / 1e6:.1f} MB")
    assert needed <= copied
