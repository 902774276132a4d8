"""The Sphinx front-end: ``extensions = ["stlite_docs"]``."""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..._version import __version__
from ...core.assets import assets_root
from ...core.session import BuildSession
from .config import SESSION, add_config_values, validate_config
from .directive import StliteDirective
from .nodes import APP_BUILDERS, add_nodes, add_page_assets
from .previews import setup_previews
from .selfhost import setup_selfhost


def _builder_inited(app: Sphinx) -> None:
    """The build's session starts (its processes start when a block needs them); for
    app-capable HTML builders only, our static files: latex, text, epub and the rest never get
    them (the sphinx-design#200 pitfall)."""
    setattr(app, SESSION, BuildSession())
    if app.builder.format == "html" and app.builder.name in APP_BUILDERS:
        root = str(assets_root())
        if root not in app.config.html_static_path:
            app.config.html_static_path.append(root)


def _build_finished(app: Sphinx, exception) -> None:
    session = getattr(app, SESSION, None)
    if session is not None:
        session.close()


def setup(app: Sphinx) -> dict[str, Any]:
    add_config_values(app)
    add_nodes(app)
    app.add_directive("stlite", StliteDirective)
    app.connect("config-inited", validate_config)
    app.connect("builder-inited", _builder_inited)
    app.connect("html-page-context", add_page_assets)
    app.connect("build-finished", _build_finished)
    setup_selfhost(app)
    setup_previews(app)
    return {
        "version": __version__,
        "env_version": 2,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
