"""The block parser's build-time savings (see benchmarks/build.py) change no result: simple
'#|' lines skip PyYAML's scanner and parser but read exactly as yaml.safe_load; lines split
without a Python loop; parsed bodies are kept for the next caller, who gets a copy."""

from __future__ import annotations

import math

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stlite_docs.core.block import _LINE, _NOT_SIMPLE, _simple_mapping, parse_body, split_lines


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def _check(lines: list[str]) -> bool:
    """True when the fast path took the lines; then it agrees with yaml.safe_load."""
    fast = _simple_mapping(lines)
    if fast is _NOT_SIMPLE:
        return False
    slow = yaml.safe_load("\n".join(lines))  # raising here means the fast path accepted an error
    assert _same(fast, slow), (lines, fast, slow)
    return True


def test_common_lines_take_the_fast_path():
    for lines in (["height: 400px"], ["requirements: [numpy, pandas]"], ["caption: Ada's demo", "load: click"],
                  ['config: {theme.primaryColor: "#ff4b4b"}'], ["files: {data/a.csv: /data/b.csv}"], ['caption: "A: b"'],
                  ['k: ["a, b", \'c\\d\']', "j: 'quoted'"], ["k: {}"], ["k: {yes: 1, a: b c}"],
                  ["requirements: numpy, pandas>=2,<3"], ["k:"], ["k: []"], ["yes: no", "k: ~"],
                  ["k: 1_000", "j: 017", "i: 0x1F", "f: 1.5", "e: 1e3", "d: 2024-01-02"], ["k: 1", "k: 2"]):
        assert _check(lines), lines


def test_other_lines_go_to_yaml():
    for lines in (['k: "a\\"b"'], ["k: 'it''s'"], ["k: {a}"], ["k: {a: }"], ["k: {a: b,}"], ["k: a #comment"],
                  ["k: a: b"], ["  k: 1"],
                  ["k: [a, [b]]"], ["k: .5"], ["k: <<"], ["k: 2024-13-45"], ["k: [0?]"],
                  ["k: café"], ["x" * 600 + ": 1"], ["k:\tv"], [""]):
        assert not _check(lines), lines


_CHARS = "aAyYnNtTfF019_.()/~+<>=;!?&@%*|'-,:#[]{} \t\"\\`eE"
_KEYS = st.sampled_from(["height", "yes", "Off", "null", "NULL", "~", "_x", "a-b", "y"]) | st.from_regex(
    r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True)
_PLAIN = st.from_regex(r"[A-Za-z0-9_(/~+]([A-Za-z0-9_.()/~+<>=;!?&@%*|', -]{0,10}[A-Za-z0-9_.()/~+<>=;!?&@%*|'-])?",
                       fullmatch=True)
_QUOTED = st.from_regex(r"\"[ -~]{0,6}\"|'[ -~]{0,6}'", fullmatch=True)
_SCALARS = _PLAIN | _QUOTED | st.text(alphabet=_CHARS, max_size=5)
_VALUES = (st.text(alphabet=_CHARS, max_size=12) | _PLAIN | _QUOTED
           | st.lists(_SCALARS, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
           | st.lists(st.tuples(_SCALARS, st.sampled_from([": ", ":", ":  "]), _SCALARS), max_size=3).map(
               lambda kvs: "{" + ", ".join(k + sep + v for k, sep, v in kvs) + "}")
           | st.sampled_from(["1_000", "017", "0x1F", "+1", "-1", ".inf", "~", "2001-12-14 21:59:43.10 -5", "1:30"]))
_LINES = st.lists(
    st.builds(lambda k, sep, v: f"{k}{sep}{v}", _KEYS, st.sampled_from([": ", ":", ":  ", " : "]), _VALUES)
    | st.sampled_from(["", " ", "  x: 1"]),
    min_size=1, max_size=4,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(_LINES)
def test_the_fast_path_reads_as_yaml_does(lines):
    _check(lines)


def test_parse_body_results_are_unchanged():
    body = "#| height: 400px\n#| requirements: [numpy, pandas]\n#| caption: x\n\nimport streamlit as st\n"
    parsed = parse_body(body)
    assert parsed.options == {"height": "400px", "requirements": ["numpy", "pandas"], "caption": "x"}
    assert parsed.option_lines == {"height": 1, "requirements": 2, "caption": 3}
    assert parsed.code == "import streamlit as st\n" and not parsed.problems


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="ab \r\n\v\f\x85\u2028\t", max_size=30))
def test_split_lines_counts_lines_as_before(text):
    assert split_lines(text) == [line.rstrip("\r\n") for line in _LINE.findall(text)]


def test_each_caller_gets_its_own_parsed_body():
    body = "#| requirements: [numpy]\n\nimport streamlit as st\n## file: a.py\nx = 1\n"
    first = parse_body(body)
    first.options["requirements"] = "changed"
    first.segments.append(first.segments[0])
    first.problems.append("changed")
    second = parse_body(body)
    assert second.options == {"requirements": ["numpy"]}
    assert [s.path for s in second.segments] == ["streamlit_app.py", "a.py"] and not second.problems


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(["#| height: 300px", "", " ", "x = 1", "## file: a.py", "## file:b.py",
                                 "# file: c.py", "  ## file: d.py", "## file: ", "print('## file: e.py')"]),
                max_size=8))
def test_a_body_without_file_headers_is_one_file_as_before(lines):
    """Bodies without '## file:' skip the line-by-line split: the same segments as the split."""
    from stlite_docs.core.block import _split_files

    body = "\n".join(lines) + "\n"
    parsed = parse_body(body)
    start = len(split_lines(body, keepends=True)) - len(split_lines(parsed.code, keepends=True))
    problems: list = []
    expected = _split_files(split_lines(body, keepends=True), start, problems)
    assert [(s.path, s.text, s.first_line) for s in parsed.segments] == [(s.path, s.text, s.first_line) for s in expected]
    assert len(parsed.problems) >= len(problems)
