"""The syntax check compiles as Python 3.13, once per distinct text, with a server that starts at
the first file, ends when closed, and is replaced when it dies.

These run a real Python 3.13 when the machine has one (the build's own, ``python3.13``,
``$STLITE_DOCS_PYTHON313`` or a pyenv install); without one they skip, saying so.
"""

from __future__ import annotations

import os

import pytest

from stlite_docs.check.cache import ResultCache, key_of
from stlite_docs.check.syntax import PYTHON_VARIABLE, CompileError, SyntaxChecker, python313_candidates

# Valid in 3.12+ (PEP 701, PEP 695); invalid in 3.11.
NEW_SYNTAX = 'd = {"a": 1}\nprint(f"{d["a"]}")\ntype Pair = tuple[int, int]\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n'
# Valid in 3.14 (PEP 758); invalid in 3.13.
TOO_NEW = "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"


@pytest.fixture
def checker():
    checker = SyntaxChecker()
    if checker.python != "3.13":
        pytest.skip(
            f"no Python 3.13 on this machine (looked at {python313_candidates()}): syntax is checked with {checker.python}"
        )
    yield checker
    checker.close()


def test_code_valid_in_313_only_is_accepted(checker):
    assert checker.check(NEW_SYNTAX, "a.py") is None


def test_code_valid_only_after_313_is_refused(checker):
    assert checker.check(TOO_NEW, "a.py") == CompileError(3, "multiple exception types must be parenthesized")


@pytest.mark.parametrize(
    "code, line, message",
    [
        ("x = (\n", 1, "'(' was never closed"),
        ("x = 1\nbreak\n", 2, "'break' outside loop"),
        ("def f():\n    await g()\n", 2, "'await' outside async function"),
    ],
)
def test_parser_and_compiler_errors(checker, code, line, message):
    assert checker.check(code, "a.py") == CompileError(line, message)


def test_top_level_await_is_allowed(checker):
    assert checker.check("import asyncio\nawait asyncio.sleep(0)\n", "a.py") is None


def test_each_text_is_compiled_once_and_the_server_ends_with_close(checker):
    assert checker.check("x = (\n", "a.py") is not None
    process = checker._process
    checker._process = None
    checker._executable = ""  # no server may start again: the answer can only be the one kept
    assert checker.check("x = (\n", "b.py") == CompileError(1, "'(' was never closed")
    if process is not None:  # (the build's own Python is 3.13: no server)
        checker._process, checker._executable = process, "python3.13"
        checker.close()
        assert process.poll() is not None and checker._process is None


def test_a_forked_process_starts_its_own_server(checker):
    assert checker.check("x = 1\n", "a.py") is None
    if checker._process is None:
        pytest.skip("the build's own Python is 3.13: no server")
    parent = checker._process
    checker._pid = -1  # as a fork sees it: the server belongs to another process
    assert checker.check("y = 1\n", "a.py") is None
    assert checker._process is not parent and parent.poll() is None  # the parent's is left alone
    parent.stdin.close()
    parent.wait()


def test_a_dead_server_is_replaced(checker):
    assert checker.check("x = 1\n", "a.py") is None
    if checker._process is None:
        pytest.skip("the build's own Python is 3.13: no server")
    checker._process.kill()
    checker._process.wait()
    assert checker.check("y = (\n", "a.py") == CompileError(1, "'(' was never closed")


def test_the_variable_names_the_interpreter(monkeypatch, tmp_path):
    monkeypatch.setenv(PYTHON_VARIABLE, str(tmp_path / "python-nowhere"))
    assert python313_candidates()[0] == str(tmp_path / "python-nowhere")
    # an interpreter that does not run is passed over, not fatal
    checker = SyntaxChecker()
    assert checker.check("x = 1\n", "a.py") is None
    checker.close()


def test_cache_keys_separate_their_parts():
    assert key_of("ab", "c") != key_of("a", "bc")
    assert key_of("a", b"b") == key_of("a", "b")


def test_torn_cache_entries_are_misses(tmp_path):
    cache = ResultCache("x", root=tmp_path)
    key = key_of("k")
    cache.put(key, {"v": 1})
    assert cache.get(key) == {"v": 1}
    (tmp_path / "x" / key[:2] / f"{key}.json").write_text('{"value": ')
    assert cache.get(key) is None
    assert not [p for p in (tmp_path / "x").rglob(".tmp-*")]
    assert os.environ.get("STLITE_DOCS_CACHE_DIR")  # the test run never uses the user's cache
