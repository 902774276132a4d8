project = "Preview tests"
extensions = ["stlite_docs"]
exclude_patterns = ["_build"]
