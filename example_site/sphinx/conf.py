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
