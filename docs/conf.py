"""The stlite-docs manual: built with stlite-docs itself (Sphinx, Furo), its apps live.

Build: ``sphinx-build -W -b html docs docs/_build/html`` (``scripts/demo`` builds and serves it;
``tests/builds/test_manual.py`` builds it with ``-W`` and checks its links).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_ext"))

project = "stlite-docs"
author = "stlite-docs developers"
copyright = "2026, stlite-docs developers"
extensions = ["myst_parser", "stlite_docs", "cli_reference"]
exclude_patterns = ["_build", "_stlite_previews", "_ext"]
# A bad reference is a warning, and -W (the tests', the CI's) fails on it.
nitpicky = True

html_theme = "furo"
html_title = "stlite-docs"
html_static_path = ["_static"]
html_css_files = ["manual.css"]
html_theme_options = {
    "source_repository": "https://github.com/stlite-docs/stlite-docs/",
    "source_branch": "main",
    "source_directory": "docs/",
}
# Deterministic pages: no build date in the footer.
html_last_updated_fmt = None

myst_heading_anchors = 3

# The manual's own apps: the stlite-docs defaults, written out where a reader of this file
# learns from them. The demo and the real-boot tests point stlite and Pyodide at a local copy
# with -D stlite_docs_stlite_url=... -D stlite_docs_pyodide_url=...; the published manual is
# built with -D stlite_docs_assets=self-host (see .github/workflows/docs.yml).
stlite_docs_load = "lazy"
stlite_docs_check = "syntax"
