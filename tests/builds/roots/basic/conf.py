project = "Build test"
extensions = ["myst_parser", "stlite_docs"]
myst_fence_as_directive = ["note"]  # the user's own list must survive
exclude_patterns = ["_build"]
