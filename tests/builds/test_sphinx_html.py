"""Real ``sphinx-build`` runs of the ``basic`` project with the HTML builders."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest

from stlite_docs import __version__
from stlite_docs.runtime.pins import load_pins
from support.builds import copy_root, sphinx_build
from support.html import scan

PAGES = {
    # builder -> (index page, nested page, myst page, plain page)
    "html": ("index.html", "guide/nested.html", "guide/myst.html", "plain.html"),
    "dirhtml": ("index.html", "guide/nested/index.html", "guide/myst/index.html", "plain/index.html"),
}


@pytest.fixture(scope="module", params=["html", "dirhtml", "singlehtml"])
def built(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(request.param)
    src = copy_root("basic", tmp)
    build = sphinx_build(src, tmp / "out", request.param)
    assert build.returncode == 0, build.output
    assert "WARNING" not in build.output, build.output
    return request.param, build


def _resolve(page: str, url: str) -> str:
    """The site path a page-relative URL points at."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), url.split("?")[0]))


def test_loader_and_css_only_on_pages_with_apps(built):
    builder, build = built
    pages = ("index.html",) if builder == "singlehtml" else PAGES[builder][:3]
    for page in pages:
        found = scan(build.page(page))
        loaders = [s for s in found.scripts if "stlite-docs/loader.js" in s.get("src", "")]
        assert len(loaders) == 1, page
        assert loaders[0]["type"] == "module"
        assert (build.outdir / _resolve(page, loaders[0]["src"])).is_file(), (page, loaders[0]["src"])
        css = [link for link in found.links if "stlite-docs/stlite-docs.css" in link.get("href", "")]
        assert len(css) == 1 and (build.outdir / _resolve(page, css[0]["href"])).is_file()
    if builder != "singlehtml":
        plain = build.page(PAGES[builder][3])
        assert "stlite-docs/" not in plain and "data-stlite-docs" not in plain
    for special in ("genindex.html", "search.html"):
        if (build.outdir / special).exists():
            assert "stlite-docs/loader.js" not in build.page(special)


def test_only_our_assets_reach_static(built):
    _, build = built
    static = build.outdir / "_static" / "stlite-docs"
    assert (static / "loader.js").is_file() and (static / "frame.js").is_file()
    assert not (build.outdir / "_static" / "README.md").exists()


def test_mount_points_carry_the_spec(built):
    builder, build = built
    index = scan(build.page("index.html"))
    by_caption = {m.caption: m for m in index.mounts}
    hello = by_caption['Hello <app> & "friends"']
    assert hello.attrs["id"] == "hello-app"
    assert hello.attrs["data-load"] == "click"
    assert hello.spec == {
        "version": 1,
        "generator": __version__,
        "entrypoint": "streamlit_app.py",
        "files": {"streamlit_app.py": {"text": 'import streamlit as st\nst.write("</script><b>not markup</b>")\n'}},
        "requirements": ["numpy", "pandas>=2,<3"],
        "config": {"theme.primaryColor": "#ff4b4b"},
        "height": "420px",
        "maxHeight": "80vh",
        "load": "click",
        "title": 'Live app: Hello <app> & "friends"',
        "stliteUrl": "https://cdn.jsdelivr.net/npm/@stlite/browser@1.9.2/build/",
        "pyodideUrl": None,
        "stliteIntegrity": load_pins()["stlite"]["integrity"],
        "theme": "auto",
        "maxLiveApps": 3,
        "concurrency": 1,
        "showCode": "none",
        "editable": False,
        "shareUrl": None,
        "runtime": "isolated",
    }
    # The no-JS view shows the code as text.
    assert 'st.write("</script><b>not markup</b>")' in hello.source_text
    assert 'href="#hello-app"' in build.page("index.html")


def test_attached_and_file_apps_on_a_nested_page(built):
    builder, build = built
    page = "index.html" if builder == "singlehtml" else PAGES[builder][1]
    mounts = scan(build.page(page)).mounts
    counter = next(m for m in mounts if m.spec["entrypoint"] == "counter.py")
    assert counter.spec["files"]["counter.py"]["text"] == (build.srcdir / "apps/counter.py").read_text()
    for app_path, source in (("table.csv", "data/table.csv"), ("logo.png", "guide/logo.png")):
        url = counter.spec["files"][app_path]["url"]
        assert re.fullmatch(r"(\.\./)*_stlite_docs/files/[0-9a-f]{16}/" + re.escape(Path(source).name), url), url
        published = build.outdir / _resolve(page, url)
        assert published.read_bytes() == (build.srcdir / source).read_bytes()
    two = next(m for m in mounts if "pages/second.py" in m.spec["files"])
    assert two.spec["files"]["pages/second.py"] == {"text": 'import streamlit as st\nst.write("second page")\n'}
    assert two.spec["height"] == "300px" and two.spec["requirements"] == ["numpy"]


def test_myst_fences(built):
    builder, build = built
    page = "index.html" if builder == "singlehtml" else PAGES[builder][2]
    html = build.page(page)
    captions = {m.caption for m in scan(html).mounts}
    assert {"A fenced app", "A braced app"} <= captions
    # The user's own myst_fence_as_directive entry ("note") was kept.
    assert 'class="admonition note"' in html


def test_search_index_has_the_code(built):
    builder, build = built
    if builder == "singlehtml":
        pytest.skip("singlehtml writes no search index")
    index = (build.outdir / "searchindex.js").read_text()
    assert "number_input" in index or "count" in index


def test_same_block_same_html_in_rst_and_myst(tmp_path):
    """The spec and markup depend on the block, not on the markup language."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["myst_parser", "stlite_docs"]\n')
    (src / "index.rst").write_text(".. toctree::\n\n   a\n   b\n")
    (src / "a.rst").write_text(
        "A\n=\n\n.. stlite::\n   :caption: Same\n   :height: 300px\n\n   #| requirements: numpy\n   import streamlit as st\n   st.write(1)\n"
    )
    (src / "b.md").write_text(
        "# B\n\n```{stlite}\n:caption: Same\n:height: 300px\n#| requirements: numpy\nimport streamlit as st\nst.write(1)\n```\n"
    )
    build = sphinx_build(src, tmp_path / "out")
    assert build.returncode == 0, build.output
    figure = re.compile(r"<figure class=\"stlite-docs\".*?</figure>", re.S)
    assert figure.findall(build.page("a.html")) == figure.findall(build.page("b.html"))
    assert len(figure.findall(build.page("a.html"))) == 1


def test_site_root_paths_for_runtime_urls_and_rooted_files(tmp_path):
    """A stlite_url given as a path from the site root is written relative to each page; a
    '/'-rooted file path starts at the source directory."""
    src = tmp_path / "src"
    (src / "guide").mkdir(parents=True)
    (src / "apps").mkdir()
    (src / "apps" / "root.py").write_text("import streamlit as st\n")
    (src / "conf.py").write_text(
        'extensions = ["stlite_docs"]\n'
        'stlite_docs_stlite_url = "_static/stlite"\n'
        'stlite_docs_pyodide_url = "_static/pyodide/pyodide.mjs"\n'
    )
    (src / "index.rst").write_text(".. toctree::\n\n   guide/page\n")
    (src / "guide" / "page.rst").write_text("Page\n====\n\n.. stlite:: /apps/root.py\n")
    for builder, page, prefix in (("html", "guide/page.html", "../"), ("dirhtml", "guide/page/index.html", "../../")):
        build = sphinx_build(src, tmp_path / builder, builder, "-W")
        assert build.returncode == 0, build.output
        [mount] = scan(build.page(page)).mounts
        assert mount.spec["stliteUrl"] == prefix + "_static/stlite/"
        assert mount.spec["pyodideUrl"] == prefix + "_static/pyodide/pyodide.mjs"
        assert mount.spec["files"] == {"root.py": {"text": "import streamlit as st\n"}}
