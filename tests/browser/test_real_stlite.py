"""The real stlite, in Chromium, Firefox and WebKit: the @stlite/browser 1.9.2 build and the
Pyodide 0.29.3 core from npm.

The npm Pyodide package has the interpreter but no package wheels, so an app cannot finish
booting with it: this test follows the real boot as far as it can go (the iframe imports the
real stlite module, and stlite's worker starts Pyodide) and checks that what happens after is
shown in place. Full boots are tests/realboot's job. The worker's downloads are seen by the test
server (its gate's log): no engine shows a worker's fetches to the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import gated_serving
from support.builds import sphinx_build
from support.drivers import wait_until

HERE = Path(__file__).resolve().parent
MOUNT = "[data-stlite-docs]"


@pytest.fixture(scope="module")
def npm_site(npm_runtime, tmp_path_factory):
    out = tmp_path_factory.mktemp("npm-site") / "html"
    build = sphinx_build(
        HERE / "site", out, "html", "-W",
        "-D", "stlite_docs_stlite_url=/npm/stlite/",
        "-D", "stlite_docs_pyodide_url=/npm/pyodide/pyodide.mjs",
    )
    assert build.returncode == 0, build.output
    with gated_serving(out, npm_runtime) as base:
        yield base


# stlite logs the failed package installation (no wheels in the npm core) as console errors.
@pytest.mark.allow_console_errors
def test_the_real_stlite_module_loads_and_starts_pyodide(npm_site, web):
    gate = npm_site.gate
    gate.reset()
    web.open(npm_site + "click.html")
    web.settle()
    assert gate.requested("/npm/") == []  # click mode: nothing before Run
    assert [u for u in [*web.resources(), *(web.requests() or [])] if "/npm/" in u] == []
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
    # The iframe imported the real stlite module ...
    web.wait_for("() => !!document.querySelector('iframe')?.contentWindow?.document.querySelector('#root')?.childElementCount",
                 timeout=60)
    assert gate.requested("/npm/stlite/stlite.js")
    assert [u for u in web.resources() if "/npm/stlite/stlite.js" in u]
    # ... and stlite's worker started the real Pyodide: interpreter and standard library.
    for fragment in ("/npm/pyodide/pyodide.asm.wasm", "/npm/pyodide/python_stdlib.zip"):
        wait_until(lambda f=fragment: gate.requested(f), 60, f"a request for {fragment}")
    # Without wheels the boot cannot finish; whatever happens is shown in place, never a blank box.
    state = web.wait_for(f"() => ['booting', 'error'].includes(document.querySelector('{MOUNT}').dataset.state)"
                         f" && document.querySelector('{MOUNT}').dataset.state")
    shown = web.evaluate(f"""() => {{ const m = document.querySelector('{MOUNT}');
        const seen = (sel) => {{ const el = m.querySelector(sel); if (!el) return false;
            const box = el.getBoundingClientRect(); return box.width > 0 && box.height > 0; }};
        return {{alert: seen('[role=alert]'), source: seen('.stlite-docs-source'),
                 status: seen('.stlite-docs-status')}}; }}""")
    if state == "error":
        assert shown["alert"] and shown["source"], shown
    else:
        assert shown["status"], shown
