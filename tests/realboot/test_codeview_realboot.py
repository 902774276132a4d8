"""A real boot (``STLITE_DOCS_RUNTIME``) of an editable app, in Chromium, in both runtime modes
(the site fixture builds the page isolated and shared): typing new code into its editor
(CodeMirror) and pressing Ctrl+Enter changes the live app's output without a reboot: the same
frame document (or in-page root) and the same worker, the new code written through stlite's
controller and rerun by Streamlit."""

from __future__ import annotations

import pytest

from support.editor import CODE, HAS_CODE_EDITOR

# The browser tests' Sphinx site built against the complete runtime, and Chromium only.
from test_budget_theme import BOOT_TIMEOUT, KEEPER, chromium, site  # noqa: F401 (fixtures)

pytestmark = pytest.mark.realboot

ROOT = "[data-stlite-docs]"  # the first app of codeview-budget.html: eager, editable
BOX = f"{ROOT} .stlite-docs-frame"  # the iframe, or the app's box in the page (runtime: shared)
STATUS = f"() => document.querySelector('{ROOT} .stlite-docs-codeview-status').textContent"
# The app's own text: its frame's document, or its box in the page.
APP_TEXT = f"""() => {{ const box = document.querySelector('{BOX}');
  return (box?.contentDocument?.body ?? box)?.innerText ?? ''; }}"""
SAME = f"() => ({KEEPER})(document.querySelector('{BOX}')).__same === true"


def _shows(web, text, timeout):
    web.wait_for(f"(t) => ({APP_TEXT})().includes(t)", text, timeout=timeout)


def test_run_reruns_the_live_app_with_the_edited_code(site, chromium):
    web = chromium
    web.open(site + "codeview-budget.html")
    web.wait_for(f"() => document.querySelector('{ROOT}').dataset.state === 'running'", timeout=BOOT_TIMEOUT)
    _shows(web, "budget original", 60)
    web.evaluate(f"() => {{ ({KEEPER})(document.querySelector('{BOX}')).__same = true; }}")
    workers = web.workers()  # dedicated workers: none in shared mode (one SharedWorker)

    web.wait_for(HAS_CODE_EDITOR, ROOT)
    web.press("Control+a", f"{ROOT} .cm-content")
    web.type('import streamlit as st\nst.write("edited in a real app", 6 * 7)')
    assert web.evaluate(CODE, [ROOT, None]) == 'import streamlit as st\nst.write("edited in a real app", 6 * 7)'
    web.press("Control+Enter")
    _shows(web, "edited in a real app", 60)
    _shows(web, "42", 30)
    web.wait_for(f"() => ({STATUS})() === 'Ran your code.'", timeout=30)
    # No reboot: the same document or root, the same workers, still running.
    assert web.evaluate(SAME) is True
    assert web.workers() == workers
    assert web.evaluate(f"() => document.querySelector('{ROOT}').dataset.state") == "running"
    assert "budget original" not in web.evaluate(APP_TEXT)

    web.click(f"{ROOT} button.stlite-docs-reset-code", text="Reset")
    _shows(web, "budget original", 60)
    assert web.evaluate(SAME) is True
