"""Where stlite and Pyodide come from, and how a configured location becomes a page URL."""

from __future__ import annotations

import posixpath
import re

#: The stlite release every default points at. Exact, never ``@latest``: a docs build must
#: not change behaviour because a CDN tag moved.
STLITE_VERSION = "1.9.2"
#: The Pyodide release that stlite ``STLITE_VERSION`` runs on.
PYODIDE_VERSION = "0.29.3"

#: Where downloads come from by default: jsDelivr, whose paths a mirror of it keeps.
DEFAULT_MIRROR_URL = "https://cdn.jsdelivr.net/"
#: Below a mirror: the stlite build/ folder and Pyodide's core files (both npm packages), and
#: the Pyodide distribution with its package wheels.
MIRROR_STLITE_PATH = f"npm/@stlite/browser@{STLITE_VERSION}/build/"
MIRROR_PYODIDE_CORE_PATH = f"npm/pyodide@{PYODIDE_VERSION}/"
MIRROR_PYODIDE_PATH = f"pyodide/v{PYODIDE_VERSION}/full/"

DEFAULT_STLITE_URL = DEFAULT_MIRROR_URL + MIRROR_STLITE_PATH

#: Self-hosted runtime, from the site root: versioned, so an upgrade never mixes files.
SELFHOST_DIR = "_stlite_docs/runtime"
SELFHOST_STLITE_URL = f"{SELFHOST_DIR}/stlite-{STLITE_VERSION}/"
SELFHOST_PYODIDE_DIR = f"{SELFHOST_DIR}/pyodide-{PYODIDE_VERSION}/"
SELFHOST_PYODIDE_URL = SELFHOST_PYODIDE_DIR + "pyodide.mjs"

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def is_absolute_url(value: str) -> bool:
    """True for ``https://...``, ``//host/...`` and ``/server/path``: used as written."""
    return bool(_SCHEME.match(value)) or value.startswith("/")


def page_root_prefix(page_url: str) -> str:
    """The relative prefix from a page to the site root.

    ``page_url`` is the page's URL relative to the site root as the front-end knows it:
    ``a/b.html`` (Sphinx html), ``a/b/`` (Sphinx dirhtml, MkDocs directory URLs), ``#doc``
    (Sphinx singlehtml, where every document is on the root page), ``""`` for the root.
    """
    path = page_url.split("#", 1)[0].split("?", 1)[0]
    return "../" * path.count("/")


def site_url(location: str, page_url: str) -> str:
    """Turn a configured location into the URL a page should use.

    Absolute URLs and ``/``-rooted server paths are kept; anything else is a path from the
    site root (``_static/stlite/``) and becomes relative to the page, so the same site works
    at any base URL and from any nesting depth.
    """
    if is_absolute_url(location):
        return location
    joined = page_root_prefix(page_url) + location
    # Keep a trailing slash: it matters for folders such as the stlite build/ folder.
    trailing = "/" if location.endswith("/") else ""
    normalized = posixpath.normpath(joined) if joined else ""
    return (normalized + trailing) if normalized not in ("", ".") else ("./" if trailing else ".")


def folder_url(location: str) -> str:
    """A folder URL always ends in ``/`` so ``new URL("stlite.js", folder)`` stays inside it."""
    return location if location.endswith("/") else location + "/"
