"""The MkDocs front-end: ``plugins: [stlite]`` in ``mkdocs.yml``."""

from .plugin import StlitePlugin

__all__ = ["StlitePlugin"]
