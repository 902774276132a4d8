"""Fixtures shared by every test folder.

``driver`` runs a test in each browser engine (Chromium, Firefox, WebKit: tests/support/drivers.py).
An engine that cannot start skips its tests with the reason; under ``CI=true`` it fails them.
The terminal summary adds up the time spent in each engine.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict

import pytest

from support.chromium import launch
from support.drivers import ENGINES, EngineUnavailable, start_engine


@pytest.fixture(scope="session")
def playwright_instance():
    """One Playwright for the whole session: the sync API cannot run two at once."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Debian's headless Chromium through Playwright (skipped, or failed under CI=true, when missing)."""
    chromium = launch(playwright_instance)
    yield chromium
    chromium.close()


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and a browser engine is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request):
    """One running engine per session and name; the tests that use it are grouped by pytest."""
    playwright = request.getfixturevalue("playwright_instance") if request.param != "webkit" else None
    try:
        started = start_engine(request.param, playwright)
    except EngineUnavailable as error:
        _unavailable(f"{request.param}: {error}")
    yield started
    started.close()


@pytest.fixture
def driver(engine):
    """A fresh 1000x800 page (own cookies and cache) in one engine: see support.drivers.Driver."""
    page = engine.new_driver(1000, 800)
    yield page
    page.close()


# ------------------------------------------------------------------ time per engine
_TIME = defaultdict(float)
_COUNT = defaultdict(int)
_MEASURED: dict[tuple[str, str], list[float]] = defaultdict(list)


@pytest.fixture(scope="session")
def measure():
    """``measure(engine, what, seconds)``: a timing for the summary (e.g. time to first render)."""
    return lambda engine, what, seconds: _MEASURED[(what, engine)].append(seconds)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.monotonic()
    yield
    callspec = getattr(item, "callspec", None)
    name = callspec.params.get("engine") if callspec else None
    if name:
        _TIME[name] += time.monotonic() - started
        _COUNT[name] += 1


def pytest_terminal_summary(terminalreporter):
    if _TIME or _MEASURED:
        terminalreporter.section("time per browser engine")
        for name in ENGINES:
            if name in _COUNT:
                terminalreporter.write_line(f"{name:9} {_COUNT[name]:3} tests  {_TIME[name]:7.1f} s")
    for (what, name), values in sorted(_MEASURED.items()):
        values = sorted(values)
        terminalreporter.write_line(
            f"{name:9} {what}: n={len(values)} min {values[0]:.1f} s, median {values[len(values) // 2]:.1f} s,"
            f" max {values[-1]:.1f} s")
