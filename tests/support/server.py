"""Serve built sites in tests, with the same server as ``scripts/serve.py`` (``stlite_docs.serve``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from stlite_docs.serve import serving  # noqa: F401 - the tests' way to serve a folder

_SPEC = importlib.util.spec_from_file_location(
    "stlite_docs_serve", Path(__file__).resolve().parents[2] / "scripts" / "serve.py"
)
serve = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(serve)
