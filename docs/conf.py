"""The stlite-docs user guide and demo site (Sphinx)."""

project = "stlite-docs"
author = "stlite-docs developers"
copyright = "2026, stlite-docs developers"
extensions = ["myst_parser", "stlite_docs"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = "stlite-docs"

# Site-wide defaults for every app (each block can override them):
# stlite_docs_requirements = []
# stlite_docs_height = "auto"
# stlite_docs_load = "lazy"
# Where stlite and Pyodide come from. Default: the pinned @stlite/browser 1.9.2 on jsDelivr.
# A self-hosted copy works too, e.g. "_static/stlite/" (a path from the site root).
# stlite_docs_stlite_url = "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/"
# stlite_docs_pyodide_url = None
# Code views and sharing (see codeviews.rst): where every app shows its code once it runs, and
# an "Open in stlite sharing" link under every app (off by default: it sends the code off-site).
# stlite_docs_show_code = "none"
# stlite_docs_share = False
# stlite_docs_share_url = "https://share.stlite.net/"
