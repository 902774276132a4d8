"""Launch Debian's headless Chromium through Playwright (no downloaded browser)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
#: As root and offline: no sandbox, and no background traffic to hosts that cannot answer.
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    """Skip (or, in CI, fail) when the browser is missing."""
    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} is missing: install Debian's chromium (scripts/test does)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def launch(playwright):
    require_chromium()
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
