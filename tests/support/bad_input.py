"""What the bad-input projects must produce, in every front-end and in ``stlite-docs check``."""

# mkdocs-bad's docs/index.md: (page line, or None for the app file's own line 3, fragment, kind)
EXPECTED_BAD = [
    (3, "unknown option 'heigth' (did you mean 'height'?)", "option"),
    (7, "invalid requirement 'numpy>>2'", "requirement"),
    (11, "app file 'missing.py' not found", "file"),
    (18, "Python syntax error in streamlit_app.py, line 3", "syntax"),
    (None, "Python syntax error in broken.py, line 3", "syntax"),
    (26, "option 'load' must be one of lazy, eager, click; got 'later'", "option"),
    (35, "option 'max-height' must be 'none' or a positive CSS length", "option"),
]


# The Sphinx "bad" project: (file, line, message fragment, subtype) for each bad block.
EXPECTED_SPHINX = [
    ("index.rst", 8, "unknown option 'heigth' (did you mean 'height'?)", "option"),
    ("index.rst", 13, "option 'height' must be 'auto' or a positive CSS length", "option"),
    ("index.rst", 18, "invalid requirement 'numpy>>2'", "requirement"),
    ("index.rst", 23, "attached file 'missing.csv' not found", "file"),
    ("index.rst", 28, "app file '../outside.py' is outside the source directory", "file"),
    ("index.rst", 33, "'## file:' app file path '../escape.py' must not contain '..'", "file-path"),
    ("index.rst", 38, "invalid '#|' option lines", "yaml"),
    ("index.rst", 45, "Python syntax error in streamlit_app.py, line 3", "syntax"),
    ("apps/broken.py", 3, "Python syntax error in broken.py, line 3", "syntax"),
    ("index.rst", 55, "option 'max-height' must be 'none' or a positive CSS length", "option"),
    ("md.md", 4, "option 'load' must be one of lazy, eager, click; got 'later'", "option"),
    ("md.md", 10, "Python syntax error in streamlit_app.py, line 2: '(' was never closed", "syntax"),
]
