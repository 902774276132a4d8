"""A real boot (``STLITE_DOCS_RUNTIME``) of an editable app, in Chromium: editing its code and
pressing Run changes the live app's output without a reboot: the same frame document and the
same worker, the new code written through stlite's controller and rerun by Streamlit."""

from __future__ import annotations

import pytest

# The browser tests' Sphinx site built against the complete runtime, and Chromium only.
from test_budget_theme import BOOT_TIMEOUT, chromium, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.realboot

ROOT = "[data-stlite-docs]"  # the first app of codeview-budget.html: eager, editable
STATUS = f"() => document.querySelector('{ROOT} .stlite-docs-codeview-status').textContent"


def test_run_reruns_the_live_app_with_the_edited_code(site, chromium):
    web = chromium
    web.open(site + "codeview-budget.html")
    web.wait_for(f"() => document.querySelector('{ROOT}').dataset.state === 'running'", timeout=BOOT_TIMEOUT)
    web.wait_for_text("budget original", frame="iframe", timeout=60)
    web.evaluate("() => { document.querySelector('iframe').contentWindow.__same = true; }")
    workers = web.workers()
    assert workers, "the app's worker is visible to the driver"

    edited = 'import streamlit as st\nst.write("edited in a real app", 6 * 7)\n'
    web.evaluate("""(text) => { const editor = document.querySelector('[data-stlite-docs] textarea');
      editor.value = text; editor.dispatchEvent(new Event('input', {bubbles: true})); }""", edited)
    web.click(f"{ROOT} button.stlite-docs-run-code", text="Run")
    web.wait_for_text("edited in a real app", frame="iframe", timeout=60)
    web.wait_for_text("42", frame="iframe", timeout=30)
    web.wait_for(f"() => ({STATUS})() === 'Ran your code.'", timeout=30)
    # No reboot: the same document in the same frame, the same worker, still running.
    assert web.evaluate("() => document.querySelector('iframe').contentWindow.__same") is True
    assert web.workers() == workers
    assert web.evaluate(f"() => document.querySelector('{ROOT}').dataset.state") == "running"
    assert "budget original" not in web.evaluate("() => document.querySelector('iframe').contentDocument.body.innerText")

    web.click(f"{ROOT} button.stlite-docs-reset-code", text="Reset")
    web.wait_for_text("budget original", frame="iframe", timeout=60)
    assert web.evaluate("() => document.querySelector('iframe').contentWindow.__same") is True
