"""The Sphinx front-end: ``extensions = ["stlite_docs"]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from ..._version import __version__
from ...core.assets import assets_root
from ...core.checks import includes
from ...check.syntax import CHECKER, document_files, prefetch_document
from ...highlight_ahead import AHEAD, highlight_documents
from ...core.render import warm_up
from .config import add_config_values, site_settings, validate_config
from .directive import StliteDirective, _AnyOption
from .nodes import APP_BUILDERS, add_nodes, add_page_assets
from .rst_options import install as install_fast_options
from .previews import setup_previews
from .selfhost import setup_selfhost


def _add_static_path(app: Sphinx) -> None:
    """On ``builder-inited``, for app-capable HTML builders only: latex, text, epub and the
    rest never get our files (the sphinx-design#200 pitfall)."""
    if app.builder.format == "html" and app.builder.name in APP_BUILDERS:
        root = str(assets_root())
        if root not in app.config.html_static_path:
            app.config.html_static_path.append(root)
        if app.parallel > 1:
            warm_up()
        if includes(site_settings(app).check, "syntax"):
            CHECKER.start_early()  # only with an empty cache: see SyntaxChecker.start_early


def _prefetch_syntax(app: Sphinx, docname: str, source: list[str]) -> None:
    """On ``source-read``: hand the compile server the document's app files before its
    directives ask for them, so it compiles them while docutils parses."""
    if includes(site_settings(app).check, "syntax"):
        suffix = Path(app.env.doc2path(docname)).suffix
        prefetch_document(source[0], suffix, myst="myst_parser" in app.config.extensions)


def _before_reading(app: Sphinx, env, docnames: list[str]) -> None:
    """On ``env-before-read-docs``: the documents about to be read are read here at most
    once, for both uses of them."""
    documents = _Documents(env, docnames)
    myst = "myst_parser" in app.config.extensions
    _compile_before_fork(app, documents, myst)
    _highlight_ahead(app, documents, myst)


class _Documents:
    """(text, suffix) of each document about to be read that can be (Sphinx reports the
    others when it reads them): read as first iterated, kept for the next iteration."""

    def __init__(self, env, docnames: list[str]) -> None:
        self._paths = [Path(env.doc2path(docname)) for docname in docnames]
        self._read: list[tuple[str, str]] | None = None

    def __len__(self) -> int:
        return len(self._paths)

    def __iter__(self):
        if self._read is not None:
            yield from self._read
            return
        read = []
        for path in self._paths:
            try:
                document = path.read_text(encoding="utf-8"), path.suffix
            except (OSError, UnicodeDecodeError):
                continue
            read.append(document)
            yield document
        self._read = read


def _compile_before_fork(app: Sphinx, documents: _Documents, myst: bool) -> None:
    """When ``sphinx-build -j`` will read in parallel: compile the app files of every
    document to be read now, in this process. The reading processes it forks inherit the
    answers, instead of each starting a compile server and waiting for it on its first
    document."""
    if app.parallel <= 1 or len(documents) <= 1 or not includes(site_settings(app).check, "syntax"):
        return

    def files():  # read as compile_all asks: the server compiles while the next is read
        for text, suffix in documents:
            yield from document_files(text, suffix, myst)

    CHECKER.compile_all(files())


def _highlight_ahead(app: Sphinx, documents: _Documents, myst: bool) -> None:
    """For an app-capable HTML builder: a helper process highlights the app listings of the
    documents about to be read, on another core, while Sphinx reads them (see
    ``highlight_ahead``). With ``-j N`` too: Sphinx's writing processes are forks of this one
    and take the helper's listings from the same file (on two cores, ``-j 2`` took 6% less
    time with it than without, in the benchmark)."""
    if app.builder.name in APP_BUILDERS and app.builder.format == "html":
        highlight_documents(documents, len(documents), myst)


def _end_syntax_check(app: Sphinx, env) -> None:
    """On ``env-updated``: every document is read, so the syntax check is done; its compile
    server writes its results to the cache while the pages are written."""
    CHECKER.stop_sending()


def _close_syntax_check(app: Sphinx, exception) -> None:
    """On ``build-finished``: the compile server has written its results (now, not at exit:
    a process that builds again, as sphinx-autobuild does, would otherwise keep it). The
    listings helper ends too, if no page took its work."""
    AHEAD.close()
    CHECKER.close()


def setup(app: Sphinx) -> dict[str, Any]:
    add_config_values(app)
    add_nodes(app)
    app.add_directive("stlite", StliteDirective)
    install_fast_options(_AnyOption)
    app.connect("config-inited", validate_config)
    app.connect("builder-inited", _add_static_path)
    app.connect("html-page-context", add_page_assets)
    app.connect("source-read", _prefetch_syntax)
    app.connect("env-before-read-docs", _before_reading)
    app.connect("env-updated", _end_syntax_check)
    app.connect("build-finished", _close_syntax_check)
    setup_selfhost(app)
    setup_previews(app)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
