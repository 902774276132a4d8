"""Sphinx side of ``assets: self-host``: collect every app's requirements while reading (per
document, in the environment, so parallel reads merge and unchanged documents still count),
and write the runtime into the site once, when an HTML build finishes."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import ExtensionError
from sphinx.util import logging

from ...runtime.selfhost import Need, SelfHostError, describe, materialize
from .config import site_settings
from .docstore import DocStore
from .nodes import APP_BUILDERS

logger = logging.getLogger(__name__)

#: env attribute: docname -> [(requirement, line of the block)]
ATTRIBUTE = "stlite_docs_requirements"
_store = DocStore(ATTRIBUTE)


def note_app(env: BuildEnvironment, requirements, line: int | None) -> None:
    """Called by the directive for each app it builds."""
    entries = _store(env).setdefault(env.docname, [])
    entries.extend((req, line) for req in requirements)


def build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html" or app.builder.name not in APP_BUILDERS:
        return
    settings = site_settings(app)
    if settings.assets != "self-host":
        return
    store = _store(app.env)
    needs = [Need(req, (docname, line)) for docname in sorted(store) for req, line in store[docname]]
    try:
        result = materialize(Path(app.outdir), needs, settings, base_dir=Path(app.confdir))
    except SelfHostError as exc:
        raise ExtensionError(f"stlite-docs: {exc}") from None
    for where, message in result.problems:
        logger.warning(message, location=where, type="stlite", subtype="requirement")
    logger.info(f"stlite-docs: {describe(result)}")


def setup_selfhost(app: Sphinx) -> None:
    _store.connect(app)
    app.connect("build-finished", build_finished)
