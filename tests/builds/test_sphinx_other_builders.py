"""Builders that cannot run apps write the code as a listing, with caption and a note."""

from __future__ import annotations

import re

import pytest

from support.builds import copy_root, sphinx_build

OUTPUT = {
    "latex": "*.tex",
    "text": "guide/nested.txt",
    "man": "*.1",
    "texinfo": "*.texi",
}


@pytest.mark.parametrize("builder", ["latex", "text", "man", "texinfo", "epub"])
def test_listing_instead_of_app(builder, tmp_path):
    src = copy_root("basic", tmp_path)
    build = sphinx_build(src, tmp_path / "out", builder)
    assert build.returncode == 0, build.output
    ours = [line for line in build.output.splitlines() if "WARNING" in line and "stlite" in line.lower()]
    assert not ours, build.output
    if builder == "epub":
        # epub is HTML, but no reader runs the apps: listing, no loader, none of our assets.
        html = (build.outdir / "guide" / "nested.xhtml").read_text()
        assert "number_input" in html and "stlite-docs/loader.js" not in html
        assert "data-stlite-docs" not in html
        assert not (build.outdir / "_static" / "stlite-docs").exists()
        return
    text = _plain("".join(p.read_text(errors="replace") for p in build.outdir.glob(OUTPUT[builder])))
    assert "number_input" in text  # the code of guide/nested's file-based app
    assert "st.title" in text and "second page" in text  # a multi-file block, whole
    assert "live, runnable app" in text  # the note
    assert "A fenced app" in text or builder == "text"  # captions (text: checked below)
    if builder == "text":
        index = (build.outdir / "index.txt").read_text()
        assert 'Hello <app> & "friends"' in index and "not markup" in index
    assert not (build.outdir / "_static" / "stlite-docs").exists()


def _plain(text: str) -> str:
    """Undo LaTeX's Pygments markup and escapes, enough to search for code."""
    text = re.sub(r"\\PYG\{[^}]*\}\{", "", text)
    for escaped, char in (("\\PYGZus{}", "_"), ("\\PYGZdq{}", '"'), ("\\_", "_"), ("\\sphinxhyphen{}", "-")):
        text = text.replace(escaped, char)
    return text.replace("}", "")
