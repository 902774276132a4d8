"""Block text: option lines, file segments, located problems."""

from __future__ import annotations

import pytest

from stlite_docs.core.block import parse_body


@pytest.mark.parametrize("prefix", ["#|", "# |", "##|"])
def test_option_line_forms(prefix):
    parsed = parse_body(f"{prefix} height: 300px\n{prefix} load: click\n\nimport streamlit as st\n")
    assert parsed.options == {"height": "300px", "load": "click"}
    assert parsed.option_lines == {"height": 1, "load": 2}
    assert parsed.code == "import streamlit as st\n"
    assert [(s.path, s.text, s.first_line) for s in parsed.segments] == [("streamlit_app.py", "import streamlit as st\n", 4)]


def test_only_one_blank_line_after_options_is_dropped():
    parsed = parse_body("#| height: 300\n\n\nx = 1\n")
    assert parsed.segments[0].text == "\nx = 1\n"
    assert parsed.segments[0].first_line == 3


def test_option_lines_only_count_at_the_top():
    parsed = parse_body("x = 1\n#| height: 300\n")
    assert parsed.options == {}
    assert parsed.segments[0].text == "x = 1\n#| height: 300\n"


def test_yaml_error_is_located_at_its_line():
    parsed = parse_body("#| height: 300\n#| requirements: [numpy\nx = 1\n")
    [problem] = parsed.problems
    assert problem.kind == "yaml" and problem.line == 2
    assert problem.message.startswith("invalid '#|' option lines:")


def test_option_lines_must_be_a_mapping():
    [problem] = parse_body("#| - a list\nx = 1\n").problems
    assert (problem.kind, problem.line) == ("yaml", 1)


def test_file_headers_split_the_body():
    body = "import helpers\n## file: helpers.py\nX = 1\n## file: pages/2_Two.py\nimport streamlit\n"
    parsed = parse_body(body)
    assert [(s.path, s.text, s.first_line) for s in parsed.segments] == [
        ("streamlit_app.py", "import helpers\n", 1),
        ("helpers.py", "X = 1\n", 3),
        ("pages/2_Two.py", "import streamlit\n", 5),
    ]
    assert parsed.problems == []


def test_a_block_opening_with_a_header_names_its_entry_file():
    parsed = parse_body("\n## file: app.py\nimport streamlit\n## file: b.py\nB = 2\n")
    assert [s.path for s in parsed.segments] == ["app.py", "b.py"]


@pytest.mark.parametrize(
    "path, fragment",
    [("/abs.py", "must be relative"), ("../x.py", "must not contain '..'"), ("a//b.py", "empty or '.' segment"),
     ("C:/x.py", "must be relative"), ("a\\b.py", "must be relative"), ("", "must be relative")],
)
def test_bad_file_paths_are_located_at_their_header(path, fragment):
    parsed = parse_body(f"x = 1\n\n## file: {path}\ny = 2\n")
    [problem] = parsed.problems
    assert problem.kind == "file-path" and problem.line == 3 and fragment in problem.message


def test_repeated_paths_are_errors():
    parsed = parse_body("x = 1\n## file: streamlit_app.py\ny\n## file: a.py\n## file: a.py\n")
    assert [(p.line, p.message) for p in parsed.problems] == [
        (2, "'## file: streamlit_app.py' repeats the file of the entry file"),
        (5, "'## file: a.py' repeats the file of line 4"),
    ]


@pytest.mark.parametrize("code", ["x = 1", "x = 1\r\ny = 2\r\n", "\n\nx\n\n", "print('## file: not a header')\n"])
def test_code_without_headers_is_kept_byte_for_byte(code):
    parsed = parse_body(code)
    assert parsed.segments[0].text == code and parsed.code == code
