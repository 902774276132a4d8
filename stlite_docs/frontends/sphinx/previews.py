"""Sphinx side of build-time previews: re-read a document when one of its apps' previews
appears or goes away (``stlite-docs previews`` ran, or the folder was cleaned), although no
source file changed. A missing file cannot be a Sphinx dependency: Sphinx would re-read the
document on every build."""

from __future__ import annotations

import os

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ...core.previews import CACHE_SUFFIXES, preview_name
from .config import site_settings
from .docstore import DocStore

#: env attribute: docname -> {preview key: the cache files found for it when it was read}
ATTRIBUTE = "stlite_docs_previews"
_store = DocStore(ATTRIBUTE)


def _found(folder: str, key: str) -> tuple[str, ...]:
    names = (preview_name(key, scheme) + suffix for scheme in ("light", "dark") for suffix in CACHE_SUFFIXES)
    return tuple(name for name in names if os.path.isfile(os.path.join(folder, name)))


def note_preview(env: BuildEnvironment, key: str | None) -> None:
    """Called by the directive for each app built with a cache key."""
    if key:
        folder = site_settings(env.app).previews_dir
        _store(env).setdefault(env.docname, {})[key] = _found(folder, key)


def outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    folder = site_settings(app).previews_dir
    return sorted(
        docname
        for docname, keys in _store(env).items()
        if docname not in changed and docname not in removed and any(_found(folder, key) != seen for key, seen in keys.items())
    )


def setup_previews(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated)
    _store.connect(app)
