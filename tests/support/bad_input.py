"""What the ``mkdocs-bad`` project's docs/index.md must produce, in every Markdown tool:
(page line or None for the app file's own line, message fragment, problem kind)."""

EXPECTED_BAD = [
    (3, "unknown option 'heigth' (did you mean 'height'?)", "option"),
    (7, "invalid requirement 'numpy>>2'", "requirement"),
    (11, "app file 'missing.py' not found", "file"),
    (18, "Python syntax error in streamlit_app.py, line 3", "syntax"),
    (None, "Python syntax error in broken.py, line 3", "syntax"),
    (26, "option 'load' must be one of lazy, eager, click; got 'later'", "option"),
]
