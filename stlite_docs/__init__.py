"""stlite-docs: live Streamlit apps in Sphinx and MkDocs documentation, run by stlite.

Sphinx: ``extensions = ["stlite_docs"]`` in ``conf.py``.
"""

from ._version import __version__

__all__ = ["__version__", "setup"]


def setup(app):
    """Sphinx entry point; imported lazily so the core works without Sphinx installed."""
    from .frontends.sphinx import setup as sphinx_setup

    return sphinx_setup(app)
