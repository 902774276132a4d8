project = "stlite-docs bad input"
extensions = ["myst_parser", "stlite_docs"]
exclude_patterns = ["_build"]
