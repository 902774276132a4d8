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
from collections.abc import Iterable
from functools import lru_cache
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from ..runtime import site_url
from .previews import alt_text, images_for, schemes
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
    themes and Material style. Pygments escapes the text."""
    return Markup(highlight(code, *_highlighter()))


def render_mount(app: App, page_url: str) -> str:
    """The mount point of ``app`` on the page at ``page_url`` (relative to the site root)."""
    spec = app.to_spec(page_url)
    figure = '<figure class="stlite-docs"'
    if app.name:
        figure += f' id="{escape(app.name)}"'
    figure += (
        f' data-stlite-docs="{escape(spec["version"])}" data-load="{escape(spec["load"])}" data-height="{escape(spec["height"])}"'
    )
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
