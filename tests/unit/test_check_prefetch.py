"""Prefetching a document's app files gives the compile server a head start (a build-time
saving, see benchmarks/build.py) and never changes an answer."""

from __future__ import annotations

import sys

import pytest

from stlite_docs.check.cache import PackedResults, key_of
from stlite_docs.check.syntax import CompileError, SyntaxChecker, prefetch_document, python313_candidates

GOOD = "import streamlit as st\nst.write(1)\n"
BAD = "x = (\n"
COMPILER_ERROR = "x = 1\nbreak\n"


@pytest.fixture
def checker(tmp_path):
    checker = SyntaxChecker(PackedResults("syntax", root=tmp_path))
    if checker.python != "3.13" or checker._process is None:
        pytest.skip(f"no Python 3.13 compile server here (looked at {python313_candidates()})")
    yield checker
    checker.close()


def test_prefetched_answers_are_the_answers(checker, tmp_path):
    checker.prefetch([(GOOD, "a.py"), (BAD, "b.py"), (COMPILER_ERROR, "c.py"), (GOOD, "d.py")])
    # asked in another order than sent, and a file that was not prefetched in between
    assert checker.check(COMPILER_ERROR, "c.py") == CompileError(2, "'break' outside loop")
    assert checker.check("y = 2\n", "e.py") is None
    assert checker.check(BAD, "b.py") == CompileError(1, "'(' was never closed")
    assert checker.check(GOOD, "a.py") is None
    assert not checker._pending
    fresh = SyntaxChecker(PackedResults("syntax", root=tmp_path / "other"))
    try:
        for text in (GOOD, BAD, COMPILER_ERROR):
            assert fresh.check(text, "x.py") == checker.check(text, "x.py")
    finally:
        fresh.close()


def test_cached_files_are_not_sent_again(checker):
    assert checker.check(GOOD, "a.py") is None
    checker.prefetch([(GOOD, "a.py")])
    assert not checker._pending


def test_a_server_dying_with_requests_pending(checker):
    checker.prefetch([(GOOD, "a.py"), (BAD, "b.py")])
    checker._process.kill()
    checker._process.wait()
    assert checker.check(BAD, "b.py") == CompileError(1, "'(' was never closed")
    assert checker.check(GOOD, "a.py") is None


class _Recorder(SyntaxChecker):
    def __init__(self):
        super().__init__()
        self.sent: list[tuple[str, str]] = []
        self.missed = True  # a file of this build was new: documents are prefetched

    def prefetch(self, files):
        self.sent += list(files)


RST = """\
Title
=====

.. stlite::
   :caption: one

   #| height: 400px

   import streamlit as st
   st.write(1)
   ## file: helpers.py
   def f():
       return 1

.. code-block:: rst

   .. stlite::

      not an app

.. stlite:: apps/entry.py
"""


@pytest.mark.skipif(sys.version_info[:2] == (3, 13), reason="the build's Python is 3.13: no server, no prefetch")
def test_prefetch_finds_the_files_build_app_checks(monkeypatch, tmp_path):
    from stlite_docs.core import app as core
    from stlite_docs.core.app import SourceTree, build_app
    from stlite_docs.core.settings import SiteSettings
    from stlite_docs.core.fences import find_blocks

    recorder = _Recorder()
    prefetch_document(RST, ".rst", checker=recorder)
    checked = []
    monkeypatch.setattr(core.CHECKER, "check", lambda text, name: checked.append((text, name)))
    for block in find_blocks(RST, ".rst"):
        if block.entry_file is None:
            build_app(block.body.rstrip("\n"), block.options, SiteSettings(), SourceTree(tmp_path, tmp_path))
    assert recorder.sent == checked
    assert [name for _, name in checked] == ["streamlit_app.py", "helpers.py"]


def test_documents_without_apps_cost_nothing():
    recorder = _Recorder()
    prefetch_document("Title\n=====\n\nNo apps here.\n", ".rst", checker=recorder)
    prefetch_document("# Title\n\n```python\nx = 1\n```\n", ".md", checker=recorder)
    assert recorder.sent == []


NEW_SYNTAX = 'd = {"a": 1}\nprint(f"{d["a"]}")\n'  # valid in 3.12+, invalid in 3.11


def test_a_warm_cache_starts_no_server(checker, tmp_path):
    assert checker.check(GOOD, "a.py") is None and checker.check(NEW_SYNTAX, "b.py") is None
    checker.close()  # the earlier build ends
    warm = SyntaxChecker(PackedResults("syntax", root=tmp_path))
    try:
        warm.prefetch([(GOOD, "a.py"), (NEW_SYNTAX, "b.py")])
        assert warm.check(GOOD, "a.py") is None and warm.check(NEW_SYNTAX, "b.py") is None
        assert warm._process is None
    finally:
        warm.close()


def test_a_cached_313_answer_holds_without_a_313(checker, tmp_path):
    assert checker.check(NEW_SYNTAX, "b.py") is None
    checker.close()
    blocked = SyntaxChecker(PackedResults("syntax", root=tmp_path))
    blocked._executable = ""  # no 3.13 any more: the build's Python would refuse this file
    assert blocked.check(NEW_SYNTAX, "b.py") is None


def test_the_server_writes_the_cache_entries(checker, tmp_path, monkeypatch):
    monkeypatch.setattr(checker.cache, "add", lambda key, value: pytest.fail("the build wrote a cache entry"))
    checker.prefetch([(GOOD, "a.py"), (BAD, "b.py")])
    assert checker.check(BAD, "b.py") == CompileError(1, "'(' was never closed")
    assert checker.check(GOOD, "a.py") is None
    assert checker.check("z = 3\n", "c.py") is None  # not prefetched: asked and answered in turn
    checker.close()  # the server writes one pack as it ends
    from stlite_docs.check.cache import key_of

    written = PackedResults("syntax", root=tmp_path)
    assert written.get(key_of("syntax", "3.13", BAD)) == {"error": [1, "'(' was never closed"]}
    assert written.get(key_of("syntax", "3.13", GOOD)) == {"error": None}
    assert written.get(key_of("syntax", "3.13", "z = 3\n")) == {"error": None}
    assert [p.name[:5] for p in (tmp_path / "syntax").iterdir()] == ["pack-"]


def test_documents_are_prefetched_only_after_a_miss(checker):
    """A build whose files are all cached does not read its documents a second time."""
    sent = []
    checker.prefetch = lambda files: sent.extend(files)
    checker.check(GOOD, "a.py")  # a new file: a miss
    assert checker.missed
    warm = SyntaxChecker(PackedResults("syntax", root=checker.cache._root))
    warm.prefetch = lambda files: sent.append("warm prefetched")
    checker.close()
    assert warm.check(GOOD, "a.py") is None and not warm.missed  # cached by the earlier build
    prefetch_document(RST, ".rst", checker=warm)
    assert sent == []
    prefetch_document(RST, ".rst", checker=checker)
    assert [name for _, name in sent] == ["streamlit_app.py", "helpers.py"]


def test_compile_all_leaves_the_answers_in_memory_and_no_server(checker, tmp_path):
    """What sphinx -j does before it forks: its reading processes inherit the answers."""
    checker.compile_all([(GOOD, "a.py"), (BAD, "b.py"), (GOOD, "c.py"), (COMPILER_ERROR, "d.py")])
    assert checker._process is None
    checker._executable = ""  # no server may start again: the answers must be in memory
    checker.missed = False
    assert checker.check(BAD, "b.py") == CompileError(1, "'(' was never closed")
    assert checker.check(COMPILER_ERROR, "d.py") == CompileError(2, "'break' outside loop")
    assert checker.check(GOOD, "a.py") is None
    assert not checker.missed  # every answer came from memory
    # and on disk, for the next build, once the build closed the check
    checker.close()
    assert PackedResults("syntax", root=tmp_path).get(key_of("syntax", "3.13", BAD)) == {"error": [1, "'(' was never closed"]}


def test_compile_all_sends_while_the_files_are_still_being_found(checker):
    """The server compiles the first files while the build reads and splits the next
    documents: compile_all sends as it goes, not after the last file is found. With more
    files than may be in flight at once, it reads the oldest answers to make room."""
    from stlite_docs.check.syntax import _BATCH, _MAX_PENDING

    texts = [f"x = {i}\n" if i % 97 else f"x = ({i}\n" for i in range(_MAX_PENDING + 3 * _BATCH)]
    in_flight_when_found = []

    def files():
        for i, text in enumerate(texts):
            if i == 2 * _BATCH:
                in_flight_when_found.append(len(checker._pending))
            yield text, f"f{i}.py"

    checker.compile_all(files())
    assert in_flight_when_found and in_flight_when_found[0] > 0
    assert checker._process is None
    checker._executable = ""  # every answer is in memory now
    for i, text in enumerate(texts):
        expected = None if i % 97 else CompileError(1, "'(' was never closed")
        assert checker.check(text, f"f{i}.py") == expected


def test_stop_sending_lets_the_server_write_while_the_build_goes_on(checker, tmp_path):
    """stop_sending ends the server's input without waiting; close waits for its pack. A file
    checked in between gets a new server, and both servers' answers reach the cache."""
    assert checker.check(BAD, "b.py") == CompileError(1, "'(' was never closed")
    first = checker._process
    checker.stop_sending()
    assert checker._process is None and first.stdin.closed
    assert [process for process, _ in checker._ending] == [first]  # not waited for yet
    assert checker.check(COMPILER_ERROR, "d.py") == CompileError(2, "'break' outside loop")
    second = checker._process
    assert second is not None and second is not first
    checker.close()
    assert first.returncode == 0 and second.returncode == 0 and checker._ending == []
    fresh = PackedResults("syntax", root=tmp_path)
    assert fresh.get(key_of("syntax", "3.13", BAD)) == {"error": [1, "'(' was never closed"]}
    assert fresh.get(key_of("syntax", "3.13", COMPILER_ERROR)) == {"error": [2, "'break' outside loop"]}


def test_an_empty_cache_starts_the_server_early_and_a_warm_one_does_not(checker, tmp_path):
    """start_early: the server's start overlaps the build's when it will surely be needed."""
    cold = SyntaxChecker(PackedResults("syntax", root=tmp_path / "cold"))
    try:
        cold.start_early()
        assert cold._early is not None and cold._process is None  # started, not waited for
        assert cold.check(BAD, "b.py") == CompileError(1, "'(' was never closed")
        assert cold._early is None and cold._process is not None  # the early one was adopted
    finally:
        cold.close()
    checker.check(GOOD, "a.py")
    checker.close()
    warm = SyntaxChecker(PackedResults("syntax", root=tmp_path))
    warm.start_early()
    assert warm._early is None  # the cache has answers: most builds need no server
    unused = SyntaxChecker(PackedResults("syntax", root=tmp_path / "unused"))
    unused.start_early()
    process = unused._early[1]
    unused.close()  # never needed: ended, not left running
    assert process.poll() is not None


def test_a_file_larger_than_one_read_of_the_server(checker):
    """The server reads its input in pieces of 64 kB: a file longer than that, with
    multi-byte characters across the pieces' edges, still arrives whole."""
    long_good = "".join(f"# ligne numéro {i}: café, naïve, 日本語\nx{i} = {i}\n" for i in range(4000))
    long_bad = long_good + "y = (\n"
    assert len(long_good.encode()) > 3 * (1 << 16)
    checker.prefetch([(long_good, "a.py"), (long_bad, "b.py"), (BAD, "c.py")])
    assert checker.check(long_bad, "b.py") == CompileError(8001, "'(' was never closed")
    assert checker.check(long_good, "a.py") is None
    assert checker.check(BAD, "c.py") == CompileError(1, "'(' was never closed")
