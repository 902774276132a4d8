"""stlite_docs.core.block.parse_body: option lines, the dropped blank line, ``## file:`` segments,
located problems, and byte-for-byte preservation of plain code."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stlite_docs.core.block import DEFAULT_ENTRYPOINT, parse_body
from stlite_docs.core.problems import Problem
from support import yaml_reason

BAD_YAML = "height: 300\nload: : x"
UNCLOSED = "requirements: [numpy, {a"


def segs(parsed):
    return [(s.path, s.text, s.first_line) for s in parsed.segments]


# ----------------------------------------------------------------------------- option lines
@pytest.mark.parametrize("prefix", ["#|", "# |", "##|"])
def test_each_option_prefix_is_read(prefix):
    body = f"{prefix} height: 300px\n{prefix} requirements: [numpy, pandas]\n\nimport streamlit as st\n"
    parsed = parse_body(body)
    assert parsed.problems == []
    assert parsed.options == {"height": "300px", "requirements": ["numpy", "pandas"]}
    assert parsed.option_lines == {"height": 1, "requirements": 2}
    assert parsed.code == "import streamlit as st\n"
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "import streamlit as st\n", 4)]


def test_prefixes_can_be_mixed_and_the_space_after_the_bar_is_optional():
    parsed = parse_body("#|height: 1\n# | load: click\n##| name: demo\nx = 1\n")
    assert parsed.options == {"height": 1, "load": "click", "name": "demo"}
    assert parsed.option_lines == {"height": 1, "load": 2, "name": 3}
    # no blank line after the options: the code starts right after them
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 4)]


def test_multi_line_yaml_values_on_option_lines():
    parsed = parse_body("#| config:\n#|   theme:\n#|     base: dark\n#| load: eager\n\nx = 1\n")
    assert parsed.options == {"config": {"theme": {"base": "dark"}}, "load": "eager"}
    assert parsed.option_lines == {"config": 1, "load": 4}
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 6)]


@pytest.mark.parametrize("not_an_option", ["#  | height: 1", "# height: 1", "#  height: 1", "## | height: 1", " #| height: 1"])
def test_lookalikes_are_code(not_an_option):
    body = f"{not_an_option}\nx = 1\n"
    parsed = parse_body(body)
    assert parsed.options == {} and parsed.problems == []
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, body, 1)]


def test_exactly_one_blank_line_after_the_options_is_dropped():
    parsed = parse_body("#| height: 300\n\n\nx = 1\n")
    assert parsed.code == "\nx = 1\n"
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "\nx = 1\n", 3)]


def test_a_whitespace_only_line_counts_as_the_blank_line():
    parsed = parse_body("#| height: 300\n   \t\nx = 1\n")
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 3)]


def test_blank_line_after_options_with_crlf():
    parsed = parse_body("#| height: 300\r\n\r\nx = 1\r\n")
    assert parsed.options == {"height": 300}
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\r\n", 3)]


def test_without_options_a_leading_blank_line_is_kept():
    parsed = parse_body("\nx = 1\n")
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "\nx = 1\n", 1)]
    assert parsed.code == "\nx = 1\n"


def test_options_only_at_the_top():
    body = "x = 1\n#| height: 300\n"
    parsed = parse_body(body)
    assert parsed.options == {} and parsed.option_lines == {}
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, body, 1)]


def test_a_later_option_line_after_the_blank_line_is_code():
    parsed = parse_body("#| height: 300\n\n#| load: click\nx = 1\n")
    assert parsed.options == {"height": 300}
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "#| load: click\nx = 1\n", 3)]


def test_option_lines_after_a_file_header_are_code():
    parsed = parse_body("x = 1\n## file: a.py\n#| height: 300\n")
    assert parsed.options == {}
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 1), ("a.py", "#| height: 300\n", 3)]


def test_empty_option_lines_are_no_options():
    parsed = parse_body("#|\n#| # a YAML comment\n\nx = 1\n")
    assert parsed.options == {} and parsed.problems == []
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 4)]


def test_only_option_lines():
    parsed = parse_body("#| height: 300\n")
    assert parsed.options == {"height": 300}
    assert parsed.code == ""
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "", 2)]


# ----------------------------------------------------------------------------- YAML problems
def test_yaml_error_is_located_at_the_bad_line():
    parsed = parse_body("#| height: 300\n#| load: : x\n#| name: a\n\nx = 1\n")
    assert parsed.problems == [Problem("yaml", f"invalid '#|' option lines: {yaml_reason(BAD_YAML)}", 2)]
    assert parsed.options == {}
    # the code is still split, at the right lines
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 5)]


def test_yaml_error_at_the_end_of_the_option_lines_stays_inside_them():
    parsed = parse_body("# | height: 300\n# | load: lazy\n# | requirements: [numpy, {a\n\nx = 1\n")
    [problem] = parsed.problems
    assert problem.kind == "yaml" and problem.line == 3
    assert problem.message == f"invalid '#|' option lines: {yaml_reason(UNCLOSED)}"


def test_yaml_error_on_the_first_line():
    [problem] = parse_body("#| a:\tb: [\nx = 1\n").problems
    assert (problem.kind, problem.line) == ("yaml", 1)
    assert problem.message.startswith("invalid '#|' option lines: ")


@pytest.mark.parametrize("lines", ["#| just some text\n", "#| - a\n#| - b\n", "#| 42\n"])
def test_option_lines_must_form_a_mapping(lines):
    parsed = parse_body(lines + "x = 1\n")
    assert parsed.problems == [Problem("yaml", "'#|' option lines must be 'key: value' pairs", 1)]
    assert parsed.options == {}


def test_non_text_keys_become_text():
    parsed = parse_body("#| 1: 2\nx\n")
    assert parsed.options == {"1": 2} and parsed.option_lines == {"1": 1}


def test_option_line_of_a_top_level_key_ignores_nested_keys():
    parsed = parse_body("#| files:\n#|   name: data/name.txt\n#| name: my-app\nx = 1\n")
    assert parsed.options["name"] == "my-app"
    assert parsed.option_lines == {"files": 1, "name": 3}


# ----------------------------------------------------------------------------- files
def test_file_headers_split_the_body_with_the_right_first_lines():
    body = (
        "#| height: 300\n"  # 1
        "\n"  # 2 (dropped)
        "import helpers\n"  # 3
        "## file: helpers.py\n"  # 4
        "X = 1\n"  # 5
        "\n"  # 6
        "## file: pages/2_Two.py\n"  # 7
        "import streamlit\n"  # 8
    )
    parsed = parse_body(body)
    assert parsed.problems == []
    assert segs(parsed) == [
        (DEFAULT_ENTRYPOINT, "import helpers\n", 3),
        ("helpers.py", "X = 1\n\n", 5),
        ("pages/2_Two.py", "import streamlit\n", 8),
    ]
    assert parsed.code == body.split("\n", 2)[2]


def test_header_path_is_stripped_and_crlf_headers_work():
    parsed = parse_body("x\r\n## file:   a.py  \r\nA\r\n")
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x\r\n", 1), ("a.py", "A\r\n", 3)]


def test_adjacent_headers_give_an_empty_file():
    parsed = parse_body("x\n## file: a.py\n## file: b.py\nB\n")
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x\n", 1), ("a.py", "", 3), ("b.py", "B\n", 4)]


def test_a_block_opening_with_a_header_makes_that_file_the_entry():
    parsed = parse_body("## file: app.py\nimport streamlit\n## file: b.py\nB = 2\n")
    assert segs(parsed) == [("app.py", "import streamlit\n", 2), ("b.py", "B = 2\n", 4)]
    assert parsed.problems == []


def test_header_right_after_options_and_blank_line_is_the_entry():
    parsed = parse_body("#| height: 1\n\n## file: app.py\nx\n")
    assert segs(parsed) == [("app.py", "x\n", 4)]


def test_blank_text_before_the_first_header_is_dropped():
    parsed = parse_body("\n  \n\t\n## file: app.py\nx\n")
    assert segs(parsed) == [("app.py", "x\n", 5)]
    assert parsed.problems == []


def test_non_blank_text_before_the_first_header_is_the_default_entry():
    parsed = parse_body("# just a comment\n## file: app.py\nx\n")
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "# just a comment\n", 1), ("app.py", "x\n", 3)]


def test_header_lookalikes_are_code():
    body = "x = 1\n##  file: a.py\n # file: b.py\n### file: c.py\n## File: d.py\nprint('## file: e.py')\n"
    parsed = parse_body(body)
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, body, 1)] and parsed.problems == []


@pytest.mark.parametrize(
    "path, message",
    [
        ("/abs.py", "'## file:' app file path '/abs.py' must be relative, with '/' separators"),
        ("../x.py", "'## file:' app file path '../x.py' must not contain '..'"),
        ("a/../x.py", "'## file:' app file path 'a/../x.py' must not contain '..'"),
        ("a//b.py", "'## file:' app file path 'a//b.py' has an empty or '.' segment"),
        ("./a.py", "'## file:' app file path './a.py' has an empty or '.' segment"),
        ("dir/", "'## file:' app file path 'dir/' has an empty or '.' segment"),
        ("C:/x.py", "'## file:' app file path 'C:/x.py' must be relative, with '/' separators"),
        ("a\\b.py", "'## file:' app file path 'a\\\\b.py' must be relative, with '/' separators"),
        ("", "'## file:' app file path '' must be relative, with '/' separators"),
    ],
)
def test_bad_header_paths_are_located_at_the_header(path, message):
    # body lines: 1 option, 2 blank (dropped), 3 code, 4 code, 5 header
    parsed = parse_body(f"#| height: 300\n\nx = 1\n\n## file: {path}\ny = 2\n")
    assert parsed.problems == [Problem("file-path", message, 5)]


def test_repeating_the_implicit_entry_file():
    parsed = parse_body("#| height: 1\n\nx = 1\n## file: streamlit_app.py\ny = 2\n")
    assert parsed.problems == [Problem("file-path", "'## file: streamlit_app.py' repeats the file of the entry file", 4)]
    # the repeat is not a second file
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, "x = 1\n", 3)]


def test_repeating_a_named_file_points_at_the_first_header():
    parsed = parse_body("x\n## file: a.py\nA\n## file: b.py\n## file: a.py\nA2\n")
    assert parsed.problems == [Problem("file-path", "'## file: a.py' repeats the file of line 2", 5)]
    assert [s.path for s in parsed.segments] == [DEFAULT_ENTRYPOINT, "a.py", "b.py"]


def test_repeating_an_explicit_entry():
    parsed = parse_body("## file: streamlit_app.py\nx\n## file: streamlit_app.py\n")
    assert parsed.problems == [Problem("file-path", "'## file: streamlit_app.py' repeats the file of line 1", 3)]


def test_implicit_entry_name_is_free_when_the_leading_text_is_blank():
    parsed = parse_body("\n## file: streamlit_app.py\nx\n")
    assert parsed.problems == [] and segs(parsed) == [(DEFAULT_ENTRYPOINT, "x\n", 3)]


# ----------------------------------------------------------------------------- byte for byte
@pytest.mark.parametrize(
    "code",
    [
        "x = 1",
        "x = 1\n",
        "x = 1\r\ny = 2\r\n",
        "x = 1\r\ny = 2",
        "\n\nx\n\n",
        "   ",
        "",
        "\ttab\n",
        "é = '€'\n",
        "x = 1\ry = 2\r",
    ],
)
def test_code_without_headers_is_kept_byte_for_byte(code):
    parsed = parse_body(code)
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, code, 1)]
    assert parsed.code == code
    assert parsed.options == {} and parsed.problems == []


_OPTION_START = re.compile(r"(#\||# \||##\|)")


def _is_plain_code(code: str) -> bool:
    lines = code.splitlines()
    if lines and _OPTION_START.match(lines[0]):
        return False
    return not any(line.startswith("## file:") for line in lines)


@settings(max_examples=200, deadline=None)
@given(code=st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_any_plain_code_is_one_entry_file_byte_for_byte(code):
    if not _is_plain_code(code):
        return
    parsed = parse_body(code)
    assert [s.path for s in parsed.segments] == [DEFAULT_ENTRYPOINT]
    assert parsed.segments[0].text == code
    assert parsed.segments[0].first_line == 1
    assert parsed.code == code
    assert parsed.problems == [] and parsed.options == {}


@settings(max_examples=200, deadline=None)
@given(
    lines=st.lists(
        st.one_of(
            st.sampled_from(["#| height: 300", "## file: a.py", "## file: /x", "", "x = 1", "#| : :", "\r"]),
            st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
        ),
        max_size=12,
    ),
    end=st.sampled_from(["\n", "\r\n"]),
)
def test_parse_body_never_raises_and_segments_cover_the_code(lines, end):
    body = end.join(lines)
    parsed = parse_body(body)
    for problem in parsed.problems:
        assert problem.line is None or problem.line >= 1
    # Without repeated or blank-dropped files, the segments are the code minus the header lines.
    if not parsed.problems:
        rebuilt = "".join(s.text for s in parsed.segments)
        without_headers = "".join(line for line in parsed.code.splitlines(keepends=True) if not line.startswith("## file:"))
        assert rebuilt.strip() == without_headers.strip()


# ----------------------------------------------------------------------------- line counting
@pytest.mark.parametrize("sep", ["\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_only_real_newlines_count_as_lines(sep):
    parsed = parse_body(f"a = 1  # {sep}\n## file: b.py\nB = 1\n")
    assert segs(parsed) == [(DEFAULT_ENTRYPOINT, f"a = 1  # {sep}\n", 1), ("b.py", "B = 1\n", 3)]
    # and a header-looking text after such a character is not a header
    text = f"s = 'x{sep}## file: b.py'\n"
    assert segs(parse_body(text)) == [(DEFAULT_ENTRYPOINT, text, 1)]


# ----------------------------------------------------------------------------- (from the first core tests)
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
    [
        ("/abs.py", "must be relative"),
        ("../x.py", "must not contain '..'"),
        ("a//b.py", "empty or '.' segment"),
        ("C:/x.py", "must be relative"),
        ("a\\b.py", "must be relative"),
        ("", "must be relative"),
    ],
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
def test_code_without_headers_is_kept_byte_for_byte_in_segments(code):
    parsed = parse_body(code)
    assert parsed.segments[0].text == code and parsed.code == code
