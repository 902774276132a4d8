"""The real stlite: the @stlite/browser 1.9.2 build and the Pyodide 0.29.3 core from npm.

The npm Pyodide package has the interpreter but no package wheels, so an app cannot finish
booting with it: this test follows the real boot as far as it can go (the iframe imports the
real stlite module, and stlite's worker starts Pyodide) and checks that what happens after is
shown in place. Full boots are tests/realboot's job.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.builds import sphinx_build
from support.server import serving

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def npm_site(npm_runtime, tmp_path_factory):
    out = tmp_path_factory.mktemp("npm-site") / "html"
    build = sphinx_build(
        HERE / "site", out, "html", "-W",
        "-D", "stlite_docs_stlite_url=/npm/stlite/",
        "-D", "stlite_docs_pyodide_url=/npm/pyodide/pyodide.mjs",
    )
    assert build.returncode == 0, build.output
    with serving(out, npm_runtime) as base:
        yield base


# stlite logs the failed package installation (no wheels in the npm core) as console errors.
@pytest.mark.allow_console_errors
def test_the_real_stlite_module_loads_and_starts_pyodide(npm_site, watched):
    page = watched.page
    page.goto(npm_site + "click.html")
    assert watched.requested("/npm/") == []  # click mode: nothing before Run
    page.get_by_role("button", name="Run app").click()
    mount = page.locator("[data-stlite-docs]")
    # The iframe imported the real stlite module ...
    page.wait_for_function("() => !!document.querySelector('iframe')?.contentWindow?.document.querySelector('#root')?.childElementCount")
    assert watched.requested("/npm/stlite/stlite.js")
    # ... and stlite's worker started the real Pyodide: interpreter and standard library.
    for fragment in ("/npm/pyodide/pyodide.asm.wasm", "/npm/pyodide/python_stdlib.zip"):
        if not watched.requested(fragment):
            page.wait_for_event("request", lambda r, f=fragment: f in r.url, timeout=60_000)
        assert watched.requested(fragment), fragment
    # Without wheels the boot cannot finish; whatever happens is shown in place, never a blank box.
    expect(mount).to_have_attribute("data-state", re.compile("booting|error"))
    if mount.get_attribute("data-state") == "error":
        expect(mount.get_by_role("alert")).to_be_visible()
        expect(mount.locator(".stlite-docs-source")).to_be_visible()
    else:
        expect(mount.locator(".stlite-docs-status")).to_be_visible()
