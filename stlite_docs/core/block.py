"""The text of a block: leading ``#| key: value`` option lines, then one or more files.

This is the shinylive convention, parsed at build time (not in the browser) so every mistake
can be reported at its document line:

    #| requirements: numpy
    #| height: 400px

    import streamlit as st          <- the entry file, streamlit_app.py
    ## file: pages/other.py
    import streamlit as st          <- a second file

Option lines may be written ``#|``, ``# |`` or ``##|``. One blank line after them is dropped.
Text before the first ``## file:`` line is the entry file ``streamlit_app.py``; when the block
opens with a ``## file:`` line, that file is the entry file instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .options import check_app_path
from .problems import BlockError, Problem

DEFAULT_ENTRYPOINT = "streamlit_app.py"

_OPTION_LINE = re.compile(r"^(?:#\||# \||##\|) ?(.*)$")
# Only \n, \r\n and \r end a line, as in Markdown, reST and Python; str.splitlines() also
# breaks at \v, \f, \x1c-\x1e, \x85, \u2028 and \u2029, which would misnumber every later line.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


_BREAK = re.compile(r"\r\n|\r|\n")


def with_final_newline(body: str) -> str:
    """A block's text with its last line ended: app files are text files, and front-ends
    differ on the last newline (docutils lines vs. SuperFences' text)."""
    return body if not body or body.endswith("\n") else body + "\n"


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """``text`` split into lines the way documents and Python count them."""
    if keepends:
        return _LINE.findall(text)
    lines = _BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


_FILE_LINE = re.compile(r"^## file:(.*)$")


@dataclass
class Segment:
    """One file of the block: its path inside the app, its exact text, and the body line
    (1-based) of its first text line, so errors in it map back to the document."""

    path: str
    text: str
    first_line: int


@dataclass
class ParsedBody:
    options: dict[str, Any] = field(default_factory=dict)
    #: option name -> body line it was written on, to locate option errors
    option_lines: dict[str, int] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)
    #: the body without its option lines: what the reader sees as the app's source
    code: str = ""
    problems: list[Problem] = field(default_factory=list)


def parse_body(body: str) -> ParsedBody:
    """Split a block body into options and files. Never raises for bad input."""
    lines = split_lines(body, keepends=True)
    result = ParsedBody()

    n_opt = 0
    while n_opt < len(lines) and _OPTION_LINE.match(lines[n_opt].rstrip("\r\n")):
        n_opt += 1
    if n_opt:
        _parse_option_lines(lines[:n_opt], result)
    start = n_opt
    if n_opt and start < len(lines) and not lines[start].strip():
        start += 1  # the one blank line that separates options from code
    result.code = "".join(lines[start:])
    if "## file:" in result.code:
        result.segments = _split_files(lines, start, result.problems)
    else:  # one file, the usual case: no need to look at each line
        result.segments = [Segment(DEFAULT_ENTRYPOINT, result.code, start + 1)]
    return result


#: PyYAML's C parser where it is built with libyaml (the usual wheels), else its own.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_option_lines(lines: list[str], result: ParsedBody) -> None:
    yaml_lines = [_OPTION_LINE.match(line.rstrip("\r\n")).group(1) for line in lines]
    try:
        data = yaml.load("\n".join(yaml_lines), Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line + 1) if mark is not None else 1
        reason = str(getattr(exc, "problem", None) or exc).strip()
        result.problems.append(Problem("yaml", f"invalid '#|' option lines: {reason}", min(line, len(lines))))
        return
    if data is None:
        return
    if not isinstance(data, dict):
        result.problems.append(Problem("yaml", "'#|' option lines must be 'key: value' pairs", 1))
        return
    # A top-level key sits at the smallest indentation; deeper lines belong to nested values
    # (a 'files' mapping may well hold an entry called 'name').
    indent = min((len(t) - len(t.lstrip()) for t in yaml_lines if t.strip()), default=0)
    for key in data:
        pattern = re.compile(rf"{re.escape(str(key))}\s*:")
        result.option_lines[str(key)] = next(
            (
                i + 1
                for i, text in enumerate(yaml_lines)
                if len(text) - len(text.lstrip()) == indent and pattern.match(text, indent)
            ),
            1,
        )
    result.options = {str(k): v for k, v in data.items()}


def _split_files(lines: list[str], start: int, problems: list[Problem]) -> list[Segment]:
    # (path, header line or None, first text line, text lines)
    pending: list[tuple[str, int | None, int, list[str]]] = [(DEFAULT_ENTRYPOINT, None, start + 1, [])]
    for index in range(start, len(lines)):
        match = _FILE_LINE.match(lines[index].rstrip("\r\n"))
        if not match:
            pending[-1][3].append(lines[index])
            continue
        raw = match.group(1).strip()
        try:
            path = check_app_path(raw)
        except BlockError as exc:
            problems.append(Problem(exc.problem.kind, f"'## file:' {exc.problem.message}", index + 1))
            path = raw
        pending.append((path, index + 1, index + 2, []))

    # Text before the first header that is only blank lines is not a file.
    if len(pending) > 1 and not "".join(pending[0][3]).strip():
        pending.pop(0)

    segments: list[Segment] = []
    header_of: dict[str, int | None] = {}
    for path, header, first, chunk in pending:
        if path in header_of:
            where = f"line {header_of[path]}" if header_of[path] else "the entry file"
            problems.append(Problem("file-path", f"'## file: {path}' repeats the file of {where}", header))
            continue
        header_of[path] = header
        segments.append(Segment(path, "".join(chunk), first))
    return segments
