"""The syntax check compiles as Python 3.13, caches by content, and survives its server dying.

These run a real Python 3.13 when the machine has one (the build's own, ``python3.13``,
``$STLITE_DOCS_PYTHON313`` or a pyenv install); without one they skip, saying so.
"""

from __future__ import annotations

import os
import sys

import pytest

from stlite_docs.check.cache import PackedResults, ResultCache, key_of, write_pack
from stlite_docs.check.syntax import PYTHON_VARIABLE, CompileError, SyntaxChecker, python313_candidates

# Valid in 3.12+ (PEP 701, PEP 695); invalid in 3.11.
NEW_SYNTAX = 'd = {"a": 1}\nprint(f"{d["a"]}")\ntype Pair = tuple[int, int]\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n'
# Valid in 3.14 (PEP 758); invalid in 3.13.
TOO_NEW = "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"


@pytest.fixture
def checker(tmp_path):
    checker = SyntaxChecker(PackedResults("syntax", root=tmp_path))
    if checker.python != "3.13":
        pytest.skip(f"no Python 3.13 on this machine (looked at {python313_candidates()}): syntax is checked with {checker.python}")
    yield checker
    checker.close()


def test_code_valid_in_313_only_is_accepted(checker):
    assert checker.check(NEW_SYNTAX, "a.py") is None


def test_code_valid_only_after_313_is_refused(checker):
    assert checker.check(TOO_NEW, "a.py") == CompileError(3, "multiple exception types must be parenthesized")


@pytest.mark.parametrize("code, line, message", [
    ("x = (\n", 1, "'(' was never closed"),
    ("x = 1\nbreak\n", 2, "'break' outside loop"),
    ("def f():\n    await g()\n", 2, "'await' outside async function"),
])
def test_parser_and_compiler_errors(checker, code, line, message):
    assert checker.check(code, "a.py") == CompileError(line, message)


def test_top_level_await_is_allowed(checker):
    assert checker.check("import asyncio\nawait asyncio.sleep(0)\n", "a.py") is None


def test_results_are_cached_by_content(checker, tmp_path):
    assert checker.check("x = (\n", "a.py") is not None
    assert checker.check("y = 1\n", "b.py") is None
    checker.close()  # the build is done: the results go into one pack
    packs = list((tmp_path / "syntax").iterdir())
    assert len(packs) == 1 and packs[0].name.startswith("pack-"), packs
    blocked = SyntaxChecker(PackedResults("syntax", root=tmp_path))
    blocked._executable = ""  # no compile server may start: an answer can only come from the cache
    if sys.version_info[:2] != (3, 13):
        assert blocked.check("x = (\n", "b.py") == CompileError(1, "'(' was never closed")


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
    checker = SyntaxChecker(PackedResults("syntax", root=tmp_path))
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


def test_packs_are_read_once_written_once_and_merged(tmp_path):
    first = PackedResults("syntax", root=tmp_path)
    first.add("k1", {"error": None})
    first.keep("k2", {"error": None})  # written by another process (the compile server)
    assert first.get("k1") == first.get("k2") == {"error": None}
    first.flush()
    first.flush()  # nothing new: no second pack
    assert len(list((tmp_path / "syntax").glob("pack-*.json"))) == 1
    assert PackedResults("syntax", root=tmp_path).get("k1") == {"error": None}
    assert PackedResults("syntax", root=tmp_path).get("k2") is None
    # Many builds, many packs: the next reader merges them into one, losing nothing.
    for index in range(PackedResults.MERGE_AT):  # as many builds (or -j processes) would
        write_pack(str(tmp_path / "syntax"), {f"n{index}": {"error": [index, "m"]}})
    assert len(list((tmp_path / "syntax").glob("pack-*.json"))) == PackedResults.MERGE_AT + 1
    merged = PackedResults("syntax", root=tmp_path)
    assert merged.get("k1") == {"error": None}
    assert all(merged.get(f"n{i}") == {"error": [i, "m"]} for i in range(PackedResults.MERGE_AT))
    assert len(list((tmp_path / "syntax").glob("pack-*.json"))) == 1
    assert not list((tmp_path / "syntax").glob(".tmp-*"))


def test_an_unreadable_pack_is_a_miss(tmp_path):
    packed = PackedResults("syntax", root=tmp_path)
    packed.add("k", {"error": None})
    packed.flush()
    [pack] = (tmp_path / "syntax").glob("pack-*.json")
    pack.write_text('{"k": ')  # torn (a pack is renamed into place whole, but a disk can fail)
    assert PackedResults("syntax", root=tmp_path).get("k") is None


def test_the_old_one_file_per_entry_layout_is_cleaned_away(tmp_path):
    """Releases before packs wrote ``syntax/<hash[:2]>/<hash>.json``: never read again, those
    folders go when the packs are first read; packs and anything else stay."""
    folder = tmp_path / "syntax"
    (folder / "ab").mkdir(parents=True)
    (folder / "ab" / ("ab" + "0" * 62 + ".json")).write_text('{"value": {"error": null}}')
    (folder / "notes").mkdir()
    write_pack(str(folder), {"k": {"error": None}})
    assert PackedResults("syntax", root=tmp_path).get("k") == {"error": None}
    assert not (folder / "ab").exists()
    assert (folder / "notes").is_dir() and len(list(folder.glob("pack-*.json"))) == 1
