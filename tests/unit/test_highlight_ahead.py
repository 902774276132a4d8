"""The listings helper (``stlite_docs.highlight_ahead``): a real forked child, real Pygments.

The child's HTML must be exactly the build's own, ``get`` must never wait for the child, a
failed or stuck child must cost the build nothing but its own highlighting, and the child must
not keep the build's pipes open (the compile server ends when its input's last holder closes).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from stlite_docs import highlight_ahead
from stlite_docs.core import render
from stlite_docs.highlight_ahead import HighlightAhead, document_listings, worth_a_helper
from stlite_docs.core.render import highlight_code

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the helper needs os.fork")

CODES = [
    "import streamlit as st\n\nst.title('Hello')\n",
    'name = st.text_input("Name")\nst.write(f"Hi {name!r} <b>&amp;</b>")\n',
    "# é, ü, 漢字 and an emoji 🎈\nx = 1  # comment\n",
    "def f(a, *args, **kw):\n    return [i ** 2 for i in range(10) if i % 2]\n",
]


ACTIVE_THREADS = threading.active_count


@pytest.fixture(autouse=True)
def _helpers_allowed(monkeypatch):
    """These tests fork whatever the machine and the test process: the core count is the
    machine's, and threads other tests left running (the run check's reader) are theirs, not
    this code's (the boundaries: ``cores`` and ``threading.active_count``). The rules about
    both have their own tests below."""
    monkeypatch.delenv(highlight_ahead.VARIABLE, raising=False)
    monkeypatch.setattr(highlight_ahead, "cores", lambda: 2)
    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _documents(codes_per_document):
    def listings():
        yield from codes_per_document
    return listings


def _wait_for(helper: HighlightAhead, code: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        html = helper.get(code)
        if html is not None:
            return html
        assert time.monotonic() < deadline, "the helper never delivered"
        time.sleep(0.01)


def test_the_helpers_html_is_the_builds_own():
    helper = HighlightAhead()
    try:
        assert helper.start(_documents([CODES[:2], CODES[2:]]), documents=highlight_ahead.MIN_DOCUMENTS)
        for code in CODES:
            assert _wait_for(helper, code) == str(highlight_code(code))
        assert helper.get("print('never sent')\n") is None
    finally:
        helper.close()


def test_render_uses_the_listing_the_helper_made(monkeypatch):
    """With the process-wide helper done, rendering a listing does not run Pygments here."""
    code = CODES[3]
    expected = str(highlight_code(code))
    assert highlight_ahead.AHEAD.start(_documents([[code]]), documents=highlight_ahead.MIN_DOCUMENTS)
    try:
        _wait_for(highlight_ahead.AHEAD, code)
        calls = []
        monkeypatch.setattr(render, "highlight", lambda *args: calls.append(args))  # the Pygments boundary
        assert str(highlight_code(code)) == expected
        assert calls == []
        highlight_code("other = 2\n")  # one the helper did not have: highlighted here
        assert len(calls) == 1
    finally:
        highlight_ahead.AHEAD.close()


def test_get_never_waits_for_a_helper_still_at_work():
    """The first document is delivered while the child is stuck before the second: the build
    gets what is there and highlights the rest itself; close ends the stuck child."""
    gate_read, gate_write = os.pipe()

    def listings():
        yield [CODES[0]]
        os.read(gate_read, 1)  # never written: the child waits here until it is killed
        yield [CODES[1]]

    helper = HighlightAhead()
    try:
        assert helper.start(listings, documents=highlight_ahead.MIN_DOCUMENTS)
        _wait_for(helper, CODES[0])
        started = time.monotonic()
        assert helper.get(CODES[1]) is None
        assert time.monotonic() - started < 1.0
        pid = helper._pid
        started = time.monotonic()
        helper.close()
        assert time.monotonic() - started < 5.0
        with pytest.raises(ChildProcessError):  # reaped: no zombie left
            os.waitpid(pid, os.WNOHANG)
        assert helper.get(CODES[0]) is None  # the next build starts empty
    finally:
        helper.close()
        os.close(gate_read)
        os.close(gate_write)


def test_a_failing_helper_costs_the_build_nothing_but_its_own_highlighting():
    def listings():
        yield [CODES[0]]
        raise RuntimeError("a document the helper cannot read")

    helper = HighlightAhead()
    try:
        assert helper.start(listings, documents=highlight_ahead.MIN_DOCUMENTS)
        assert _wait_for(helper, CODES[0]) == str(highlight_code(CODES[0]))  # what it finished counts
        pid = helper._pid
        os.waitpid(pid, 0)  # it exits on its own
        assert helper.get(CODES[1]) is None
    finally:
        helper.close()


def test_the_helper_does_not_hold_the_builds_pipes_open():
    """A pipe the build writes to (as to the compile server) reaches its end when the build
    closes it, though the helper that inherited it is still running."""
    build_read, build_write = os.pipe()
    gate_read, gate_write = os.pipe()

    def listings():
        os.read(gate_read, 1)  # the child only waits (until killed)
        yield []

    helper = HighlightAhead()
    try:
        assert helper.start(listings, documents=highlight_ahead.MIN_DOCUMENTS)
        time.sleep(0.2)  # the child has closed what it inherited by now (its first act)
        os.close(build_write)
        build_write = None
        os.set_blocking(build_read, False)
        deadline = time.monotonic() + 5
        while True:
            try:
                assert os.read(build_read, 1) == b""  # the end: nobody else holds the write end
                break
            except BlockingIOError:
                assert time.monotonic() < deadline, "the helper kept the pipe open"
                time.sleep(0.01)
    finally:
        helper.close()
        for fd in (build_read, build_write, gate_read, gate_write):
            if fd is not None:
                os.close(fd)


def test_no_helper_without_the_means_or_the_work(monkeypatch):
    assert worth_a_helper(highlight_ahead.MIN_DOCUMENTS)
    assert not worth_a_helper(highlight_ahead.MIN_DOCUMENTS - 1)  # an incremental rebuild
    monkeypatch.setenv(highlight_ahead.VARIABLE, "0")
    assert not worth_a_helper(100)
    monkeypatch.delenv(highlight_ahead.VARIABLE)
    monkeypatch.setattr(highlight_ahead, "cores", lambda: 1)
    assert not worth_a_helper(100)
    helper = HighlightAhead()
    assert not helper.start(_documents([CODES]), documents=100)
    assert helper.get(CODES[0]) is None


def test_no_helper_in_a_process_with_threads(monkeypatch):
    monkeypatch.setattr(threading, "active_count", ACTIVE_THREADS)  # the real count again
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not worth_a_helper(100)
    finally:
        stop.set()
        thread.join()


def test_document_listings_are_the_codes_build_app_shows():
    """The helper's codes are keys: each must be exactly the ``code`` of the app the front-end
    builds from the same block (option lines dropped, file headers kept), or it is never used."""
    from stlite_docs.core.app import SourceTree, build_app
    from stlite_docs.core.settings import SETTING_DEFAULTS, SiteSettings
    from stlite_docs.core.fences import find_blocks

    rst = (
        "Title\n=====\n\n.. stlite::\n   :height: 300px\n\n   #| requirements: [numpy]\n\n   import streamlit as st\n"
        "   st.write(1)\n   ## file: util.py\n   X = 1\n\nText.\n\n.. stlite:: apps/app.py\n"
    )
    markdown = "# Page\n\n```stlite\n#| caption: Demo\nimport streamlit as st\n\n\nst.write('x')\n```\n\n~~~python\nnot an app\n~~~\n"
    settings = SiteSettings.from_raw(dict(SETTING_DEFAULTS)).anchored("/")
    tree = SourceTree(base_dir=Path("/"), root_dir=Path("/"))
    for text, suffix in ((rst, ".rst"), (markdown, ".md")):
        inline = [b for b in find_blocks(text, suffix) if b.entry_file is None]
        codes = [build_app(b.body, b.options, settings, tree).code for b in inline]
        assert document_listings(text, suffix) == codes
        assert codes and all(codes)
    assert document_listings("No blocks here.\n", ".md") == []


def test_only_documents_with_blocks_count_and_are_highlighted():
    """``highlight_documents``: the front-ends hand it every document to be read; those without
    ``stlite`` neither count towards a helper nor reach it."""
    from stlite_docs.highlight_ahead import AHEAD, highlight_documents

    def page(code):
        return "# Page\n\n```stlite\n" + code + "```\n", ".md"

    plain = [("# Plain page\n\n```python\nprint(1)\n```\n", ".md")] * 10
    few = [page(code) for code in CODES[: highlight_ahead.MIN_DOCUMENTS - 1]]
    try:
        documents = plain + few
        assert not highlight_documents(documents, len(documents))  # ten plain pages do not make up the count
        documents = plain + few + [page(CODES[-1])]
        assert highlight_documents(documents, len(documents))
        for code in CODES[: highlight_ahead.MIN_DOCUMENTS - 1] + [CODES[-1]]:
            assert _wait_for(AHEAD, code) == str(highlight_code(code))
        assert AHEAD.get("print(1)\n") is None
    finally:
        AHEAD.close()
