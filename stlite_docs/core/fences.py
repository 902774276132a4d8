"""Find stlite blocks in Markdown and reStructuredText files, outside any docs build.

For ``stlite-docs check`` (and for the Markdown front-end, which locates fences by the
same rules): each block comes back with its body, its options and the document
line of its first body line, so the core's problems can be located as the front-ends locate
them. Recognised:

- Markdown (MkDocs, Zensical, MyST): ```` ```stlite key="value" ```` fences at any indentation
  (inside admonitions, tabs, details, lists: the indentation is removed, as SuperFences does),
  and MyST's ```` ```{stlite} path/to/app.py ```` with leading ``:key: value`` option lines.
- reStructuredText: ``.. stlite:: [path/to/app.py]`` with ``:key: value`` options and an
  indented body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .block import split_lines

_ATTRIBUTE = re.compile(r"""(?P<key>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")
_FENCE = re.compile(r"^(?P<indent>[ \t>]*?)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>\{stlite\}|\{?\.?stlite\b\}?)(?P<rest>[^\n`]*?)[ \t]*$")
_ANY_FENCE = re.compile(r"^(?P<indent>[ \t>]*?)(?P<fence>`{3,}|~{3,})")
_DIRECTIVE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+stlite::(?P<arg>.*)$")
_FIELD = re.compile(r"^:(?P<key>[\w-]+):(?:[ \t]+(?P<value>.*))?$")


@dataclass
class SourceBlock:
    #: document line (1-based) of the directive or fence line
    line: int
    #: document line of the body's first line
    body_line: int
    body: str
    options: dict[str, str] = field(default_factory=dict)
    entry_file: str | None = None


def find_blocks(text: str, suffix: str, myst: bool = False) -> list[SourceBlock]:
    """The blocks of a document; ``suffix`` (".md", ".rst", ...) says which syntax it is in.
    ``myst``: Markdown read by MyST (Sphinx), where every stlite fence is the directive, so
    what follows the language is its argument, not attributes."""
    lines = split_lines(text)
    return _rst_blocks(lines) if suffix == ".rst" else _markdown_blocks(lines, myst)


# ------------------------------------------------------------------ Markdown
def _markdown_blocks(lines: list[str], myst: bool) -> list[SourceBlock]:
    blocks, index = [], 0
    while index < len(lines):
        if "`" not in lines[index] and "~" not in lines[index]:
            index += 1  # (no fence: spares both patterns most of a page's lines)
            continue
        match = _FENCE.match(lines[index])
        other = _ANY_FENCE.match(lines[index])
        if match is None and other is None:
            index += 1
            continue
        opened = match or other
        body, end = fence_body(lines, index, opened)
        if match is not None:
            blocks.append(_markdown_block(index, body, match, myst))
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


def _markdown_block(index: int, body: list[str], match: re.Match, myst: bool) -> SourceBlock:
    rest = match.group("rest").strip()
    if myst or match.group("lang") == "{stlite}":  # MyST directive: an argument, then :key: lines
        options, skipped = _field_options(body)
        if options and skipped < len(body) and not body[skipped].strip():
            skipped += 1  # MyST drops the blank line after the options
        return SourceBlock(index + 1, index + 2 + skipped, _joined(body[skipped:]), options, rest or None)
    options = {m.group("key"): next(m.group(g) for g in ("dq", "sq", "bare") if m.group(g) is not None)
               for m in _ATTRIBUTE.finditer(rest)}
    entry = options.pop("file", None)
    return SourceBlock(index + 1, index + 2, _joined(body), options, entry)


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
    # One pass, and most lines cost a test or two: lines inside a literal block are skipped by
    # their indentation, a block's own body is jumped over (it is Python, not markup), and any
    # other line without "::" can neither be a directive nor open a literal block.
    blocks, literal_indent = [], None
    at, count = 0, len(lines)
    while at < count:
        line = lines[at]
        at += 1
        if literal_indent is not None:
            stripped = line.lstrip()
            if not stripped or len(line) - len(stripped) > literal_indent:
                continue  # inside a code example: a `.. stlite::` there is text
            literal_indent = None
        if "::" not in line:
            continue
        match = _DIRECTIVE.match(line)
        if match is None:
            if _opens_literal(line):
                literal_indent = _indent(line)
            continue
        indent = len(match.group("indent"))
        end = at  # the body: up to the next line as little indented as the directive
        while end < count:
            stripped = lines[end].lstrip()
            if stripped and len(lines[end]) - len(stripped) <= indent:
                break
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
        margin = min((_indent(r) for r in rest if r.strip()), default=0)  # (once per block: not a hot loop)
        body = [r[margin:] for r in rest]
        blocks.append(SourceBlock(at, first + 1, _joined(body), options, match.group("arg").strip() or None))
        at = end
    return blocks
