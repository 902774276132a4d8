"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from support.chromium import launch


@pytest.fixture(scope="session")
def playwright_instance():
    """One Playwright for the whole session: the sync API cannot run two at once."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    """Debian's headless Chromium (skipped, or failed under CI=true, when missing)."""
    chromium = launch(playwright_instance)
    yield chromium
    chromium.close()
