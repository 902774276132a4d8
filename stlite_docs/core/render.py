"""HTML for a mount point, and for a block that could not be built.

The spec is written as a one-element JSON array, ``[{...}]``: JSON that is also a harmless
JavaScript expression. Material's instant navigation re-creates the inline scripts of a new
page without their ``type`` and runs them; a bare JSON object would be a SyntaxError there.

Every author-controlled value is escaped (``markupsafe.escape``) in attributes and text. The
spec's JSON writes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c``... (``script_json``) so no app
code can close the ``<script type="application/json">`` element or start markup, and no HTML
entity reaches script text (where the browser would not decode it).

Plain Python, not templates: the markup is small and fixed, and a template engine costs each
build (and each ``sphinx-build -j`` process) its compile, and each block its render machinery.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..highlight_ahead import AHEAD
from .previews import alt_text, images_for, schemes
from ..runtime import site_url
from .spec import App

#: JSON in HTML script text: these characters as JSON escapes (what Jinja's ``tojson`` does).
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


#: The opening tag of a mount point's spec. Its JSON escapes "<", so the first "</script>"
#: after it ends it (the MkDocs adapter relies on this to hide specs from search indexers).
SPEC_OPEN = '<script type="application/json" class="stlite-docs-spec">'
#: A whole spec element.
SPEC_ELEMENT = re.compile(re.escape(SPEC_OPEN) + r"[^<]*</script>")


#: The opening tag of the notice of a block that could not be built.
NOTICE_OPEN = '<div class="stlite-docs stlite-docs-invalid">'


class StandIns:
    """Numbered HTML comments that hold the place of pieces of HTML, put back later: a block
    rendered at the end of its page (``markdown``), a spec hidden from search indexers
    (``mkdocs``). A random word per set makes them unlike anything an author writes, or
    another set's."""

    def __init__(self, kind: str) -> None:
        self._word = secrets.token_hex(8)
        self.start = f"<!--{kind} {self._word} "
        # Made once per kind, not per set: a page gets a new set, and compiling a pattern
        # costs more than the page's substitutions.
        self._pattern = _stand_in_pattern(kind)

    def mark(self, index: int) -> str:
        return f"{self.start}{index}-->"

    def fill(self, html: str, pieces: list[str], on_missing: Callable[[int], None] | None = None) -> str:
        """``html`` with each of this set's comments replaced by its piece; ``on_missing`` is
        called with the index of each piece whose comment is not in ``html`` (something
        between ``mark`` and now removed it: the piece would be lost without a word)."""
        placed: set[int] = set()

        def put(match: re.Match) -> str:
            if match.group(1) != self._word:  # another set's (another page, another build)
                return match.group(0)
            index = int(match.group(2))
            placed.add(index)
            return pieces[index]

        html = self._pattern.sub(put, html)
        if on_missing is not None:
            for index in range(len(pieces)):
                if index not in placed:
                    on_missing(index)
        return html


@lru_cache(maxsize=None)
def _stand_in_pattern(kind: str) -> re.Pattern:
    """Any set's stand-in of ``kind``: the set's word, then the piece's index."""
    return re.compile("<!--" + re.escape(kind) + r" ([0-9a-f]{16}) (\d+)-->")


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element; sorted keys, so the same
    block always gives the same bytes."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False).translate(_SCRIPT_SAFE)


@lru_cache(maxsize=1)
def _highlighter() -> tuple[PythonLexer, HtmlFormatter]:
    # One of each for every block: a new HtmlFormatter computes its whole style table, a tenth
    # of the cost of highlighting a block. Both are reusable; the formatter only memoizes the
    # opening tag of each token type.
    return PythonLexer(), HtmlFormatter(nowrap=False)


def highlight_code(code: str) -> Markup:
    """The no-JavaScript view of the code: a Pygments ``div.highlight``, which both Sphinx
    themes and Material style. Pygments escapes the text. A listing made ahead by the build's
    helper process (``highlight_ahead``) is that same HTML, made by this same function."""
    ready = AHEAD.get(code)
    return Markup(ready if ready is not None else highlight(code, *_highlighter()))


def warm_up() -> None:
    """Make the highlighter now. ``sphinx-build -j`` writes pages in processes forked from
    the main one: made once here, before the fork, every process has it, instead of each one
    processing Pygments' lexer rules again."""
    highlight_code("import streamlit as st\n")


def render_mount(app: App, page_url: str) -> str:
    """The mount point of ``app`` on the page at ``page_url`` (relative to the site root)."""
    spec = app.to_spec(page_url)
    figure = '<figure class="stlite-docs"'
    if app.name:
        figure += f' id="{escape(app.name)}"'
    figure += f' data-stlite-docs="{escape(spec["version"])}" data-load="{escape(spec["load"])}" data-height="{escape(spec["height"])}"'
    if app.preview_key:
        figure += f' data-preview-key="{escape(app.preview_key)}" data-preview-schemes="{escape(" ".join(schemes(app)))}"'
    parts = [figure + ">\n", f"{SPEC_OPEN}[{script_json(spec)}]</script>"]
    images = images_for(app)
    if images:
        alt = escape(alt_text(app))
        fixed = " stlite-docs-preview-fixed" if spec["height"] != "auto" else ""
        parts.append(f'\n<div class="stlite-docs-preview{fixed}">')
        for image in images:
            src = escape(site_url(quote(image.site_path), page_url))
            parts.append(
                f'<img class="stlite-docs-preview-image" src="{src}" width="{escape(image.width)}" height="{escape(image.height)}"'
                f' alt="{alt}" data-scheme="{escape(image.scheme)}" loading="lazy" decoding="async">'
            )
        parts.append("</div>")
    parts.append(f'\n<div class="stlite-docs-source">{highlight_code(app.code)}</div>')
    if app.caption:
        parts.append(f'\n<figcaption class="stlite-docs-caption">{escape(app.caption)}</figcaption>')
    parts.append("\n</figure>")
    return "".join(parts)


def render_invalid(messages: Iterable[str], code: str) -> str:
    """The in-page notice for a block that failed validation: the messages, then the code."""
    items = "".join(f"\n<li>{escape(message)}</li>" for message in messages)
    return (
        f"{NOTICE_OPEN}\n"
        '<div class="stlite-docs-error" role="note">\n'
        '<p class="stlite-docs-error-title">This live app could not be built. The documentation build reported:</p>\n'
        f"<ul>{items}\n</ul>\n"
        "</div>\n"
        f'<div class="stlite-docs-source">{highlight_code(code)}</div>\n'
        "</div>"
    )
