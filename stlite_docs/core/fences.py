"""The one grammar of stlite blocks in source documents: Markdown fences and reST directives.

Every reader of sources uses it: ``stlite-docs check`` and ``previews`` (through
``core.document``), the Markdown extension (to find each fence's line, and to make hyphenated
attribute names readable by SuperFences). Each block comes back with its body, its options and
the document line of its first body line. Recognised:

- Markdown (MkDocs, Zensical, MyST): ```` ```stlite key="value" ```` fences at any indentation
  (inside admonitions, tabs, details, lists: the indentation is removed, as SuperFences does),
  also ```` ``` {.stlite key="value"} ````, and MyST's ```` ```{stlite} path/to/app.py ```` with
  leading ``:key: value`` option lines.
- reStructuredText: ``.. stlite:: [path/to/app.py]`` with ``:key: value`` options and an
  indented body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .block import split_lines

#: ``key="value"``, ``key='value'`` or ``key=value``, as SuperFences reads fence headers.
ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s}]+))""")
#: The opening line of a stlite fence; ``rest`` holds its attributes (or MyST's argument).
FENCE = re.compile(
    r"^(?P<indent>[ \t>]*?)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>\{stlite\}|\{?\.?stlite\b)(?P<rest>[^\n`]*?)\}?[ \t]*$"
)
_ANY_FENCE = re.compile(r"^(?P<indent>[ \t>]*?)(?P<fence>`{3,}|~{3,})")
_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+stlite::(?P<arg>.*)$")
_FIELD = re.compile(r"^:(?P<key>[\w-]+):(?:[ \t]+(?P<value>.*))?$")
#: The fence attribute that names the entry file (the reST directive's argument).
FILE_ATTRIBUTE = "file"


@dataclass
class SourceBlock:
    #: document line (1-based) of the directive or fence line
    line: int
    #: document line of the body's first line
    body_line: int
    body: str
    options: dict[str, str] = field(default_factory=dict)
    entry_file: str | None = None
    #: the indentation of a fence's opening line (nested in a list, admonition, quote...)
    indent: str = ""
    #: document line of the closing fence (or the last line of an unclosed one)
    end_line: int = 0


def find_blocks(text: str, suffix: str, myst: bool = False) -> list[SourceBlock]:
    """The blocks of a document; ``suffix`` (".md", ".rst", ...) says which syntax it is in.
    ``myst``: Markdown read by MyST (Sphinx), where every stlite fence is the directive, so
    what follows the language is its argument, not attributes."""
    lines = split_lines(text)
    return _rst_blocks(lines) if suffix == ".rst" else _markdown_blocks(lines, myst)


def attributes(text: str) -> dict[str, str]:
    """A fence header's attributes, by name as written."""
    return {
        m.group("key"): next(m.group(g) for g in ("dq", "sq", "bare") if m.group(g) is not None) for m in ATTRIBUTE.finditer(text)
    }


def superfences_header(line: str) -> str:
    """A fence's opening line as SuperFences reads it: attribute names with ``_`` for ``-`` and
    every value quoted. SuperFences takes ``show-code="tabs"`` or ``height=400px`` for no fence
    at all (the block would become text); the options accept both spellings."""
    match = FENCE.match(line)
    if match is None or match.group("lang").startswith("{"):  # {.stlite show-code=...}: read as written
        return line

    def written(m: re.Match) -> str:
        key = m.group("key").replace("-", "_")
        return (
            f'{key}="{m.group("bare")}"'
            if m.group("bare") is not None and '"' not in m.group("bare")
            else key + m.group(0)[len(key) :]
        )

    rest = ATTRIBUTE.sub(written, match.group("rest"))
    return line[: match.start("rest")] + rest + line[match.end("rest") :]


# ------------------------------------------------------------------ Markdown
def _markdown_blocks(lines: list[str], myst: bool) -> list[SourceBlock]:
    blocks, index = [], 0
    while index < len(lines):
        if "`" not in lines[index] and "~" not in lines[index]:
            index += 1
            continue
        match = FENCE.match(lines[index])
        opened = match or _ANY_FENCE.match(lines[index])
        if opened is None:
            index += 1
            continue
        body, end = fence_body(lines, index, opened)
        if match is not None:
            blocks.append(_markdown_block(index, end, body, match, myst))
        index = end + 1  # a fence inside another fence is code, not a block
    return blocks


def fence_body(lines: list[str], start: int, match: re.Match) -> tuple[list[str], int]:
    """The body lines of the fence opened at ``lines[start]`` (``match`` has its ``indent``
    and ``fence`` groups), without the indentation of a fence nested in an admonition, tab,
    list or block quote; and the index of the closing line (``len(lines)`` if unclosed)."""
    indent, fence = len(match.group("indent")), match.group("fence")
    body = []
    for index in range(start + 1, len(lines)):
        line = lines[index]
        if line[indent:].startswith(fence) and not line[indent:].strip(fence[0]).strip():
            return body, index
        body.append(line[indent:] if line[:indent].strip() in ("", ">") else line.lstrip())
    return body, len(lines)


def _markdown_block(index: int, end: int, body: list[str], match: re.Match, myst: bool) -> SourceBlock:
    rest, indent = match.group("rest").strip(), match.group("indent")
    if myst or match.group("lang") == "{stlite}":  # MyST directive: an argument, then :key: lines
        options, skipped = _field_options(body)
        if options and skipped < len(body) and not body[skipped].strip():
            skipped += 1  # MyST drops the blank line after the options
        return SourceBlock(index + 1, index + 2 + skipped, _joined(body[skipped:]), options, rest or None, indent, end + 1)
    options = attributes(rest)
    entry = options.pop(FILE_ATTRIBUTE, None)
    return SourceBlock(index + 1, index + 2, _joined(body), options, entry, indent, end + 1)


def _field_options(body: list[str]) -> tuple[dict[str, str], int]:
    options, count = {}, 0
    for line in body:
        field_match = _FIELD.match(line.strip()) if line.strip() else None
        if field_match is None:
            break
        options[field_match.group("key")] = (field_match.group("value") or "").strip()
        count += 1
    return options, count


def _joined(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


# ------------------------------------------------------------------ reStructuredText
_LITERAL_DIRECTIVE = re.compile(r"^[ \t]*\.\.[ \t]+(?:code-block|code|sourcecode|parsed-literal)::")


def _opens_literal(line: str) -> bool:
    """A line after which the more-indented lines are code, not markup: a code directive, or
    a paragraph ending in ``::``."""
    stripped = line.strip()
    return bool(_LITERAL_DIRECTIVE.match(line)) or (stripped.endswith("::") and not stripped.startswith(".."))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _rst_blocks(lines: list[str]) -> list[SourceBlock]:
    blocks, literal_indent = [], None
    at, count = 0, len(lines)
    while at < count:
        line = lines[at]
        at += 1
        if literal_indent is not None:
            if not line.strip() or _indent(line) > literal_indent:
                continue  # inside a code example: a `.. stlite::` there is text
            literal_indent = None
        match = _DIRECTIVE.match(line)
        if match is None:
            if _opens_literal(line):
                literal_indent = _indent(line)
            continue
        indent = len(match.group("indent"))
        end = at  # the body: up to the next line as little indented as the directive
        while end < count and not (lines[end].strip() and _indent(lines[end]) <= indent):
            end += 1
        content, first = lines[at:end], at
        while content and not content[-1].strip():
            content.pop()
        options, skipped = _field_options(content)
        rest = content[skipped:]
        first += skipped
        while rest and not rest[0].strip():  # the blank line between options and code
            rest.pop(0)
            first += 1
        margin = min((_indent(r) for r in rest if r.strip()), default=0)
        body = [r[margin:] for r in rest]
        blocks.append(
            SourceBlock(at, first + 1, _joined(body), options, match.group("arg").strip() or None, match.group("indent"), end)
        )
        at = end
    return blocks
