project = "Browser tests"
extensions = ["stlite_docs"]
exclude_patterns = ["_build"]
# Test hooks (remove browser features, shorten time limits) from the page's query string.
html_static_path = ["_static"]
html_js_files = ["testhooks.js"]
