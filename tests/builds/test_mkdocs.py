"""Real ``mkdocs build`` runs: Material with SuperFences, plain MkDocs, bad input, parity with Sphinx."""

from __future__ import annotations

import json
import posixpath
import re

import pytest

from support.bad_input import EXPECTED_BAD
from support.builds import copy_root, mkdocs_build, sphinx_build
from support.html import scan


def _resolve(page: str, url: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), url.split("?")[0]))


@pytest.fixture(scope="module")
def material(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("material")
    project = copy_root("mkdocs-material", tmp)
    build = mkdocs_build(project, tmp / "site", "--strict")
    assert build.returncode == 0, build.output
    return build


def test_fences_everywhere_superfences_reaches(material):
    found = scan(material.page("index.html"))
    captions = [m.caption for m in found.mounts]
    assert captions == [
        "Top level",
        "In an admonition",
        "In the first tab",
        "In the second tab",
        "In closed details",
        "In a list",
    ]
    top = found.mounts[0]
    assert top.spec["requirements"] == ["numpy", "pandas>=2,<3"] and top.spec["height"] == "420px"
    assert top.spec["files"] == {"streamlit_app.py": {"text": 'import streamlit as st\nst.write("top")\n'}}
    # The fence inside a longer fence stays code.
    assert "```stlite" in material.page("index.html")


def test_file_and_attachments_resolve_from_docs_dir(material):
    found = scan(material.page("index.html"))
    second = next(m for m in found.mounts if m.caption == "In the second tab")
    assert second.spec["entrypoint"] == "counter.py"
    assert second.spec["files"]["counter.py"]["text"] == (material.srcdir / "apps/counter.py").read_text()
    url = second.spec["files"]["data/table.csv"]["url"]
    assert (material.outdir / _resolve("index.html", url)).read_bytes() == (material.srcdir / "data/table.csv").read_bytes()
    nested = scan(material.page("guide/nested/index.html")).mounts[0]
    url = nested.spec["files"]["data/table.csv"]["url"]
    assert url.startswith("../../_stlite_docs/files/")
    assert (material.outdir / _resolve("guide/nested/index.html", url)).is_file()


def test_assets_only_on_pages_with_apps(material):
    for page in ("index.html", "guide/nested/index.html"):
        found = scan(material.page(page))
        [loader] = [s for s in found.scripts if "stlite-docs/loader.js" in s.get("src", "")]
        assert loader["type"] == "module"
        assert (material.outdir / _resolve(page, loader["src"])).is_file()
        [css] = [link for link in found.links if "stlite-docs/stlite-docs.css" in link.get("href", "")]
        assert (material.outdir / _resolve(page, css["href"])).is_file()
    assert "stlite-docs/" not in material.page("plain/index.html")


def test_plain_mkdocs_without_superfences(tmp_path):
    project = copy_root("mkdocs-plain", tmp_path)
    build = mkdocs_build(project, tmp_path / "site", "--strict")
    assert build.returncode == 0, build.output
    [index] = scan(build.page("index.html")).mounts
    assert index.spec["height"] == "300px"
    [sub] = scan(build.page("sub/page.html")).mounts  # use_directory_urls: false
    assert sub.caption == "Tilde fence"
    [loader] = [s for s in scan(build.page("sub/page.html")).scripts if "loader.js" in s.get("src", "")]
    assert loader["src"].startswith("../assets/stlite-docs/loader.js?v=")


def test_bad_input_is_located_and_strict_fails(tmp_path):
    project = copy_root("mkdocs-bad", tmp_path)
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode == 0, build.output
    warnings = [line for line in build.output.splitlines() if "WARNING" in line]
    for line, fragment, kind in EXPECTED_BAD:
        where = f"docs/index.md:{line}: " if line else f"{project / 'docs' / 'apps' / 'broken.py'}:3: "
        matches = [w for w in warnings if where in w and fragment in w and w.endswith(f"[stlite.{kind}]")]
        assert len(matches) == 1, f"{where}{fragment}\n" + "\n".join(warnings)
    assert len(warnings) == len(EXPECTED_BAD), "\n".join(warnings)
    found = scan(build.page("index.html"))
    assert len(found.invalid) == 7
    [good] = found.mounts
    assert "this good app still builds" in good.spec["files"]["streamlit_app.py"]["text"]
    strict = mkdocs_build(project, tmp_path / "strict", "--strict")
    assert strict.returncode != 0


@pytest.mark.parametrize(
    "option, expected",
    [
        ("load: later", r"load.*later"),
        ("height: 50%", r"Plugin 'stlite' option 'height': must be 'auto' or a positive CSS length"),
        ("max_height: auto", r"Plugin 'stlite' option 'max_height': must be 'none' or a positive CSS length"),
    ],
)
def test_bad_plugin_option_fails_with_mkdocs_message(tmp_path, option, expected):
    project = copy_root("mkdocs-plain", tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - stlite", f"  - stlite:\n      {option}"))
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode != 0
    assert re.search(expected, build.output), build.output


def test_same_block_same_app_in_sphinx_and_mkdocs(tmp_path):
    """One block, written for each front-end, gives the same spec and the same mount point."""
    body = '#| caption: Same everywhere\n#| height: 300px\n#| requirements: numpy\n\nimport streamlit as st\nst.write("</script> &amp;")\n'
    # A second block with its own max-height, a third with the site's (set in each tool's way).
    tall = "#| max_height: 30em\nimport streamlit as st\n"
    page = f"# Page\n\n```stlite\n{body}```\n\n```stlite\n{tall}```\n\n```stlite\nimport streamlit\n```\n"
    sphinx_src = tmp_path / "sphinx"
    sphinx_src.mkdir()
    (sphinx_src / "conf.py").write_text('extensions = ["myst_parser", "stlite_docs"]\nstlite_docs_max_height = "70vh"\n')
    (sphinx_src / "index.md").write_text(page)
    mk = tmp_path / "mk"
    (mk / "docs").mkdir(parents=True)
    (mk / "mkdocs.yml").write_text(
        "site_name: x\nplugins:\n  - stlite:\n      max_height: 70vh\nmarkdown_extensions: [pymdownx.superfences]\n"
    )
    (mk / "docs" / "index.md").write_text(page)
    sphinx = sphinx_build(sphinx_src, tmp_path / "s-out")
    mkdocs = mkdocs_build(mk, tmp_path / "m-out")
    assert sphinx.returncode == 0 and mkdocs.returncode == 0, sphinx.output + mkdocs.output
    s_mounts = scan(sphinx.page("index.html")).mounts
    m_mounts = scan(mkdocs.page("index.html")).mounts
    assert [s.spec for s in s_mounts] == [m.spec for m in m_mounts]
    assert [s.spec["maxHeight"] for s in s_mounts] == ["70vh", "30em", "70vh"]
    figure = re.compile(r'<figure class="stlite-docs".*?</figure>', re.S)
    assert figure.findall(sphinx.page("index.html")) == figure.findall(mkdocs.page("index.html"))


def test_search_index_has_the_code_once_and_no_spec(tmp_path):
    """MkDocs' own search indexes the text of every element, <script> included: the spec's
    JSON would put each app's code in search_index.json a second time. The plugin hides the
    specs from the indexers (on_page_context) and puts them back before the page is written."""
    project = copy_root("mkdocs-plain", tmp_path)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("plugins:\n", "plugins:\n  - search\n"))
    (project / "docs/index.md").write_text(
        "# Plain Markdown\n\n"
        '```stlite height="300"\n'
        "import streamlit as st\n"
        'st.write("zebrafinch")\n'
        "```\n\n"
        "Two apps on one page.\n\n"
        "```stlite\n"
        "import streamlit as st\n"
        'st.write("okapi")\n'
        "```\n"
    )
    build = mkdocs_build(project, tmp_path / "site", "--strict")
    assert build.returncode == 0, build.output
    first, second = scan(build.page("index.html")).mounts  # both specs back in the page, in order
    assert first.spec["files"]["streamlit_app.py"]["text"].endswith('st.write("zebrafinch")\n')
    assert second.spec["files"]["streamlit_app.py"]["text"].endswith('st.write("okapi")\n')
    assert "stlite-docs-spec " not in build.page("index.html")  # no stand-in comment is left
    index = (tmp_path / "site/search/search_index.json").read_text()
    entries = [doc for doc in json.loads(index)["docs"] if doc["location"].startswith("index.html")]
    page_entry = next(doc for doc in entries if doc["location"] == "index.html")
    assert page_entry["text"].count("zebrafinch") == 1 and page_entry["text"].count("okapi") == 1  # the listings
    assert "entrypoint" not in index and "streamlit_app.py" not in index


def test_a_spec_whose_stand_in_another_plugin_drops_is_reported(tmp_path):
    """While indexers read the page (on_page_context), each spec stands aside as a comment. A
    plugin that strips comments in between would leave an app without its spec: reported."""
    project = copy_root("mkdocs-plain", tmp_path)
    (project / "strip_hooks.py").write_text(
        "import re\n"
        "from mkdocs.plugins import event_priority\n\n\n"
        "@event_priority(0)\n"
        "def on_page_context(context, page, config, nav):\n"
        "    page.content = re.sub(r'<!--.*?-->', '', page.content, flags=re.DOTALL)\n"
        "    return context\n"
    )
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "hooks:\n  - strip_hooks.py\n")
    build = mkdocs_build(project, tmp_path / "site")
    assert build.returncode == 0, build.output
    lost = sorted(line.split("stlite_docs: ")[-1].split(": ")[0] for line in build.output.splitlines() if "[stlite.lost]" in line)
    assert lost == ["docs/index.md", "docs/sub/page.md"], build.output
    assert "the spec of app 1 on this page was lost" in build.output
    assert mkdocs_build(project, tmp_path / "strict", "--strict").returncode != 0
