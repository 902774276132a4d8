"""The loader in Chromium, on real Sphinx output, with the recording stand-in for stlite."""

from __future__ import annotations

import json
import time
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

RECORDED = "() => (window.__standin || {mounts: []}).mounts"
UNMOUNTS = "() => (window.__standin || {unmounts: []}).unmounts"


def _page_spec(page, index=0) -> dict:
    return json.loads(page.locator("script.stlite-docs-spec").nth(index).text_content())[0]


def _wait_state(page, index, state, timeout=20_000):
    expect(page.locator("[data-stlite-docs]").nth(index)).to_have_attribute("data-state", state, timeout=timeout)


def test_lazy_boot_requests_nothing_until_near_and_hands_mount_the_spec(standin_site, watched):
    page = watched.page
    page.goto(standin_site + "lazy.html")
    _wait_state(page, 0, "idle")
    # Give a wrongly eager loader every chance to fetch: the page is loaded and idle.
    page.wait_for_load_state("networkidle")
    time.sleep(0.5)
    assert watched.requested("/standin/") == [] and watched.requested("frame.html") == []
    assert page.locator("iframe").count() == 0

    page.locator("[data-stlite-docs]").scroll_into_view_if_needed()
    _wait_state(page, 0, "running")
    assert page.locator("iframe").count() == 1
    assert watched.requested("/standin/stlite.js")

    spec = _page_spec(page)
    [mounted] = page.evaluate(RECORDED)
    page_url = page.url
    assert mounted["options"] == {
        "entrypoint": "streamlit_app.py",
        "files": {
            "streamlit_app.py": 'import streamlit as st\nst.write("lazy")\n',
            "helper.py": "X = 1\n",
            # attached files reach stlite as absolute URLs (the frame is not at the page's URL)
            "data.csv": {"url": urljoin(page_url, spec["files"]["data.csv"]["url"])},
        },
        "requirements": ["numpy"],
        "streamlitConfig": {"theme.primaryColor": "#123456"},
    }
    # The attached file is really there.
    assert page.request.get(mounted["options"]["files"]["data.csv"]["url"]).text() == "a,b\n1,2\n"
    frame = page.frame_locator("iframe")
    expect(frame.get_by_text("STANDIN RENDERED")).to_be_visible()
    # The code view gives way to the app; the mount point is no longer busy.
    mount = page.locator("[data-stlite-docs]")
    expect(mount.locator(".stlite-docs-source")).to_be_hidden()
    assert mount.get_attribute("aria-busy") is None
    assert page.locator("iframe").get_attribute("title") == "Live app: Far below"


def test_each_app_gets_its_own_frame_and_the_host_page_is_untouched(standin_site, watched):
    page = watched.page
    page.goto(standin_site + "two.html")
    title, url, history_length = page.title(), page.url, page.evaluate("history.length")
    _wait_state(page, 0, "running")
    _wait_state(page, 1, "running")
    assert page.locator("iframe").count() == 2
    assert page.evaluate("() => { const f = document.querySelectorAll('iframe');"
                         " return f[0].contentWindow !== f[1].contentWindow; }")
    mounted = page.evaluate(RECORDED)
    texts = sorted(m["options"]["files"]["streamlit_app.py"] for m in mounted)
    assert texts == ['import streamlit as st\nst.write("first")\n', 'import streamlit as st\nst.write("second")\n']
    # The stand-in set document.title and pushed history inside each frame, as Streamlit does.
    assert page.title() == title
    assert page.url == url
    assert page.evaluate("history.length") == history_length


def test_click_to_run_works_from_the_keyboard(standin_site, watched):
    page = watched.page
    page.goto(standin_site + "click.html")
    _wait_state(page, 0, "click")
    run = page.get_by_role("button", name="Run app")
    expect(run).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert watched.requested("/standin/") == []
    run.focus()
    page.keyboard.press("Enter")
    _wait_state(page, 0, "running")
    assert len(page.evaluate(RECORDED)) == 1


def test_fixed_and_auto_heights(standin_site, watched):
    page = watched.page
    page.goto(standin_site + "heights.html")
    _wait_state(page, 0, "running")
    _wait_state(page, 1, "running")
    fixed, auto = page.locator("iframe").nth(0), page.locator("iframe").nth(1)
    assert fixed.bounding_box()["height"] == 320
    # auto: the frame grows to its content (40 lines of code in the stand-in), no inner scroll.
    page.wait_for_function(
        "() => { const f = document.querySelectorAll('iframe')[1];"
        " const content = f.contentDocument.querySelector('[data-testid=stMainBlockContainer]');"
        " return content && Math.abs(f.getBoundingClientRect().height - content.getBoundingClientRect().bottom) <= 2; }"
    )
    assert auto.bounding_box()["height"] > 600


def test_nested_page_resolves_urls_against_the_page(standin_site, watched):
    page = watched.page
    page.goto(standin_site + "nested/page.html")
    _wait_state(page, 0, "running")
    [mounted] = page.evaluate(RECORDED)
    url = mounted["options"]["files"]["data.csv"]["url"]
    assert url.startswith(standin_site + "_stlite_docs/files/")
    assert page.request.get(url).text() == "a,b\n1,2\n"
    assert mounted["frameUrl"].startswith(standin_site + "_static/stlite-docs/frame.html")


@pytest.mark.allow_console_errors
@pytest.mark.parametrize("how", ["404", "abort"])
def test_unreachable_stlite_is_a_local_error_with_retry(standin_site, watched, how):
    page = watched.page
    broken = {"count": 0}

    def break_first(route):
        # Only the first app's import fails: the other app on the page must go on.
        if broken["count"] == 0:
            broken["count"] += 1
            if how == "404":
                route.fulfill(status=404, body="not here")
            else:
                route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route("**/standin/stlite.js", break_first)
    started = time.monotonic()
    page.goto(standin_site + "two.html")
    mounts = page.locator("[data-stlite-docs]")
    expect(mounts.locator("[data-state=error]").or_(mounts.and_(page.locator("[data-state=error]")))).to_have_count(1)
    assert time.monotonic() - started < 15
    failed = page.locator("[data-stlite-docs][data-state=error]")
    alert = failed.get_by_role("alert")
    expect(alert).to_contain_text("Could not load stlite from")
    expect(alert).to_contain_text("/standin/stlite.js")
    expect(failed.locator(".stlite-docs-source")).to_be_visible()  # the code stays readable
    assert failed.locator("iframe").count() == 0
    expect(page.locator("[data-stlite-docs][data-state=running]")).to_have_count(1)

    failed.get_by_role("button", name="Retry").click()
    expect(page.locator("[data-stlite-docs][data-state=running]")).to_have_count(2)


@pytest.mark.allow_console_errors
def test_unreachable_pyodide_is_reported_by_the_load_guard(standin_site, watched):
    page = watched.page
    page.route("**/pyodide.asm.wasm", lambda route: route.fulfill(status=404, body="missing"))
    page.goto(standin_site + "click.html")
    # Point this app at a Pyodide the page cannot get, before it boots.
    page.evaluate("""() => { const s = document.querySelector('script.stlite-docs-spec');
        const [spec] = JSON.parse(s.textContent); spec.pyodideUrl = '/nowhere/pyodide.mjs';
        s.textContent = JSON.stringify([spec]); }""")
    page.evaluate("() => { const m = document.querySelector('[data-stlite-docs]'); m.replaceWith(m.cloneNode(true)); }")
    page.evaluate("() => { const m = document.querySelector('[data-stlite-docs]');"
                  " m.removeAttribute('data-state'); m.querySelectorAll('.stlite-docs-controls, .stlite-docs-status,"
                  " .stlite-docs-stage').forEach(e => e.remove()); window.stliteDocs.scan(); }")
    page.get_by_role("button", name="Run app").click()
    _wait_state(page, 0, "error")
    expect(page.get_by_role("alert")).to_contain_text("Could not load Pyodide from")
    assert page.evaluate(RECORDED) == []  # mount() was never called


def test_booting_state_is_busy_and_shows_progress(standin_site, watched):
    page = watched.page
    held = []
    page.route("**/standin/stlite.js", lambda route: held.append(route))  # hold the download
    page.goto(standin_site + "click.html")
    page.get_by_role("button", name="Run app").click()
    mount = page.locator("[data-stlite-docs]")
    expect(mount).to_have_attribute("data-state", "booting")
    expect(mount).to_have_attribute("aria-busy", "true")
    status = mount.get_by_role("status")
    expect(status).to_have_text("Loading stlite…")
    expect(mount.locator("iframe")).to_have_attribute("title", "Live app: Press run")
    for _ in range(200):  # the frame asks for stlite.js shortly after it loads
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1
    expect(mount).to_have_attribute("data-state", "booting")  # still waiting for stlite
    held[0].continue_()
    expect(mount).to_have_attribute("data-state", "running")
    assert mount.get_attribute("aria-busy") is None
    expect(status).to_be_hidden()
