"""The loader's scheduling and memory budget in Chromium, Firefox and WebKit, on real Sphinx and
MkDocs output with the recording stand-in for stlite: one boot at a time, nearest first; stlite
prefetched only when the first app nears; at most N live apps (a page setting), the farthest
paused (unmounted) with a placeholder that resumes on click or when scrolled back; saveData."""

from __future__ import annotations

import time

import pytest

from test_mkdocs_material import _build_and_serve

HERE = __import__("pathlib").Path(__file__).resolve().parent
MOUNT = "[data-stlite-docs]"
STATES = f"() => Array.from(document.querySelectorAll('{MOUNT}'), (e) => e.dataset.state)"
MOUNTED = "() => (window.__standin || {mounts: []}).mounts.map((m) => m.options.files[m.options.entrypoint])"
UNMOUNTS = "() => (window.__standin || {unmounts: []}).unmounts.length"
LIVE = "(s) => s.filter((x) => x === 'booting' || x === 'running').length"


def _states(web) -> list[str]:
    return web.evaluate(STATES)


def _scroll_to(web, index: int) -> None:
    web.evaluate(f"(i) => document.querySelectorAll('{MOUNT}')[i].scrollIntoView({{block: 'start'}})", index)


def _wait_state(web, index, state, timeout=30):
    web.wait_for(f"([i, s]) => document.querySelectorAll('{MOUNT}')[i]?.dataset.state === s", [index, state],
                 timeout=timeout)


def test_one_boot_at_a_time_nearest_first(standin_site, web):
    gate = standin_site.gate
    gate.control("/standin/stlite.js", "hold")
    # The last app is on screen, the others above it, each within a viewport of it even when the
    # third's boot grows its box and the browser's scroll anchoring moves the page (Firefox may
    # keep the text below the box in place rather than the box's top).
    web.open(standin_site + "queue.html#third")
    gate.wait_held(1)
    time.sleep(0.5)
    # All three are near; only one boots (concurrency 1), the others wait their turn, visibly.
    assert _states(web) == ["queued", "queued", "booting"]
    assert web.evaluate(f"() => document.querySelector('{MOUNT}').querySelector('[role=status]').textContent") \
        == "Waiting for another app to start…"
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 1
    gate.control("/standin/stlite.js", "pass")
    gate.decide(0, "pass")
    web.wait_for(f"() => ({STATES})().every((s) => s === 'running')")
    # Nearest first: the third (on screen), then the second, then the first.
    codes = web.evaluate(MOUNTED)
    assert [code.split('"')[1] for code in codes] == ["third", "second", "first"]


def test_stlite_is_prefetched_when_the_first_app_nears_not_on_page_load(standin_site, web):
    gate = standin_site.gate
    web.open(standin_site + "lazy.html")
    _wait_state(web, 0, "idle")
    web.settle()
    time.sleep(0.5)
    assert gate.requested("/standin/") == []
    # About 1.5 viewports above the app: inside the prefetch margin (2), outside the boot margin (1).
    web.evaluate(f"() => {{ const top = document.querySelector('{MOUNT}').getBoundingClientRect().top + scrollY;"
                 " scrollTo(0, top - 2.5 * innerHeight); }")
    web.wait_for("() => true")
    deadline = time.monotonic() + 15
    while not gate.requested("/standin/stlite.js") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gate.requested("/standin/stlite.js"), "stlite.js was not prefetched"
    assert _states(web) == ["idle"] and web.evaluate("() => document.querySelectorAll('iframe').length") == 0
    assert web.evaluate(MOUNTED) == []  # fetched, never run in the page
    _scroll_to(web, 0)
    _wait_state(web, 0, "running")


def test_memory_budget_pauses_the_farthest_and_resumes(standin_site, web):
    web.open(standin_site + "budget.html")
    _wait_state(web, 0, "running")
    assert web.evaluate("() => JSON.parse(document.querySelector('script.stlite-docs-spec').textContent)[0]"
                        ".maxLiveApps") == 2  # :stlite-max-live-apps: 2 at the top of the document
    heights = {}
    for index in range(6):
        _scroll_to(web, index)
        _wait_state(web, index, "running")
        heights[index] = web.evaluate(f"(i) => document.querySelectorAll('{MOUNT}')[i].getBoundingClientRect().height",
                                      index)
        states = _states(web)
        assert web.evaluate(LIVE, states) <= 2, states
    states = _states(web)
    assert states[:4] == ["paused"] * 4 and states[5] == "running", states
    assert web.evaluate(UNMOUNTS) >= 4  # stlite's unmount(): the worker is gone
    assert web.evaluate("() => document.querySelectorAll('iframe').length") == 2
    # The placeholder keeps the app's height: nothing below it moves.
    for index in range(4):
        height = web.evaluate(f"(i) => document.querySelectorAll('{MOUNT}')[i].getBoundingClientRect().height", index)
        assert abs(height - heights[index]) <= 2, (index, height, heights[index])
    paused = f"{MOUNT}[data-state=paused]"
    assert "Paused to save memory" in web.evaluate(f"() => document.querySelector('{paused}').innerText")
    assert web.evaluate(f"() => document.querySelector('{paused} [role=status]').textContent") == "App paused."

    # Scrolled back: the first app resumes; the farthest live one (at the bottom) pauses.
    _scroll_to(web, 0)
    _wait_state(web, 0, "running")
    states = _states(web)
    assert web.evaluate(LIVE, states) <= 2 and states[5] == "paused", states

    # Resume from the keyboard, far from the viewport: a reader's request always boots.
    web.press("Enter", selector=f"{MOUNT}#app3 button.stlite-docs-resume")
    _wait_state(web, 3, "running")
    states = _states(web)
    assert web.evaluate(LIVE, states) <= 2, states


def test_save_data_offers_a_run_button_instead(standin_site, web):
    web.open(standin_site + "lazy.html")
    _wait_state(web, 0, "idle")
    # The reader's browser asks to save data (navigator.connection.saveData, Chromium's API).
    web.evaluate("""() => {
      Object.defineProperty(navigator, 'connection', {value: {saveData: true}, configurable: true});
      const old = document.querySelector('[data-stlite-docs]');
      const fresh = old.cloneNode(true);
      fresh.removeAttribute('data-state');
      fresh.querySelectorAll('.stlite-docs-controls, .stlite-docs-status, .stlite-docs-stage').forEach((e) => e.remove());
      old.replaceWith(fresh);
      window.stliteDocs.scan();
    }""")
    _wait_state(web, 0, "click")
    _scroll_to(web, 0)
    web.settle()
    time.sleep(0.5)
    assert _states(web) == ["click"] and standin_site.gate.requested("/standin/") == []
    web.click(f"{MOUNT} button.stlite-docs-run", text="Run app")
    _wait_state(web, 0, "running")


@pytest.fixture(scope="module")
def budget_mkdocs_site(tmp_path_factory):
    base, context = _build_and_serve(tmp_path_factory, {"standin": HERE / "standin"}, {})
    yield base
    context.__exit__(None, None, None)


def test_mkdocs_front_matter_budget(budget_mkdocs_site, web):
    budget_mkdocs_site.gate.reset()
    web.open(budget_mkdocs_site + "budget/")
    # stlite: {max_live_apps: 1} in the front matter: both apps are eager and on screen; the
    # first runs, the second waits paused for the reader.
    _wait_state(web, 0, "running")
    _wait_state(web, 1, "paused")
    time.sleep(0.3)
    assert _states(web) == ["running", "paused"]
    web.click(f"{MOUNT} button.stlite-docs-resume", text="Resume")
    _wait_state(web, 1, "running")
    _wait_state(web, 0, "paused")
    assert web.evaluate(UNMOUNTS) == 1
