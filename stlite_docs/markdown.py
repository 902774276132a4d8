"""``markdown_extensions: [stlite_docs.markdown]``: the module path users write for the
Python-Markdown extension (and ``!!python/name:stlite_docs.markdown.format_fence``); the
extension itself is ``stlite_docs.frontends.markdown``."""

from .frontends.markdown import StliteExtension, format_fence, makeExtension, validate_fence

__all__ = ["StliteExtension", "format_fence", "makeExtension", "validate_fence"]
