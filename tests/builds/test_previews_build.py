"""Build-time previews through the real ``sphinx-build`` and ``mkdocs build``: a preview in the
previews folder becomes an ``<img>`` with its size and alt text inside the mount point, and the
file is in the site (only the ones a page uses); a missing one is an info message that
``-W`` / ``--strict`` do not fail on; the same block gives the same mount point in both."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image

from support.builds import mkdocs_build, sphinx_build

BODY = "#| caption: Cached\n#| height: 300px\n\nimport streamlit as st\nst.write('cached')\n"
OTHER = "#| name: other\n\nimport streamlit as st\nst.write('other')\n"
AUTHORED = "#| preview: shots/own.png\n\nimport streamlit as st\nst.write('own')\n"
FIGURE = re.compile(r'<figure class="stlite-docs".*?</figure>', re.S)
IMG = re.compile(r"<img [^>]*>")


def _project(tmp_path: Path, tool: str, blocks: list[str]) -> tuple[Path, Path]:
    """(project folder, the folder app paths start from)"""
    page = "# Page\n\n" + "".join(f"```stlite\n{body}```\n\n" for body in blocks)
    if tool == "sphinx":
        src = tmp_path / "sphinx"
        src.mkdir()
        (src / "conf.py").write_text('extensions = ["myst_parser", "stlite_docs"]\n')
        (src / "index.md").write_text(page)
        return src, src
    project = tmp_path / "mk"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text("site_name: x\nplugins: [stlite]\nmarkdown_extensions: [pymdownx.superfences]\n")
    (project / "docs" / "index.md").write_text(page)
    return project, project / "docs"


def _build(tool: str, project: Path, out: Path):
    return sphinx_build(project, out, "html", "-W") if tool == "sphinx" else mkdocs_build(project, out, "--strict")


def _keys(html: str) -> list[str]:
    return re.findall(r'data-preview-key="([0-9a-f]{20})"', html)


def _image(path: Path, size=(704, 300), colour="white") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = "WEBP" if path.suffix == ".webp" else "PNG"
    Image.new("RGB", size, colour).save(path, fmt)


@pytest.mark.parametrize("tool", ["sphinx", "mkdocs"])
def test_cached_and_authored_previews_reach_the_page_and_the_site(tmp_path, tool):
    project, docs = _project(tmp_path, tool, [BODY, OTHER, AUTHORED])
    _image(docs / "shots" / "own.png", (640, 200))
    first = _build(tool, project, tmp_path / "first")
    assert first.returncode == 0, first.output
    key, other = _keys(first.page("index.html"))  # the authored image's app has no key
    # The folder lies beside conf.py / mkdocs.yml (not in docs_dir, which MkDocs copies whole).
    folder = project / "_stlite_previews"
    _image(folder / f"{key}-light.webp")
    _image(folder / f"{key}-dark.webp", colour="black")
    _image(folder / "0123456789abcdef0123-light.webp")  # an image no app uses
    second = _build(tool, project, tmp_path / "second")
    assert second.returncode == 0, second.output  # -W / --strict: the note about 'other' is info
    html = second.page("index.html")
    cached, plain, authored = FIGURE.findall(html)
    assert IMG.findall(cached) == [
        f'<img class="stlite-docs-preview-image" src="_stlite_docs/previews/{key}-{scheme}.webp" width="704" '
        f'height="300" alt="Cached" data-scheme="{scheme}" loading="lazy" decoding="async">'
        for scheme in ("light", "dark")
    ]
    assert 'class="stlite-docs-preview stlite-docs-preview-fixed"' in cached
    assert IMG.findall(plain) == []
    [own] = IMG.findall(authored)
    assert 'width="640" height="200" alt="Preview of the app"' in own and 'data-scheme="any"' in own
    published = sorted(
        p.relative_to(second.outdir).as_posix() for p in (second.outdir / "_stlite_docs" / "previews").rglob("*.*")
    )
    assert published[:2] == [f"_stlite_docs/previews/{key}-dark.webp", f"_stlite_docs/previews/{key}-light.webp"]
    assert len(published) == 3 and published[2].endswith("/own.png")
    # the app without a preview is named in an info-level message
    assert re.search(rf"no current preview of app 'other' \(light and dark scheme, {other}-light\)", second.output)
    assert not re.search(r"\bWARNING\s*[:-]", second.output), second.output


@pytest.mark.parametrize("tool", ["sphinx", "mkdocs"])
def test_without_previews_nothing_changes(tmp_path, tool):
    project, _ = _project(tmp_path, tool, [BODY])
    build = _build(tool, project, tmp_path / "out")
    assert build.returncode == 0, build.output
    assert "stlite-docs-preview" not in build.page("index.html") and "no current preview" not in build.output
    assert not (build.outdir / "_stlite_docs" / "previews").exists()


@pytest.mark.parametrize("tool", ["sphinx", "mkdocs"])
def test_a_missing_authored_image_is_a_located_warning(tmp_path, tool):
    project, _ = _project(tmp_path, tool, [AUTHORED])
    build = _build(tool, project, tmp_path / "out")
    assert build.returncode != 0  # -W / --strict
    assert re.search(r"index\.md:\d+: .*preview image 'shots/own\.png' not found", build.output), build.output


def test_same_block_same_mount_with_previews_in_sphinx_and_mkdocs(tmp_path):
    sphinx_src, _ = _project(tmp_path, "sphinx", [BODY, AUTHORED])
    mk, mk_docs = _project(tmp_path, "mkdocs", [BODY, AUTHORED])
    for root in (sphinx_src, mk_docs):
        _image(root / "shots" / "own.png", (640, 200))
    first = sphinx_build(sphinx_src, tmp_path / "probe")
    [key] = _keys(first.page("index.html"))
    for project in (sphinx_src, mk):
        _image(project / "_stlite_previews" / f"{key}-light.png")
        _image(project / "_stlite_previews" / f"{key}-dark.png")
    sphinx = sphinx_build(sphinx_src, tmp_path / "s-out")
    mkdocs = mkdocs_build(mk, tmp_path / "m-out")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0, sphinx.output + mkdocs.output
    figures = FIGURE.findall(sphinx.page("index.html"))
    assert len(IMG.findall(figures[0])) == 2 and len(IMG.findall(figures[1])) == 1
    assert figures == FIGURE.findall(mkdocs.page("index.html"))
