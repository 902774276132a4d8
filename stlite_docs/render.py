"""HTML for a mount point, and for a block that could not be built.

The spec is written as a one-element JSON array, ``[{...}]``: JSON that is also a harmless
JavaScript expression. Material's instant navigation re-creates the inline scripts of a new
page without their ``type`` and runs them; a bare JSON object would be a SyntaxError there.

Jinja2 with autoescape: every author-controlled value is escaped in attributes and text. The
spec goes through ``|tojson``, which writes ``<``, ``>``, ``&`` and ``'`` as ``\\u003c``... so
no app code can close the ``<script type="application/json">`` element or start markup, and no
HTML entity reaches script text (where the browser would not decode it).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import quote

import jinja2
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from .previews import alt_text, images_for, schemes
from .runtime import site_url
from .spec import App


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("stlite_docs", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )
    # Sorted keys: the same block always gives the same bytes.
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    return env


@lru_cache(maxsize=None)
def _template(name: str) -> jinja2.Template:
    # Kept: get_template would check the file's mtime again for every block.
    return _environment().get_template(name)


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


def warm_up() -> None:
    """Build the templates and the highlighter now. ``sphinx-build -j`` writes pages in
    processes forked from the main one: made once here, before the fork, every process has
    them, instead of each one compiling the templates and Pygments' lexer again."""
    _template("mount.html.jinja")
    _template("invalid.html.jinja")
    highlight_code("import streamlit as st\n")


def render_mount(app: App, page_url: str) -> str:
    """The mount point of ``app`` on the page at ``page_url`` (relative to the site root)."""
    spec = app.to_spec(page_url)
    previews = [
        {"src": site_url(quote(image.site_path), page_url), "width": image.width, "height": image.height, "scheme": image.scheme}
        for image in images_for(app)
    ]
    return _template("mount.html.jinja").render(
        app=app, spec=spec, code_html=highlight_code(app.code),
        previews=previews, alt=alt_text(app), schemes=schemes(app),
    )


def render_invalid(messages: Iterable[str], code: str) -> str:
    """The in-page notice for a block that failed validation: the messages, then the code."""
    return _template("invalid.html.jinja").render(
        messages=list(messages), code_html=highlight_code(code)
    )
