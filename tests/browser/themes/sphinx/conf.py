# The theme comes from the command line (-D html_theme=...): one source, every Sphinx theme.
project = "stlite-docs"
html_title = "stlite-docs example"
extensions = ["stlite_docs"]
exclude_patterns = ["_build"]
html_theme = "alabaster"
