"""Sphinx side of build-time previews: re-read a document when one of its apps' previews
appears or goes away (``stlite-docs previews`` ran, or the folder was cleaned), although no
source file changed. A missing file cannot be a Sphinx dependency: Sphinx would re-read the
document on every build."""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from ..previews import CACHE_SUFFIXES, preview_name
from .config import site_settings

#: env attribute: docname -> {preview key: the cache files found for it when it was read}
ATTRIBUTE = "stlite_docs_previews"


def _store(env: BuildEnvironment) -> dict[str, dict[str, tuple[str, ...]]]:
    if not hasattr(env, ATTRIBUTE):
        setattr(env, ATTRIBUTE, {})
    return getattr(env, ATTRIBUTE)


def _found(folder: Path, key: str) -> tuple[str, ...]:
    names = (preview_name(key, scheme) + suffix for scheme in ("light", "dark") for suffix in CACHE_SUFFIXES)
    return tuple(name for name in names if (folder / name).is_file())


def note_preview(env: BuildEnvironment, key: str | None) -> None:
    """Called by the directive for each app built with a cache key."""
    if key:
        folder = Path(site_settings(env.app).previews_dir)
        _store(env).setdefault(env.docname, {})[key] = _found(folder, key)


def outdated(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    folder = Path(site_settings(app).previews_dir)
    return sorted(
        docname for docname, keys in _store(env).items()
        if docname not in changed and docname not in removed
        and any(_found(folder, key) != seen for key, seen in keys.items())
    )


def purge_doc(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    _store(env).pop(docname, None)


def merge_info(app: Sphinx, env: BuildEnvironment, docnames, other: BuildEnvironment) -> None:
    mine, theirs = _store(env), _store(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def setup_previews(app: Sphinx) -> None:
    app.connect("env-get-outdated", outdated)
    app.connect("env-purge-doc", purge_doc)
    app.connect("env-merge-info", merge_info)
